using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// <c>anyOf</c>, <c>oneOf</c> and single-schema <c>allOf</c>. Alternatives are merged into one value shape that picks
/// an alternative by the value's first byte, so the machine never follows several alternatives at once.
/// </summary>
/// <remarks>
/// The price of first-byte dispatch: two alternatives that start with the same byte (two object schemas, two string
/// schemas) cannot both be offered, and the first one listed wins. Literals are the exception, being united into one
/// trie. <c>oneOf</c> is compiled like <c>anyOf</c>, since "exactly one matches" cannot be checked while writing.
/// </remarks>
internal sealed partial class JsonSchemaCompiler
{
    private bool TryCompileAnyOf(JsonElement schema, string path, out int id)
    {
        if (!schema.TryGetProperty("anyOf", out JsonElement anyOf) && !schema.TryGetProperty("oneOf", out anyOf))
        {
            id = -1;
            return false;
        }

        // With both present, anyOf is compiled and oneOf is refused as a sibling assertion.
        string keyword = schema.TryGetProperty("anyOf", out _) ? "anyOf" : "oneOf";
        RequireNoSiblingAssertions(schema, path, keyword, "nullable");
        id = CompileAlternatives(anyOf, $"{path}/{keyword}", keyword, Nullable(schema, path));
        return true;
    }

    private bool TryCompileAllOf(JsonElement schema, string path, out int id)
    {
        id = -1;
        if (!schema.TryGetProperty("allOf", out JsonElement allOf))
        {
            return false;
        }

        // A one-schema allOf is what schema generators emit to attach annotations to a $ref; anything longer is an
        // intersection, which the grammar cannot express.
        if (allOf.ValueKind != JsonValueKind.Array || allOf.GetArrayLength() != 1)
        {
            if (!_ignoreUnsupported)
            {
                throw Error(path, "allOf", "only a single-schema allOf is supported (intersections are not).");
            }

            return false; // ignored: the rest of the schema is compiled without it
        }

        RequireNoSiblingAssertions(schema, path, "allOf");
        id = Compile(allOf[0], $"{path}/allOf/0");
        return true;
    }

    private int CompileAlternatives(JsonElement alternatives, string path, string keyword, bool nullable)
    {
        if (alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
        {
            throw Error(path, keyword, "must be a non-empty array of schemas.");
        }

        var compiled = new List<int>();
        int index = 0;
        foreach (JsonElement alternative in alternatives.EnumerateArray())
        {
            compiled.Add(Compile(alternative, $"{path}/{index++}"));
        }

        if (nullable)
        {
            // "nullable": true beside the alternatives is one more alternative: null.
            ValueShape nullShape = NewValue(out int nullId);
            nullShape.LiteralTexts.Add(JsonGrammar.Utf8("null"));
            nullShape.Literal = _grammar.AddLiteralTrie(nullShape.LiteralTexts);
            _grammar.ClaimAll(nullShape);
            compiled.Add(nullId);
        }

        ValueShape merged = NewValue(out int id);
        if (compiled.Any(c => _grammar.Values[c].Pending))
        {
            // An alternative refers back to an enclosing schema still being compiled: merge once it is done.
            merged.Pending = true;
            _deferred.Add(new DeferredMerge(id, [.. compiled], path));
        }
        else
        {
            Merge(merged, compiled.Select(c => _grammar.Values[c]));
        }

        return id;
    }

    /// <summary>Merges alternatives in order: each first byte goes to the first alternative that can start with it; literal sets are united.</summary>
    private void Merge(ValueShape merged, IEnumerable<ValueShape> alternatives)
    {
        foreach (ValueShape alternative in alternatives)
        {
            for (int b = 0; b < 256; b++)
            {
                ValueAlternative kind = alternative.Dispatch[b];
                if (kind == ValueAlternative.None || merged.Dispatch[b] != ValueAlternative.None)
                {
                    continue;
                }

                merged.Dispatch[b] = kind;
                switch (kind)
                {
                    case ValueAlternative.Object:
                        merged.Object = alternative.Object;
                        break;
                    case ValueAlternative.Array:
                        merged.Array = alternative.Array;
                        break;
                    case ValueAlternative.String:
                        merged.String = alternative.String;
                        break;
                    case ValueAlternative.Number:
                        // '-' and the ten digits all go to the first number alternative; keep its integer-only flag.
                        merged.Number = merged.Number == NumberShapes.None ? alternative.Number : merged.Number;
                        break;
                }
            }

            // Only literals whose first byte ended up dispatched to literals can ever be written; the rest are dropped
            // so the united trie does not advertise them.
            foreach (byte[] literal in alternative.LiteralTexts)
            {
                if (merged.Dispatch[literal[0]] == ValueAlternative.Literal && !merged.LiteralTexts.Any(l => l.AsSpan().SequenceEqual(literal)))
                {
                    merged.LiteralTexts.Add(literal);
                }
            }
        }

        if (merged.LiteralTexts.Count > 0)
        {
            merged.Literal = _grammar.AddLiteralTrie(merged.LiteralTexts);
        }
    }
}
