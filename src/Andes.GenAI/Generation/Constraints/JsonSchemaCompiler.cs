using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// Compiles one JSON Schema document (a <see cref="JsonElement"/>) into value shapes of a <see cref="JsonGrammar"/>.
/// Local <c>$ref</c>s (<c>#</c>, <c>#/$defs/...</c>, <c>#/definitions/...</c>, any JSON pointer into the document) are
/// compiled once and may be recursive.
/// </summary>
internal sealed class JsonSchemaCompiler
{
    [Flags]
    private enum JsonTypes
    {
        None = 0,
        Object = 1,
        Array = 2,
        String = 4,
        Number = 8,
        Integer = 16,
        Boolean = 32,
        Null = 64,
        All = Object | Array | String | Number | Integer | Boolean | Null,
    }

    // Assertions this compiler does not implement: an error unless IgnoreUnsupportedKeywords (then they are dropped,
    // and the output may violate them).
    private static readonly HashSet<string> UnsupportedKeywords =
    [
        "pattern", "patternProperties", "propertyNames", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minProperties", "maxProperties", "contains", "minContains", "maxContains", "prefixItems",
        "additionalItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
        "dependencies", "if", "then", "else", "not", "$dynamicRef", "$recursiveRef",
    ];

    // Keywords that constrain the value (anything else is an annotation or unknown, and ignored).
    private static readonly HashSet<string> AssertionKeywords =
    [
        "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "minLength", "maxLength", "anyOf", "oneOf", "allOf", "nullable", "uniqueItems",
    ];

    private readonly JsonGrammar _grammar;
    private readonly JsonElement _document;
    private readonly bool _ignoreUnsupported;
    private readonly Dictionary<string, int> _references = new(StringComparer.Ordinal);

    // Merges (anyOf) and copies ($ref) whose inputs were still being compiled (recursive references): done at the end.
    private readonly List<(int Target, int[] Sources, string Path)> _deferred = [];

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
        int root = CompileReference("#", _document);
        ResolveDeferred();
        return root;
    }

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

    private static JsonSchemaConstraintException Error(string path, string? keyword, string message) => new(path, keyword, message);

    private ValueShape NewValue(out int id)
    {
        var value = new ValueShape();
        _grammar.Values.Add(value);
        id = _grammar.Values.Count - 1;
        return value;
    }

    private int CompileReference(string pointer, JsonElement target)
    {
        if (_references.TryGetValue(pointer, out int existing))
        {
            return existing;
        }

        ValueShape value = NewValue(out int id);
        value.Pending = true;
        _references[pointer] = id;
        int compiled = Compile(target, pointer);
        if (_grammar.Values[compiled].Pending)
        {
            _deferred.Add((id, [compiled], pointer));
        }
        else
        {
            value.CopyFrom(_grammar.Values[compiled]);
            value.Pending = false;
        }

        return id;
    }

    private int Compile(JsonElement schema, string path)
    {
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

        CheckKeywords(schema, path);
        if (schema.TryGetProperty("$ref", out JsonElement reference))
        {
            RequireNoSiblingAssertions(schema, path, "$ref");
            return CompileRefKeyword(reference, path);
        }

        if (schema.TryGetProperty("anyOf", out JsonElement anyOf) || schema.TryGetProperty("oneOf", out anyOf))
        {
            string keyword = schema.TryGetProperty("anyOf", out _) ? "anyOf" : "oneOf";
            RequireNoSiblingAssertions(schema, path, keyword, "nullable");
            return CompileAlternatives(anyOf, $"{path}/{keyword}", keyword, Nullable(schema, path));
        }

        if (schema.TryGetProperty("allOf", out JsonElement allOf))
        {
            if (allOf.ValueKind != JsonValueKind.Array || allOf.GetArrayLength() != 1)
            {
                if (!_ignoreUnsupported)
                {
                    throw Error(path, "allOf", "only a single-schema allOf is supported (intersections are not).");
                }
            }
            else
            {
                RequireNoSiblingAssertions(schema, path, "allOf");
                return Compile(allOf[0], $"{path}/allOf/0");
            }
        }

        return CompileSimple(schema, path);
    }

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

    private void CheckKeywords(JsonElement schema, string path)
    {
        foreach (JsonProperty property in schema.EnumerateObject())
        {
            if (UnsupportedKeywords.Contains(property.Name) && !_ignoreUnsupported)
            {
                throw Error(path, property.Name, "this assertion is not supported by constrained decoding (set IgnoreUnsupportedKeywords to drop it).");
            }

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
            _deferred.Add((id, [.. compiled], path));
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
                        merged.Number = merged.Number < 0 ? alternative.Number : merged.Number;
                        break;
                }
            }

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

    private int CompileSimple(JsonElement schema, string path)
    {
        JsonTypes types = ReadTypes(schema, path, out bool explicitTypes);
        if (Nullable(schema, path))
        {
            types |= JsonTypes.Null;
        }

        ValueShape value = NewValue(out int id);
        if (schema.TryGetProperty("enum", out JsonElement enumValues) || schema.TryGetProperty("const", out _))
        {
            var candidates = new List<JsonElement>();
            if (schema.TryGetProperty("const", out JsonElement constant))
            {
                candidates.Add(constant);
            }
            else if (enumValues.ValueKind != JsonValueKind.Array || enumValues.GetArrayLength() == 0)
            {
                throw Error(path, "enum", "must be a non-empty array.");
            }
            else
            {
                candidates.AddRange(enumValues.EnumerateArray());
            }

            foreach (JsonElement candidate in candidates)
            {
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
            return id;
        }

        if ((types & JsonTypes.Object) != 0)
        {
            value.Object = CompileObject(schema, path);
        }

        if ((types & JsonTypes.Array) != 0)
        {
            value.Array = CompileArray(schema, path);
        }

        if ((types & JsonTypes.String) != 0)
        {
            int min = ReadCount(schema, path, "minLength", 0);
            int max = ReadCount(schema, path, "maxLength", int.MaxValue);
            if (max < min)
            {
                throw Error(path, "maxLength", $"{max} is below minLength {min}.");
            }

            if (min == 0 && max == int.MaxValue)
            {
                value.String = 0;
            }
            else
            {
                _grammar.Strings.Add(new StringShape { MinLength = min, MaxLength = max });
                value.String = _grammar.Strings.Count - 1;
            }
        }

        if ((types & (JsonTypes.Number | JsonTypes.Integer)) != 0)
        {
            value.Number = (types & JsonTypes.Number) != 0 ? 0 : 1;
        }

        if ((types & JsonTypes.Boolean) != 0)
        {
            value.LiteralTexts.Add(JsonGrammar.Utf8("true"));
            value.LiteralTexts.Add(JsonGrammar.Utf8("false"));
        }

        if ((types & JsonTypes.Null) != 0)
        {
            value.LiteralTexts.Add(JsonGrammar.Utf8("null"));
        }

        if (value.LiteralTexts.Count > 0)
        {
            value.Literal = _grammar.AddLiteralTrie(value.LiteralTexts);
        }

        _grammar.ClaimAll(value);
        return id;
    }

    private static JsonTypes ReadTypes(JsonElement schema, string path, out bool explicitTypes)
    {
        explicitTypes = schema.TryGetProperty("type", out JsonElement type);
        if (explicitTypes)
        {
            JsonTypes types = JsonTypes.None;
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

        // No type: infer it from the keywords present (a subset of what the schema allows, and what it means).
        if (Has(schema, "properties", "required", "additionalProperties"))
        {
            return JsonTypes.Object;
        }

        if (Has(schema, "items", "minItems", "maxItems"))
        {
            return JsonTypes.Array;
        }

        if (Has(schema, "minLength", "maxLength"))
        {
            return JsonTypes.String;
        }

        return JsonTypes.All;
    }

    private static bool Has(JsonElement schema, params string[] names) => names.Any(n => schema.TryGetProperty(n, out _));

    private static JsonTypes ParseType(string name, string path) => name switch
    {
        "object" => JsonTypes.Object,
        "array" => JsonTypes.Array,
        "string" => JsonTypes.String,
        "number" => JsonTypes.Number,
        "integer" => JsonTypes.Integer,
        "boolean" => JsonTypes.Boolean,
        "null" => JsonTypes.Null,
        _ => throw Error(path, "type", $"'{name}' is not a JSON Schema type."),
    };

    private static bool Matches(JsonElement value, JsonTypes types) => value.ValueKind switch
    {
        JsonValueKind.Object => (types & JsonTypes.Object) != 0,
        JsonValueKind.Array => (types & JsonTypes.Array) != 0,
        JsonValueKind.String => (types & JsonTypes.String) != 0,
        JsonValueKind.Number => (types & JsonTypes.Number) != 0
            || ((types & JsonTypes.Integer) != 0 && value.TryGetDecimal(out decimal d) && decimal.Truncate(d) == d),
        JsonValueKind.True or JsonValueKind.False => (types & JsonTypes.Boolean) != 0,
        JsonValueKind.Null => (types & JsonTypes.Null) != 0,
        _ => false,
    };

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

    private int CompileObject(JsonElement schema, string path)
    {
        bool hasProperties = schema.TryGetProperty("properties", out JsonElement properties);
        if (hasProperties && properties.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, "properties", "must be an object.");
        }

        var required = new List<string>();
        if (schema.TryGetProperty("required", out JsonElement requiredElement))
        {
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
        }

        // additionalProperties: -1 = none allowed, else the value shape of extra members.
        int additional = _grammar.AnyValue;
        if (schema.TryGetProperty("additionalProperties", out JsonElement additionalElement))
        {
            additional = additionalElement.ValueKind switch
            {
                JsonValueKind.False => -1,
                JsonValueKind.True => _grammar.AnyValue,
                _ => Compile(additionalElement, $"{path}/additionalProperties"),
            };
        }

        var shape = new ObjectShape();
        if (hasProperties || required.Count > 0)
        {
            var list = new List<GrammarProperty>();
            if (hasProperties)
            {
                foreach (JsonProperty property in properties.EnumerateObject())
                {
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

            shape.Properties = [.. list];
        }
        else if (additional >= 0)
        {
            shape.Free = true;
            shape.AdditionalValue = additional;
        }

        _grammar.Objects.Add(shape);
        return _grammar.Objects.Count - 1;
    }

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
                    if (shape.MinItems > 0)
                    {
                        throw Error(path, "items", "is false but minItems requires items.");
                    }

                    shape.MaxItems = 0;
                    break;
                case JsonValueKind.Array:
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
