using Andes.GenAI;
using Andes.GenAI.Tests.Vision;
using Andes.Testing;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Chat;

/// <summary>Images through <see cref="AndesChatClient"/> on the tiny model: streaming, caching, options, errors.</summary>
public sealed class AndesChatClientImageTests
{
    private static ChatOptions Greedy(int tokens = 8) => new() { Temperature = 0, MaxOutputTokens = tokens };

    [Fact]
    public async Task AStreamedAnswerAboutAnImageWorksEndToEnd()
    {
        using var model = AndesModel.Load(TestModels.TinyFp32Model);
        using var client = new AndesChatClient(model);
        List<ChatMessage> messages = [new(ChatRole.User, [new DataContent(VisionFixtures.ReadBytes("inputs/photo_97x61.jpg"), "image/jpeg"), new TextContent("What is in the picture?")])];
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, Greedy(12)))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        UsageDetails usage = response.Usage!;
        EncodedPrompt encoded = model.Encode(AndesChatTemplate.Default.Render(messages, new ChatTemplateOptions()));
        Assert.Equal(encoded.Length, usage.InputTokenCount);
        Assert.Equal(12, usage.OutputTokenCount);
        Assert.True(updates.Count > 1, "the answer should stream in several updates");
        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.Equal(1, model.ImageFeatureCache.Misses);

        // The same request without the image answers differently (the image reaches the model).
        ChatResponse textOnly = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What is in the picture?")], Greedy(12));
        Assert.NotEqual(response.Text, textOnly.Text);
    }

    [Fact]
    public async Task AFollowUpTurnReusesTheCachedPrefixAndDoesNotReencodeTheImage()
    {
        using var model = AndesModel.Load(TestModels.TinyFp32Model);
        using var client = new AndesChatClient(model);
        List<ChatMessage> messages = [new(ChatRole.User, [Tests.Generation.ImagePromptTests.Png("text_300x200.png"), new TextContent("Read it.")])];
        ChatResponse first = await client.GetResponseAsync(messages, Greedy());
        Assert.Equal(1, model.ImageFeatureCache.Misses);
        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.User, "And the second line?"));
        ChatResponse second = await client.GetResponseAsync(messages, Greedy());
        Assert.Equal(1, model.ImageFeatureCache.Misses);
        Assert.True(second.Usage!.CachedInputTokenCount > model.ImageProcessor!.GetGeometry(300, 200).TokenCount, $"cached {second.Usage.CachedInputTokenCount}");

        // Same answer as a client with no caches at all.
        using var freshModel = AndesModel.Load(TestModels.TinyFp32Model, new Andes.GenAI.AndesModelOptions { ImageFeatureCacheBytes = 0 });
        using var fresh = new AndesChatClient(freshModel, new AndesChatClientOptions { MaxCachedConversations = 0 });
        Assert.Equal((await fresh.GetResponseAsync(messages, Greedy())).Text, second.Text);
    }

    [Fact]
    public async Task AnUnrelatedRequestBetweenTwoTurnsDoesNotTakeOverTheConversationsCache()
    {
        using var model = AndesModel.Load(TestModels.TinyFp32Model);
        using var client = new AndesChatClient(model); // the default two cached conversations
        List<ChatMessage> messages = [new(ChatRole.User, [Tests.Generation.ImagePromptTests.Png("text_300x200.png"), new TextContent("Read it.")])];
        ChatResponse first = await client.GetResponseAsync(messages, Greedy());
        messages.AddRange(first.Messages);

        // Shares only "<|im_start|>user\n" with the conversation above.
        ChatResponse other = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Something else entirely.")], Greedy());
        Assert.True(other.Usage!.CachedInputTokenCount <= 3);

        messages.Add(new ChatMessage(ChatRole.User, "And the second line?"));
        ChatResponse second = await client.GetResponseAsync(messages, Greedy());
        Assert.True(second.Usage!.CachedInputTokenCount > model.ImageProcessor!.GetGeometry(300, 200).TokenCount, $"cached {second.Usage.CachedInputTokenCount}");
        Assert.Equal(1, model.ImageFeatureCache.Misses);
    }

    [Fact]
    public async Task ADifferentImageOfTheSameSizeIsNotTakenFromTheCache()
    {
        using var model = AndesModel.Load(TestModels.TinyFp32Model);
        using var client = new AndesChatClient(model, new AndesChatClientOptions { MaxCachedConversations = 4 });
        byte[] pixelsA = new byte[64 * 48 * 3], pixelsB = new byte[64 * 48 * 3];
        new Random(1).NextBytes(pixelsA);
        new Random(2).NextBytes(pixelsB);
        ChatMessage Ask(byte[] pixels) => new(ChatRole.User, [RawPixelContent.Create(pixels, 64, 48, ImagePixelFormat.Rgb24), new TextContent("Describe.")]);

        ChatResponse a = await client.GetResponseAsync([Ask(pixelsA)], Greedy());
        ChatResponse b = await client.GetResponseAsync([Ask(pixelsB)], Greedy());
        Assert.True(b.Usage!.CachedInputTokenCount <= model.Encode(AndesChatTemplate.Default.Render([Ask(pixelsB)], new ChatTemplateOptions())).Images[0].Offset,
            $"the prefix reused ({b.Usage.CachedInputTokenCount} tokens) must stop before image B's placeholders");
        Assert.Equal(2, model.ImageFeatureCache.Misses);

        using var fresh = new AndesChatClient(model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        Assert.Equal((await fresh.GetResponseAsync([Ask(pixelsB)], Greedy())).Text, b.Text);
        Assert.Equal((await fresh.GetResponseAsync([Ask(pixelsA)], Greedy())).Text, a.Text);
    }

    [Fact]
    public async Task ImageSizeOptionsAndDownscalingApplyPerClientAndPerRequest()
    {
        using var model = AndesModel.Load(TestModels.TinyFp32Model);
        byte[] pixels = new byte[2400 * 1800 * 3];
        new Random(5).NextBytes(pixels);
        List<ChatMessage> messages = [new(ChatRole.User, [RawPixelContent.Create(pixels, 2400, 1800, ImagePixelFormat.Rgb24), new TextContent("?")])];

        using var small = new AndesChatClient(model, new AndesChatClientOptions { ImageMaxSize = 112 });
        ChatResponse r = await small.GetResponseAsync(messages, Greedy(1));
        Assert.InRange(r.Usage!.InputTokenCount!.Value, 16, 40);

        using var client = new AndesChatClient(model);
        await Assert.ThrowsAsync<PromptTooLongException>(() => client.GetResponseAsync(messages, Greedy(1).WithImageMaxSize(3000)));
        using var downscaling = new AndesChatClient(model, new AndesChatClientOptions { DownscaleImagesToFit = true });
        ChatResponse fitted = await downscaling.GetResponseAsync(messages, Greedy(1).WithImageMaxSize(3000));
        Assert.InRange(fitted.Usage!.InputTokenCount!.Value, 2000, model.ContextLength - 1);
    }

    [Fact]
    public async Task TheInt4ModelAnswersAboutAnImage()
    {
        using var model = AndesModel.Load(TestModels.TinyInt4Model);
        Assert.True(model.SupportsImages);
        using var client = new AndesChatClient(model);
        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [Tests.Generation.ImagePromptTests.Png("tiny_20x14.png"), new TextContent("?")])], Greedy(2));
        Assert.Equal(2, response.Usage!.OutputTokenCount);
    }
}
