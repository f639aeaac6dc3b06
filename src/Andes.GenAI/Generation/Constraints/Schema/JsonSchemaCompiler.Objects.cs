using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// <c>properties</c>, <c>required</c> and <c>additionalProperties</c>. An object with declared or required properties
/// becomes a declared <see cref="ObjectShape"/> (those properties only, in order); any other object becomes a
/// free-form one (any keys, values of the <c>additionalProperties</c> schema).
/// </summary>
/// <remarks>
/// Declared objects never get extra members, even where <c>additionalProperties</c> allows them: mixing declared and
/// free keys would need the machine to track which keys were seen, and the declared properties are what the caller
/// reads. Properties come in declaration order for the same reason (see <see cref="GrammarMachine"/>'s objects).
/// </remarks>
internal sealed partial class JsonSchemaCompiler
{
    private int CompileObject(JsonElement schema, string path)
    {
        bool hasProperties = schema.TryGetProperty("properties", out JsonElement properties);
        if (hasProperties && properties.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "properties", "must be an object.");
        }

        List<string> required = ReadRequired(schema, path);
        int additional = ReadAdditionalProperties(schema, path);
        var shape = new ObjectShape();
        if (hasProperties || required.Count > 0)
        {
            shape.Properties = DeclaredProperties(hasProperties ? properties : default, path, required, additional);
        }
        else if (additional >= 0)
        {
            shape.Free = true;
            shape.AdditionalValue = additional;
        }

        // else: additionalProperties false and nothing declared: a declared shape with no properties, i.e. only {}.
        _grammar.Objects.Add(shape);
        return _grammar.Objects.Count - 1;
    }

    private static List<string> ReadRequired(JsonElement schema, string path)
    {
        var required = new List<string>();
        if (!schema.TryGetProperty("required", out JsonElement requiredElement))
        {
            return required;
        }

        if (requiredElement.ValueKind != JsonValueKind.Array)
        {
            throw Error(path, "required", "must be an array of strings.");
        }

        foreach (JsonElement name in requiredElement.EnumerateArray())
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                throw Error(path, "required", "must be an array of strings.");
            }

            if (!required.Contains(name.GetString()!))
            {
                required.Add(name.GetString()!);
            }
        }

        return required;
    }

    /// <summary>Reads <c>additionalProperties</c>: -1 when none are allowed, else the value shape of extra members.</summary>
    private int ReadAdditionalProperties(JsonElement schema, string path)
    {
        int additional = _grammar.AnyValue;
        if (schema.TryGetProperty("additionalProperties", out JsonElement element))
        {
            additional = element.ValueKind switch
            {
                JsonValueKind.False => -1,
                JsonValueKind.True => _grammar.AnyValue,
                _ => Compile(element, $"{path}/additionalProperties"),
            };
        }

        return additional;
    }

    /// <summary>
    /// Lists the declared properties in declaration order, then the required names that are not declared (they take
    /// the <c>additionalProperties</c> schema, which must allow them).
    /// </summary>
    private GrammarProperty[] DeclaredProperties(JsonElement properties, string path, List<string> required, int additional)
    {
        var list = new List<GrammarProperty>();
        if (properties.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in properties.EnumerateObject())
            {
                // A JSON object may repeat a name; the first one counts (a key is written at most once).
                if (list.Any(p => p.Name == property.Name))
                {
                    continue;
                }

                string propertyPath = $"{path}/properties/{property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                list.Add(new GrammarProperty(property.Name, Compile(property.Value, propertyPath), required.Contains(property.Name)));
            }
        }

        foreach (string name in required)
        {
            if (!list.Any(p => p.Name == name))
            {
                if (additional < 0)
                {
                    throw Error(path, "required", $"'{name}' is required but not declared, and additionalProperties is false.");
                }

                list.Add(new GrammarProperty(name, additional, true));
            }
        }

        return [.. list];
    }
}
