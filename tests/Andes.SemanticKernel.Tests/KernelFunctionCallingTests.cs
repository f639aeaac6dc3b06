using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace Andes.SemanticKernel.Tests;

/// <summary>
/// The model's first answer is a tool call (scripted at the IChatClient level, where AndesChatClient's parser hands
/// FunctionCallContent up); a real [KernelFunction] runs through the real Semantic Kernel pipeline that
/// AddAndesChatClient registers, filters observe it, and the result reaches the next model turn.
/// </summary>
public sealed class KernelFunctionCallingTests
{
    private const string ToolName = "Weather_get_temperature";

    private static readonly Dictionary<string, object?> Paris = new() { ["city"] = "Paris" };

    [Fact]
    public async Task AutoInvokesTheKernelFunctionAndTheResultReachesTheNextTurn()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", ToolName, Paris), ScriptedChatClient.Text("It is 15 degrees in Paris."));
        (Kernel kernel, WeatherPlugin weather, RecordingAutoInvocationFilter filter) = CreateKernel(script);

        FunctionResult result = await kernel.InvokePromptAsync(
            "What is the temperature in Paris?",
            new KernelArguments(new AndesPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Equal("It is 15 degrees in Paris.", result.ToString());
        Assert.Equal(["Paris"], weather.Calls);
        Assert.Equal([("get_temperature", "city=Paris", "call_1")], filter.Seen);
        Assert.Equal(["15"], filter.Results);

        Assert.Equal(2, script.Requests.Count);
        ChatOptions first = script.Requests[0].Options!;
        Assert.Equal([ToolName], first.Tools!.Select(t => t.Name));
        Assert.IsType<AutoChatToolMode>(first.ToolMode);

        List<ChatMessage> second = script.Requests[1].Messages;
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], second.Select(m => m.Role));
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(second[1].Contents));
        Assert.Equal(("call_1", ToolName), (call.CallId, call.Name));
        FunctionResultContent toolResult = Assert.IsType<FunctionResultContent>(Assert.Single(second[2].Contents));
        Assert.Equal("call_1", toolResult.CallId);
        Assert.Equal("15", toolResult.Result?.ToString());
    }

    [Fact]
    public async Task RequiredSendsRequireAnyUnchangedToTheModelAndThenLetsItAnswer()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", ToolName, Paris), ScriptedChatClient.Text("15 degrees."));
        (Kernel kernel, WeatherPlugin weather, RecordingAutoInvocationFilter filter) = CreateKernel(script);

        FunctionResult result = await kernel.InvokePromptAsync(
            "Temperature in Paris?",
            new KernelArguments(new AndesPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Required() }));

        Assert.Equal("15 degrees.", result.ToString());
        Assert.Equal(["Paris"], weather.Calls);
        Assert.Single(filter.Seen);

        // The first request reaches the model with RequireAny (AndesChatClient constrains decoding to a call); once the
        // call is answered, the follow-up request no longer requires one, so the model can reply in text.
        Assert.Equal(2, script.Requests.Count);
        RequiredChatToolMode required = Assert.IsType<RequiredChatToolMode>(script.Requests[0].Options!.ToolMode);
        Assert.Null(required.RequiredFunctionName);
        Assert.IsNotType<RequiredChatToolMode>(script.Requests[1].Options?.ToolMode);
        Assert.IsType<FunctionResultContent>(script.Requests[1].Messages[^1].Contents.Single());
    }

    [Fact]
    public async Task NoneOffersNoCallableToolsAndInvokesNothing()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Text("I cannot check."));
        (Kernel kernel, WeatherPlugin weather, RecordingAutoInvocationFilter filter) = CreateKernel(script);

        FunctionResult result = await kernel.InvokePromptAsync(
            "Temperature in Paris?",
            new KernelArguments(new AndesPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.None() }));

        Assert.Equal("I cannot check.", result.ToString());
        Assert.IsType<NoneChatToolMode>(script.Requests.Single().Options!.ToolMode);
        Assert.Empty(weather.Calls);
        Assert.Empty(filter.Seen);
    }

    [Fact]
    public async Task AFilterCanAnswerInsteadOfTheFunction()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_9", ToolName, Paris), ScriptedChatClient.Text("ok"));
        var filter = new RecordingAutoInvocationFilter { Override = "-40" };
        (Kernel kernel, WeatherPlugin weather, _) = CreateKernel(script, filter);

        await kernel.InvokePromptAsync(
            "Temperature in Paris?",
            new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Empty(weather.Calls);
        Assert.Equal([("get_temperature", "city=Paris", "call_9")], filter.Seen);
        FunctionResultContent toolResult = Assert.IsType<FunctionResultContent>(script.Requests[1].Messages[^1].Contents.Single());
        Assert.Equal("-40", toolResult.Result?.ToString());
    }

    [Fact]
    public async Task ChatCompletionServiceRunsToolsAndRecordsThemInTheHistory()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", ToolName, Paris), ScriptedChatClient.Text("15 degrees."));
        (Kernel kernel, WeatherPlugin weather, RecordingAutoInvocationFilter filter) = CreateKernel(script);
        IChatCompletionService service = kernel.GetRequiredService<IChatCompletionService>();

        var history = new ChatHistory();
        history.AddUserMessage("Temperature in Paris?");
        ChatMessageContent answer = await service.GetChatMessageContentAsync(
            history, new AndesPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel);

        Assert.Equal("15 degrees.", answer.Content);
        Assert.Equal(["Paris"], weather.Calls);
        Assert.Single(filter.Seen);

        // The call and its result are added to the history, the answer is returned.
        Assert.Equal([AuthorRole.User, AuthorRole.Assistant, AuthorRole.Tool], history.Select(m => m.Role));
        Microsoft.SemanticKernel.FunctionResultContent recorded = Assert.IsType<Microsoft.SemanticKernel.FunctionResultContent>(Assert.Single(history[2].Items));
        Assert.Equal("call_1", recorded.CallId);
        Assert.Equal("15", recorded.Result?.ToString());
    }

    [Fact]
    public async Task StreamingInvocationRunsToolsToo()
    {
        var script = new ScriptedChatClient(ScriptedChatClient.Call("call_1", ToolName, Paris), ScriptedChatClient.Text("It is 15 degrees."));
        (Kernel kernel, WeatherPlugin weather, RecordingAutoInvocationFilter filter) = CreateKernel(script);

        var text = new System.Text.StringBuilder();
        await foreach (StreamingKernelContent update in kernel.InvokePromptStreamingAsync(
            "Temperature in Paris?",
            new KernelArguments(new AndesPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() })))
        {
            text.Append(update.ToString());
        }

        Assert.Equal("It is 15 degrees.", text.ToString());
        Assert.Equal(["Paris"], weather.Calls);
        Assert.Single(filter.Seen);
        Assert.Equal("15", Assert.IsType<FunctionResultContent>(script.Requests[1].Messages[^1].Contents.Single()).Result?.ToString());
    }

    private static (Kernel Kernel, WeatherPlugin Weather, RecordingAutoInvocationFilter Filter) CreateKernel(
        IChatClient model, RecordingAutoInvocationFilter? filter = null)
    {
        filter ??= new RecordingAutoInvocationFilter();
        var weather = new WeatherPlugin();
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddKernelChatClient(serviceId: null, _ => model);
        builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(filter);
        builder.Plugins.AddFromObject(weather, "Weather");
        return (builder.Build(), weather, filter);
    }
}
