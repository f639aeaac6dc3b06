using System.Text.Json;

namespace Andes.GenAI;

/// <summary>Which keywords the compiler supports, refuses or ignores, and reading the shared keyword forms.</summary>
internal sealed partial class JsonSchemaCompiler
{
    // Assertions this compiler does not implement: an error unless IgnoreUnsupportedKeywords (then they are dropped,
    // and the output may violate them). Most constrain values in ways a byte-level grammar cannot track cheaply
    // (numeric ranges, regular expressions, counts of distinct keys, conditionals).
    private static readonly HashSet<string> UnsupportedKeywords =
    [
        "pattern", "patternProperties", "propertyNames", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minProperties", "maxProperties", "contains", "minContains", "maxContains", "prefixItems",
        "additionalItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
        "dependencies", "if", "then", "else", "not", "$dynamicRef", "$recursiveRef",
    ];

    // Keywords that constrain the value (anything else is an annotation or unknown, and ignored). Used to refuse
    // assertions next to $ref, anyOf/oneOf and allOf, which would otherwise be silently lost.
    private static readonly HashSet<string> AssertionKeywords =
    [
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "minLength", "maxLength", "anyOf", "oneOf", "allOf", "nullable", "uniqueItems",
    ];

    private void CheckKeywords(JsonElement schema, string path)
    {
        foreach (JsonProperty property in schema.EnumerateObject())
        {
            if (UnsupportedKeywords.Contains(property.Name) && !_ignoreUnsupported)
            {
                throw Error(path, property.Name, "this assertion is not supported by constrained decoding (set IgnoreUnsupportedKeywords to drop it).");
            }

            // uniqueItems: false is the default and harmless; true would need every earlier item remembered.
            if (property.Name == "uniqueItems" && property.Value.ValueKind == JsonValueKind.True && !_ignoreUnsupported)
            {
                throw Error(path, "uniqueItems", "unique items cannot be enforced by constrained decoding (set IgnoreUnsupportedKeywords to drop it).");
            }
        }
    }

    private void RequireNoSiblingAssertions(JsonElement schema, string path, string keyword, string? allowed = null)
    {
        foreach (JsonProperty property in schema.EnumerateObject())
        {
            if (property.Name != keyword && property.Name != allowed && AssertionKeywords.Contains(property.Name) && !_ignoreUnsupported)
            {
                throw Error(path, property.Name, $"assertions next to '{keyword}' are not supported (move them into the referenced or alternative schemas).");
            }
        }
    }

    /// <summary>Reads <c>nullable</c>: OpenAPI 3.0's way of adding null to a schema, which tool definitions written for OpenAPI carry.</summary>
    private static bool Nullable(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("nullable", out JsonElement nullable))
        {
            return false;
        }

        return nullable.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, "nullable", "must be a boolean."),
        };
    }

    /// <summary>Reads a count keyword (<c>minItems</c>, <c>maxLength</c>, ...), clamped to <see cref="int.MaxValue"/>.</summary>
    private static int ReadCount(JsonElement schema, string path, string keyword, int fallback)
    {
        if (!schema.TryGetProperty(keyword, out JsonElement element))
        {
            return fallback;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDecimal(out decimal value) || value < 0 || decimal.Truncate(value) != value)
        {
            throw Error(path, keyword, $"must be a non-negative integer, not {element.GetRawText()}.");
        }

        return value > int.MaxValue ? int.MaxValue : (int)value;
    }
}
