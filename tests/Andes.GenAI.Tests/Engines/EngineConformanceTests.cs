using System.Text.Json;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Engines;

/// <summary>
/// One suite, both engines: every scenario runs through <see cref="AndesChatClient"/> on the Andes engine and on ONNX
/// Runtime GenAI over the same folder, and the two must agree token for token (and each must show the behaviour).
/// </summary>
public sealed class EngineConformanceTests(EngineFixture engines, ITestOutputHelper output) : IClassFixture<EngineFixture>
{
    private static readonly GenerationEngine[] Both = [GenerationEngine.Andes, GenerationEngine.OnnxRuntimeGenAI];

    public static TheoryData<string> Kinds => ["fp32", "int4"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task GreedyTextAgrees(string kind)
    {
        ChatMessage[] messages = [new(ChatRole.User, "Hello, how are you?")];
        Outcome[] outcomes = await RunBoth(kind, messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });
        AssertAgree(outcomes);
        Assert.Equal(16, outcomes[0].Tokens.Length);
        Assert.Equal(16, outcomes[0].Response.Usage!.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, outcomes[0].Response.FinishReason);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task GreedyWithOneImageAgrees(string kind)
    {
        ChatMessage[] messages = [new(ChatRole.User, [Image("noise_100x60.png"), new TextContent("What is in the picture?")])];
        Outcome[] outcomes = await RunBoth(kind, messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
        AssertAgree(outcomes);
        AssertImagesCounted(kind, messages, outcomes);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task GreedyWithTwoImagesOfDifferentSizesAgrees(string kind)
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, [Image("noise_100x60.png"), new TextContent("and"), Image("tall_30x260.png"), new TextContent("Which differs?")]),
        ];
        Outcome[] outcomes = await RunBoth(kind, messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
        AssertAgree(outcomes);
        AssertImagesCounted(kind, messages, outcomes);
    }

    [Fact]
    public void RawIdsWithOneImagePlaceholderPerImageDecodeLikeTheRenderedPrompt()
    {
        ChatMessage[] messages =
        [
            new(ChatRole.User, [Image("noise_100x60.png"), new TextContent("and"), Image("tall_30x260.png"), new TextContent("Which differs?")]),
        ];
        AIContent[] images = [Image("noise_100x60.png"), Image("tall_30x260.png")];
        var results = new List<int[]>();
        foreach (GenerationEngine engine in Both)
        {
            AndesModel model = engines.Model("fp32", engine);
            EncodedPrompt rendered = model.Encode(AndesChatTemplate.Default.Render(messages));

            // The same prompt as raw ids, each image's placeholder run collapsed to one id: Encode expands it again.
            var collapsed = new List<int>();
            foreach (int id in rendered.Ids.Span)
            {
                if (id != model.ImageTokenId || collapsed[^1] != model.ImageTokenId)
                {
                    collapsed.Add(id);
                }
            }

            EncodedPrompt raw = model.Encode(collapsed.ToArray(), images);
            Assert.Equal(rendered.Ids.ToArray(), raw.Ids.ToArray());
            Assert.Equal(rendered.Images.Select(i => i.TokenCount), raw.Images.Select(i => i.TokenCount));
            Assert.Equal(rendered.Ids.ToArray(), model.Encode(rendered.Ids.Span, images).Ids.ToArray()); // full runs are kept

            var generation = new GenerationOptions { DoSample = false, MaxNewTokens = 8, StopTokenIds = [] };
            using ITokenGenerator generator = model.CreateGenerator(generation);
            generator.AppendPrompt(raw);
            var ids = new List<int>();
            while (!generator.IsDone)
            {
                ids.Add(generator.GenerateNextToken());
            }

            results.Add([.. ids]);
        }

        Assert.Equal(8, results[0].Length);
        Assert.Equal(results[0], results[1]);
        AndesModel andes = engines.Model("fp32", GenerationEngine.Andes);
        ArgumentException wrongRun = Assert.Throws<ArgumentException>(() => andes.Encode([151644, andes.ImageTokenId, andes.ImageTokenId, 198], images[..1]));
        Assert.Contains("has 2 placeholders but image 1 takes", wrongRun.Message, StringComparison.Ordinal);
        ArgumentException missing = Assert.Throws<ArgumentException>(() => andes.Encode([151644, 198], images[..1]));
        Assert.Contains("1 image(s) given but the ids have 0 image placeholder run(s)", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptersAreRefusedOnOnnxRuntimeGenAIBeforeAnythingIsRead()
    {
        AndesModel genai = engines.Model("fp32", GenerationEngine.OnnxRuntimeGenAI);
        EngineFeatureNotSupportedException e = Assert.Throws<EngineFeatureNotSupportedException>(() => LoraAdapter.Load(genai, "/no/such/adapter.onnx_adapter", "ui"));
        Assert.Contains("LoRA adapter 'ui'", e.Message, StringComparison.Ordinal);
        Assert.Throws<EngineFeatureNotSupportedException>(genai.PrepareLoraDecoder);
    }

    [Theory]
    [InlineData(GenerationEngine.Andes)]
    [InlineData(GenerationEngine.OnnxRuntimeGenAI)]
    public void TerminatingAGeneratorDuringAPromptPassIsOperationCanceled(GenerationEngine engine)
    {
        AndesModel model = engines.Model("fp32", engine);
        var random = new Random(5);
        int[] prompt = [.. Enumerable.Range(0, 2000).Select(_ => random.Next(1000, 100000))];
        int cancelled = 0;
        foreach (int ms in new[] { 1, 3, 10, 30 })
        {
            using ITokenGenerator generator = model.CreateGenerator(new GenerationOptions { DoSample = false, MaxNewTokens = 4 });
            var terminator = new Thread(() =>
            {
                Thread.Sleep(ms);
                generator.Terminate();
            });
            terminator.Start();
            try
            {
                generator.AppendTokens(prompt);
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }

            terminator.Join();
        }

        Assert.True(cancelled > 0, "every prompt pass finished before its terminate; the test proved nothing");
    }

    [Fact]
    public async Task SeededSamplingAgrees()
    {
        ChatMessage[] messages = [new(ChatRole.User, "Tell me a story.")];
        var options = new ChatOptions { Temperature = 0.8f, TopP = 0.9f, TopK = 40, Seed = 7, MaxOutputTokens = 16, PresencePenalty = 0.5f };
        Outcome[] outcomes = await RunBoth("fp32", messages, options);
        AssertAgree(outcomes);
    }

    [Fact]
    public async Task RequiredToolCallAgrees()
    {
        AIFunction weather = AIFunctionFactory.Create((string city, int days) => $"{city}: {days}", "get_weather", "Gets the weather for a city.");
        ChatMessage[] messages = [new(ChatRole.User, "Weather in Paris?")];
        var options = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireAny, Temperature = 0, MaxOutputTokens = 96 };
        Outcome[] outcomes = await RunBoth("fp32", messages, options);
        AssertAgree(outcomes);
        foreach (Outcome outcome in outcomes)
        {
            FunctionCallContent call = outcome.Response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
            Assert.Equal("get_weather", call.Name);
            Assert.Null(call.Exception);
            Assert.IsType<JsonElement>(call.Arguments!["city"]);
            Assert.Equal(ChatFinishReason.ToolCalls, outcome.Response.FinishReason);
        }

        Assert.Equal(
            JsonSerializer.Serialize(outcomes[0].Response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Arguments),
            JsonSerializer.Serialize(outcomes[1].Response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single().Arguments));
    }

    [Fact]
    public async Task JsonSchemaOutputAgrees()
    {
        ChatMessage[] messages = [new(ChatRole.User, "A person, please.")];
        JsonElement schema = JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"]}""").RootElement;
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema), Temperature = 0, MaxOutputTokens = 64 };
        Outcome[] outcomes = await RunBoth("fp32", messages, options);
        AssertAgree(outcomes);
        using JsonDocument doc = JsonDocument.Parse(outcomes[0].Response.Text);
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("age").ValueKind);
    }

    [Fact]
    public async Task StopSequencesAgree()
    {
        ChatMessage[] messages = [new(ChatRole.User, "Hello, how are you?")];
        Outcome[] full = await RunBoth("fp32", messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 24 });
        string text = full[0].Response.Text;
        string stop = text.Substring(text.Length / 2, Math.Min(4, text.Length - (text.Length / 2)));
        Assert.True(stop.Length > 0, "the greedy text should not be empty");

        Outcome[] stopped = await RunBoth("fp32", messages, new ChatOptions { Temperature = 0, MaxOutputTokens = 24, StopSequences = [stop] });
        AssertAgree(stopped);
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], stopped[0].Response.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped[0].Response.FinishReason);
    }

    [Theory]
    [InlineData(GenerationEngine.Andes)]
    [InlineData(GenerationEngine.OnnxRuntimeGenAI)]
    public async Task CancellationDuringDecodeStopsWithinOneToken(GenerationEngine engine)
    {
        using var client = new AndesChatClient(engines.Model("fp32", engine), new AndesChatClientOptions { MaxCachedConversations = 0 });
        using var cts = new CancellationTokenSource();
        int afterCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 200 }, cts.Token))
            {
                if (cts.IsCancellationRequested)
                {
                    afterCancel++;
                }
                else
                {
                    cts.Cancel();
                }
            }
        });
        Assert.True(afterCancel <= 1, $"{afterCancel} updates arrived after cancellation");
        Assert.NotEmpty((await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hello")], new ChatOptions { Temperature = 0, MaxOutputTokens = 3 })).Text);
    }

    [Theory]
    [InlineData(GenerationEngine.Andes)]
    [InlineData(GenerationEngine.OnnxRuntimeGenAI)]
    public async Task CancellationDuringThePromptPassIsOperationCanceled(GenerationEngine engine)
    {
        // Two large images make the prompt pass (vision included) long enough to cancel inside it; the feature cache is
        // off so that the cancelled request runs the vision graph again.
        using AndesModel model = AndesModel.Load(EngineFixture.Folder("fp32"), new AndesModelOptions { Engine = engine, ImageFeatureCacheBytes = 0 });
        using var client = new AndesChatClient(model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        ChatMessage[] messages = [new(ChatRole.User, [Image("text_300x200.png"), Image("photo_120x90.jpg"), new TextContent("Compare them.")])];
        ChatOptions options = new ChatOptions { Temperature = 0, MaxOutputTokens = 1 }.WithImageMaxSize(1400);
        await client.GetResponseAsync(messages, options); // warm-up: the first run of a session pays for its set-up
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await client.GetResponseAsync(messages, options);
        TimeSpan whole = clock.Elapsed;

        // Cancel from a dedicated thread (a pool timer can fire late on a busy machine) a third of the way in. A run whose
        // request finished before the cancel landed proves nothing, so it is repeated with an earlier cancel.
        for (TimeSpan delay = whole / 3; ; delay /= 2)
        {
            using var cts = new CancellationTokenSource();
            long cancelledAt = long.MaxValue;
            var canceller = new Thread(() =>
            {
                Thread.Sleep(delay);
                Interlocked.Exchange(ref cancelledAt, System.Diagnostics.Stopwatch.GetTimestamp());
                cts.Cancel();
            });
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            canceller.Start();
            Exception? error = await Record.ExceptionAsync(() => client.GetResponseAsync(messages, options, cts.Token));
            long end = System.Diagnostics.Stopwatch.GetTimestamp();
            canceller.Join();
            output.WriteLine($"{engine}: whole request {whole.TotalMilliseconds:F0} ms; cancel after {delay.TotalMilliseconds:F0} ms, ended after {System.Diagnostics.Stopwatch.GetElapsedTime(start, end).TotalMilliseconds:F0} ms: {error?.GetType().Name ?? "completed"}");
            if (error is null && Interlocked.Read(ref cancelledAt) > end && delay > TimeSpan.FromMilliseconds(1))
            {
                continue;
            }

            Assert.IsAssignableFrom<OperationCanceledException>(error);
            break;
        }

        // The client stays usable.
        Assert.Equal(1, (await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hello")], options)).Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task AnAdapterOnOnnxRuntimeGenAIFailsBeforeAnyTokenNamingFeatureAndEngine()
    {
        using var client = new AndesChatClient(engines.Model("fp32", GenerationEngine.OnnxRuntimeGenAI));
        var ex = await Assert.ThrowsAsync<EngineFeatureNotSupportedException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions().WithAdapter("ocr")))
            {
                Assert.Fail("no update may arrive");
            }
        });
        Assert.Equal(GenerationEngine.OnnxRuntimeGenAI, ex.Engine);
        Assert.Equal("LoRA adapter 'ocr'", ex.Feature);
        Assert.Contains("onnxruntime-genai", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEngineIsWhatTheModelWasLoadedFor()
    {
        AndesModel genai = engines.Model("int4", GenerationEngine.OnnxRuntimeGenAI);
        Assert.Equal(GenerationEngine.OnnxRuntimeGenAI, genai.Engine);
        Assert.True(genai.SupportsImages);
        Assert.Equal(GenerationEngine.Andes, engines.Model("int4", GenerationEngine.Andes).Engine);
        Assert.Throws<InvalidOperationException>(() => new Generator(genai, new GenerationOptions()));
    }

    private async Task<Outcome[]> RunBoth(string kind, ChatMessage[] messages, ChatOptions options)
    {
        var outcomes = new Outcome[Both.Length];
        for (int i = 0; i < Both.Length; i++)
        {
            AndesModel model = engines.Model(kind, Both[i]);
            using var client = new AndesChatClient(model, new AndesChatClientOptions { MaxCachedConversations = 0 });
            ChatResponse response = await client.GetResponseAsync(messages, options.Clone());
            outcomes[i] = new Outcome(Both[i], response, GenerateIds(model, messages, options));
        }

        return outcomes;
    }

    /// <summary>The same request on the engine's token level, as the chat client runs it: the generated ids.</summary>
    private static int[] GenerateIds(AndesModel model, ChatMessage[] messages, ChatOptions options)
    {
        ChatPrompt prompt = AndesChatTemplate.Default.Render(messages, ChatTemplateOptions.FromChatOptions(options));
        EncodedPrompt encoded = model.Encode(prompt, new PromptEncodingOptions { ImageMaxSize = options.GetImageMaxSize() });
        GenerationOptions generation = GenerationOptions.FromSearch(model.Config.Search).WithChatOptions(options);
        using ITokenGenerator sequence = model.CreateGenerator(generation, processors: AndesChatClient.CreateConstraints(model.Tokenizer, options, generation.MaxNewTokens!.Value));
        sequence.AppendPrompt(encoded);
        var streamer = new TextStreamer(sequence, generation.StopSequences);
        var ids = new List<int>();
        while (!streamer.IsDone)
        {
            streamer.Step();
            ids.Add(streamer.LastToken);
        }

        return [.. ids];
    }

    private static void AssertAgree(Outcome[] outcomes)
    {
        Outcome a = outcomes[0], b = outcomes[1];
        Assert.Equal(a.Response.Text, b.Response.Text);
        Assert.Equal(a.Tokens, b.Tokens);
        Assert.Equal(a.Response.FinishReason, b.Response.FinishReason);
        Assert.Equal(a.Response.Usage!.InputTokenCount, b.Response.Usage!.InputTokenCount);
        Assert.Equal(a.Response.Usage.OutputTokenCount, b.Response.Usage.OutputTokenCount);
        Assert.Equal(a.Tokens.Length, a.Response.Usage.OutputTokenCount);
    }

    private void AssertImagesCounted(string kind, ChatMessage[] messages, Outcome[] outcomes)
    {
        EncodedPrompt encoded = engines.Model(kind, GenerationEngine.Andes).Encode(AndesChatTemplate.Default.Render(messages));
        Assert.Equal(encoded.Length, outcomes[1].Response.Usage!.InputTokenCount);
        Assert.True(encoded.ImageTokenCount > 0);
    }

    private static DataContent Image(string name) => new(File.ReadAllBytes(TestImages.Path(name)), name.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/png");

    private sealed record Outcome(GenerationEngine Engine, ChatResponse Response, int[] Tokens);
}
