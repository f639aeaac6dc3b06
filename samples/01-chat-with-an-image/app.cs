// %% [markdown]
// # Chat with an image
//
// `AndesChatClient` is a standard `Microsoft.Extensions.AI` `IChatClient` that runs AndesVL on-device with ONNX
// Runtime. Images go in as ordinary message contents: `DataContent` with PNG/JPEG/BMP/GIF bytes, a file `UriContent`,
// or raw pixels. The engine sizes each image the AndesVL way (native resolution, capped at `max_size`), turns it
// into image tokens through the vision tower, and streams the answer back.
//
// Without a real model, this notebook generates the tiny test model: seeded random weights with AndesVL's real
// tensor names, configuration, tokenizer and vision tower. **Its answers are noise**, but the pipeline is the real
// one, and these are deterministic: how many tokens the image becomes, the prompt and cache token counts, that a
// follow-up question reuses the image's cached keys/values, and that raw pixels give the same answer as the PNG.
//
// Run it as a notebook (Polyglot Notebooks) or as a file-based app: `dotnet run app.cs` in `samples/01-chat-with-an-image`.

// %%
#:package Microsoft.Extensions.AI@10.11.0
#:project ../../src/Andes.GenAI/Andes.GenAI.csproj
#:project ../../src/Andes.ModelBuilder/Andes.ModelBuilder.csproj
#:project ../../src/Andes.Agents.Gui/Andes.Agents.Gui.csproj
#:property ManagePackageVersionsCentrally=false
#:property PublishAot=false
using System.Diagnostics;
using System.IO;
using System.Linq;
using Andes;
using Andes.Agents.Gui;
using Andes.GenAI;
using Andes.ModelBuilder;
using Microsoft.Extensions.AI;

// %% [markdown]
// ## The model
//
// Set `ANDES_MODEL` to a converted AndesVL model folder (`andes convert --checkpoint AndesVL-1B-Instruct --output
// models/andesvl-1b-int4`) to use a real model. Without it, this cell generates the tiny test model and converts it
// to int4 (with `vision.onnx`, the vision tower and connector), in a few seconds, in
// `~/.andes/samples/01-chat-with-an-image/work` (set `ANDES_HOME` to use another folder than `~/.andes`); the
// last cell deletes it.

// %%
// Everything the sample writes goes under ANDES_HOME (default ~/.andes, as for `andes demo`), never the temporary
// folder: a run starts from an empty folder of its own, and the generated model is deleted at the end.
string home = Environment.GetEnvironmentVariable("ANDES_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".andes");
string output = Path.Combine(home, "samples", "01-chat-with-an-image");
string work = Path.Combine(output, "work");
if (Directory.Exists(output))
{
    Directory.Delete(output, recursive: true);
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
var client = new AndesChatClient(model);
Console.WriteLine($"model: {Path.GetFileName(modelDir)}, files: {string.Join(", ", Directory.GetFiles(modelDir, "*.onnx").Select(Path.GetFileName).Order())}");

// %% [markdown]
// ## A picture
//
// Any PNG or JPEG bytes will do (`File.ReadAllBytes("photo.jpg")`). To stay self-contained we draw one with the
// small imaging helpers of `Andes.Agents.Gui` (a `BgraImage`, `ImageDrawing`, `PngEncoder`) and show it inline.

// %%
var picture = new BgraImage(320, 200);
ImageDrawing.Clear(picture, BgraColor.FromRgb(135, 190, 235));
ImageDrawing.FillRectangle(picture, 0, 150, 320, 50, BgraColor.FromRgb(70, 150, 60));
ImageDrawing.FillRectangle(picture, 40, 70, 90, 80, BgraColor.FromRgb(200, 40, 40));
ImageDrawing.FillRectangle(picture, 240, 20, 40, 40, BgraColor.FromRgb(250, 210, 40));
ImageDrawing.DrawText(picture, 150, 96, "ANDES", BgraColor.White, size: 36);
byte[] png = PngEncoder.Encode(picture);
display(HTML($"<img src='data:image/png;base64,{Convert.ToBase64String(png)}'/>"));

ImageGeometry geometry = model.ImageProcessor!.GetGeometry(picture.Width, picture.Height);
Console.WriteLine($"{png.Length:N0} bytes of PNG; the model sees it as {geometry.PaddedWidth} x {geometry.PaddedHeight} pixels, {geometry.GridWidth} x {geometry.GridHeight} patches of {geometry.PatchSize}, {geometry.TokenCount} image tokens");

// %% [markdown]
// ## Ask about it
//
// The image is a `DataContent` in the user message, next to the question. The answer streams token by token;
// `Temperature = 0` makes it greedy, so the same question always gets the same answer.

// %%
var messages = new List<ChatMessage>
{
    new(ChatRole.User, [new DataContent(png, "image/png"), new TextContent("What is in this picture?")]),
};
var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 24 };
var updates = new List<ChatResponseUpdate>();
await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options))
{
    Console.Write(update.Text);
    updates.Add(update);
}

ChatResponse answer = updates.ToChatResponse();
Console.WriteLine();
Console.WriteLine($"{answer.Usage?.InputTokenCount} prompt tokens (the image's {geometry.TokenCount} included), {answer.Usage?.OutputTokenCount} generated in {updates.Count} updates, finish: {answer.FinishReason}");

// %% [markdown]
// ## A follow-up question
//
// The second turn starts with the first turn's tokens, so the client reuses their cached keys and values, the
// image's included: the image is neither decoded nor run through the vision tower again.

// %%
messages.AddMessages(answer);
messages.Add(new ChatMessage(ChatRole.User, "What colour is the square on the left?"));
ChatResponse followUp = await client.GetResponseAsync(messages, options);
Console.WriteLine(followUp.Text);
long cached = followUp.Usage?.CachedInputTokenCount ?? 0;
Console.WriteLine($"{followUp.Usage?.InputTokenCount} prompt tokens, {cached} of them reused from the cache (the image's {geometry.TokenCount} tokens included: {cached > geometry.TokenCount})");

// %% [markdown]
// ## Raw pixels
//
// A screenshot or a camera frame is already pixels: `RawPixelContent.Create` wraps them (BGRA, RGBA, RGB, ...)
// in a `DataContent` with no encoding or decoding at all. The pixels are the PNG's, so the answer is the same; and
// the image does reach the model: without it, the answer is another one.

// %%
DataContent raw = RawPixelContent.Create(picture.Pixels, picture.Width, picture.Height, ImagePixelFormat.Bgra32, picture.Stride);
Console.WriteLine($"media type: {raw.MediaType}");
ChatResponse fromPixels = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [raw, new TextContent("What is in this picture?")])], options);
ChatResponse textOnly = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What is in this picture?")], options);
Console.WriteLine($"same answer as from the PNG: {fromPixels.Text == answer.Text}");
Console.WriteLine($"without the image: {textOnly.Usage?.InputTokenCount} prompt tokens, a different answer: {textOnly.Text != answer.Text}");

// %% [markdown]
// ## Image size and tokens
//
// Larger images cost more tokens, up to a cap: the model folder's `processor_config.json` bounds the pixel count
// (the tiny model's is small), and `ChatOptions.WithImageMaxSize(n)` sets the longest side an image is scaled down
// to first (733 by default, as in the model card). The engine measures a prompt from the image headers, before
// anything is decoded, so a prompt that cannot fit fails early with a `PromptTooLongException` naming each image.

// %%
foreach ((int width, int height) in new[] { (320, 200), (1280, 720), (1920, 1080) })
{
    ImageGeometry size = model.ImageProcessor!.GetGeometry(width, height);
    Console.WriteLine($"{width,5} x {height,-5} -> {size.PaddedWidth,4} x {size.PaddedHeight,-4} {size.TokenCount,5} tokens");
}

// %% [markdown]
// ## Clean up

// %%
client.Dispose();
model.Dispose();
Directory.Delete(work, recursive: true);

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
