using System.Text.Json;
using Andes.Agents.Gui;
using Andes.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel.Tests.Gui;

/// <summary>The GUI agent's tools through Semantic Kernel: the plugin wraps <see cref="GuiAgentTools.Functions"/>.</summary>
public sealed class GuiAgentKernelPluginTests
{
    /// <summary>A grounding client that knows where a few named elements are.</summary>
    private static ScriptedChatClient Grounder(Dictionary<string, ScreenBox> elements)
        => new(messages =>
        {
            string text = messages[^1].Text;
            foreach ((string name, ScreenBox box) in elements)
            {
                if (text.Contains("<|object_ref_start|>" + name + "<|object_ref_end|>", StringComparison.Ordinal))
                {
                    return ScriptedChatClient.Text(GuiTestScreens.BoxAnswer(box));
                }
            }

            return ScriptedChatClient.Text("I cannot find it.");
        });

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static (Kernel Kernel, KernelPlugin Plugin, DryRunExecutor Dry, ScriptedChatClient Client) Create(GuiAgentToolsOptions? options = null, ScriptedChatClient? client = null)
    {
        client ??= Grounder(new()
        {
            ["the OK button"] = new ScreenBox(300, 400, 380, 430),
            ["the Send button"] = new ScreenBox(500, 400, 560, 430),
            ["the password field"] = new ScreenBox(100, 100, 300, 124),
            ["the list"] = new ScreenBox(0, 150, 400, 350),
        });
        var dry = new DryRunExecutor();
        var tools = new GuiAgentTools(client, GuiTestScreens.TwoMonitors(), dry, options);
        Kernel kernel = Kernel.CreateBuilder().Build();
        KernelPlugin kp = kernel.Plugins.AddGuiAgent(tools);
        return (kernel, kp, dry, client);
    }

    private static async Task<JsonElement> Invoke(Kernel kernel, KernelPlugin plugin, string function, KernelArguments arguments)
        => Parse((await kernel.InvokeAsync(plugin[function], arguments)).GetValue<string>()!);

    [Fact]
    public void ExposesTheSixFunctions()
    {
        (_, KernelPlugin plugin, _, _) = Create();
        Assert.Equal(GuiAgentKernelPlugin.DefaultName, plugin.Name);
        Assert.Equal(["click", "locate", "run_task", "screenshot", "scroll", "type_text"], plugin.Select(f => f.Name).Order());
        Assert.All(plugin, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
        Assert.All(plugin, f => Assert.Equal("gui", f.PluginName));

        KernelFunctionMetadata scroll = plugin["scroll"].Metadata;
        Assert.Equal(["direction", "amount", "target"], scroll.Parameters.Select(p => p.Name));
        Assert.Equal([true, false, false], scroll.Parameters.Select(p => p.IsRequired));
        Assert.Equal([typeof(string), typeof(int), typeof(string)], scroll.Parameters.Select(p => p.ParameterType));
        Assert.All(scroll.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(["task", "maxSteps"], plugin["run_task"].Metadata.Parameters.Select(p => p.Name));
        Assert.Empty(plugin["screenshot"].Metadata.Parameters);
    }

    [Fact]
    public void CreateNamesThePluginAndTheBuilderAddsIt()
    {
        var tools = new GuiAgentTools(new ScriptedChatClient(ScriptedChatClient.Text("")), GuiTestScreens.TwoMonitors(), new DryRunExecutor());
        Assert.Equal("desktop", GuiAgentKernelPlugin.Create(tools, "desktop").Name);
        Assert.Throws<ArgumentNullException>(() => GuiAgentKernelPlugin.Create(null!));

        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Plugins.AddGuiAgent(tools);
        Kernel kernel = builder.Build();
        Assert.Equal(6, kernel.Plugins["gui"].FunctionCount);
    }

    [Fact]
    public async Task LocateGroundsWithTheGuiSkill()
    {
        (Kernel kernel, KernelPlugin plugin, DryRunExecutor dry, ScriptedChatClient client) = Create();
        JsonElement r = await Invoke(kernel, plugin, "locate", new() { ["target"] = "the OK button" });
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.InRange(r.GetProperty("x").GetDouble(), 300, 380);
        Assert.InRange(r.GetProperty("y").GetDouble(), 400, 430);
        Assert.Equal(4, r.GetProperty("box").GetArrayLength());
        Assert.Empty(dry.Actions);
        Assert.Equal(GuiSkill.DefaultName, client.Requests[0].Options.GetSkill());
        Assert.Equal(GroundingPrompt.SystemPrompt, client.Requests[0].Messages[0].Text);

        JsonElement missing = await Invoke(kernel, plugin, "locate", new() { ["target"] = "the Cancel button" });
        Assert.False(missing.GetProperty("ok").GetBoolean());
        Assert.Contains("Could not locate 'the Cancel button'", missing.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClickExecutesThroughTheExecutor()
    {
        (Kernel kernel, KernelPlugin plugin, DryRunExecutor dry, _) = Create();
        JsonElement r = await Invoke(kernel, plugin, "click", new() { ["target"] = "the OK button" });
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.True(r.GetProperty("dry_run").GetBoolean());
        ClickAction click = Assert.IsType<ClickAction>(Assert.Single(dry.Actions));
        Assert.InRange(click.Position.X, 300, 380);

        await Invoke(kernel, plugin, "click", new() { ["target"] = "the OK button", ["button"] = "right" });
        Assert.IsType<RightClickAction>(dry.Actions[^1]);
        JsonElement bad = await Invoke(kernel, plugin, "click", new() { ["target"] = "the OK button", ["button"] = "middle-ish" });
        Assert.False(bad.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task SensitiveClicksNeedConfirmation()
    {
        (Kernel kernel, KernelPlugin plugin, DryRunExecutor dry, _) = Create();
        JsonElement r = await Invoke(kernel, plugin, "click", new() { ["target"] = "the Send button" });
        Assert.False(r.GetProperty("ok").GetBoolean());
        Assert.True(r.GetProperty("blocked").GetBoolean());
        Assert.Empty(dry.Actions);

        int asked = 0;
        (kernel, plugin, dry, _) = Create(new GuiAgentToolsOptions { Confirm = (_, _) => { asked++; return ValueTask.FromResult(true); } });
        r = await Invoke(kernel, plugin, "click", new() { ["target"] = "the Send button" });
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal(1, asked);
        Assert.Single(dry.Actions);
    }

    [Fact]
    public async Task TypingIntoAPasswordFieldNeedsConfirmation()
    {
        (Kernel kernel, KernelPlugin plugin, DryRunExecutor dry, _) = Create();
        JsonElement r = await Invoke(kernel, plugin, "type_text", new() { ["text"] = "hunter2", ["target"] = "the password field" });
        Assert.True(r.GetProperty("blocked").GetBoolean());
        Assert.IsType<ClickAction>(Assert.Single(dry.Actions));

        r = await Invoke(kernel, plugin, "type_text", new() { ["text"] = "hello\n" });
        Assert.False(r.GetProperty("ok").GetBoolean()); // the focused field is still the password field
        (kernel, plugin, dry, _) = Create();
        r = await Invoke(kernel, plugin, "type_text", new() { ["text"] = "hello\n", ["target"] = "the OK button" });
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal("hello\n", Assert.IsType<TypeTextAction>(dry.Actions[^1]).Text);
    }

    [Fact]
    public async Task ScrollAndScreenshot()
    {
        string dir = Path.Combine(Path.GetTempPath(), "andes-shot-" + Guid.NewGuid().ToString("N"));
        try
        {
            (Kernel kernel, KernelPlugin plugin, DryRunExecutor dry, _) = Create(new GuiAgentToolsOptions { ScreenshotDirectory = dir });
            JsonElement r = await Invoke(kernel, plugin, "scroll", new() { ["direction"] = "down", ["amount"] = 3, ["target"] = "the list" });
            Assert.True(r.GetProperty("ok").GetBoolean());
            ScrollAction scroll = Assert.IsType<ScrollAction>(Assert.Single(dry.Actions));
            Assert.Equal((ScrollDirection.Down, 3), (scroll.Direction, scroll.Amount));
            Assert.NotNull(scroll.Position);
            Assert.False((await Invoke(kernel, plugin, "scroll", new() { ["direction"] = "sideways" })).GetProperty("ok").GetBoolean());

            // Arguments as text, as Semantic Kernel templates and hosts often pass them.
            Assert.True((await Invoke(kernel, plugin, "scroll", new() { ["direction"] = "up", ["amount"] = "4" })).GetProperty("ok").GetBoolean());
            Assert.Equal((ScrollDirection.Up, 4), (((ScrollAction)dry.Actions[^1]).Direction, ((ScrollAction)dry.Actions[^1]).Amount));

            JsonElement shot = await Invoke(kernel, plugin, "screenshot", new());
            Assert.Equal((800, 600), (shot.GetProperty("width").GetInt32(), shot.GetProperty("height").GetInt32()));
            Assert.Equal(2, shot.GetProperty("monitors").GetArrayLength());
            Assert.True(File.Exists(shot.GetProperty("path").GetString()));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task RunTaskDrivesTheAgentLoop()
    {
        var client = new ScriptedChatClient(
            ScriptedChatClient.Text($"Thought: Click OK\nAction: click(start_box='{GuiTestScreens.BoxAnswer(new ScreenBox(300, 400, 380, 430))}')"),
            ScriptedChatClient.Text("Action: finished(content='done')"));
        (Kernel kernel, KernelPlugin plugin, DryRunExecutor dry, _) = Create(new GuiAgentToolsOptions { AgentOptions = new() { SettleDelay = TimeSpan.Zero } }, client);
        JsonElement r = await Invoke(kernel, plugin, "run_task", new() { ["task"] = "press OK", ["maxSteps"] = 5 });
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal("Completed", r.GetProperty("status").GetString());
        Assert.Equal("done", r.GetProperty("message").GetString());
        Assert.Equal(2, r.GetProperty("steps").GetArrayLength());
        Assert.Equal(2, dry.Actions.Count);
        Assert.Equal("gui", client.Requests[0].Options.GetSkill());
    }

    [Fact]
    public async Task TheKernelAutoInvokesAToolTheModelCalls()
    {
        ScriptedChatClient grounder = Grounder(new() { ["the OK button"] = new ScreenBox(300, 400, 380, 430) });
        var dry = new DryRunExecutor();
        var model = new ScriptedChatClient(
            ScriptedChatClient.Call("call_1", "gui_click", new Dictionary<string, object?> { ["target"] = "the OK button" }),
            ScriptedChatClient.Text("Clicked OK."));
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddKernelChatClient(serviceId: null, _ => model);
        builder.Plugins.AddGuiAgent(new GuiAgentTools(grounder, GuiTestScreens.TwoMonitors(), dry));
        Kernel kernel = builder.Build();

        FunctionResult result = await kernel.InvokePromptAsync(
            "Press OK.", new KernelArguments(new AndesPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Equal("Clicked OK.", result.ToString());
        Assert.IsType<ClickAction>(Assert.Single(dry.Actions));
        Assert.Contains("gui_click", model.Requests[0].Options!.Tools!.Select(t => t.Name));
        Microsoft.Extensions.AI.FunctionResultContent toolResult = Assert.IsType<Microsoft.Extensions.AI.FunctionResultContent>(Assert.Single(model.Requests[1].Messages[^1].Contents));
        Assert.True(Parse(toolResult.Result!.ToString()!).GetProperty("ok").GetBoolean());
    }
}
