using System.Text.Json;

namespace Andes.GenAI.Tests.Generation.Constraints;

/// <summary>
/// An independent, minimal JSON Schema validator for the keywords the tests use (type, properties, required,
/// additionalProperties, enum, const, items, min/maxItems, min/maxLength, anyOf/oneOf, local $ref), written from the
/// specification so generated output is checked without trusting the constraint's own compiler.
/// </summary>
internal static class SchemaValidator
{
    public static void Validate(JsonElement schema, JsonElement value) => Validate(schema, schema, value, "$");

    private static void Validate(JsonElement root, JsonElement schema, JsonElement value, string at)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            JsonElement target = root;
            foreach (string segment in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(segment);
            }

            Validate(root, target, value, at);
            return;
        }

        if (schema.TryGetProperty("anyOf", out JsonElement anyOf) || schema.TryGetProperty("oneOf", out anyOf))
        {
            var failures = new List<string>();
            foreach (JsonElement alternative in anyOf.EnumerateArray())
            {
                try
                {
                    Validate(root, alternative, value, at);
                    return;
                }
                catch (Xunit.Sdk.XunitException e)
                {
                    failures.Add(e.Message);
                }
            }

            Assert.Fail($"{at}: no alternative matches: {string.Join(" | ", failures)}");
        }

        if (schema.TryGetProperty("type", out JsonElement type))
        {
            string[] types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
            Assert.True(types.Any(t => HasType(value, t)), $"{at}: {value.GetRawText()} is not {string.Join("|", types)}");
        }

        if (schema.TryGetProperty("enum", out JsonElement values))
        {
            Assert.True(values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)), $"{at}: {value.GetRawText()} is not in the enum");
        }

        if (schema.TryGetProperty("const", out JsonElement constant))
        {
            Assert.True(JsonElement.DeepEquals(constant, value), $"{at}: {value.GetRawText()} is not the const");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(root, schema, value, at);
                break;
            case JsonValueKind.Array:
                int count = value.GetArrayLength();
                if (schema.TryGetProperty("minItems", out JsonElement minItems))
                {
                    Assert.True(count >= minItems.GetInt32(), $"{at}: {count} items < minItems");
                }

                if (schema.TryGetProperty("maxItems", out JsonElement maxItems))
                {
                    Assert.True(count <= maxItems.GetInt32(), $"{at}: {count} items > maxItems");
                }

                if (schema.TryGetProperty("items", out JsonElement items))
                {
                    int i = 0;
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        Validate(root, items, item, $"{at}[{i++}]");
                    }
                }

                break;
            case JsonValueKind.String:
                int length = value.GetString()!.EnumerateRunes().Count();
                if (schema.TryGetProperty("minLength", out JsonElement minLength))
                {
                    Assert.True(length >= minLength.GetInt32(), $"{at}: length {length} < minLength");
                }

                if (schema.TryGetProperty("maxLength", out JsonElement maxLength))
                {
                    Assert.True(length <= maxLength.GetInt32(), $"{at}: length {length} > maxLength");
                }

                break;
        }
    }

    private static void ValidateObject(JsonElement root, JsonElement schema, JsonElement value, string at)
    {
        var names = value.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        if (schema.TryGetProperty("required", out JsonElement required))
        {
            foreach (JsonElement name in required.EnumerateArray())
            {
                Assert.True(value.TryGetProperty(name.GetString()!, out _), $"{at}: required '{name.GetString()}' is missing");
            }
        }

        schema.TryGetProperty("properties", out JsonElement properties);
        foreach (JsonProperty member in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out JsonElement propertySchema))
            {
                Validate(root, propertySchema, member.Value, $"{at}.{member.Name}");
            }
            else if (schema.TryGetProperty("additionalProperties", out JsonElement additional))
            {
                Assert.True(additional.ValueKind != JsonValueKind.False, $"{at}: additional property '{member.Name}'");
                Validate(root, additional, member.Value, $"{at}.{member.Name}");
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal d) && decimal.Truncate(d) == d,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new ArgumentException(type),
    };
}
