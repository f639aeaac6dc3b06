using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// A schema without <c>$ref</c> or alternatives: its types, each compiled by its own construct into one value shape.
/// </summary>
internal sealed partial class JsonSchemaCompiler
{
    private int CompileTyped(JsonElement schema, string path)
    {
        JsonSchemaTypes types = ReadTypes(schema, path, out bool explicitTypes);
        if (Nullable(schema, path))
        {
            types |= JsonSchemaTypes.Null;
        }

        ValueShape value = NewValue(out int id);

        // enum/const list every allowed value, so they replace the per-type keywords rather than adding to them.
        if (schema.TryGetProperty("enum", out _) || schema.TryGetProperty("const", out _))
        {
            CompileEnumOrConst(schema, path, value, types, explicitTypes);
            return id;
        }

        if ((types & JsonSchemaTypes.Object) != 0)
        {
            value.Object = CompileObject(schema, path);
        }

        if ((types & JsonSchemaTypes.Array) != 0)
        {
            value.Array = CompileArray(schema, path);
        }

        if ((types & JsonSchemaTypes.String) != 0)
        {
            value.String = CompileString(schema, path);
        }

        if ((types & (JsonSchemaTypes.Number | JsonSchemaTypes.Integer)) != 0)
        {
            value.Number = NumberShape(types);
        }

        AddBooleanAndNull(value, types);

        // Each type starts with its own bytes ({, [, ", - and digits, t/f/n), so no alternative shadows another here.
        _grammar.ClaimAll(value);
        return id;
    }

    private static JsonSchemaTypes ReadTypes(JsonElement schema, string path, out bool explicitTypes)
    {
        explicitTypes = schema.TryGetProperty("type", out JsonElement type);
        if (explicitTypes)
        {
            JsonSchemaTypes types = JsonSchemaTypes.None;
            if (type.ValueKind == JsonValueKind.String)
            {
                types = ParseType(type.GetString()!, path);
            }
            else if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            {
                foreach (JsonElement item in type.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw Error(path, "type", "array entries must be strings.");
                    }

                    types |= ParseType(item.GetString()!, path);
                }
            }
            else
            {
                throw Error(path, "type", "must be a string or a non-empty array of strings.");
            }

            return types;
        }

        // No type: infer it from the keywords present. JSON Schema would allow every type (each keyword only applies
        // to its own), but "properties" means an object is wanted, and offering every type would let a model answer
        // with, say, a bare number. This is a subset of what the schema allows, so the output still validates.
        if (Has(schema, "properties", "required", "additionalProperties"))
        {
            return JsonSchemaTypes.Object;
        }

        if (Has(schema, "items", "minItems", "maxItems"))
        {
            return JsonSchemaTypes.Array;
        }

        if (Has(schema, "minLength", "maxLength"))
        {
            return JsonSchemaTypes.String;
        }

        return JsonSchemaTypes.All;
    }

    private static bool Has(JsonElement schema, params string[] names) => names.Any(n => schema.TryGetProperty(n, out _));

    private static JsonSchemaTypes ParseType(string name, string path) => name switch
    {
        "object" => JsonSchemaTypes.Object,
        "array" => JsonSchemaTypes.Array,
        "string" => JsonSchemaTypes.String,
        "number" => JsonSchemaTypes.Number,
        "integer" => JsonSchemaTypes.Integer,
        "boolean" => JsonSchemaTypes.Boolean,
        "null" => JsonSchemaTypes.Null,
        _ => throw Error(path, "type", $"'{name}' is not a JSON Schema type."),
    };

    /// <summary>Gets whether a JSON value has one of the types (an integral number counts as an integer).</summary>
    private static bool Matches(JsonElement value, JsonSchemaTypes types) => value.ValueKind switch
    {
        JsonValueKind.Object => (types & JsonSchemaTypes.Object) != 0,
        JsonValueKind.Array => (types & JsonSchemaTypes.Array) != 0,
        JsonValueKind.String => (types & JsonSchemaTypes.String) != 0,
        JsonValueKind.Number => (types & JsonSchemaTypes.Number) != 0
            || ((types & JsonSchemaTypes.Integer) != 0 && value.TryGetDecimal(out decimal d) && decimal.Truncate(d) == d),
        JsonValueKind.True or JsonValueKind.False => (types & JsonSchemaTypes.Boolean) != 0,
        JsonValueKind.Null => (types & JsonSchemaTypes.Null) != 0,
        _ => false,
    };
}
