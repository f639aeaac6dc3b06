using System.Text;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel.Tests;

/// <summary>Semantic Kernel over the generated tiny AndesVL model (random weights: its text is arbitrary but deterministic).</summary>
public sealed class TinyModelKernelTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private const string Prompt = "Hello, how are you?";

    [Fact]
    public async Task InvokePromptReturnsTheModelsTextAndUsage()
    {
        Kernel kernel = CreateKernel();
        FunctionResult result = await kernel.InvokePromptAsync(Prompt, new KernelArguments(new AndesPromptExecutionSettings { Temperature = 0, MaxTokens = 12 }));

        ChatResponse expected = await DirectAsync(new ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
        Assert.NotEmpty(expected.Text);
        Assert.Equal(expected.Text, result.ToString());

        ChatMessageContent content = result.GetValue<ChatMessageContent>()!;
        UsageDetails usage = Assert.IsType<UsageDetails>(content.Metadata!["Usage"]);
        Assert.Equal(12, usage.OutputTokenCount);
        Assert.Equal(expected.Usage!.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(usage.InputTokenCount + 12, usage.TotalTokenCount);
    }

    [Fact]
    public async Task StreamingInvokePromptStreamsTheSameText()
    {
        Kernel kernel = CreateKernel();
        var text = new StringBuilder();
        int chunks = 0;
        await foreach (StreamingKernelContent chunk in kernel.InvokePromptStreamingAsync(Prompt, new KernelArguments(new AndesPromptExecutionSettings { Temperature = 0, MaxTokens = 12 })))
        {
            text.Append(chunk.ToString());
            chunks++;
        }

        ChatResponse expected = await DirectAsync(new ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
        Assert.Equal(expected.Text, text.ToString());
        Assert.True(chunks > 2, $"{chunks} chunks");
    }

    [Fact]
    public async Task EverySettingIsAcceptedByTheEngineAndTheSeedRepeatsTheSample()
    {
        Kernel kernel = CreateKernel();
        AndesPromptExecutionSettings settings = AndesPromptExecutionSettingsTests.TypedSettings();
        settings.MaxTokens = 6;
        settings.Temperature = 1.5f;
        settings.MinP = 0;
        settings.TopP = 1;
        settings.Skill = null; // the engine now rejects skills it does not have (the tiny model has none)
        settings.Adapter = null;

        FunctionResult first = await kernel.InvokePromptAsync(Prompt, new KernelArguments(settings));
        FunctionResult second = await kernel.InvokePromptAsync(Prompt, new KernelArguments(settings));
        settings = (AndesPromptExecutionSettings)settings.Clone();
        settings.Seed = 43;
        FunctionResult other = await kernel.InvokePromptAsync(Prompt, new KernelArguments(settings));

        Assert.Equal(first.ToString(), second.ToString());
        UsageDetails usage = Assert.IsType<UsageDetails>(first.GetValue<ChatMessageContent>()!.Metadata!["Usage"]);
        Assert.InRange(usage.OutputTokenCount!.Value, 1, 6);
        Assert.NotEqual(first.ToString(), other.ToString());
    }

    [Fact]
    public async Task RequiredToolChoiceMakesTheTinyModelCallARealKernelFunction()
    {
        var weather = new WeatherPlugin();
        var filter = new RecordingAutoInvocationFilter();
        var recorder = new List<(List<ChatMessage> Messages, ChatOptions? Options)>();
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddKernelChatClient(null, _ => new AndesChatClient(fixture.Model).AsBuilder()
            .Use((messages, options, next, cancellationToken) =>
            {
                lock (recorder)
                {
                    recorder.Add(([.. messages], options));
                }

                return next(messages, options, cancellationToken);
            })
            .Build());
        builder.Services.AddSingleton<Microsoft.SemanticKernel.IAutoFunctionInvocationFilter>(filter);
        builder.Plugins.AddFromObject(weather, "Weather");
        Kernel kernel = builder.Build();

        await kernel.InvokePromptAsync(
            "What is the temperature in Paris?",
            new KernelArguments(new AndesPromptExecutionSettings { Temperature = 0, MaxTokens = 96, FunctionChoiceBehavior = FunctionChoiceBehavior.Required() }));

        string city = Assert.Single(weather.Calls);
        Assert.Single(filter.Seen);
        Assert.True(recorder.Count >= 2);
        var result = Assert.IsType<Microsoft.Extensions.AI.FunctionResultContent>(recorder[1].Messages[^1].Contents.Single());
        Assert.Equal((10 + city.Length).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Result?.ToString());
    }

    [Fact]
    public async Task InvokePromptWithAnImageRunsTheVisionPathOfTheRealEngine()
    {
        byte[] png = File.ReadAllBytes(TestImages.Path("photo_97x61.jpg"));
        string prompt = $"""
            <message role="user"><text>What is in this picture?</text><image>data:image/jpeg;base64,{Convert.ToBase64String(png)}</image></message>
            """;
        Kernel kernel = CreateKernel();
        FunctionResult result = await kernel.InvokePromptAsync(prompt, new KernelArguments(new AndesPromptExecutionSettings { Temperature = 0, MaxTokens = 8 }));

        using var direct = new AndesChatClient(fixture.Model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        ChatResponse expected = await direct.GetResponseAsync(
            [new ChatMessage(ChatRole.User, [new Microsoft.Extensions.AI.TextContent("What is in this picture?"), new DataContent(png, "image/jpeg")])], new ChatOptions { Temperature = 0, MaxOutputTokens = 8 });
        ChatResponse textOnly = await direct.GetResponseAsync([new ChatMessage(ChatRole.User, "What is in this picture?")], new ChatOptions { Temperature = 0, MaxOutputTokens = 8 });
        Assert.Equal(expected.Text, result.ToString());
        Assert.NotEqual(textOnly.Text, result.ToString());
        UsageDetails usage = Assert.IsType<UsageDetails>(result.GetValue<ChatMessageContent>()!.Metadata!["Usage"]);
        int imageTokens = fixture.Model.ImageProcessor!.GetGeometry(97, 61).TokenCount;
        Assert.Equal(textOnly.Usage!.InputTokenCount + imageTokens + 2, usage.InputTokenCount);
    }

    private Kernel CreateKernel()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.AddAndesChatClient(fixture.Model, o => o.MaxCachedConversations = 0);
        return builder.Build();
    }

    private async Task<ChatResponse> DirectAsync(ChatOptions options)
    {
        using var direct = new AndesChatClient(fixture.Model, new AndesChatClientOptions { MaxCachedConversations = 0 });
        return await direct.GetResponseAsync([new ChatMessage(ChatRole.User, Prompt)], options);
    }
}
