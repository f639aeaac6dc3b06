using System.Globalization;
using Andes.GenAI;
using Andes.GenAI.Tests.Adapters;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Andes.GenAI.Tests.Chat;

/// <summary>What the engine logs through <see cref="AndesModelOptions.LoggerFactory"/>: the load and every request, with their numbers.</summary>
public sealed class EngineLoggingTests(LoraModelFixture lora) : IClassFixture<LoraModelFixture>
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello, how are you?")];

    private static ChatOptions Greedy(int max) => new() { Temperature = 0, MaxOutputTokens = max };

    private static long GraphSize(string folder, string file) =>
        new FileInfo(Path.Combine(folder, file)).Length + (File.Exists(Path.Combine(folder, file + ".data")) ? new FileInfo(Path.Combine(folder, file + ".data")).Length : 0);

    [Fact]
    public void TheLoadIsLoggedWithFolderEngineFilesProvidersThreadsAndTime()
    {
        var logs = new CapturingLoggerFactory();
        string folder = TestModels.TinyFp32Model;
        using AndesModel model = AndesModel.Load(folder, new AndesModelOptions { LoggerFactory = logs, IntraOpNumThreads = 1 });

        LogEntry loaded = Assert.Single(logs.Events("ModelLoaded"));
        Assert.Equal((LogLevel.Information, "Andes.GenAI.AndesModel"), (loaded.Level, loaded.Category));
        Assert.Equal(model.Directory, loaded["Directory"]);
        Assert.Equal("andes", loaded["Engine"]);
        Assert.Equal("cpu", loaded["ExecutionProviders"]);
        Assert.Equal("1", loaded["IntraOpThreads"]);
        Assert.InRange((long)loaded["ElapsedMs"]!, 0, 600_000);
        string files = (string)loaded["Files"]!;
        foreach (string graph in new[] { "decoder.onnx", "embedding.onnx", "vision.onnx" })
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{graph} ({GraphSize(folder, graph)} bytes)"), files, StringComparison.Ordinal);
        }

        Assert.Contains("tokenizer.json (", files, StringComparison.Ordinal);

        // Debug: each session with its file and bytes, and the model's shape.
        IReadOnlyList<LogEntry> sessions = logs.Events("SessionCreated");
        Assert.Equal(["model.embedding", "model.vision", "model.decoder"], sessions.Select(s => s["Section"]));
        Assert.All(sessions, s => Assert.Equal(LogLevel.Debug, s.Level));
        Assert.Equal(GraphSize(folder, "decoder.onnx"), sessions[2]["Bytes"]);
        LogEntry shape = Assert.Single(logs.Events("ModelConfiguration"));
        Assert.Equal(model.ContextLength, shape["ContextLength"]);
        Assert.Equal(true, shape["HasVision"]);
    }

    [Fact]
    public async Task EachRequestIsLoggedWithTheNumbersOfItsUsage()
    {
        var logs = new CapturingLoggerFactory();
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model, new AndesModelOptions { LoggerFactory = logs });
        using var client = new AndesChatClient(model);

        ChatResponse first = await client.GetResponseAsync(Hello, Greedy(6));
        LogEntry line = Assert.Single(logs.Events("RequestCompleted"));
        Assert.Equal((LogLevel.Information, "Andes.GenAI.AndesChatClient"), (line.Level, line.Category));
        Assert.Equal(first.ResponseId, line["ResponseId"]);
        Assert.Equal("tiny-fp32", line["ModelId"]);
        Assert.Equal((int)first.Usage!.InputTokenCount!, line["PromptTokens"]);
        Assert.Equal((int)first.Usage.OutputTokenCount!, line["OutputTokens"]);
        Assert.Equal(0, line["CachedTokens"]);
        Assert.Equal(0, line["ImageCount"]);
        Assert.True((double)line["TimeToFirstTokenMs"]! > 0);
        Assert.True((double)line["DecodeTokensPerSecond"]! > 0);
        Assert.Equal("length", line["FinishReason"]);
        Assert.Null(line["Skill"]);
        Assert.Null(line["Adapter"]);

        // A follow-up turn reuses the first turn's keys/values; the log says how many, as the usage does.
        List<ChatMessage> history = [.. Hello, .. first.Messages, new(ChatRole.User, "And tomorrow?")];
        ChatResponse second = await client.GetResponseAsync(history, Greedy(4));
        LogEntry followUp = logs.Events("RequestCompleted")[1];
        Assert.Equal((int)second.Usage!.InputTokenCount!, followUp["PromptTokens"]);
        Assert.Equal((int)second.Usage.CachedInputTokenCount!, followUp["CachedTokens"]);
        Assert.True((int)followUp["CachedTokens"]! > 0);

        // Debug: the start of each request and its prompt pass.
        Assert.Equal(2, logs.Events("RequestStarted").Count);
        LogEntry pass = logs.Events("PromptProcessed")[1];
        Assert.Equal((int)followUp["PromptTokens"]! - (int)followUp["CachedTokens"]!, pass["RunTokens"]);
    }

    [Fact]
    public async Task ImageTokensAreLoggedPerImage()
    {
        var logs = new CapturingLoggerFactory();
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model, new AndesModelOptions { LoggerFactory = logs });
        using var client = new AndesChatClient(model);
        byte[] photo = File.ReadAllBytes(TestImages.Path("photo_120x90.jpg"));
        byte[] noise = File.ReadAllBytes(TestImages.Path("noise_100x60.png"));
        ChatMessage[] messages =
        [
            new(ChatRole.User, [new DataContent(photo, "image/jpeg"), new DataContent(noise, "image/png"), new TextContent("Compare them.")]),
        ];

        ChatResponse response = await client.GetResponseAsync(messages, Greedy(3));
        EncodedPrompt encoded = model.Encode(AndesChatTemplate.Default.Render(messages));
        LogEntry line = Assert.Single(logs.Events("RequestCompleted"));
        Assert.Equal((int)response.Usage!.InputTokenCount!, line["PromptTokens"]);
        Assert.Equal(2, line["ImageCount"]);
        Assert.Equal(encoded.ImageTokenCount, line["ImageTokens"]);
        Assert.Equal(string.Join(", ", encoded.Images.Select(i => i.TokenCount)), line["ImageTokensPerImage"]);

        IReadOnlyList<LogEntry> images = logs.Events("RequestImage");
        Assert.Equal([(120, 90), (100, 60)], images.Select(i => ((int)i["Width"]!, (int)i["Height"]!)));
        Assert.Equal(encoded.Images.Select(i => i.TokenCount), images.Select(i => (int)i["ImageTokens"]!));
    }

    [Fact]
    public async Task TheSkillAndAdapterAreLoggedThroughTheClientsOwnFactory()
    {
        // The shared model has no factory; the client's own options give one.
        var logs = new CapturingLoggerFactory();
        using var registry = new AdapterRegistry(lora.Model);
        registry.Load("a", TestModels.TinyPeftAdapter(7));
        var skills = new SkillRegistry([new Skill { Name = "ocr", Description = "Reads text.", Adapter = "a" }]);
        using var client = new AndesChatClient(lora.Model, new AndesChatClientOptions { Adapters = registry, Skills = skills, LoggerFactory = logs });

        await client.GetResponseAsync(Hello, Greedy(2).WithSkill("ocr"));
        await client.GetResponseAsync(Hello, Greedy(2).WithAdapter("a"));
        IReadOnlyList<LogEntry> lines = logs.Events("RequestCompleted");
        Assert.Equal([("ocr", "a"), (null, "a")], lines.Select(l => ((string?)l["Skill"], (string?)l["Adapter"])));
    }

    [Fact]
    public async Task OnnxRuntimeGenAILogsItsLoadAndRequestsToo()
    {
        var logs = new CapturingLoggerFactory();
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model, new AndesModelOptions { Engine = GenerationEngine.OnnxRuntimeGenAI, LoggerFactory = logs });
        LogEntry loaded = Assert.Single(logs.Events("ModelLoaded"));
        Assert.Equal("onnxruntime-genai", loaded["Engine"]);
        Assert.Contains("decoder.onnx (", (string)loaded["Files"]!, StringComparison.Ordinal);

        using var client = new AndesChatClient(model);
        ChatResponse response = await client.GetResponseAsync(Hello, Greedy(3));
        LogEntry line = Assert.Single(logs.Events("RequestCompleted"));
        Assert.Equal((int)response.Usage!.InputTokenCount!, line["PromptTokens"]);
        Assert.Equal(3, line["OutputTokens"]);
    }

    [Theory]
    [InlineData(GenerationEngine.Andes)]
    [InlineData(GenerationEngine.OnnxRuntimeGenAI)]
    public void AProviderFallBackIsAWarningNamingTheProvider(GenerationEngine engine)
    {
        // This machine's ONNX Runtime is the CPU build: QNN is missing, and AllowCpuFallback logs instead of throwing.
        var logs = new CapturingLoggerFactory();
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model, new AndesModelOptions
        {
            Engine = engine,
            ExecutionProviders = [ExecutionProvider.Qnn()],
            AllowCpuFallback = true,
            LoggerFactory = logs,
        });

        LogEntry warning = logs.Events("ExecutionProviderFallback")[0];
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal("qnn", warning["Provider"]);
        Assert.Contains("CPUExecutionProvider", (string)warning["Available"]!, StringComparison.Ordinal);
        Assert.Equal("cpu", Assert.Single(logs.Events("ModelLoaded"))["ExecutionProviders"]);
    }

    [Fact]
    public async Task DependencyInjectionGivesTheContainersLoggerFactoryToTheEngine()
    {
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddAndesChatClient(TestModels.TinyFp32Model);
        await using ServiceProvider provider = services.BuildServiceProvider();

        IChatClient client = provider.GetRequiredService<IChatClient>();
        Assert.Same(logs, provider.GetRequiredService<AndesModel>().Options.LoggerFactory);
        ChatResponse response = await client.GetResponseAsync(Hello, Greedy(2));
        Assert.Single(logs.Events("ModelLoaded"));
        Assert.Equal((int)response.Usage!.InputTokenCount!, Assert.Single(logs.Events("RequestCompleted"))["PromptTokens"]);

        // Options that name their own factory keep it; the caller's options object is not changed either way.
        var own = new CapturingLoggerFactory();
        var modelOptions = new AndesModelOptions { LoggerFactory = own };
        var keyed = new ServiceCollection();
        keyed.AddSingleton<ILoggerFactory>(logs);
        keyed.AddKeyedAndesChatClient("k", TestModels.TinyFp32Model, modelOptions: modelOptions);
        var unset = new AndesModelOptions();
        keyed.AddKeyedAndesChatClient("u", TestModels.TinyFp32Model, modelOptions: unset);
        await using ServiceProvider keyedProvider = keyed.BuildServiceProvider();
        Assert.Same(own, keyedProvider.GetRequiredKeyedService<AndesModel>("k").Options.LoggerFactory);
        Assert.Same(logs, keyedProvider.GetRequiredKeyedService<AndesModel>("u").Options.LoggerFactory);
        Assert.Null(unset.LoggerFactory);
    }

    [Fact]
    public async Task WithoutAFactoryNothingIsLoggedAndNothingBreaks()
    {
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model);
        Assert.Null(model.Options.LoggerFactory);
        using var client = new AndesChatClient(model);
        Assert.NotEmpty((await client.GetResponseAsync(Hello, Greedy(2))).Text);

        // A factory whose level is above Information sees the load's warnings only (none here): the request is not formatted.
        var quiet = new CapturingLoggerFactory { MinimumLevel = LogLevel.Warning };
        using var quietClient = new AndesChatClient(model, new AndesChatClientOptions { LoggerFactory = quiet });
        await quietClient.GetResponseAsync(Hello, Greedy(2));
        Assert.Empty(quiet.Entries);
    }
}
