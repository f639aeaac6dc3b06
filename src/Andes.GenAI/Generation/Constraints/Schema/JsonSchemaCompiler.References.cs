using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Local <c>$ref</c>s. Each pointer is compiled once into its own value shape, registered before its target is
/// compiled, so a reference back to a schema still being compiled (recursion) finds that shape instead of looping.
/// </summary>
internal sealed partial class JsonSchemaCompiler
{
    private readonly Dictionary<string, int> _references = new(StringComparer.Ordinal);

    // Merges (anyOf) and copies ($ref) whose inputs were still being compiled (recursive references): done at the end.
    private readonly List<DeferredMerge> _deferred = [];

    private int CompileRefKeyword(JsonElement reference, string path)
    {
        if (reference.ValueKind != JsonValueKind.String)
        {
            throw Error(path, "$ref", "must be a string.");
        }

        string pointer = reference.GetString()!;
        if (!pointer.StartsWith('#'))
        {
            throw Error(path, "$ref", $"'{pointer}' is not a local reference (only '#...' pointers into the same schema are supported).");
        }

        JsonElement target = Resolve(pointer, path);
        return CompileReference(pointer, target);
    }

    /// <summary>Finds the schema a local JSON pointer (RFC 6901, possibly percent-encoded as a URI fragment) names.</summary>
    private JsonElement Resolve(string pointer, string path)
    {
        JsonElement current = _document;
        if (pointer.Length <= 1)
        {
            return current;
        }

        if (pointer[1] != '/')
        {
            throw Error(path, "$ref", $"'{pointer}' is not a JSON pointer (anchors are not supported).");
        }

        foreach (string raw in pointer[2..].Split('/'))
        {
            // URI fragment decoding first, then the pointer's own escapes (~1 before ~0, as RFC 6901 requires).
            string segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out JsonElement next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out int index) && index >= 0 && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                throw Error(path, "$ref", $"'{pointer}' does not resolve (no '{segment}').");
            }
        }

        return current;
    }

    /// <summary>Returns the value shape of a pointer, compiling its target the first time.</summary>
    private int CompileReference(string pointer, JsonElement target)
    {
        if (_references.TryGetValue(pointer, out int existing))
        {
            return existing;
        }

        // Registered as pending before the target is compiled, so that recursion ends here; the shape is filled in
        // once the target is done (now, or at the end if the target itself depends on something pending).
        ValueShape value = NewValue(out int id);
        value.Pending = true;
        _references[pointer] = id;
        int compiled = Compile(target, pointer);
        if (_grammar.Values[compiled].Pending)
        {
            _deferred.Add(new DeferredMerge(id, [compiled], pointer));
        }
        else
        {
            value.CopyFrom(_grammar.Values[compiled]);
            value.Pending = false;
        }

        return id;
    }

    /// <summary>
    /// Fills the deferred shapes, repeatedly, in whatever order their sources become ready. Shapes left over depend only
    /// on each other: references that loop without ever passing through an object or array, i.e. an infinite value.
    /// </summary>
    private void ResolveDeferred()
    {
        bool progress = true;
        while (_deferred.Count > 0 && progress)
        {
            progress = false;
            for (int i = 0; i < _deferred.Count; i++)
            {
                (int target, int[] sources, _) = _deferred[i];
                if (sources.Any(s => _grammar.Values[s].Pending))
                {
                    continue;
                }

                Merge(_grammar.Values[target], sources.Select(s => _grammar.Values[s]));
                _grammar.Values[target].Pending = false;
                _deferred.RemoveAt(i--);
                progress = true;
            }
        }

        if (_deferred.Count > 0)
        {
            throw Error(_deferred[0].Path, "$ref", "the references form a cycle that never reaches an object or array (it would describe an infinite value).");
        }
    }
}
