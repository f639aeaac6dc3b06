using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Values written as fixed texts: <c>enum</c> and <c>const</c> values, and the <c>boolean</c> and <c>null</c> types.
/// They all become one literal trie per value shape.
/// </summary>
/// <remarks>
/// Each listed value is offered in one spelling only, its compact form with minimal escaping
/// (<see cref="JsonGrammar.CanonicalJson"/>): the same value could be written with any whitespace and escapes, and a
/// trie of every spelling would be unbounded, while any one spelling validates.
/// </remarks>
internal sealed partial class JsonSchemaCompiler
{
    /// <summary>Fills <paramref name="value"/> with the listed values of <c>const</c> (which wins) or <c>enum</c>.</summary>
    private void CompileEnumOrConst(JsonElement schema, string path, ValueShape value, JsonSchemaTypes types, bool explicitTypes)
    {
        var candidates = new List<JsonElement>();
        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            candidates.Add(constant);
        }
        else if (!schema.TryGetProperty("enum", out JsonElement enumValues) || enumValues.ValueKind != JsonValueKind.Array || enumValues.GetArrayLength() == 0)
        {
            throw Error(path, "enum", "must be a non-empty array.");
        }
        else
        {
            candidates.AddRange(enumValues.EnumerateArray());
        }

        foreach (JsonElement candidate in candidates)
        {
            // A schema must satisfy "type" and "enum" at once, so listed values of another type can never be valid.
            if (explicitTypes && !Matches(candidate, types))
            {
                continue;
            }

            byte[] text = JsonGrammar.CanonicalJson(candidate);
            if (!value.LiteralTexts.Any(l => l.AsSpan().SequenceEqual(text)))
            {
                value.LiteralTexts.Add(text);
            }
        }

        if (value.LiteralTexts.Count == 0)
        {
            throw Error(path, schema.TryGetProperty("const", out _) ? "const" : "enum", "no listed value has the schema's type.");
        }

        value.Literal = _grammar.AddLiteralTrie(value.LiteralTexts);
        _grammar.ClaimAll(value);
    }

    /// <summary>Adds <c>true</c>/<c>false</c> and <c>null</c> when their types are allowed, and builds the value's literal trie.</summary>
    private void AddBooleanAndNull(ValueShape value, JsonSchemaTypes types)
    {
        if ((types & JsonSchemaTypes.Boolean) != 0)
        {
            value.LiteralTexts.Add(JsonGrammar.Utf8("true"));
            value.LiteralTexts.Add(JsonGrammar.Utf8("false"));
        }

        if ((types & JsonSchemaTypes.Null) != 0)
        {
            value.LiteralTexts.Add(JsonGrammar.Utf8("null"));
        }

        if (value.LiteralTexts.Count > 0)
        {
            value.Literal = _grammar.AddLiteralTrie(value.LiteralTexts);
        }
    }
}
