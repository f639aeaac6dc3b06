using System.Text.Json;
using Andes.GenAI;
using Andes.GenAI.Tests.Tokenization;
using Microsoft.Extensions.AI;
using static Andes.GenAI.Tests.Generation.Constraints.GrammarTestHelpers;

namespace Andes.GenAI.Tests.Generation.Constraints;

/// <summary>Each supported JSON Schema keyword compiled into the grammar: what it accepts and what it rejects.</summary>
public sealed class JsonSchemaCompilerTests
{
    [Theory]
    [InlineData("""{"type":"string"}""", "\"x\"", "1")]
    [InlineData("""{"type":"integer"}""", "-12", "1.5")]
    [InlineData("""{"type":"integer"}""", "0", "1e3")]
    [InlineData("""{"type":"number"}""", "1.5e3", "\"1\"")]
    [InlineData("""{"type":"boolean"}""", "false", "null")]
    [InlineData("""{"type":"null"}""", "null", "false")]
    [InlineData("""{"type":"array"}""", "[1,\"a\",{}]", "{}")]
    [InlineData("""{"type":"object"}""", "{\"any\":[1]}", "[]")]
    [InlineData("""{"type":["string","null"]}""", "null", "0")]
    [InlineData("""{"type":["integer","boolean"]}""", "true", "\"a\"")]
    [InlineData("""{"type":"string","nullable":true}""", "null", "1")]
    [InlineData("""{}""", "{\"a\":[null]}", "{\"a\":}")]
    [InlineData("""true""", "\"x\"", "x")]
    public void Types(string schema, string accepted, string rejected) => AssertAcceptsRejects(schema, accepted, rejected);

    [Theory]
    [InlineData("""{"enum":["red","green",3,null,{"a":[1,2]}]}""", "\"green\"", "\"blue\"")]
    [InlineData("""{"enum":["red","green",3,null,{"a":[1,2]}]}""", "3", "4")]
    [InlineData("""{"enum":["red","green",3,null,{"a":[1,2]}]}""", "{\"a\":[1,2]}", "{\"a\":[1]}")]
    [InlineData("""{"enum":[1,12,123]}""", "12", "1234")]
    [InlineData("""{"const":"fixed"}""", "\"fixed\"", "\"fixe\"")]
    [InlineData("""{"type":"string","enum":["a",1]}""", "\"a\"", "1")]
    [InlineData("""{"enum":["é\"q"]}""", "\"é\\\"q\"", "\"é\"")]
    public void EnumAndConst(string schema, string accepted, string rejected) => AssertAcceptsRejects(schema, accepted, rejected);

    [Fact]
    public void EnumOfNumbersStopsOrContinuesAtTheRightByte()
    {
        JsonGrammar grammar = Schema("""{"type":"array","items":{"enum":[1,12]}}""");
        Assert.True(Accepts(grammar, "[1,12,1]"));
        Assert.False(Accepts(grammar, "[13]"));
    }

    [Fact]
    public void PropertiesComeInOrderRequiredAlwaysOptionalMaybe()
    {
        JsonGrammar grammar = Schema("""
            {"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string"},"c":{"type":"boolean"}},"required":["b"]}
            """);
        Assert.True(Accepts(grammar, "{\"b\":\"x\"}"));
        Assert.True(Accepts(grammar, "{\"a\":1,\"b\":\"x\"}"));
        Assert.True(Accepts(grammar, "{\"a\":1,\"b\":\"x\",\"c\":true}"));
        Assert.True(Accepts(grammar, "{ \"b\" : \"x\" , \"c\" : false }"));
        Assert.False(Accepts(grammar, "{}"));                       // b is required
        Assert.False(Accepts(grammar, "{\"a\":1}"));
        Assert.False(Accepts(grammar, "{\"b\":\"x\",\"a\":1}"));    // declaration order
        Assert.False(Accepts(grammar, "{\"b\":\"x\",\"d\":1}"));    // undeclared
        Assert.False(Accepts(grammar, "{\"b\":\"x\",\"b\":\"y\"}")); // no repeats
        Assert.False(Accepts(grammar, "{\"a\":\"1\",\"b\":\"x\"}"));  // value type
        Assert.False(Accepts(grammar, "{\"b\":\"x\",}"));
    }

    [Fact]
    public void AdditionalPropertiesGovernFreeFormObjectsOnly()
    {
        Assert.True(Accepts(Schema("""{"type":"object","additionalProperties":{"type":"integer"}}"""), "{\"x\":1,\"y\":2}"));
        Assert.False(Accepts(Schema("""{"type":"object","additionalProperties":{"type":"integer"}}"""), "{\"x\":\"1\"}"));
        Assert.True(Accepts(Schema("""{"type":"object","additionalProperties":false}"""), "{}"));
        Assert.False(Accepts(Schema("""{"type":"object","additionalProperties":false}"""), "{\"x\":1}"));

        // With declared properties, extra members are never produced even if allowed.
        JsonGrammar declared = Schema("""{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":true}""");
        Assert.True(Accepts(declared, "{\"a\":1}"));
        Assert.False(Accepts(declared, "{\"a\":1,\"b\":2}"));

        // Required but undeclared properties take the additionalProperties schema.
        JsonGrammar requiredOnly = Schema("""{"type":"object","required":["id"],"additionalProperties":{"type":"string"}}""");
        Assert.True(Accepts(requiredOnly, "{\"id\":\"x\"}"));
        Assert.False(Accepts(requiredOnly, "{\"id\":1}"));
    }

    [Fact]
    public void PropertyNamesAreEscaped()
    {
        JsonGrammar grammar = Schema("""{"type":"object","properties":{"a\"b":{"type":"null"},"é/\n":{"type":"null"}},"required":["a\"b","é/\n"]}""");
        Assert.True(Accepts(grammar, "{\"a\\\"b\":null,\"é/\\n\":null}"));
    }

    [Theory]
    [InlineData("""{"type":"array","items":{"type":"integer"}}""", "[1,2]", "[1,\"2\"]")]
    [InlineData("""{"type":"array","minItems":2}""", "[1,2]", "[1]")]
    [InlineData("""{"type":"array","maxItems":2}""", "[1,2]", "[1,2,3]")]
    [InlineData("""{"type":"array","minItems":1,"maxItems":1}""", "[[]]", "[]")]
    [InlineData("""{"type":"array","items":false}""", "[]", "[1]")]
    [InlineData("""{"items":{"type":"string"}}""", "[\"a\"]", "\"a\"")]
    [InlineData("""{"type":"array","uniqueItems":false}""", "[1,1]", "[1,]")]
    public void Arrays(string schema, string accepted, string rejected) => AssertAcceptsRejects(schema, accepted, rejected);

    [Theory]
    [InlineData("""{"type":"string","minLength":2}""", "\"ab\"", "\"a\"")]
    [InlineData("""{"type":"string","maxLength":2}""", "\"ab\"", "\"abc\"")]
    [InlineData("""{"type":"string","maxLength":2}""", "\"é日\"", "\"é日本\"")]
    [InlineData("""{"type":"string","maxLength":1}""", "\"\\ud83d\\ude00\"", "\"\\n\\n\"")]
    [InlineData("""{"type":"string","maxLength":1}""", "\"😀\"", "\"ab\"")]
    [InlineData("""{"maxLength":3}""", "\"abc\"", "3")]
    [InlineData("""{"type":"string","minLength":1,"maxLength":1}""", "\"\\u0041\"", "\"\"")]
    public void StringLengthsCountCodePoints(string schema, string accepted, string rejected) => AssertAcceptsRejects(schema, accepted, rejected);

    [Theory]
    [InlineData("""{"anyOf":[{"type":"integer"},{"type":"string","maxLength":1}]}""", "7", "\"ab\"")]
    [InlineData("""{"anyOf":[{"type":"integer"},{"type":"string","maxLength":1}]}""", "\"a\"", "true")]
    [InlineData("""{"oneOf":[{"const":"x"},{"const":"y"}]}""", "\"y\"", "\"z\"")]
    [InlineData("""{"anyOf":[{"type":"object","properties":{"a":{"type":"null"}},"required":["a"]},{"type":"null"}]}""", "{\"a\":null}", "{}")]
    [InlineData("""{"anyOf":[{"type":"object","properties":{"a":{"type":"null"}},"required":["a"]},{"type":"null"}]}""", "null", "1")]
    [InlineData("""{"anyOf":[{"type":"string"}],"nullable":true}""", "null", "1")]
    [InlineData("""{"allOf":[{"type":"boolean"}]}""", "true", "1")]
    public void Alternatives(string schema, string accepted, string rejected) => AssertAcceptsRejects(schema, accepted, rejected);

    [Fact]
    public void OverlappingAlternativesUseTheFirstListed()
    {
        JsonGrammar grammar = Schema("""{"anyOf":[{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]},{"type":"object","properties":{"b":{"type":"integer"}},"required":["b"]}]}""");
        Assert.True(Accepts(grammar, "{\"a\":1}"));
        Assert.False(Accepts(grammar, "{\"b\":1}"));
    }

    [Fact]
    public void ReferencesResolveIncludingRecursion()
    {
        JsonGrammar list = Schema("""
            {"$defs":{"item":{"type":"object","properties":{"v":{"type":"integer"},"next":{"anyOf":[{"$ref":"#/$defs/item"},{"type":"null"}]}},"required":["v","next"]}},
             "$ref":"#/$defs/item"}
            """);
        Assert.True(Accepts(list, "{\"v\":1,\"next\":{\"v\":2,\"next\":null}}"));
        Assert.False(Accepts(list, "{\"v\":1,\"next\":{\"v\":2}}"));

        JsonGrammar tree = Schema("""{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#"}}},"required":["kids"]}""");
        Assert.True(Accepts(tree, "{\"kids\":[{\"kids\":[]},{\"kids\":[{\"kids\":[]}]}]}"));

        JsonGrammar definitions = Schema("""{"definitions":{"a/b":{"type":"boolean"}},"properties":{"x":{"$ref":"#/definitions/a~1b"}},"required":["x"]}""");
        Assert.True(Accepts(definitions, "{\"x\":true}"));
    }

    [Fact]
    public void OptionalPropertiesThatCanNeverCompleteAreDropped()
    {
        // "loop" requires itself forever: no finite value, so it is never offered.
        JsonGrammar grammar = Schema("""
            {"$defs":{"loop":{"type":"object","properties":{"again":{"$ref":"#/$defs/loop"}},"required":["again"]}},
             "type":"object","properties":{"ok":{"type":"integer"},"bad":{"$ref":"#/$defs/loop"}},"required":["ok"]}
            """);
        Assert.True(Accepts(grammar, "{\"ok\":1}"));
        Assert.False(AcceptsPrefix(grammar, "{\"ok\":1,\"b"));
    }

    [Fact]
    public void AnnotationsAndUnknownKeywordsAreIgnored()
    {
        JsonGrammar grammar = Schema("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"t","description":"d","type":"string","format":"date-time","default":"x","examples":["y"],"x-vendor":1}
            """);
        Assert.True(Accepts(grammar, "\"anything\""));
    }

    [Theory]
    [InlineData("""{"type":"string","pattern":"^a"}""", "pattern")]
    [InlineData("""{"type":"integer","minimum":0}""", "minimum")]
    [InlineData("""{"type":"number","multipleOf":2}""", "multipleOf")]
    [InlineData("""{"type":"array","uniqueItems":true}""", "uniqueItems")]
    [InlineData("""{"not":{"type":"null"}}""", "not")]
    [InlineData("""{"allOf":[{"type":"string"},{"maxLength":2}]}""", "allOf")]
    [InlineData("""{"type":"array","prefixItems":[{"type":"string"}]}""", "prefixItems")]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","pattern":"x"}}}""", "pattern")]
    public void UnsupportedAssertionsFailUnlessIgnored(string schema, string keyword)
    {
        var e = Assert.Throws<JsonSchemaConstraintException>(() => Schema(schema));
        Assert.Equal(keyword, e.Keyword);
        Assert.Contains(keyword, e.Message, StringComparison.Ordinal);
        Schema(schema, ignoreUnsupported: true);
    }

    [Theory]
    [InlineData("""{"type":"strng"}""", "#", "type")]
    [InlineData("""{"type":"array","minItems":3,"maxItems":2}""", "#", "maxItems")]
    [InlineData("""{"type":"string","minLength":-1}""", "#", "minLength")]
    [InlineData("""{"type":"string","maxLength":1.5}""", "#", "maxLength")]
    [InlineData("""{"properties":{"a":{"$ref":"#/$defs/missing"}}}""", "#/properties/a", "$ref")]
    [InlineData("""{"$ref":"https://example.com/s.json"}""", "#", "$ref")]
    [InlineData("""{"properties":{"a":false},"required":["a"]}""", "#/properties/a", null)]
    [InlineData("""{"type":"object","required":["a"],"additionalProperties":false}""", "#", "required")]
    [InlineData("""{"enum":[1,2],"type":"string"}""", "#", "enum")]
    [InlineData("""{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}""", "#/$defs/b", "$ref")]
    [InlineData("""{"type":"string","$ref":"#/$defs/x","$defs":{"x":{}}}""", "#", "type")]
    [InlineData("""[1]""", "#", null)]
    public void MalformedSchemasNameThePathAndKeyword(string schema, string path, string? keyword)
    {
        var e = Assert.Throws<JsonSchemaConstraintException>(() => Schema(schema));
        Assert.Equal(path, e.SchemaPath);
        Assert.Equal(keyword, e.Keyword);
        Assert.Equal("schema", e.ParamName);
    }

    [Fact]
    public void UnsatisfiableRootFails()
    {
        var e = Assert.Throws<JsonSchemaConstraintException>(() => Schema("""{"$defs":{"loop":{"type":"object","properties":{"a":{"$ref":"#/$defs/loop"}},"required":["a"]}},"$ref":"#/$defs/loop"}"""));
        Assert.Contains("never be satisfied", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseFormatsMapToConstraints()
    {
        var tokenizer = TokenizerTestAssets.Tokenizer;
        Assert.Null(JsonConstraint.ForResponseFormat(tokenizer, null));
        Assert.Null(JsonConstraint.ForResponseFormat(tokenizer, ChatResponseFormat.Text));
        JsonConstraint any = JsonConstraint.ForResponseFormat(tokenizer, ChatResponseFormat.Json)!;
        Assert.Equal(2, any.MinimumTokenBudget); // "0" + end token
        using JsonDocument schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"boolean"}},"required":["a"]}""");
        JsonConstraint typed = JsonConstraint.ForResponseFormat(tokenizer, ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "s"))!;
        Assert.Equal("{\"a\":true}".Length + 1, typed.MinimumTokenBudget);
    }

    [Fact]
    public void ToolCallConstraintRejectsBadRequests()
    {
        var tokenizer = TokenizerTestAssets.Tokenizer;
        AITool[] tools = [AIFunctionFactory.Create((int n) => n, "f")];
        Assert.Throws<ArgumentException>(() => ToolCallConstraint.Create(tokenizer, tools, ChatToolMode.Auto));
        Assert.Throws<ArgumentException>(() => ToolCallConstraint.Create(tokenizer, tools, ChatToolMode.None));
        Assert.Contains("'g'", Assert.Throws<ArgumentException>(() => ToolCallConstraint.Create(tokenizer, tools, ChatToolMode.RequireSpecific("g"))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ToolCallConstraint.Create(tokenizer, [], ChatToolMode.RequireAny));
        using JsonDocument bad = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string","pattern":"x"}}}""");
        var e = Assert.Throws<JsonSchemaConstraintException>(() => ToolCallConstraint.Create(tokenizer, [new KeyValuePair<string, JsonElement>("f", bad.RootElement)]));
        Assert.Contains("parameters of function 'f'", e.Message, StringComparison.Ordinal);
        Assert.Equal("#/properties/a", e.SchemaPath);
        Assert.Equal("pattern", e.Keyword);

        ToolCallConstraint constraint = ToolCallConstraint.Create(tokenizer, tools, ChatToolMode.RequireAny);
        // <tool_call> + "\n{\"name\": \"f\", \"arguments\": {\"n\":0}}\n" + </tool_call> + end.
        Assert.Equal(3 + "\n{\"name\": \"f\", \"arguments\": {\"n\":0}}\n".Length, constraint.MinimumTokenBudget);
    }

    private static void AssertAcceptsRejects(string schema, string accepted, string rejected)
    {
        JsonGrammar grammar = Schema(schema);
        Assert.True(Accepts(grammar, accepted), $"{schema} should accept {accepted}");
        Assert.False(Accepts(grammar, rejected), $"{schema} should reject {rejected}");
    }
}
