using Andes.Agents.Gui;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.SemanticKernel;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

string root = Path.Combine(Path.GetTempPath(), "andes-aotprobe-" + Guid.NewGuid().ToString("N")[..8]);
string checkpoint = Path.Combine(root, "checkpoint");
string model = Path.Combine(root, "model");
CheckpointGenerator.Generate(checkpoint, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 1 });
Console.WriteLine($"config.json: {AndesVLConfig.Load(checkpoint).ModelType}");
ModelConverter.Convert(checkpoint, model, new ModelConversionOptions { ContextLength = 512, LoraTargets = LoraTargets.QProj | LoraTargets.VProj });
Console.WriteLine($"genai_config.json: {GenAIConfig.Load(model).Model.Type}, andes_config.json: {AndesFolderConfig.TryLoad(model)?.Architecture}");
Console.WriteLine($"andes_lora.json: {(LoraModelManifest.TryLoad(model) is { } m ? string.Join(",", m.TargetModules) : "none")}");
string peft = Path.Combine(root, "peft");
LoraAdapterGenerator.Generate(checkpoint, peft, new LoraAdapterGeneratorOptions { Rank = 4, Targets = LoraTargets.QProj | LoraTargets.VProj, Seed = 3 });
LoraAdapterConverter.Convert(peft, model, Path.Combine(model, "probe.onnx_adapter"));
Console.WriteLine($"adapter_config.json: converted to {new FileInfo(Path.Combine(model, "probe.onnx_adapter")).Length} bytes");

File.WriteAllText(Path.Combine(model, "skills.json"), """
    { "skills": [ { "name": "echo", "description": "Echoes.", "instructions": "Repeat.", "options": { "temperature": 0, "max_output_tokens": 4 }, "output_parser": "lines" } ] }
    """);
SkillRegistry skills = SkillRegistry.Load(model);
Console.WriteLine($"skills.json: {string.Join(",", skills.Skills.Select(s => s.Name))}");

using var client = new AndesChatClient(model);
ChatResponse response = await client.GetResponseAsync("Hello", new ChatOptions { MaxOutputTokens = 4, Temperature = 0 });
Console.WriteLine($"chat: {response.Usage?.OutputTokenCount} tokens");

// Semantic Kernel: the skills plugin, invoked through a kernel.
Kernel kernel = new();
KernelPlugin plugin = AndesSkillsPlugin.Create(client, skills);
FunctionResult result = await plugin["echo"].InvokeAsync(kernel, new KernelArguments { ["request"] = "hi" });
Console.WriteLine($"SK skill function: {result.GetValue<object>()?.GetType().Name}; schema: {plugin["echo"].Metadata.Parameters[0].Schema}");
AIFunction tool = (AIFunction)AndesSkillTools.Create(client, skills)[0];
object? toolResult = await tool.InvokeAsync(new AIFunctionArguments { ["request"] = "hi" });
Console.WriteLine($"M.E.AI skill tool: {toolResult}");

// GUI: tools' JSON results, an agent run recorded as a trajectory, read back.
using var screen = new InMemoryScreenCapture(new BgraImage(320, 240));
var tools = new GuiAgentTools(new ActionClient(), screen, new DryRunExecutor());
Console.WriteLine($"screenshot tool: {await tools.Functions.Single(f => f.Name == "screenshot").InvokeAsync(new AIFunctionArguments())}");
string trajectory = Path.Combine(root, "trajectory");
using (var recorder = new TrajectoryRecorder(trajectory))
{
    await new GuiAgent(new ActionClient(), screen, new DryRunExecutor(), new GuiAgentOptions { Recorder = recorder, SettleDelay = TimeSpan.Zero }).RunAsync("scroll");
}

Console.WriteLine($"trajectory: {TrajectoryReplayer.ReadSteps(trajectory).Count} steps, {TrajectoryReplayer.ReadRun(trajectory).Status}");
Console.WriteLine(File.ReadAllLines(Path.Combine(trajectory, TrajectoryRecorder.StepsFileName))[0][..160]);
Directory.Delete(root, recursive: true);
Console.WriteLine("AOT probe: ok");

sealed class ActionClient : IChatClient
{
    private int _calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, _calls++ == 0 ? "Action: scroll(start_box='(500,500)', direction='down')" : "Action: finished(content='ok')")));

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
