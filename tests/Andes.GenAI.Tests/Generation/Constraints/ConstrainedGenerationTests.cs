using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Generation.Constraints;

/// <summary>
/// The tiny random model, sampled at temperature 1 over the whole vocabulary, steered by the constraints: every seed
/// must give parseable, schema-valid JSON (or a valid tool call) ending with an end token within the token budget.
/// </summary>
public sealed class ConstrainedGenerationTests(TinyModelFixture fixture, ITestOutputHelper output) : IClassFixture<TinyModelFixture>
{
    private const int Seeds = 100;

    // <|im_start|>user\nHello, how are you?<|im_end|>\n<|im_start|>assistant\n
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "maxLength": 10 },
            "age": { "type": "integer" },
            "role": { "enum": ["admin", "user", "guest"] },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 5 }, "minItems": 1, "maxItems": 3 },
            "active": { "type": "boolean" },
            "score": { "type": ["number", "null"] }
          },
          "required": ["name", "age", "role", "tags"]
        }
        """;

    private static GenerationOptions Sampling(int seed, int maxTokens)
        => new() { DoSample = true, Temperature = 1f, TopK = 0, TopP = 1f, MaxNewTokens = maxTokens, Seed = seed };

    [Fact]
    public void AnyJsonParsesForEverySeed()
    {
        JsonConstraint constraint = JsonConstraint.ForAnyJson(fixture.Model.Tokenizer, new JsonConstraintOptions { MaxConsecutiveWhitespace = 1 });
        string[] texts = ForEachSeed(Seeds, seed => Generate(constraint.CreateProcessor(24), Sampling(seed, 24), out _));
        var kinds = new HashSet<JsonValueKind>();
        for (int seed = 0; seed < Seeds; seed++)
        {
            using JsonDocument document = Parse(texts[seed], seed);
            kinds.Add(document.RootElement.ValueKind);
        }

        Log(texts);
        Assert.True(kinds.Count >= 3, $"only {string.Join(", ", kinds)}: sampling should reach several kinds of values");
    }

    [Fact]
    public void SchemaOutputValidatesForEverySeed()
    {
        using JsonDocument schema = JsonDocument.Parse(Schema);
        JsonConstraint constraint = JsonConstraint.ForSchema(fixture.Model.Tokenizer, schema.RootElement, new JsonConstraintOptions { MaxConsecutiveWhitespace = 1 });
        string[] texts = ForEachSeed(Seeds, seed => Generate(constraint.CreateProcessor(64), Sampling(seed, 64), out _));
        var roles = new HashSet<string>();
        int optional = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            using JsonDocument document = Parse(texts[seed], seed);
            SchemaValidator.Validate(schema.RootElement, document.RootElement);
            roles.Add(document.RootElement.GetProperty("role").GetString()!);
            optional += document.RootElement.TryGetProperty("active", out _) || document.RootElement.TryGetProperty("score", out _) ? 1 : 0;
        }

        Log(texts);
        Assert.Equal(3, roles.Count);
        Assert.InRange(optional, 1, Seeds - 1);
    }

    [Fact]
    public void RecursiveSchemaWithDefsValidatesForEverySeed()
    {
        const string tree = """
            {
              "$defs": {
                "node": {
                  "type": "object",
                  "properties": {
                    "id": { "type": "integer" },
                    "children": { "type": "array", "items": { "$ref": "#/$defs/node" }, "maxItems": 2 }
                  },
                  "required": ["id"]
                }
              },
              "$ref": "#/$defs/node"
            }
            """;
        using JsonDocument schema = JsonDocument.Parse(tree);
        JsonConstraint constraint = JsonConstraint.ForSchema(fixture.Model.Tokenizer, schema.RootElement, new JsonConstraintOptions { MaxConsecutiveWhitespace = 1 });
        for (int seed = 0; seed < 30; seed++)
        {
            string text = Generate(constraint.CreateProcessor(48), Sampling(seed, 48), out _);
            using JsonDocument document = Parse(text, seed);
            SchemaValidator.Validate(schema.RootElement, document.RootElement);
        }
    }

    [Fact]
    public void RequiredToolCallIsValidForEverySeed()
    {
        var schemas = new Dictionary<string, JsonElement>
        {
            ["get_weather"] = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":12},"days":{"type":"integer"}},"required":["city","days"]}""").RootElement,
            ["set_unit"] = JsonDocument.Parse("""{"type":"object","properties":{"unit":{"type":"string","enum":["Celsius","Fahrenheit"]},"precise":{"type":"boolean"}},"required":["unit","precise"]}""").RootElement,
            ["get_time"] = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement,
        };
        ToolCallConstraint constraint = ToolCallConstraint.Create(fixture.Model.Tokenizer, schemas, new ToolCallConstraintOptions { MaxConsecutiveWhitespace = 1 });
        Assert.Equal(["get_weather", "set_unit", "get_time"], constraint.FunctionNames);
        int[][] outputs = new int[Seeds][];
        string[] texts = ForEachSeed(Seeds, seed => Generate(constraint.CreateProcessor(72), Sampling(seed, 72), out outputs[seed]));
        var called = new HashSet<string>();
        for (int seed = 0; seed < Seeds; seed++)
        {
            called.Add(AssertValidCall(texts[seed], outputs[seed], schemas, seed));
        }

        Log(texts);
        Assert.Equal(3, called.Count);
    }

    [Fact]
    public void RequireAnyOverAIFunctionsGivesValidCalls()
    {
        AITool[] tools =
        [
            AIFunctionFactory.Create(([Description("City name")] string city, int days) => $"{city}:{days}", "get_weather"),
            AIFunctionFactory.Create((Unit unit, bool precise) => unit.ToString(), "set_unit"),
            AIFunctionFactory.Create(() => "now", "get_time"),
            new HostedWebSearchTool(),
        ];
        var schemas = tools.OfType<AIFunctionDeclaration>().ToDictionary(f => f.Name, f => f.JsonSchema);
        ToolCallConstraint constraint = ToolCallConstraint.Create(fixture.Model.Tokenizer, tools, ChatToolMode.RequireAny, new ToolCallConstraintOptions { MaxConsecutiveWhitespace = 0 });
        Assert.Equal(["get_weather", "set_unit", "get_time"], constraint.FunctionNames);
        int[][] outputs = new int[20][];
        string[] texts = ForEachSeed(20, seed => Generate(constraint.CreateProcessor(80), Sampling(seed, 80), out outputs[seed]));
        for (int seed = 0; seed < texts.Length; seed++)
        {
            AssertValidCall(texts[seed], outputs[seed], schemas, seed);
        }

        Log(texts);
    }

    [Fact]
    public void RequiredSpecificFunctionIsTheOnlyOneCalled()
    {
        AITool[] tools =
        [
            AIFunctionFactory.Create((string city) => city, "get_weather"),
            AIFunctionFactory.Create(() => "now", "get_time"),
        ];
        ToolCallConstraint constraint = ToolCallConstraint.Create(fixture.Model.Tokenizer, tools, ChatToolMode.RequireSpecific("get_time"), new ToolCallConstraintOptions { MaxConsecutiveWhitespace = 0 });
        for (int seed = 0; seed < 10; seed++)
        {
            string text = Generate(constraint.CreateProcessor(48), Sampling(seed, 48), out _);
            Assert.Equal("<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>", text);
        }
    }

    [Fact]
    public void SeveralCallsWhenAllowed()
    {
        AITool[] tools = [AIFunctionFactory.Create((int n) => n, "f")];
        ToolCallConstraint constraint = ToolCallConstraint.Create(fixture.Model.Tokenizer, tools, ChatToolMode.RequireAny, new ToolCallConstraintOptions { MaxCalls = 3, MaxConsecutiveWhitespace = 0 });
        int maxCalls = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            string text = Generate(constraint.CreateProcessor(80), Sampling(seed, 80), out _);
            var parser = new AndesOutputParser();
            var calls = parser.Append(text).Concat(parser.Complete()).OfType<FunctionCallContent>().ToList();
            Assert.InRange(calls.Count, 1, 3);
            Assert.All(calls, c => Assert.Null(c.Exception));
            maxCalls = Math.Max(maxCalls, calls.Count);
        }

        Assert.True(maxCalls > 1, "some seed should make more than one call");
    }

    private string AssertValidCall(string text, int[] tokens, Dictionary<string, JsonElement> schemas, int seed)
    {
        Assert.Equal(fixture.Model.Tokenizer.ToolCallStartId, tokens[0]);
        Assert.Equal(fixture.Model.Tokenizer.ToolCallEndId, tokens[^2]);
        Assert.Contains(tokens[^1], new[] { fixture.Model.Tokenizer.EndOfTurnId, fixture.Model.Tokenizer.EndOfTextId });
        Assert.StartsWith("<tool_call>\n{\"name\": \"", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n</tool_call>", text, StringComparison.Ordinal);

        string json = text["<tool_call>\n".Length..^"\n</tool_call>".Length];
        using JsonDocument call = Parse(json, seed);
        string name = call.RootElement.GetProperty("name").GetString()!;
        Assert.True(schemas.ContainsKey(name), $"seed {seed}: unknown tool '{name}'");
        SchemaValidator.Validate(schemas[name], call.RootElement.GetProperty("arguments"));

        // The chat output parser turns it into exactly one function call, with those arguments.
        var parser = new AndesOutputParser();
        var contents = parser.Append(text).Concat(parser.Complete()).ToList();
        FunctionCallContent content = Assert.Single(contents.OfType<FunctionCallContent>());
        Assert.Null(content.Exception);
        Assert.Equal(name, content.Name);
        return name;
    }

    private static string[] ForEachSeed(int count, Func<int, string> generate)
    {
        // Generators share the model safely; two at a time keep both cores busy.
        string[] results = new string[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed => results[seed] = generate(seed));
        return results;
    }

    private void Log(string[] texts)
    {
        for (int seed = 0; seed < Math.Min(5, texts.Length); seed++)
        {
            output.WriteLine($"seed {seed}: {texts[seed]}");
        }
    }

    private enum Unit
    {
        Celsius,
        Fahrenheit,
    }

    private string Generate(JsonConstraintProcessor processor, GenerationOptions options, out int[] tokens)
    {
        AndesModel model = fixture.Model;
        using var generator = new Generator(model, options, [processor]);
        generator.AppendTokens(Prompt);
        var generated = new List<int>();
        while (!generator.IsDone)
        {
            generated.Add(generator.GenerateNextToken());
        }

        Assert.Equal(FinishReason.StopToken, generator.FinishReason);
        Assert.True(processor.IsComplete);
        tokens = [.. generated];
        return model.Tokenizer.Decode(tokens, skipSpecialTokens: true);
    }

    private static JsonDocument Parse(string text, int seed)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            Assert.Fail($"seed {seed}: '{text}' is not JSON: {e.Message}");
            throw;
        }
    }
}
