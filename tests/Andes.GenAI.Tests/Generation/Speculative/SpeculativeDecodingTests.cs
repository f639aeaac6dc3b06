using Andes.GenAI;
using Andes.GenAI.Tests.Generation;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Generation.Speculative;

/// <summary>The shared tiny float32 and int4 models, loaded once for the speculative decoding tests.</summary>
public sealed class SpeculativeModelsFixture : IDisposable
{
    private readonly Lazy<AndesModel> _fp32 = new(() => AndesModel.Load(TestModels.TinyFp32Model));
    private readonly Lazy<AndesModel> _int4 = new(() => AndesModel.Load(TestModels.TinyInt4Model));

    /// <summary>The model of the given precision (fp32 or int4).</summary>
    public AndesModel Get(string precision) => precision == "int4" ? _int4.Value : _fp32.Value;

    public void Dispose()
    {
        if (_fp32.IsValueCreated)
        {
            _fp32.Value.Dispose();
        }

        if (_int4.IsValueCreated)
        {
            _int4.Value.Dispose();
        }
    }
}

/// <summary>
/// Speculative decoding is exact: greedy output equals plain decoding token for token (text and images, fp32 and int4,
/// prompt lookup and draft models, LoRA adapters, constraints), and the key/value cache is rolled back on rejection.
/// </summary>
public sealed class SpeculativeDecodingTests(SpeculativeModelsFixture models, ITestOutputHelper output) : IClassFixture<SpeculativeModelsFixture>
{
    // A prompt with repeated phrases, so that prompt lookup has n-grams to match from the first step.
    private static readonly int[] RepetitivePrompt =
        [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 9707, 11, 1246, 525, 498, 30, 9707, 11, 1246, 151645, 198, 151644, 77091, 198];

    internal static GenerationOptions Greedy(int max, SpeculativeDecodingOptions? speculative = null) =>
        new() { DoSample = false, MaxNewTokens = max, SpeculativeDecoding = speculative };

    internal static (int[] Tokens, FinishReason? Finish, SpeculativeDecodingStatistics? Statistics) Run(
        AndesModel model, GenerationOptions options, Action<Generator> append, LoraAdapter? adapter = null, IEnumerable<ILogitsProcessor>? processors = null)
    {
        using var generator = new Generator(model, options, adapter, processors);
        append(generator);
        var tokens = new List<int>();
        while (!generator.IsDone)
        {
            tokens.Add(generator.GenerateNextToken());
        }

        return ([.. tokens], generator.FinishReason, generator.SpeculativeDecoding);
    }

    [Theory]
    [InlineData("fp32", 1)]
    [InlineData("fp32", 4)]
    [InlineData("fp32", 16)]
    [InlineData("int4", 1)]
    [InlineData("int4", 8)]
    public void GreedyPromptLookupEqualsPlainDecodingOnText(string precision, int draftTokens)
    {
        AndesModel model = models.Get(precision);
        var plain = Run(model, Greedy(64), g => g.AppendTokens(RepetitivePrompt));
        var fast = Run(model, Greedy(64, SpeculativeDecodingOptions.PromptLookup(draftTokens)), g => g.AppendTokens(RepetitivePrompt));
        output.WriteLine($"{precision} k={draftTokens}: {fast.Statistics}, acceptance {fast.Statistics!.Value.AcceptanceRate:P0}");
        Assert.Equal(plain.Tokens, fast.Tokens);
        Assert.Equal(plain.Finish, fast.Finish);
        Assert.True(fast.Statistics.Value.DraftedTokens > 0, "prompt lookup proposed nothing");
        Assert.True(fast.Statistics.Value.VerificationPasses > 0);
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("int4")]
    public void GreedyPromptLookupEqualsPlainDecodingWithAnImage(string precision)
    {
        AndesModel model = models.Get(precision);
        EncodedPrompt prompt = model.Encode(AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [ImagePromptTests.Png("text_300x200.png"), new TextContent("Describe the image. Describe the image.")])],
            new ChatTemplateOptions()));
        Assert.True(prompt.ImageTokenCount > 0);
        var plain = Run(model, Greedy(48), g => g.AppendPrompt(prompt));
        var fast = Run(model, Greedy(48, SpeculativeDecodingOptions.PromptLookup(6)), g => g.AppendPrompt(prompt));
        output.WriteLine($"{precision}: {fast.Statistics}");
        Assert.Equal(plain.Tokens, fast.Tokens);
        Assert.True(fast.Statistics!.Value.DraftedTokens > 0);
    }

    [Theory]
    [InlineData("fp32", "fp32")]
    [InlineData("int4", "fp32")]
    [InlineData("fp32", "int4")]
    public void GreedyDraftModelEqualsPlainDecoding(string target, string draft)
    {
        AndesModel model = models.Get(target);
        var plain = Run(model, Greedy(48), g => g.AppendTokens(RepetitivePrompt));
        var fast = Run(model, Greedy(48, SpeculativeDecodingOptions.WithDraftModel(models.Get(draft), 5)), g => g.AppendTokens(RepetitivePrompt));
        output.WriteLine($"{target} drafted by {draft}: {fast.Statistics}, acceptance {fast.Statistics!.Value.AcceptanceRate:P0}");
        Assert.Equal(plain.Tokens, fast.Tokens);
        if (target == draft)
        {
            // The model drafting for itself proposes exactly what it decides: every proposal is accepted.
            Assert.Equal(fast.Statistics.Value.DraftedTokens, fast.Statistics.Value.AcceptedTokens);
            Assert.True(fast.Statistics.Value.TokensPerPass > 4);
        }
        else
        {
            // A drafter that is mostly wrong is asked for fewer tokens after each rejection (5 at first, down to 1).
            Assert.True(fast.Statistics.Value.DraftedTokens < 3 * fast.Statistics.Value.VerificationPasses, $"{fast.Statistics}");
        }
    }

    [Fact]
    public void GreedyDraftModelEqualsPlainDecodingWithAnImage()
    {
        AndesModel model = models.Get("int4");
        EncodedPrompt prompt = model.Encode(AndesChatTemplate.Default.Render(
            [new ChatMessage(ChatRole.User, [ImagePromptTests.Png("square_56x56.png"), new TextContent("What is this?")])],
            new ChatTemplateOptions()));
        var plain = Run(model, Greedy(32), g => g.AppendPrompt(prompt));
        var fast = Run(model, Greedy(32, SpeculativeDecodingOptions.WithDraftModel(models.Get("fp32"), 4)), g => g.AppendPrompt(prompt));
        output.WriteLine(fast.Statistics.ToString());
        Assert.Equal(plain.Tokens, fast.Tokens);
        Assert.True(fast.Statistics!.Value.AcceptedTokens > 0);
    }

    [Fact]
    public void StopTokensAndTheTokenLimitEndSpeculativeDecodingWhereThePlainOneEnds()
    {
        AndesModel model = models.Get("fp32");
        var plain = Run(model, Greedy(40), g => g.AppendTokens(RepetitivePrompt));

        // The 12th plain token as a stop token: generation must end right there, although a pass may decide beyond it.
        int stop = plain.Tokens[11];
        int first = Array.IndexOf(plain.Tokens, stop);
        GenerationOptions stopAt(SpeculativeDecodingOptions? s) => new() { DoSample = false, MaxNewTokens = 40, StopTokenIds = [stop], SpeculativeDecoding = s };
        var fastStop = Run(model, stopAt(SpeculativeDecodingOptions.WithDraftModel(model, 8)), g => g.AppendTokens(RepetitivePrompt));
        Assert.Equal(plain.Tokens[..(first + 1)], fastStop.Tokens);
        Assert.Equal(FinishReason.StopToken, fastStop.Finish);

        for (int max = 1; max <= 9; max++)
        {
            var limited = Run(model, Greedy(max, SpeculativeDecodingOptions.WithDraftModel(model, 8)), g => g.AppendTokens(RepetitivePrompt));
            Assert.Equal(plain.Tokens[..max], limited.Tokens);
            Assert.Equal(FinishReason.Length, limited.Finish);
        }
    }

    [Fact]
    public void GreedyWithALoraAdapterEqualsPlainDecoding()
    {
        using var model = AndesModel.Load(TestModels.TinyFp32LoraModel);
        using var registry = new AdapterRegistry(model);
        LoraAdapter adapter = registry.Load("seven", TestModels.TinyPeftAdapter(7));
        var plain = Run(model, Greedy(40), g => g.AppendTokens(RepetitivePrompt), adapter);
        var fast = Run(model, Greedy(40, SpeculativeDecodingOptions.PromptLookup(4)), g => g.AppendTokens(RepetitivePrompt), adapter);
        var drafted = Run(model, Greedy(40, SpeculativeDecodingOptions.WithDraftModel(models.Get("fp32"), 4)), g => g.AppendTokens(RepetitivePrompt), adapter);
        var baseModel = Run(model, Greedy(40), g => g.AppendTokens(RepetitivePrompt));
        Assert.Equal(plain.Tokens, fast.Tokens);
        Assert.Equal(plain.Tokens, drafted.Tokens);
        Assert.NotEqual(baseModel.Tokens, plain.Tokens); // the adapter matters
    }

    [Fact]
    public void AJsonConstraintSeesEveryDecidedTokenInOrder()
    {
        AndesModel model = models.Get("fp32");
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo","Seattle"]},"days":{"type":"integer"}},"required":["city","days"]}""");
        JsonConstraint constraint = JsonConstraint.ForSchema(model.Tokenizer, schema.RootElement, new JsonConstraintOptions { MaxConsecutiveWhitespace = 1 });
        ILogitsProcessor[] Constraint() => [constraint.CreateProcessor(40)];
        var plain = Run(model, Greedy(40), g => g.AppendTokens(RepetitivePrompt), processors: Constraint());
        var fast = Run(model, Greedy(40, SpeculativeDecodingOptions.WithDraftModel(models.Get("int4"), 6)), g => g.AppendTokens(RepetitivePrompt), processors: Constraint());
        Assert.Equal(plain.Tokens, fast.Tokens);
        string text = model.Tokenizer.Decode(fast.Tokens);
        output.WriteLine(text);
        Assert.StartsWith("{", text.TrimStart());
    }

    [Fact]
    public void AModelWithoutNumLogitsToKeepIsRefusedWithTheReason()
    {
        // The ONNX Runtime GenAI engine decodes one token per step: refused, naming the engine.
        using var genai = AndesModel.Load(TestModels.TinyInt4Model, new AndesModelOptions { Engine = GenerationEngine.OnnxRuntimeGenAI });
        var e = Assert.Throws<EngineFeatureNotSupportedException>(() => genai.CreateGenerator(Greedy(4, SpeculativeDecodingOptions.PromptLookup())));
        Assert.Contains("speculative decoding", e.Message);
    }
}
