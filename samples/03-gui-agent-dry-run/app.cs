// %% [markdown]
// # The GUI agent in dry-run
//
// `GuiAgent` runs a task on a screen: it takes a screenshot, asks a vision-language model (any `IChatClient`) for
// the next action in AndesVL's UI-TARS-style format (`click(start_box='<|box_start|>(x1,y1),(x2,y2)<|box_end|>')`,
// `type(content='...')`, `finished(...)`), maps the model's 0-1000 coordinates back to screen pixels, checks the
// action against a safety policy, and executes it, here through a `DryRunExecutor` that only records it. A
// `TrajectoryRecorder` keeps every step with its screenshot, the target box drawn on it.
//
// Nothing touches your real screen: the "screen" is a dialog drawn in memory (`InMemoryScreenCapture`), and the
// model is scripted, with the boxes answered by `OracleGroundingChatClient`, which knows where each element is.
// So every number below is deterministic: which element each step found, where the click landed, the outcome. The
// last section drives the same agent with `AndesChatClient`, the real engine.
//
// Run it as a notebook (Polyglot Notebooks) or as a file-based app: `dotnet run app.cs` in `samples/03-gui-agent-dry-run`.

// %%
#:package Microsoft.Extensions.AI@10.11.0
#:project ../../src/Andes.Agents.Gui/Andes.Agents.Gui.csproj
#:project ../../src/Andes.Agents.Gui.Evaluation/Andes.Agents.Gui.Evaluation.csproj
#:project ../../src/Andes.GenAI/Andes.GenAI.csproj
#:project ../../src/Andes.ModelBuilder/Andes.ModelBuilder.csproj
#:property ManagePackageVersionsCentrally=false
#:property PublishAot=false
using System.IO;
using System.Linq;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Evaluation;
using Andes.GenAI;
using Andes.ModelBuilder;
using Microsoft.Extensions.AI;

// %% [markdown]
// ## A synthetic screen
//
// A "Save document" dialog, drawn with the agent's own imaging helpers (`BgraImage`, `ImageDrawing`,
// `PngEncoder`). `DrawDialog` returns the picture and the box of every element we may ask for; we draw it twice:
// before and after the file name is typed.
//
// What the run writes goes to `~/.andes/samples/03-gui-agent-dry-run` (set `ANDES_HOME` to use another folder than
// `~/.andes`), emptied when the run starts: the pictures and the recorded run stay there afterwards; the model the
// last section generates is deleted.

// %%
// Everything the sample writes goes under ANDES_HOME (default ~/.andes, as for `andes demo`), never the temporary
// folder, so that the recorded run can be opened after the sample ends.
string home = Environment.GetEnvironmentVariable("ANDES_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".andes");
string output = Path.Combine(home, "samples", "03-gui-agent-dry-run");
string work = Path.Combine(output, "work");
if (Directory.Exists(output))
{
    Directory.Delete(output, recursive: true);
}

Directory.CreateDirectory(work);
BgraColor desktopBlue = BgraColor.FromRgb(32, 96, 128), titleBlue = BgraColor.FromRgb(24, 56, 120), panel = BgraColor.FromRgb(236, 236, 236);
BgraColor ink = BgraColor.FromRgb(20, 20, 20), accent = BgraColor.FromRgb(0, 110, 200), border = BgraColor.FromRgb(120, 120, 120);

(BgraImage Image, Dictionary<string, ImageBox> Elements) DrawDialog(string fileName)
{
    var image = new BgraImage(800, 500);
    ImageDrawing.Clear(image, desktopBlue);
    ImageDrawing.FillRectangle(image, 100, 60, 600, 360, panel);
    ImageDrawing.FillRectangle(image, 100, 60, 600, 34, titleBlue);
    ImageDrawing.DrawText(image, 114, 67, "Save document", BgraColor.White, size: 16);
    ImageDrawing.DrawText(image, 130, 132, "File name:", ink, size: 16);
    ImageDrawing.FillRectangle(image, 270, 124, 390, 36, BgraColor.White);
    ImageDrawing.DrawRectangle(image, 270, 124, 390, 36, border, thickness: 2);
    ImageDrawing.DrawText(image, 280, 132, fileName, ink, size: 16);
    ImageDrawing.DrawText(image, 130, 210, "Save changes before closing?", ink, size: 16);
    var elements = new Dictionary<string, ImageBox> { ["the File name field"] = ImageBox.FromXywh(270, 124, 390, 36) };
    (string Label, int X, BgraColor Fill, BgraColor Text)[] buttons = [("Save", 330, accent, BgraColor.White), ("Discard", 450, panel, ink), ("Cancel", 570, panel, ink)];
    foreach ((string label, int x, BgraColor fill, BgraColor text) in buttons)
    {
        ImageDrawing.FillRectangle(image, x, 350, 110, 40, fill);
        ImageDrawing.DrawRectangle(image, x, 350, 110, 40, border, thickness: 2);
        (int width, int height) = ImageDrawing.MeasureText(label, size: 16);
        ImageDrawing.DrawText(image, x + (110 - width) / 2, 350 + (40 - height) / 2, label, text, size: 16);
        elements[$"the {label} button"] = ImageBox.FromXywh(x, 350, 110, 40);
    }

    return (image, elements);
}

(BgraImage before, Dictionary<string, ImageBox> elements) = DrawDialog("");
(BgraImage after, _) = DrawDialog("quarterly-report.txt");
string beforePng = Path.Combine(output, "before.png"), afterPng = Path.Combine(output, "after.png");
File.WriteAllBytes(beforePng, PngEncoder.Encode(before));
File.WriteAllBytes(afterPng, PngEncoder.Encode(after));
foreach ((string name, ImageBox box) in elements)
{
    Console.WriteLine($"{name,-22} {box}");
}

// %% [markdown]
// Notebooks show pictures with `display(HTML(...))`: the PNG goes inline as a `data:` URI. (The file-based app
// writes the HTML to a file and prints its path.)

// %%
string Inline(byte[] png, string caption) =>
    $"<figure style='display:inline-block;margin:4px'><img src='data:image/png;base64,{Convert.ToBase64String(png)}' width='400'/><figcaption>{caption}</figcaption></figure>";
display(HTML(Inline(File.ReadAllBytes(beforePng), "before typing") + Inline(File.ReadAllBytes(afterPng), "after typing")));

// %% [markdown]
// ## The model: a scripted planner with oracle grounding
//
// `OracleGroundingChatClient` answers AndesVL grounding prompts ("where is X on this screenshot?") from ground
// truth: it recognises the screenshot by its pixels and answers with the element's box in model coordinates, rounded
// inwards, exactly as a perfect model would. Around it, a small middleware (`ChatClientBuilder.Use`) plays the
// agent: it follows a fixed plan, and for each step that acts on an element it asks the oracle for the box on the
// screenshot it was just sent.

// %%
GroundingDataset truth = GroundingDataset.FromSamples(
[
    new GroundingSample(0, beforePng, "the File name field", elements["the File name field"], "text", "desktop", null),
    new GroundingSample(1, afterPng, "the Save button", elements["the Save button"], "text", "desktop", null),
]);
var oracle = new OracleGroundingChatClient(truth);
var plan = new Queue<(string Thought, string? Target, string Action)>(
[
    ("Click the File name field to type the name", "the File name field", "click"),
    ("Type the file name", null, "type(content='quarterly-report.txt')"),
    ("Click the Save button to save the document", "the Save button", "click"),
    ("The document is saved", null, "finished(content='Saved as quarterly-report.txt')"),
]);
IChatClient agentModel = oracle.AsBuilder().Use(async (messages, options, grounding, cancellationToken) =>
{
    (string thought, string? target, string action) = plan.Dequeue();
    if (target is not null)
    {
        DataContent screenshot = messages.Last(m => m.Role == ChatRole.User).Contents.OfType<DataContent>().Last();
        ChatResponse box = await grounding.GetResponseAsync(GroundingPrompt.CreateMessages(target, screenshot), cancellationToken: cancellationToken);
        Console.WriteLine($"oracle: {target} -> {box.Text}");
        action = $"{action}(start_box='{box.Text}')";
    }

    return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"Thought: {thought}\nAction: {action}"));
}, null).Build();

// %% [markdown]
// ## Run the agent
//
// The dry-run executor records actions instead of sending input; its log callback plays the application, so that
// once the name is typed, the next screenshot shows it. The safety policy (the default one, limited to the
// captured screen) checks every action first: clicks on "Send", "Delete", "Pay"... would need confirmation.

// %%
var screen = new InMemoryScreenCapture(before.Clone());
var executor = new DryRunExecutor(log: action =>
{
    if (action is TypeTextAction)
    {
        after.Pixels.CopyTo(screen.Desktop.Pixels, 0);
    }
});
var recorder = new TrajectoryRecorder(Path.Combine(output, "trajectory"));
var agent = new GuiAgent(agentModel, screen, executor, new GuiAgentOptions { Recorder = recorder, SettleDelay = TimeSpan.Zero });
GuiAgentRunResult result = await agent.RunAsync("Save the document as quarterly-report.txt");
recorder.Dispose();

Console.WriteLine($"status: {result.Status} ({result.Message}), {result.Steps.Count} steps, {screen.CaptureCount} screenshots");
foreach (TrajectoryStep step in result.Steps)
{
    Console.WriteLine($"step {step.Index}: {step.Outcome,-8} {step.Action?.Describe()}  <- {step.Thought}");
}

// %% [markdown]
// Where did the clicks land? The oracle's boxes went through the whole pipeline (model coordinates, parsing,
// mapping to screen pixels), so every click should be inside the element it was meant for:

// %%
string[] clickTargets = ["the File name field", "the Save button"];
foreach ((ClickAction click, string target) in executor.Actions.OfType<ClickAction>().Zip(clickTargets))
{
    bool inside = elements[target].Contains(new ImagePoint(click.Position.X, click.Position.Y));
    Console.WriteLine($"{click.Describe(),-30} inside {target}: {inside}");
}

// %% [markdown]
// ## The trajectory as pictures
//
// The recorder saved one PNG per step with the target box (red) and the pointer (magenta) drawn on the screenshot
// the step was decided on, plus `trajectory.jsonl`, `run.json` and a `report.html` (the whole run as one page: open it
// in a browser), in `~/.andes/samples/03-gui-agent-dry-run/trajectory`, where they stay after the sample ends;
// `TrajectoryReplayer` can replay the run later (into another dry run, or for real).

// %%
string pictures = string.Concat(result.Steps.Where(s => s.Screenshot is not null).Select(s =>
    Inline(File.ReadAllBytes(Path.Combine(recorder.Directory, s.Screenshot!)), $"step {s.Index}: {s.Action?.Describe()}")));
display(HTML(pictures));
Console.WriteLine($"recorded: {string.Join(", ", Directory.GetFiles(recorder.Directory).Select(Path.GetFileName).Order())}");
Console.WriteLine($"the report: {Path.Combine(recorder.Directory, "report.html")}");

// %% [markdown]
// ## The same agent on the real engine
//
// Driving the agent with AndesVL is one change: pass an `AndesChatClient` (the agent then sends its screenshots as
// raw pixels, with no PNG encoding; other clients get PNG). Set `ANDES_MODEL` to a converted model folder to try a
// real one; without it we generate the tiny model, whose answers are noise. That shows the other half of the safety
// story: an answer that is not a valid action in range is rejected and never executed, the model is told why, and
// after `MaxConsecutiveRejections` (3) such answers in a row the agent gives up.

// %%
string tinyModel = Environment.GetEnvironmentVariable("ANDES_MODEL") ?? Path.Combine(work, "tiny-int4");
if (!File.Exists(Path.Combine(tinyModel, "genai_config.json")))
{
    CheckpointGenerator.Generate(Path.Combine(work, "checkpoint"), CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 1 });
    ModelConverter.Convert(Path.Combine(work, "checkpoint"), tinyModel, new ModelConversionOptions { ContextLength = 4096 });
}

var andes = new AndesChatClient(tinyModel);
var realScreen = new InMemoryScreenCapture(before.Clone());
var realExecutor = new DryRunExecutor();
var realOptions = new GuiAgentOptions { SettleDelay = TimeSpan.Zero, ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 32 } };
GuiAgentRunResult real = await new GuiAgent(andes, realScreen, realExecutor, realOptions).RunAsync("Save the document as quarterly-report.txt");
Console.WriteLine($"status: {real.Status}, {real.Steps.Count} steps, {realExecutor.Actions.Count} actions executed");
foreach (TrajectoryStep step in real.Steps)
{
    string detail = step.Detail ?? "";
    Console.WriteLine($"step {step.Index}: {step.Outcome}: {(detail.Length <= 100 ? detail : detail[..100] + "...")}");
}

// %% [markdown]
// ## Clean up

// %%
andes.Dispose();
realScreen.Dispose();
screen.Dispose();
agentModel.Dispose();
Directory.Delete(work, recursive: true);
Console.WriteLine($"kept in {output}: {string.Join(", ", Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order())}");

// %% [app-only]
// In a notebook, display(...) and HTML(...) come from .NET Interactive. This app prints text, and writes HTML to a
// page in the sample's folder under ANDES_HOME, which the run keeps, and prints its path.
static void display(object value) => Console.WriteLine(value);

string HTML(string html)
{
    string file = Path.Combine(output, $"figure-{Directory.GetFiles(output, "figure-*.html").Length + 1}.html");
    File.WriteAllText(file, $"<!DOCTYPE html><html><body>{html}</body></html>");
    return $"(HTML with {html.Length:N0} characters written to {file})";
}

