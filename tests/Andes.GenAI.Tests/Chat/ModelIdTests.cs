using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Chat;

/// <summary>A client runs one model: <c>ChatOptions.ModelId</c> naming another is an error, before any token.</summary>
public sealed class ModelIdTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "Hello, how are you?")];

    private static ChatOptions For(string? modelId) => new() { Temperature = 0, MaxOutputTokens = 2, ModelId = modelId };

    [Fact]
    public async Task AnotherModelIdIsAnArgumentExceptionNamingBothOnBothPaths()
    {
        using var client = new AndesChatClient(fixture.Model);

        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Hello, For("gpt-4o")));
        Assert.Equal("options", e.ParamName);
        Assert.Contains("'gpt-4o'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'tiny-fp32'", e.Message, StringComparison.Ordinal);

        var updates = new List<ChatResponseUpdate>();
        ArgumentException streaming = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(Hello, For("gpt-4o")))
            {
                updates.Add(update);
            }
        });
        Assert.Empty(updates);
        Assert.Equal(e.Message, streaming.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tiny-fp32")]
    [InlineData("TINY-FP32")]
    public async Task UnsetOrThisModelsIdWorks(string? modelId)
    {
        using var client = new AndesChatClient(fixture.Model);
        ChatResponse response = await client.GetResponseAsync(Hello, For(modelId));
        Assert.Equal("tiny-fp32", response.ModelId);
        Assert.Equal(2, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task TheFolderPathWorksWithOrWithoutItsTrailingSeparator()
    {
        using var client = new AndesChatClient(fixture.Model);
        string folder = Path.GetFullPath(fixture.Model.Directory);
        Assert.NotEmpty((await client.GetResponseAsync(Hello, For(folder))).Text);
        Assert.NotEmpty((await client.GetResponseAsync(Hello, For(folder + Path.DirectorySeparatorChar))).Text);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Hello, For(Path.Combine(Path.GetTempPath(), "another-model"))));
    }

    [Fact]
    public async Task AConfiguredModelIdIsMatchedAndTheFolderNameStillWorks()
    {
        using var client = new AndesChatClient(fixture.Model, new AndesChatClientOptions { ModelId = "andesvl-tiny" });
        Assert.Equal("andesvl-tiny", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("andesvl-tiny", (await client.GetResponseAsync(Hello, For("AndesVL-Tiny"))).ModelId);
        Assert.NotEmpty((await client.GetResponseAsync(Hello, For("tiny-fp32"))).Text);
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Hello, For("andesvl-1b")));
        Assert.Contains("'andesvl-tiny'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MiddlewareFromChatClientBuilderPassesTheIdThrough()
    {
        using IChatClient client = new ChatClientBuilder(new AndesChatClient(fixture.Model))
            .UseFunctionInvocation()
            .UseOpenTelemetry()
            .Build();
        Assert.NotEmpty((await client.GetResponseAsync(Hello, For(null))).Text);
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(Hello, For("other")));
    }
}
