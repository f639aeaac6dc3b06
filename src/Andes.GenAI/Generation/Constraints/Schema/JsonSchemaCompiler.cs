using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Compiles one JSON Schema document (a <see cref="JsonElement"/>) into value shapes of a <see cref="JsonGrammar"/>.
/// Local <c>$ref</c>s (<c>#</c>, <c>#/$defs/...</c>, <c>#/definitions/...</c>, any JSON pointer into the document) are
/// compiled once and may be recursive.
/// </summary>
/// <remarks>
/// This file holds the entry point and the order in which a schema's keywords are looked at. Each construct has its
/// own file: <c>.Keywords</c> (which keywords are supported), <c>.References</c> (<c>$ref</c> and recursion),
/// <c>.Alternatives</c> (<c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>), <c>.Types</c> (<c>type</c> and the typed value),
/// <c>.Literals</c> (<c>enum</c>/<c>const</c>, booleans, null), <c>.Objects</c>, <c>.Arrays</c>, <c>.Strings</c> and
/// <c>.Numbers</c>. Unsupported assertions are errors rather than silently ignored, because output that violates the
/// schema the caller asked for is worse than being told up front (<c>IgnoreUnsupportedKeywords</c> opts in to dropping them).
/// </remarks>
internal sealed partial class JsonSchemaCompiler
{
    private readonly JsonGrammar _grammar;
    private readonly JsonElement _document;
    private readonly bool _ignoreUnsupported;

    /// <summary>Initializes a compiler for one document.</summary>
    public JsonSchemaCompiler(JsonGrammar grammar, JsonElement document, bool ignoreUnsupported)
    {
        _grammar = grammar;
        _document = document;
        _ignoreUnsupported = ignoreUnsupported;
    }

    /// <summary>Compiles the whole document and returns its value shape.</summary>
    public int CompileRoot()
    {
        // The root goes through the reference table like any "$ref": "#", so a schema that refers to itself gets
        // the same shape rather than a second copy.
        int root = CompileReference("#", _document);
        ResolveDeferred();
        return root;
    }

    private static JsonSchemaConstraintException Error(string path, string? keyword, string message) => new(path, keyword, message);

    private ValueShape NewValue(out int id)
    {
        var value = new ValueShape();
        _grammar.Values.Add(value);
        id = _grammar.Values.Count - 1;
        return value;
    }

    /// <summary>Compiles one (sub)schema, looking at its keywords in a fixed order, and returns its value shape.</summary>
    private int Compile(JsonElement schema, string path)
    {
        // Step 1: boolean schemas.
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return _grammar.AnyValue;
            case JsonValueKind.False:
                throw Error(path, null, "the schema 'false' admits no value.");
            case JsonValueKind.Object:
                break;
            default:
                throw Error(path, null, $"a schema must be an object or a boolean, not {schema.ValueKind}.");
        }

        // Step 2: refuse what cannot be enforced, before any work is done.
        CheckKeywords(schema, path);

        // Step 3: keywords that stand for the whole schema. Each refuses assertions beside it instead of intersecting
        // them: the grammar has no intersection of shapes.
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            RequireNoSiblingAssertions(schema, path, "$ref");
            return CompileRefKeyword(reference, path);
        }

        if (TryCompileAnyOf(schema, path, out int alternatives))
        {
            return alternatives;
        }

        if (TryCompileAllOf(schema, path, out int single))
        {
            return single;
        }

        // Step 4: a plain schema: type, enum/const and the per-type keywords.
        return CompileTyped(schema, path);
    }
}
