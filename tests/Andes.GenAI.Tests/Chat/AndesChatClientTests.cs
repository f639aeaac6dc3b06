using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Andes.GenAI.Tests.Chat;

public sealed class AndesChatClientTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello, how are you?")];

    private static ChatOptions Greedy(int max) => new() { Temperature = 0, MaxOutputTokens = max };

    [Fact]
    public async Task ResponseTextEqualsTheGreedyTokensDecoded()
    {
        using var client = new AndesChatClient(fixture.Model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        ChatResponse response = await client.GetResponseAsync(Hello, Greedy(12));

        int[] prompt = fixture.Model.EncodePrompt(AndesChatTemplate.Default.Render(Hello));
        int[] tokens = Generation.GeneratorTests.GenerateAll(fixture.Model, prompt, new GenerationOptions { MaxNewTokens = 12 });
        string expected = fixture.Model.Tokenizer.Decode(tokens, skipSpecialTokens: true);
        Assert.Equal(expected.Trim(), response.Text.Trim());
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(prompt.Length, response.Usage!.InputTokenCount);
        Assert.Equal(12, response.Usage.OutputTokenCount);
        Assert.Equal(prompt.Length + 12, response.Usage.TotalTokenCount);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.StartsWith("andes-", response.ResponseId);
    }

    [Fact]
    public async Task StreamingAndNonStreamingAgree()
    {
        using var client = new AndesChatClient(fixture.Model);
        ChatResponse whole = await client.GetResponseAsync(Hello, Greedy(10));
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate u in client.GetStreamingResponseAsync(Hello, Greedy(10)))
        {
            updates.Add(u);
        }

        Assert.True(updates.Count > 2);
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
    }

    [Fact]
    public async Task FollowUpTurnReusesTheCachedPrefixAndMatchesAFreshClient()
    {
        using var client = new AndesChatClient(fixture.Model);
        ChatResponse first = await client.GetResponseAsync(Hello, Greedy(6));
        List<ChatMessage> history = [.. Hello, .. first.Messages, new(ChatRole.User, "And tomorrow?")];
        ChatResponse second = await client.GetResponseAsync(history, Greedy(6));
        Assert.True(second.Usage!.CachedInputTokenCount > 10, $"reused {second.Usage.CachedInputTokenCount} tokens");

        using var fresh = new AndesChatClient(fixture.Model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        ChatResponse expected = await fresh.GetResponseAsync(history, Greedy(6));
        Assert.Equal(0, expected.Usage!.CachedInputTokenCount);
        Assert.Equal(expected.Text, second.Text);
    }

    [Fact]
    public async Task StopSequencesAreNotEmitted()
    {
        using var client = new AndesChatClient(fixture.Model);
        string full = (await client.GetResponseAsync(Hello, Greedy(16))).Text;
        Assert.True(full.Length > 6);
        string stop = full.Substring(3, 3);
        ChatOptions options = Greedy(16);
        options.StopSequences = [stop];
        ChatResponse response = await client.GetResponseAsync(Hello, options);
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task CancellationStopsWithinOneToken()
    {
        using var client = new AndesChatClient(fixture.Model);
        using var cts = new CancellationTokenSource();
        int afterCancel = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync(Hello, Greedy(200), cts.Token))
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

        // The client stays usable.
        Assert.NotEmpty((await client.GetResponseAsync(Hello, Greedy(3))).Text);
    }

    [Fact]
    public async Task PromptLongerThanTheContextIsAClearError()
    {
        using var client = new AndesChatClient(fixture.Model);
        string huge = string.Concat(Enumerable.Repeat("token ", fixture.Model.ContextLength + 10));
        var ex = await Assert.ThrowsAsync<PromptTooLongException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, huge)]));
        Assert.Equal(fixture.Model.ContextLength, ex.ContextLength);
    }

    [Fact]
    public void GetServiceExposesModelTokenizerAndMetadata()
    {
        using var client = new AndesChatClient(fixture.Model);
        Assert.Same(fixture.Model, client.GetService<AndesModel>());
        Assert.Same(fixture.Model.Tokenizer, client.GetService<AndesTokenizer>());
        Assert.NotNull(client.GetService<AndesChatClientOptions>());
        Assert.Same(client, client.GetService<AndesChatClient>());
        ChatClientMetadata metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal("andes", metadata.ProviderName);
        Assert.Equal("tiny-fp32", metadata.DefaultModelId);
        Assert.Null(client.GetService<AndesModel>("some key"));
    }

    [Fact]
    public async Task WorksInsideAChatClientBuilderPipelineWithLoggingTelemetryAndCaching()
    {
        var logs = new ListLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var inner = new CountingChatClient(new AndesChatClient(fixture.Model));
        using IChatClient client = new ChatClientBuilder(inner)
            .UseLogging(loggerFactory)
            .UseOpenTelemetry(loggerFactory, "andes-tests")
            .UseDistributedCache(cache)
            .Build();

        ChatResponse first = await client.GetResponseAsync(Hello, Greedy(5));
        ChatResponse second = await client.GetResponseAsync(Hello, Greedy(5));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, inner.Calls);
        Assert.Contains(logs.Messages, m => m.Contains("GetResponseAsync", StringComparison.Ordinal));
        Assert.NotNull(client.GetService<AndesModel>());
    }

    [Fact]
    public async Task DependencyInjectionRegistersTheClientAndTheModel()
    {
        var services = new ServiceCollection();
        services.AddAndesChatClient(TestModels.TinyFp32Model, o => o.ModelId = "tiny");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient client = provider.GetRequiredService<IChatClient>();
        Assert.Equal("tiny", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Same(provider.GetRequiredService<AndesModel>(), client.GetService<AndesModel>());
        Assert.NotEmpty((await client.GetResponseAsync(Hello, Greedy(2))).Text);

        var keyed = new ServiceCollection();
        keyed.AddKeyedAndesChatClient("small", TestModels.TinyFp32Model);
        await using ServiceProvider keyedProvider = keyed.BuildServiceProvider();
        Assert.NotNull(keyedProvider.GetRequiredKeyedService<IChatClient>("small"));
    }

    [Fact]
    public async Task JsonSchemaResponseFormatYieldsValidJsonOnTheRandomModel()
    {
        using var client = new AndesChatClient(fixture.Model);
        using System.Text.Json.JsonDocument schema = System.Text.Json.JsonDocument.Parse(
            """{"type":"object","properties":{"name":{"type":"string","maxLength":12},"age":{"type":"integer"},"tier":{"enum":["gold","silver"]}},"required":["name","age","tier"]}""");
        for (int seed = 0; seed < 10; seed++)
        {
            var options = new ChatOptions
            {
                Temperature = 1, TopK = 0, Seed = seed, MaxOutputTokens = 200,
                ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "person"),
            };
            ChatResponse response = await client.GetResponseAsync(Hello, options);
            using var doc = System.Text.Json.JsonDocument.Parse(response.Text);
            Assert.Equal(System.Text.Json.JsonValueKind.String, doc.RootElement.GetProperty("name").ValueKind);
            Assert.True(doc.RootElement.GetProperty("age").TryGetInt64(out _));
            Assert.Contains(doc.RootElement.GetProperty("tier").GetString(), new[] { "gold", "silver" });
        }
    }

    [Fact]
    public async Task RequiredToolModeMakesARealCallThroughFunctionInvokingChatClient()
    {
        var calls = new List<string>();
        AIFunction weather = AIFunctionFactory.Create((string city) => { calls.Add(city); return $"{city}: 21 C"; }, "get_weather", "Gets the weather for a city.");
        var seen = new List<IList<ChatMessage>>();
        using IChatClient client = new ChatClientBuilder(new AndesChatClient(fixture.Model))
            .UseFunctionInvocation()
            .Use((messages, options, next, ct) => { seen.Add([.. messages]); return next(messages, options, ct); })
            .Build();
        var chatOptions = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireAny, Temperature = 0, MaxOutputTokens = 96 };
        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Weather in Paris?")], chatOptions);

        Assert.NotEmpty(calls);
        FunctionCallContent call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().First();
        Assert.Equal("get_weather", call.Name);
        Assert.Contains(response.Messages.SelectMany(m => m.Contents), c => c is FunctionResultContent r && r.CallId == call.CallId);
    }

    private sealed class CountingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public int Calls { get; private set; }

        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }

    private sealed class ListLoggerProvider : ILoggerProvider
    {
        public List<string> Messages { get; } = [];

        public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (messages)
                {
                    messages.Add(formatter(state, exception));
                }
            }
        }
    }
}
