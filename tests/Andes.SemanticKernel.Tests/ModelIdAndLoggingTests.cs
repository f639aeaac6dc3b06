using Andes.GenAI;
using Andes.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace Andes.SemanticKernel.Tests;

/// <summary>
/// Semantic Kernel and Agent Framework over the engine: their calls carry no other model id by default (the engine
/// refuses one), a settings model id naming this model works, and the kernel's logger factory reaches the engine.
/// </summary>
public sealed class ModelIdAndLoggingTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private const string Prompt = "Hello, how are you?";

    private static (Kernel Kernel, CapturingLoggerFactory Logs) KernelWithLogging(Action<IKernelBuilder> addModel)
    {
        var logs = new CapturingLoggerFactory();
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<ILoggerFactory>(logs);
        addModel(builder);
        return (builder.Build(), logs);
    }

    [Fact]
    public async Task AKernelPromptCarriesNoOtherModelIdAndItsLoggerFactoryReachesTheEngine()
    {
        (Kernel kernel, CapturingLoggerFactory logs) = KernelWithLogging(b => b.AddAndesChatClient(TestModels.TinyFp32Model));

        FunctionResult plain = await kernel.InvokePromptAsync(Prompt, new KernelArguments(new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 3 } }));
        FunctionResult typed = await kernel.InvokePromptAsync(Prompt, new KernelArguments(new AndesPromptExecutionSettings { MaxTokens = 3, ModelId = "tiny-fp32" }));
        Assert.NotEmpty(plain.ToString());
        Assert.NotEmpty(typed.ToString());

        Assert.Single(logs.Events("ModelLoaded"));
        IReadOnlyList<LogEntry> requests = logs.Events("RequestCompleted");
        Assert.Equal(2, requests.Count);
        UsageDetails usage = Assert.IsType<UsageDetails>(typed.GetValue<ChatMessageContent>()!.Metadata!["Usage"]);
        Assert.Equal((int)usage.InputTokenCount!, requests[1]["PromptTokens"]);
    }

    [Fact]
    public async Task TheChatCompletionServiceRefusesAnotherModelIdAndTakesThisOne()
    {
        (Kernel kernel, _) = KernelWithLogging(b => b.AddAndesChatClient(fixture.Model));
        IChatCompletionService service = kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage(Prompt);

        ChatMessageContent answer = await service.GetChatMessageContentAsync(history, new AndesPromptExecutionSettings { MaxTokens = 2, ModelId = "TINY-FP32" });
        Assert.NotEmpty(answer.Content!);
        ArgumentException e = await Assert.ThrowsAsync<ArgumentException>(() => service.GetChatMessageContentAsync(history, new AndesPromptExecutionSettings { MaxTokens = 2, ModelId = "gpt-4o" }));
        Assert.Contains("'gpt-4o'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'tiny-fp32'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientOverACallersModelLogsThroughTheContainerWhenTheModelHasNoFactory()
    {
        (Kernel kernel, CapturingLoggerFactory logs) = KernelWithLogging(b => b.AddAndesChatClient(fixture.Model));
        Assert.Null(fixture.Model.Options.LoggerFactory);
        await kernel.InvokePromptAsync(Prompt, new KernelArguments(new AndesPromptExecutionSettings { MaxTokens = 2 }));
        Assert.Single(logs.Events("RequestCompleted"));
    }

    [Fact]
    public async Task AnAgentRunCarriesNoOtherModelIdAndAnotherOneIsRefused()
    {
        using var client = new AndesChatClient(fixture.Model);
        ChatClientAgent agent = client.AsAndesAgent("Be brief.");

        AgentResponse response = await agent.RunAsync(Prompt, options: new ChatClientAgentRunOptions(new ChatOptions { MaxOutputTokens = 3 }));
        Assert.NotEmpty(response.Text);

        ChatClientAgent named = client.AsAndesAgent(new ChatClientAgentOptions { ChatOptions = new ChatOptions { ModelId = "tiny-fp32", MaxOutputTokens = 3 } });
        Assert.NotEmpty((await named.RunAsync(Prompt)).Text);

        ChatClientAgent other = client.AsAndesAgent(new ChatClientAgentOptions { ChatOptions = new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = 3 } });
        await Assert.ThrowsAsync<ArgumentException>(() => other.RunAsync(Prompt));
    }
}
