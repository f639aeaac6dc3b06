using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;

namespace Andes.SemanticKernel.Tests;

public sealed class AndesKernelServiceCollectionExtensionsTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void ChatClientAndChatCompletionServiceResolveByServiceId()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.AddAndesChatClient(TestModels.TinyFp32Model, o => o.ModelId = "tiny-a", serviceId: "a");
        builder.AddAndesChatClient(fixture.Model, o => o.ModelId = "tiny-b", serviceId: "b");
        Kernel kernel = builder.Build();

        IChatClient a = kernel.GetRequiredService<IChatClient>("a");
        IChatClient b = kernel.GetRequiredService<IChatClient>("b");
        Assert.Same(a, kernel.GetRequiredService<IChatClient>("a"));
        Assert.Equal("tiny-a", a.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("tiny-b", b.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.NotNull(a.GetService<AndesChatClient>());
        Assert.Same(fixture.Model, b.GetService<AndesModel>());
        Assert.NotSame(fixture.Model, a.GetService<AndesModel>());

        IChatCompletionService sa = kernel.GetRequiredService<IChatCompletionService>("a");
        IChatCompletionService sb = kernel.GetRequiredService<IChatCompletionService>("b");
        Assert.Same(sa, kernel.GetRequiredService<IChatCompletionService>("a"));
        Assert.Equal("tiny-a", sa.Attributes[AIServiceExtensions.ModelIdKey]);
        Assert.Equal("tiny-b", sb.Attributes[AIServiceExtensions.ModelIdKey]);

        Assert.ThrowsAny<Exception>(() => kernel.GetRequiredService<IChatClient>("c"));
        Assert.Null(kernel.Services.GetService<IChatCompletionService>());
        Assert.Null(kernel.Services.GetService<IChatClient>());
    }

    [Fact]
    public void WithoutAServiceIdTheServicesAreTheDefaultOnes()
    {
        var services = new ServiceCollection();
        services.AddAndesChatCompletion(fixture.Model, o => o.ModelId = "default", serviceId: null);
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal("default", provider.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal("default", provider.GetRequiredService<IChatCompletionService>().Attributes[AIServiceExtensions.ModelIdKey]);
    }

    [Fact]
    public async Task TheServiceIdInTheSettingsPicksTheModel()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        var first = new ScriptedChatClient(ScriptedChatClient.Text("from a"));
        var second = new ScriptedChatClient(ScriptedChatClient.Text("from b"));
        builder.Services.AddKernelChatClient("a", _ => first);
        builder.Services.AddKernelChatClient("b", _ => second);
        Kernel kernel = builder.Build();

        FunctionResult result = await kernel.InvokePromptAsync("Hi", new KernelArguments(new AndesPromptExecutionSettings { ServiceId = "b" }));

        Assert.Equal("from b", result.ToString());
        Assert.Empty(first.Requests);
        Assert.Single(second.Requests);
    }

    [Fact]
    public async Task TheChatCompletionServiceStaysOnItsOwnPipelineWhenAnotherChatClientIsRegistered()
    {
        IKernelBuilder builder = Kernel.CreateBuilder();
        var ours = new ScriptedChatClient(ScriptedChatClient.Text("ours"));
        builder.Services.AddKernelChatClient(null, _ => ours);
        builder.Services.AddSingleton<IChatClient>(new ScriptedChatClient(ScriptedChatClient.Text("theirs")));
        Kernel kernel = builder.Build();

        ChatMessageContent answer = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync("Hi", kernel: kernel);

        Assert.Equal("ours", answer.Content);
        Assert.Single(ours.Requests);
    }

    [Fact]
    public async Task TheContainerDisposesAModelItLoadedButNotOneItWasGiven()
    {
        var services = new ServiceCollection();
        services.AddAndesChatCompletion(TestModels.TinyFp32Model, serviceId: "loaded");
        services.AddAndesChatCompletion(fixture.Model, serviceId: "given");
        ServiceProvider provider = services.BuildServiceProvider();
        IChatClient loaded = provider.GetRequiredKeyedService<IChatClient>("loaded");
        IChatClient given = provider.GetRequiredKeyedService<IChatClient>("given");
        AndesModel model = loaded.GetService<AndesModel>()!;
        Assert.Same(fixture.Model, given.GetService<AndesModel>());

        await provider.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => loaded.GetResponseAsync("Hi"));
        Assert.NotSame(fixture.Model, model);
        using var stillUsable = new AndesChatClient(fixture.Model);
        ChatResponse response = await stillUsable.GetResponseAsync("Hi", new ChatOptions { Temperature = 0, MaxOutputTokens = 2 });
        Assert.Equal(2, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddAndesChatCompletion(modelDirectory: "", serviceId: "x"));
        Assert.Throws<ArgumentNullException>(() => services.AddAndesChatCompletion(model: null!, serviceId: "x"));
        Assert.Throws<ArgumentNullException>(() => ((IKernelBuilder)null!).AddAndesChatClient(fixture.Model));
    }
}
