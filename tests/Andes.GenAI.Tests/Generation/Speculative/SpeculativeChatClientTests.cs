using System.ComponentModel;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Generation.Speculative;

/// <summary>Speculative decoding through <see cref="AndesChatClient"/>: client default, per request, tools, stop sequences, usage.</summary>
public sealed class SpeculativeChatClientTests(SpeculativeModelsFixture models) : IClassFixture<SpeculativeModelsFixture>
{
    private static readonly ChatMessage[] Question =
        [new(ChatRole.User, "Repeat after me: the quick brown fox jumps over the lazy dog, the quick brown fox jumps over the lazy dog.")];

    private static ChatOptions Greedy(int max) => new() { Temperature = 0, MaxOutputTokens = max };

    [Description("The local time in a city.")]
    private static string GetLocalTime([Description("The city.")] string city) => $"09:30 in {city}";

    [Fact]
    public async Task TheClientDefaultAndARequestGiveThePlainAnswerAndCountTheirProposals()
    {
        AndesModel model = models.Get("fp32");
        using var plainClient = new AndesChatClient(model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        using var fastClient = new AndesChatClient(model, new AndesChatClientOptions { MaxCachedConversations = 0, SpeculativeDecoding = SpeculativeDecodingOptions.WithDraftModel(model, 6) });
        ChatResponse plain = await plainClient.GetResponseAsync(Question, Greedy(40));
        ChatResponse fast = await fastClient.GetResponseAsync(Question, Greedy(40));
        Assert.Equal(plain.Text, fast.Text);
        Assert.Equal(plain.Usage!.OutputTokenCount, fast.Usage!.OutputTokenCount);
        Assert.Null(plain.Usage.AdditionalCounts);
        long drafted = fast.Usage.AdditionalCounts![AndesChatClient.SpeculativeDraftedCount];
        Assert.True(drafted > 0);
        Assert.Equal(drafted, fast.Usage.AdditionalCounts[AndesChatClient.SpeculativeAcceptedCount]);
        Assert.True(fast.Usage.AdditionalCounts[AndesChatClient.SpeculativePassesCount] < fast.Usage.OutputTokenCount / 2);

        // Per request: prompt lookup on the plain client, and off on the speculating one.
        ChatResponse lookup = await plainClient.GetResponseAsync(Question, Greedy(40).WithPromptLookupDecoding(4));
        Assert.Equal(plain.Text, lookup.Text);
        Assert.NotNull(lookup.Usage!.AdditionalCounts);
        ChatResponse off = await fastClient.GetResponseAsync(Question, Greedy(40).WithoutSpeculativeDecoding());
        Assert.Equal(plain.Text, off.Text);
        Assert.Null(off.Usage!.AdditionalCounts);
        ChatResponse typed = await plainClient.GetResponseAsync(Question, Greedy(40).WithSpeculativeDecoding(SpeculativeDecodingOptions.WithDraftModel(models.Get("int4"), 3)));
        Assert.Equal(plain.Text, typed.Text);
    }

    [Fact]
    public async Task StreamingWithStopSequencesAndAFollowUpTurnFromTheCacheMatchPlainDecoding()
    {
        AndesModel model = models.Get("int4");
        using var plainClient = new AndesChatClient(model);
        using var fastClient = new AndesChatClient(model, new AndesChatClientOptions { SpeculativeDecoding = SpeculativeDecodingOptions.WithDraftModel(models.Get("fp32"), 5) });
        ChatResponse reference = await plainClient.GetResponseAsync(Question, Greedy(30));
        string stop = reference.Text.Length > 12 ? reference.Text.Substring(8, 4) : reference.Text;
        ChatOptions stopping = Greedy(30);
        stopping.StopSequences = [stop];

        var plainText = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate u in plainClient.GetStreamingResponseAsync(Question, stopping))
        {
            plainText.Append(u.Text);
        }

        var fastText = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate u in fastClient.GetStreamingResponseAsync(Question, stopping))
        {
            fastText.Append(u.Text);
        }

        Assert.Equal(plainText.ToString(), fastText.ToString());
        Assert.DoesNotContain(stop, fastText.ToString());

        // A follow-up turn reuses the cached conversation, which speculative decoding left one token short.
        List<ChatMessage> history = [.. Question, new ChatMessage(ChatRole.Assistant, fastText.ToString()), new ChatMessage(ChatRole.User, "And again?")];
        ChatResponse plainFollow = await plainClient.GetResponseAsync(history, Greedy(20));
        ChatResponse fastFollow = await fastClient.GetResponseAsync(history, Greedy(20));
        Assert.Equal(plainFollow.Text, fastFollow.Text);
        Assert.True(fastFollow.Usage!.CachedInputTokenCount > 0);
    }

    [Fact]
    public async Task ARequiredToolCallIsTheSameCall()
    {
        AndesModel model = models.Get("fp32");
        using var plainClient = new AndesChatClient(model);
        using var fastClient = new AndesChatClient(model, new AndesChatClientOptions { SpeculativeDecoding = SpeculativeDecodingOptions.PromptLookup(8) });
        ChatOptions Tools() => new() { Temperature = 0, MaxOutputTokens = 64, Tools = [AIFunctionFactory.Create(GetLocalTime)], ToolMode = ChatToolMode.RequireAny };
        ChatMessage[] ask = [new(ChatRole.User, "What time is it in Tokyo? Use get_local_time with the city Tokyo.")];
        ChatResponse plain = await plainClient.GetResponseAsync(ask, Tools());
        ChatResponse fast = await fastClient.GetResponseAsync(ask, Tools());
        FunctionCallContent plainCall = plain.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        FunctionCallContent fastCall = fast.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.Equal(plainCall.Name, fastCall.Name);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(plainCall.Arguments), System.Text.Json.JsonSerializer.Serialize(fastCall.Arguments));
        Assert.True(fast.Usage!.AdditionalCounts![AndesChatClient.SpeculativeDraftedCount] > 0, "the call copies from the prompt: lookup should propose");
    }

    [Fact]
    public void TheOnnxRuntimeGenAIEngineRefusesASpeculatingClient()
    {
        using var genai = AndesModel.Load(TestModels.TinyInt4Model, new AndesModelOptions { Engine = GenerationEngine.OnnxRuntimeGenAI });
        var e = Assert.Throws<EngineFeatureNotSupportedException>(() => new AndesChatClient(genai, new AndesChatClientOptions { SpeculativeDecoding = SpeculativeDecodingOptions.PromptLookup() }));
        Assert.Contains("speculative decoding", e.Message);
    }

    [Fact]
    public async Task AnUnknownDrafterNameIsATypedErrorNamingTheEntry()
    {
        using var client = new AndesChatClient(models.Get("fp32"));
        var options = Greedy(4);
        options.AdditionalProperties = new() { [AndesChatOptionKeys.SpeculativeDecoding] = "medusa" };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Question, options));
        Assert.Contains("andes.speculative_decoding", e.Message);
        Assert.Contains("medusa", e.Message);
    }
}
