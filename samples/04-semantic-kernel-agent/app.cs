// %% [markdown]
// # A Semantic Kernel agent with tools, on-device
//
// `Andes.SemanticKernel` registers an Andes model as a Semantic Kernel chat service: `[KernelFunction]` plugins are
// offered to the model as tools (in the Qwen3 `<tools>` block AndesVL was trained on), the model's `<tool_call>`s run
// through the kernel, and the results go back to the model for its next turn. Then an Agent Framework agent
// (`ChatClientAgent`, made by `AsAndesAgent`) runs on the same model, with a skill as a tool and a session that
// serialises to JSON.
//
// With `FunctionChoiceBehavior.Required()` the engine **constrains decoding**: every token that would break a valid
// call to a declared tool is masked, so even the tiny random model below emits a well-formed call. Its arguments
// and its text are still noise (random weights); what is deterministic is the call itself: which function, that the
// arguments parse and reach your C# method, and that the result is in the conversation the model sees next.
//
// Run it as a notebook (Polyglot Notebooks) or as a file-based app: `dotnet run app.cs` in `samples/04-semantic-kernel-agent`.

// %%
#:package Microsoft.Extensions.AI@10.11.0
#:package Microsoft.SemanticKernel@1.82.0
#:package Microsoft.Agents.AI@1.28.0
#:project ../../src/Andes.GenAI/Andes.GenAI.csproj
#:project ../../src/Andes.ModelBuilder/Andes.ModelBuilder.csproj
#:project ../../src/Andes.SemanticKernel/Andes.SemanticKernel.csproj
#:property ManagePackageVersionsCentrally=false
#:property PublishAot=false
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Andes.GenAI;
using Andes.ModelBuilder;
using Andes.SemanticKernel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

// %% [markdown]
// ## The model
//
// Set `ANDES_MODEL` to a converted AndesVL model folder (`andes convert --checkpoint AndesVL-1B-Instruct --output
// models/andesvl-1b-int4`) to use a real model. Without it, this cell generates the tiny test model (seeded random
// weights with AndesVL's real tensor names, configuration and tokenizer) and converts it to int4, in a few seconds,
// in `~/.andes/samples/04-semantic-kernel-agent` (set `ANDES_HOME` to use another folder than `~/.andes`); the last
// cell deletes it.
// The model is loaded once and shared by the kernel and the agent.

// %%
// Everything the sample writes goes under ANDES_HOME (default ~/.andes, as for `andes demo`), never the temporary
// folder: a run starts from an empty folder of its own, and the generated model is deleted at the end.
string home = Environment.GetEnvironmentVariable("ANDES_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".andes");
string work = Path.Combine(home, "samples", "04-semantic-kernel-agent");
if (Directory.Exists(work))
{
    Directory.Delete(work, recursive: true);
}

Directory.CreateDirectory(work);
string modelDir = Environment.GetEnvironmentVariable("ANDES_MODEL") ?? Path.Combine(work, "tiny-int4");
if (!File.Exists(Path.Combine(modelDir, "genai_config.json")))
{
    var stopwatch = Stopwatch.StartNew();
    CheckpointGenerator.Generate(Path.Combine(work, "checkpoint"), CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 1 });
    ModelConverter.Convert(Path.Combine(work, "checkpoint"), modelDir, new ModelConversionOptions { ContextLength = 4096 });
    Console.WriteLine($"generated the tiny model in {stopwatch.Elapsed.TotalSeconds:F1} s");
}

AndesModel model = AndesModel.Load(modelDir);
Console.WriteLine($"model: {Path.GetFileName(modelDir)}, {model.Config.Model.Decoder.NumHiddenLayers} layers, context {model.ContextLength} tokens");

// %% [markdown]
// ## A plugin
//
// An ordinary class with `[KernelFunction]` methods; the descriptions become the tool's schema. It prints each call
// so we can see the model's call arrive. (In the file-based app the class is at the end of the file: C# wants type
// declarations after top-level statements.)

// %% [insert: WeatherPlugin]
// The WeatherPlugin class is at the end of this file.

// %% [markdown]
// ## A kernel with the Andes chat service and the plugin

// %%
var weather = new WeatherPlugin();
IKernelBuilder builder = Kernel.CreateBuilder();
builder.AddAndesChatClient(model);
builder.Plugins.AddFromObject(weather, "Weather");
Kernel kernel = builder.Build();
Console.WriteLine($"functions: {string.Join(", ", kernel.Plugins.GetFunctionsMetadata().Select(f => $"{f.PluginName}.{f.Name}"))}");

// %% [markdown]
// ## A required tool call
//
// `FunctionChoiceBehavior.Required()` reaches the engine as `ChatToolMode.RequireAny`. The kernel invokes the call,
// adds the call and its result to the chat history, and asks the model again, now free to answer in text. The token
// budget must fit the shortest valid call (the engine says how many tokens it needs if it does not). `Short` keeps
// the tiny model's noise to one line.

// %%
static string Short(string? text) => text is null ? "" : text.Length <= 60 ? text.ReplaceLineEndings(" ") : text[..60].ReplaceLineEndings(" ") + "...";

var settings = new AndesPromptExecutionSettings { Temperature = 0, MaxTokens = 96, FunctionChoiceBehavior = FunctionChoiceBehavior.Required() };
IChatCompletionService chat = kernel.GetRequiredService<IChatCompletionService>();
var history = new ChatHistory();
history.AddUserMessage("What is the temperature in Paris?");
ChatMessageContent reply = await chat.GetChatMessageContentAsync(history, settings, kernel);
history.Add(reply);

foreach (ChatMessageContent message in history)
{
    foreach (KernelContent item in message.Items)
    {
        string shown = item switch
        {
            Microsoft.SemanticKernel.FunctionCallContent call => $"call {call.FunctionName}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {Short(a.Value?.ToString())}") ?? [])})",
            Microsoft.SemanticKernel.FunctionResultContent result => $"result of {result.FunctionName}: {result.Result}",
            Microsoft.SemanticKernel.TextContent text => $"text: {Short(text.Text)}",
            _ => item.GetType().Name,
        };
        Console.WriteLine($"{message.Role,-9} {shown}");
    }
}

Console.WriteLine($"the plugin ran {weather.Calls.Count} time(s)");

// %% [markdown]
// The tool call and its result are in the history the model answered from (the `tool` message before the final
// assistant text). With `FunctionChoiceBehavior.Auto()` the model decides for itself; the tiny model's random
// weights rarely pick a call, which is why constrained decoding matters for small models.

// %% [markdown]
// ## An Agent Framework agent with a skill as a tool
//
// `AsAndesAgent` makes Agent Framework's own `ChatClientAgent` over an Andes chat client, here a plain
// `AndesChatClient` on the same loaded model with one skill. The agent's tools are the plugin's method (wrapped by
// `AIFunctionFactory`) and, added by `AsAndesAgent`, one tool per skill of the client: calling it runs the skill as
// a separate request with the skill's instructions, limits and LoRA adapter. This skill has no adapter, so it runs on
// the base model (sample 02 shows skills with LoRA adapters). The first run requires a call to the weather tool, the
// second a call to the skill; the session keeps the whole conversation, tool calls and results included.

// %%
var summarize = new Skill
{
    Name = "summarize",
    Description = "Summarises a text in one sentence.",
    Instructions = "Summarise the user's text in one sentence.",
    DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 },
};
var skilled = new AndesChatClient(model, new AndesChatClientOptions { Skills = new SkillRegistry([summarize]) });
ChatClientAgent agent = skilled.AsAndesAgent(new ChatClientAgentOptions
{
    Name = "weather",
    ChatOptions = new ChatOptions
    {
        Instructions = "You answer weather questions briefly.",
        Tools = [AIFunctionFactory.Create(weather.GetTemperature, "get_temperature", "Gets the current temperature of a city in degrees Celsius.")],
        Temperature = 0,
        MaxOutputTokens = 24,
    },
});
Console.WriteLine($"agent tools: {string.Join(", ", agent.GetService<ChatClientAgentOptions>()?.ChatOptions?.Tools?.Select(t => t.Name) ?? [])}");

AgentSession session = await agent.CreateSessionAsync();
AgentResponse first = await agent.RunAsync("How warm is it in Oslo?", session, new ChatClientAgentRunOptions(new ChatOptions { ToolMode = ChatToolMode.RequireSpecific("get_temperature"), MaxOutputTokens = 96 }));
AgentResponse second = await agent.RunAsync("Summarise the forecast for me.", session, new ChatClientAgentRunOptions(new ChatOptions { ToolMode = ChatToolMode.RequireSpecific("summarize"), MaxOutputTokens = 96 }));
Console.WriteLine($"first run: {first.Messages.Count} messages, usage {first.Usage?.InputTokenCount} in / {first.Usage?.OutputTokenCount} out");
Console.WriteLine($"second run: {second.Messages.Count} messages, usage {second.Usage?.InputTokenCount} in / {second.Usage?.OutputTokenCount} out");

List<ChatMessage> messages = session.TryGetInMemoryChatHistory(out List<ChatMessage>? stored) ? stored : [];
foreach (ChatMessage message in messages)
{
    string shown = string.Join("; ", message.Contents.Select(c => c switch
    {
        Microsoft.Extensions.AI.FunctionCallContent call => $"call {call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}: {Short(a.Value?.ToString())}") ?? [])})",
        Microsoft.Extensions.AI.FunctionResultContent result => $"result {Short(result.Result?.ToString())}",
        Microsoft.Extensions.AI.TextContent text => $"text: {Short(text.Text)}",
        _ => c.GetType().Name,
    }));
    Console.WriteLine($"{message.Role,-9} {shown}");
}

// %% [markdown]
// ## Save the session, resume it later
//
// The session serialises to JSON (every message of the conversation); a new agent instance, even in another process,
// picks the conversation up where it was. This run has no required tool, so the model is free to answer in text.

// %%
JsonElement saved = await agent.SerializeSessionAsync(session);
string json = saved.GetRawText();
AgentSession resumed = await agent.DeserializeSessionAsync(JsonDocument.Parse(json).RootElement);
AgentResponse third = await agent.RunAsync("Thanks!", resumed);
List<ChatMessage> resumedMessages = resumed.TryGetInMemoryChatHistory(out List<ChatMessage>? restored) ? restored : [];
Console.WriteLine($"session JSON: {json.Length:N0} characters, {messages.Count} messages");
Console.WriteLine($"after resuming and one more run: {resumedMessages.Count} messages (the third run's prompt had {third.Usage?.InputTokenCount} tokens)");

// %% [markdown]
// ## Clean up

// %%
skilled.Dispose();
model.Dispose();
Directory.Delete(work, recursive: true);

// %% [cell: WeatherPlugin]
public sealed class WeatherPlugin
{
    public List<string> Calls { get; } = [];

    [KernelFunction("get_temperature")]
    [Description("Gets the current temperature of a city in degrees Celsius.")]
    public int GetTemperature([Description("The city.")] string city)
    {
        Calls.Add(city);
        int celsius = 10 + city.Length;
        Console.WriteLine($"  -> get_temperature(city: \"{(city.Length <= 40 ? city : city[..40] + "...")}\") returns {celsius}");
        return celsius;
    }
}
