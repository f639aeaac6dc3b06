using System.Text.Json;

namespace Andes.GenAI;

/// <summary><c>items</c>, <c>minItems</c> and <c>maxItems</c>: an <see cref="ArrayShape"/> with one item shape.</summary>
internal sealed partial class JsonSchemaCompiler
{
    private int CompileArray(JsonElement schema, string path)
    {
        var shape = new ArrayShape
        {
            MinItems = ReadCount(schema, path, "minItems", 0),
            MaxItems = ReadCount(schema, path, "maxItems", int.MaxValue),
        };
        if (shape.MaxItems < shape.MinItems)
        {
            throw Error(path, "maxItems", $"{shape.MaxItems} is below minItems {shape.MinItems}.");
        }

        shape.Items = _grammar.AnyValue;
        if (schema.TryGetProperty("items", out JsonElement items))
        {
            switch (items.ValueKind)
            {
                case JsonValueKind.True:
                    break;
                case JsonValueKind.False:
                    // No item is valid, so the array can only be empty; the machine reads MaxItems 0 as "only []".
                    if (shape.MinItems > 0)
                    {
                        throw Error(path, "items", "is false but minItems requires items.");
                    }

                    shape.MaxItems = 0;
                    break;
                case JsonValueKind.Array:
                    // Draft 4-7 tuples: one schema per position. Not supported; ignoring it leaves items unconstrained.
                    if (!_ignoreUnsupported)
                    {
                        throw Error(path, "items", "tuple validation (an array of schemas) is not supported.");
                    }

                    break;
                default:
                    shape.Items = Compile(items, $"{path}/items");
                    break;
            }
        }

        _grammar.Arrays.Add(shape);
        return _grammar.Arrays.Count - 1;
    }
}
