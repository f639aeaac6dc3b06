using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary>make-adapter, convert-adapter, convert --lora-targets, generate/chat with --adapter and --skill.</summary>
public sealed class AdapterCommandTests
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 151645, 198, 151644, 77091, 198];

    [Fact]
    public void MakeAndConvertAnAdapterThenGenerateWithItGivesTheEnginesTokens()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string peft = Path.Combine(temp.Path, "peft"), file = Path.Combine(temp.Path, "a.onnx_adapter");
        var make = CliRunner.Run("make-adapter", "--checkpoint", TestModels.TinyCheckpoint, "--rank", "4", "--seed", "7", "--output", peft);
        Assert.True(make.ExitCode == 0, make.Error);
        Assert.True(File.Exists(Path.Combine(peft, "adapter_model.safetensors")));
        var convert = CliRunner.Run("convert-adapter", "--adapter", peft, "--model", TestModels.TinyFp32LoraModel, "--output", file);
        Assert.True(convert.ExitCode == 0, convert.Error);
        Assert.Contains("22 parameters", convert.Output);

        string ids = string.Join(",", Prompt);
        var withAdapter = CliRunner.Run("generate", "--model", TestModels.TinyFp32LoraModel, "--input-ids", ids, "--max-tokens", "8", "--greedy", "--ids", "--adapter", file);
        var without = CliRunner.Run("generate", "--model", TestModels.TinyFp32LoraModel, "--input-ids", ids, "--max-tokens", "8", "--greedy", "--ids");
        Assert.True(withAdapter.ExitCode == 0, withAdapter.Error);
        Assert.NotEqual(without.Output.Trim(), withAdapter.Output.Trim());

        using AndesModel model = AndesModel.Load(TestModels.TinyFp32LoraModel);
        using LoraAdapter adapter = LoraAdapter.Load(model, peft);
        using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 8 }, adapter);
        generator.AppendTokens(Prompt);
        var expected = new List<int>();
        while (!generator.IsDone)
        {
            expected.Add(generator.GenerateNextToken());
        }

        Assert.Equal(string.Join(",", expected), withAdapter.Output.Trim());
    }

    [Fact]
    public void GenerateAndChatRunASkillFromSkillsJson()
    {
        using TemporaryDirectory folder = TestModels.CreateTemporaryDirectory();
        foreach (string f in Directory.EnumerateFiles(TestModels.TinyFp32LoraModel))
        {
            File.CreateSymbolicLink(Path.Combine(folder.Path, Path.GetFileName(f)), f);
        }

        string adapter = TestModels.TinyPeftAdapter(7).Replace("\\", "/", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder.Path, "skills.json"), $$"""
            { "adapters": { "seven": "{{adapter}}" },
              "skills": [ { "name": "ocr", "description": "Reads text.", "adapter": "seven", "instructions": "Transcribe.", "options": { "temperature": 0, "max_output_tokens": 6 } } ] }
            """);
        string ids = string.Join(",", Prompt);
        var skill = CliRunner.Run("generate", "--model", folder.Path, "--input-ids", ids, "--ids", "--skill", "ocr");
        var direct = CliRunner.Run("generate", "--model", folder.Path, "--input-ids", ids, "--ids", "--greedy", "--max-tokens", "6", "--adapter", TestModels.TinyPeftAdapter(7));
        Assert.True(skill.ExitCode == 0, skill.Error);
        Assert.Equal(direct.Output.Trim(), skill.Output.Trim()); // the skill's adapter and defaults (greedy, 6 tokens)
        Assert.Equal(6, skill.Output.Trim().Split(',').Length);

        var chat = CliRunner.RunWithInput("Hello\n/exit\n", "chat", "--model", folder.Path, "--skill", "ocr");
        Assert.True(chat.ExitCode == 0, chat.Error);
        Assert.Contains("skill ocr", chat.Output);

        var unknown = CliRunner.Run("generate", "--model", folder.Path, "--prompt", "Hi", "--skill", "nope");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("nope", unknown.Error);
    }

    [Fact]
    public void ConvertWithLoraTargetsWritesTheManifestAndMismatchesAreNamed()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string model = Path.Combine(temp.Path, "model");
        var convert = CliRunner.Run("convert", "--checkpoint", TestModels.TinyCheckpoint, "--output", model, "--precision", "fp32", "--context-length", "256", "--lora-targets", "q,v");
        Assert.True(convert.ExitCode == 0, convert.Error);
        Assert.Equal(LoraTargets.QProj | LoraTargets.VProj, LoraModelManifest.TryLoad(model)!.Targets);

        // An adapter on all seven projections does not fit: the first foreign tensor is named.
        var mismatch = CliRunner.Run("convert-adapter", "--adapter", TestModels.TinyPeftAdapter(7), "--model", model, "--output", Path.Combine(temp.Path, "x.onnx_adapter"));
        Assert.NotEqual(0, mismatch.ExitCode);
        Assert.Contains("model.layers.0.self_attn.k_proj.lora_A.weight", mismatch.Error);
    }
}
