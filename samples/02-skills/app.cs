// %% [markdown]
// # Skills: one base model, N LoRA adapters
//
// AndesVL ships as "1+N LoRA": one base model stays loaded, and small LoRA adapters (OCR, GUI grounding, ...) are
// switched per request. Andes loads each adapter once into an `AdapterRegistry`; a **skill** bundles an adapter with
// instructions and default options, and a request picks one with `chatOptions.WithSkill("name")`. Switching reloads
// nothing, and requests with different adapters may run at the same time.
//
// This notebook builds everything it needs: the tiny test model converted with LoRA inputs, and two seeded random
// adapters. **The tiny model has random weights, so its text is noise**; what it does show is real and repeatable:
// each adapter changes the greedy output, the same request always gives the same answer, and the base model is
// untouched by the adapters used before it.
//
// Run it as a notebook (Polyglot Notebooks) or as a file-based app: `dotnet run app.cs` in `samples/02-skills`.

// %%
#:package Microsoft.Extensions.AI@10.11.0
#:project ../../src/Andes.GenAI/Andes.GenAI.csproj
#:project ../../src/Andes.ModelBuilder/Andes.ModelBuilder.csproj
#:property ManagePackageVersionsCentrally=false
#:property PublishAot=false
using System.Diagnostics;
using System.IO;
using System.Linq;
using Andes;
using Andes.GenAI;
using Andes.ModelBuilder;
using Microsoft.Extensions.AI;

// %% [markdown]
// ## A base model with LoRA inputs
//
// `ModelConversionOptions.LoraTargets` (the CLI's `andes convert --lora-targets q,k,v,o,gate,up,down`) makes the
// converter give every targeted projection LoRA inputs, and also write a LoRA-free decoder that runs when no
// adapter is active. For a real model, convert the AndesVL checkpoint the same way; here we generate the tiny one,
// in `~/.andes/samples/02-skills` (set `ANDES_HOME` to use another folder than `~/.andes`); the last cell deletes it.

// %%
// Everything the sample writes goes under ANDES_HOME (default ~/.andes, as for `andes demo`), never the temporary
// folder: a run starts from an empty folder of its own, and the generated model is deleted at the end.
string home = Environment.GetEnvironmentVariable("ANDES_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".andes");
string work = Path.Combine(home, "samples", "02-skills");
if (Directory.Exists(work))
{
    Directory.Delete(work, recursive: true);
}

Directory.CreateDirectory(work);
string checkpoint = Path.Combine(work, "checkpoint");
string modelDir = Path.Combine(work, "tiny-int4-lora");
var stopwatch = Stopwatch.StartNew();
CheckpointGenerator.Generate(checkpoint, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = 1 });
ModelConversionResult conversion = ModelConverter.Convert(checkpoint, modelDir, new ModelConversionOptions { ContextLength = 4096, LoraTargets = LoraTargets.All });
Console.WriteLine($"tiny model with LoRA inputs: {conversion.Tensors.Count} tensors, {conversion.BytesWritten / 1048576.0:F1} MiB, made in {stopwatch.Elapsed.TotalSeconds:F1} s");
Console.WriteLine(string.Join(", ", Directory.GetFiles(modelDir, "*.onnx").Select(Path.GetFileName).Order()));

// %% [markdown]
// ## Two adapters
//
// `LoraAdapterGenerator` writes a seeded random adapter in the Hugging Face PEFT layout (`adapter_config.json` +
// `adapter_model.safetensors`), like a fine-tuned one (`andes make-adapter`). The engine loads PEFT folders directly;
// `LoraAdapterConverter` (`andes convert-adapter`) turns one into ONNX Runtime's `.onnx_adapter` file, checked against
// the model folder. We keep one adapter in each form.

// %%
string ocrPeft = Path.Combine(work, "adapters", "ocr-peft");
string summaryPeft = Path.Combine(work, "adapters", "summary-peft");
LoraAdapterGenerator.Generate(checkpoint, ocrPeft, new LoraAdapterGeneratorOptions { Seed = 7, Rank = 8 });
LoraAdapterGenerator.Generate(checkpoint, summaryPeft, new LoraAdapterGeneratorOptions { Seed = 8, Rank = 4, Targets = LoraTargets.QProj | LoraTargets.VProj });
string ocrFile = Path.Combine(work, "adapters", "ocr.onnx_adapter");
LoraAdapterConversionResult converted = LoraAdapterConverter.Convert(ocrPeft, modelDir, ocrFile);
Console.WriteLine($"ocr.onnx_adapter: rank {converted.Rank}, {converted.ParameterCount} parameters, {converted.Targets}, {converted.BytesWritten / 1024.0:F0} KiB");

// %% [markdown]
// ## Load the model once, the adapters once, and register skills
//
// Adapters are checked against the model when they load (a wrong shape is a `LoraAdapterException` naming the
// tensor). A skill names its adapter and adds instructions and defaults; the request's own options win.

// %%
AndesModel model = AndesModel.Load(modelDir);
var adapters = new AdapterRegistry(model);
foreach (LoraAdapter adapter in new[] { adapters.Load("ocr", ocrFile), adapters.Load("summary", summaryPeft) })
{
    Console.WriteLine($"adapter {adapter.Name}: rank {adapter.Rank}, {adapter.Targets}, {adapter.Parameters.Count} tensors, {adapter.ParameterBytes / 1024.0:F0} KiB");
}

var skills = new SkillRegistry(
[
    new Skill
    {
        Name = "ocr",
        Description = "Reads the text in an image.",
        Adapter = "ocr",
        Instructions = "Transcribe the text exactly.",
        DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 },
    },
    new Skill
    {
        Name = "summary",
        Description = "Summarises a text in one sentence.",
        Adapter = "summary",
        Instructions = "Summarise in one sentence.",
        DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 },
    },
]);
var client = new AndesChatClient(model, new AndesChatClientOptions { Adapters = adapters, Skills = skills });

// %% [markdown]
// ## The same question, with and without skills
//
// Greedy decoding (temperature 0), 16 tokens. The skill's instructions go into the system turn, so its prompt is
// longer; its adapter changes every targeted projection, so its tokens differ from the base model's.

// %%
ChatMessage[] question = [new(ChatRole.User, "What does the sign on the door say?")];
var answers = new Dictionary<string, ChatResponse>();
foreach (string? skill in new[] { null, "ocr", "summary" })
{
    ChatOptions options = new() { Temperature = 0, MaxOutputTokens = 16 };
    if (skill is not null)
    {
        options = options.WithSkill(skill);
    }

    stopwatch.Restart();
    ChatResponse response = await client.GetResponseAsync(question, options);
    answers[skill ?? "base"] = response;
    Console.WriteLine($"{skill ?? "base",-8} {response.Usage?.InputTokenCount,3} prompt + {response.Usage?.OutputTokenCount,2} generated tokens, {stopwatch.ElapsedMilliseconds,4} ms: {response.Text.ReplaceLineEndings(" ")}");
}

// %% [markdown]
// What is deterministic here: the token counts, and that the three answers differ from each other while each one
// repeats exactly. Asking the base model again after the adapters were used gives its first answer back.

// %%
ChatResponse baseAgain = await client.GetResponseAsync(question, new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });
ChatResponse ocrAgain = await client.GetResponseAsync(question, new ChatOptions().WithSkill("ocr"));
Console.WriteLine($"base answer unchanged after using adapters: {baseAgain.Text == answers["base"].Text}");
Console.WriteLine($"ocr answer repeats:                         {ocrAgain.Text == answers["ocr"].Text}");
Console.WriteLine($"ocr differs from base:                      {answers["ocr"].Text != answers["base"].Text}");
Console.WriteLine($"summary differs from base and ocr:          {answers["summary"].Text != answers["base"].Text && answers["summary"].Text != answers["ocr"].Text}");

// %% [markdown]
// ## Deploying skills with the model: `skills.json`
//
// Instead of code, a `skills.json` beside the model lists the adapter files and the skills; `AndesChatClient` (and
// the CLI's `--skill`) read it when they open the folder, and load the adapters once.

// %%
File.WriteAllText(Path.Combine(modelDir, SkillRegistry.FileName), """
    {
      "adapters": { "ocr": "../adapters/ocr.onnx_adapter", "summary": "../adapters/summary-peft" },
      "skills": [
        { "name": "ocr", "description": "Reads the text in an image.", "adapter": "ocr",
          "instructions": "Transcribe the text exactly.", "options": { "temperature": 0, "max_output_tokens": 16 } },
        { "name": "summary", "description": "Summarises a text in one sentence.", "adapter": "summary",
          "instructions": "Summarise in one sentence.", "options": { "temperature": 0, "max_output_tokens": 16 } }
      ]
    }
    """);
var deployed = new AndesChatClient(modelDir);
Console.WriteLine($"skills: {string.Join(", ", deployed.Skills!.Skills.Select(s => s.ToString()))}");
ChatResponse fromFile = await deployed.GetResponseAsync(question, new ChatOptions().WithSkill("ocr"));
Console.WriteLine($"same ocr answer as the skill registered in code: {fromFile.Text == answers["ocr"].Text}");

// %% [markdown]
// ## Clean up

// %%
deployed.Dispose();
client.Dispose();
adapters.Dispose();
model.Dispose();
Directory.Delete(work, recursive: true);
