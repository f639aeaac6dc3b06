using System.Text.Json;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.Tools;

public sealed class GuiAgentToolsTests
{
    private static readonly ScreenRectangle Primary = new(0, 0, 800, 600);

    /// <summary>A grounding client that knows where a few named elements are.</summary>
    private static ScriptedChatClient Grounder(Dictionary<string, ScreenBox> elements)
        => new((messages, _) =>
        {
            string text = messages[^1].Text;
            foreach ((string name, ScreenBox box) in elements)
            {
                if (text.Contains("<|object_ref_start|>" + name + "<|object_ref_end|>", StringComparison.Ordinal))
                {
                    return TestScreens.BoxAnswer(Primary, box);
                }
            }

            return "I cannot find it.";
        });

    private static (GuiAgentTools Tools, DryRunExecutor Dry, ScriptedChatClient Client) Create(GuiAgentToolsOptions? options = null, ScriptedChatClient? client = null)
    {
        client ??= Grounder(new()
        {
            ["the OK button"] = new ScreenBox(300, 400, 380, 430),
            ["the Send button"] = new ScreenBox(500, 400, 560, 430),
            ["the password field"] = new ScreenBox(100, 100, 300, 124),
            ["the list"] = new ScreenBox(0, 150, 400, 350),
        });
        var dry = new DryRunExecutor();
        return (new GuiAgentTools(client, TestScreens.TwoMonitors(), dry, options), dry, client);
    }

    private static AIFunction Function(GuiAgentTools tools, string name) => Assert.Single(tools.Functions, f => f.Name == name);

    /// <summary>Invokes a function with arguments written as a model writes them: one JSON object.</summary>
    private static async Task<JsonElement> Invoke(GuiAgentTools tools, string function, string argumentsJson = "{}")
    {
        Dictionary<string, object?> arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(argumentsJson)!
            .ToDictionary(p => p.Key, p => (object?)p.Value);
        object? result = await Function(tools, function).InvokeAsync(new AIFunctionArguments(arguments));

        // The JSON text itself, not a JsonElement holding it as a string: a client sends it to the model as it is.
        return JsonDocument.Parse(Assert.IsType<string>(result)).RootElement;
    }

    [Fact]
    public void ExposesTheSixFunctionsWithTheirParameters()
    {
        (GuiAgentTools tools, _, _) = Create();
        Assert.Equal(
            [GuiAgentTools.LocateName, GuiAgentTools.ClickName, GuiAgentTools.TypeTextName, GuiAgentTools.ScrollName, GuiAgentTools.ScreenshotName, GuiAgentTools.RunTaskName],
            tools.Functions.Select(f => f.Name));
        Assert.Equal(["click", "locate", "run_task", "screenshot", "scroll", "type_text"], tools.Functions.Select(f => f.Name).Order());
        Assert.All(tools.Functions, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
        Assert.All(tools.Functions, f => Assert.Null(f.ReturnJsonSchema));

        (string Function, string[] Parameters, string[] Required)[] expected =
        [
            ("locate", ["target"], ["target"]),
            ("click", ["target", "button"], ["target"]),
            ("type_text", ["text", "target"], ["text"]),
            ("scroll", ["direction", "amount", "target"], ["direction"]),
            ("screenshot", [], []),
            ("run_task", ["task", "maxSteps"], ["task"]),
        ];
        foreach ((string function, string[] parameters, string[] required) in expected)
        {
            JsonElement schema = Function(tools, function).JsonSchema;
            JsonElement properties = schema.GetProperty("properties");
            Assert.Equal(parameters, properties.EnumerateObject().Select(p => p.Name));
            Assert.All(properties.EnumerateObject(), p => Assert.False(string.IsNullOrWhiteSpace(p.Value.GetProperty("description").GetString())));
            Assert.Equal(required, schema.TryGetProperty("required", out JsonElement r) ? r.EnumerateArray().Select(e => e.GetString()!) : []);
        }

        Assert.Equal("left", Function(tools, "click").JsonSchema.GetProperty("properties").GetProperty("button").GetProperty("default").GetString());
        Assert.Equal(5, Function(tools, "scroll").JsonSchema.GetProperty("properties").GetProperty("amount").GetProperty("default").GetInt32());
        Assert.Equal(15, Function(tools, "run_task").JsonSchema.GetProperty("properties").GetProperty("maxSteps").GetProperty("default").GetInt32());
    }

    [Fact]
    public void TheLibraryNeedsOnlyTheAbstractions()
    {
        // Dependencies flow one way: Andes.SemanticKernel wraps these tools, the GUI library knows neither it nor the engine;
        // the conventions it shares with the engine come from Andes.Abstractions; pictures go through SkiaSharp.
        string[] references = [.. typeof(GuiAgentTools).Assembly.GetReferencedAssemblies().Select(a => a.Name!)];
        Assert.Contains("Microsoft.Extensions.AI.Abstractions", references);
        Assert.Contains("Andes.Abstractions", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.SemanticKernel", StringComparison.Ordinal) || (r.StartsWith("Andes.", StringComparison.Ordinal) && r != "Andes.Abstractions"));
    }

    [Fact]
    public async Task LocateGroundsWithTheGuiSkill()
    {
        (GuiAgentTools tools, DryRunExecutor dry, ScriptedChatClient client) = Create();
        JsonElement r = await Invoke(tools, "locate", """{"target":"the OK button"}""");
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.InRange(r.GetProperty("x").GetDouble(), 300, 380);
        Assert.InRange(r.GetProperty("y").GetDouble(), 400, 430);
        Assert.Equal(4, r.GetProperty("box").GetArrayLength());
        Assert.Empty(dry.Actions);
        Assert.Equal(GuiSkill.DefaultName, client.Requests[0].Options.GetSkill());
        Assert.Equal(GroundingPrompt.SystemPrompt, client.Requests[0].Messages[0].Text);
        Assert.NotNull(tools.LastScreenshot);

        JsonElement missing = await Invoke(tools, "locate", """{"target":"the Cancel button"}""");
        Assert.False(missing.GetProperty("ok").GetBoolean());
        Assert.Contains("Could not locate 'the Cancel button'", missing.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickExecutesThroughTheExecutor()
    {
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create();
        JsonElement r = await Invoke(tools, "click", """{"target":"the OK button"}""");
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.True(r.GetProperty("dry_run").GetBoolean());
        ClickAction click = Assert.IsType<ClickAction>(Assert.Single(dry.Actions));
        Assert.InRange(click.Position.X, 300, 380);

        await Invoke(tools, "click", """{"target":"the OK button","button":"right"}""");
        Assert.IsType<RightClickAction>(dry.Actions[^1]);
        await Invoke(tools, "click", """{"target":"the OK button","button":"double"}""");
        Assert.IsType<DoubleClickAction>(dry.Actions[^1]);
        JsonElement bad = await Invoke(tools, "click", """{"target":"the OK button","button":"middle-ish"}""");
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Equal(3, dry.Actions.Count);
    }

    [Fact]
    public async Task SensitiveClicksNeedConfirmation()
    {
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create();
        JsonElement r = await Invoke(tools, "click", """{"target":"the Send button"}""");
        Assert.False(r.GetProperty("ok").GetBoolean());
        Assert.True(r.GetProperty("blocked").GetBoolean());
        Assert.Empty(dry.Actions);

        int asked = 0;
        (tools, dry, _) = Create(new GuiAgentToolsOptions { Confirm = (_, _) => { asked++; return ValueTask.FromResult(true); } });
        r = await Invoke(tools, "click", """{"target":"the Send button"}""");
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal(1, asked);
        Assert.Single(dry.Actions);
    }

    [Fact]
    public async Task TypingIntoAPasswordFieldNeedsConfirmation()
    {
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create();
        JsonElement r = await Invoke(tools, "type_text", """{"text":"hunter2","target":"the password field"}""");
        Assert.True(r.GetProperty("blocked").GetBoolean());
        Assert.IsType<ClickAction>(Assert.Single(dry.Actions));

        r = await Invoke(tools, "type_text", """{"text":"hello\n","target":null}""");
        Assert.False(r.GetProperty("ok").GetBoolean()); // the focused field is still the password field
        (tools, dry, _) = Create();
        r = await Invoke(tools, "type_text", """{"text":"hello\n","target":"the OK button"}""");
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal("hello\n", Assert.IsType<TypeTextAction>(dry.Actions[^1]).Text);
    }

    [Fact]
    public async Task ScrollAndScreenshot()
    {
        using var dir = new TempDirectory();
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create(new GuiAgentToolsOptions { ScreenshotDirectory = dir.Path });
        JsonElement r = await Invoke(tools, "scroll", """{"direction":"down","amount":3,"target":"the list"}""");
        Assert.True(r.GetProperty("ok").GetBoolean());
        ScrollAction scroll = Assert.IsType<ScrollAction>(Assert.Single(dry.Actions));
        Assert.Equal((ScrollDirection.Down, 3), (scroll.Direction, scroll.Amount));
        Assert.NotNull(scroll.Position);

        // Defaults, a number written as a string, and the range and direction checks.
        Assert.True((await Invoke(tools, "scroll", """{"direction":"UP"}""")).GetProperty("ok").GetBoolean());
        Assert.Equal((ScrollDirection.Up, 5, null), (((ScrollAction)dry.Actions[^1]).Direction, ((ScrollAction)dry.Actions[^1]).Amount, ((ScrollAction)dry.Actions[^1]).Position));
        Assert.True((await Invoke(tools, "scroll", """{"direction":"left","amount":"7"}""")).GetProperty("ok").GetBoolean());
        Assert.Equal(7, ((ScrollAction)dry.Actions[^1]).Amount);
        Assert.Contains("out of range", (await Invoke(tools, "scroll", """{"direction":"down","amount":51}""")).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False((await Invoke(tools, "scroll", """{"direction":"sideways"}""")).GetProperty("ok").GetBoolean());
        Assert.Equal(3, dry.Actions.Count);

        JsonElement shot = await Invoke(tools, "screenshot");
        Assert.Equal((800, 600), (shot.GetProperty("width").GetInt32(), shot.GetProperty("height").GetInt32()));
        Assert.Equal(2, shot.GetProperty("monitors").GetArrayLength());
        Assert.True(File.Exists(shot.GetProperty("path").GetString()));
        Assert.Equal((800, 600), (tools.LastScreenshot!.Width, tools.LastScreenshot.Height));
    }

    [Fact]
    public async Task TheKillSwitchStopsActions()
    {
        using var killSwitch = new KillSwitch();
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create(new GuiAgentToolsOptions { KillSwitch = killSwitch });
        Assert.True((await Invoke(tools, "click", """{"target":"the OK button"}""")).GetProperty("ok").GetBoolean());

        killSwitch.Trip("stop now");
        JsonElement r = await Invoke(tools, "click", """{"target":"the OK button"}""");
        Assert.False(r.GetProperty("ok").GetBoolean());
        Assert.True(r.GetProperty("stopped").GetBoolean());
        Assert.Contains("stop now", r.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Single(dry.Actions);
    }

    /// <summary>The names of a result's fields, in the order the JSON text has them.</summary>
    private static string[] Fields(JsonElement result) => [.. result.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task ResultsKeepTheirFieldNamesAndOrder()
    {
        // The results are the JSON the calling model reads: snake_case, nulls left out, and a fixed field order per shape.
        using var killSwitch = new KillSwitch();
        (GuiAgentTools tools, _, _) = Create(new GuiAgentToolsOptions { KillSwitch = killSwitch });
        Assert.Equal(["ok", "target", "x", "y", "box"], Fields(await Invoke(tools, "locate", """{"target":"the OK button"}""")));
        Assert.Equal(["ok", "error"], Fields(await Invoke(tools, "locate", """{"target":"the Cancel button"}""")));
        Assert.Equal(["ok", "action", "dry_run"], Fields(await Invoke(tools, "click", """{"target":"the OK button"}""")));
        Assert.Equal(["ok", "blocked", "action", "reason"], Fields(await Invoke(tools, "click", """{"target":"the Send button"}""")));
        Assert.Equal(["ok", "width", "height", "bounds", "scale", "monitors"], Fields(await Invoke(tools, "screenshot")));
        Assert.Equal(["name", "bounds", "scale", "primary"], Fields((await Invoke(tools, "screenshot")).GetProperty("monitors")[0]));
        killSwitch.Trip("stop now");
        Assert.Equal(["ok", "stopped", "action", "reason"], Fields(await Invoke(tools, "click", """{"target":"the OK button"}""")));
    }

    [Fact]
    public async Task RunTaskDrivesTheAgentLoop()
    {
        var client = new ScriptedChatClient(
            $"Thought: Click OK\nAction: click(start_box='{TestScreens.BoxAnswer(Primary, new ScreenBox(300, 400, 380, 430))}')",
            "Action: finished(content='done')");
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create(new GuiAgentToolsOptions { AgentOptions = new() { SettleDelay = TimeSpan.Zero } }, client);
        JsonElement r = await Invoke(tools, "run_task", """{"task":"press OK","maxSteps":5}""");
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal("Completed", r.GetProperty("status").GetString());
        Assert.Equal("done", r.GetProperty("message").GetString());
        Assert.Equal(2, r.GetProperty("steps").GetArrayLength());
        Assert.Equal(["ok", "status", "message", "steps"], Fields(r));
        Assert.Equal(["index", "outcome", "action"], Fields(r.GetProperty("steps")[0]));
        Assert.Equal(2, dry.Actions.Count);
        Assert.Equal("gui", client.Requests[0].Options.GetSkill());
    }

    [Fact]
    public async Task AFunctionInvokingChatClientRunsTheToolsAndTheModelReadsTheJson()
    {
        (GuiAgentTools tools, DryRunExecutor dry, _) = Create();
        var model = new ToolCallingModel(
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "click", new Dictionary<string, object?> { ["target"] = "the OK button" })])),
            new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_2", "click", new Dictionary<string, object?> { ["target"] = "the Send button" })])),
            new ChatResponse(new ChatMessage(ChatRole.Assistant, "Clicked OK; Send needs your confirmation.")));
        using IChatClient agent = new ChatClientBuilder(model).UseFunctionInvocation().Build();

        ChatResponse response = await agent.GetResponseAsync("Press OK, then Send.", new ChatOptions { Tools = [.. tools.Functions] });

        Assert.Equal("Clicked OK; Send needs your confirmation.", response.Text);
        Assert.IsType<ClickAction>(Assert.Single(dry.Actions));
        Assert.Equal(["click", "locate", "run_task", "screenshot", "scroll", "type_text"], model.Requests[0].Options!.Tools!.Select(t => t.Name).Order());

        FunctionResultContent first = Assert.IsType<FunctionResultContent>(Assert.Single(model.Requests[1].Messages[^1].Contents));
        Assert.Equal("call_1", first.CallId);
        Assert.True(JsonDocument.Parse(Assert.IsType<string>(first.Result)).RootElement.GetProperty("ok").GetBoolean());
        FunctionResultContent second = Assert.IsType<FunctionResultContent>(Assert.Single(model.Requests[2].Messages[^1].Contents));
        Assert.True(JsonDocument.Parse(Assert.IsType<string>(second.Result)).RootElement.GetProperty("blocked").GetBoolean());
    }

    /// <summary>A model that answers each request with the next scripted response (tool calls or text).</summary>
    private sealed class ToolCallingModel(params ChatResponse[] responses) : IChatClient
    {
        private readonly Queue<ChatResponse> _responses = new(responses);

        public List<(List<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(([.. messages], options));
            return Task.FromResult(_responses.Dequeue());
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }
}
