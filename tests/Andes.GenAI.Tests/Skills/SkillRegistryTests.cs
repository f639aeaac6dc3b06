using System.Text.Json;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Skills;

public sealed class SkillRegistryTests
{
    [Fact]
    public void LoadsSkillsJsonWithAdaptersOptionsAndParsers()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string file = Write(temp.Path, """
            {
              "adapters": { "ocr": "adapters/ocr.onnx_adapter" },
              "skills": [
                { "name": "ocr", "description": "Reads text.", "adapter": "ocr", "instructions": "Transcribe.",
                  "options": { "temperature": 0, "top_k": 5, "max_output_tokens": 64, "stop": ["END"], "enable_thinking": false, "repetition_penalty": 1.1 },
                  "output_parser": "json" },
                { "name": "plain" }
              ]
            }
            """);
        SkillRegistry registry = SkillRegistry.Load(temp.Path);
        Assert.Equal(Path.Combine(temp.Path, "adapters", "ocr.onnx_adapter"), registry.AdapterFiles["ocr"]);
        Skill ocr = registry.Get("ocr");
        Assert.Equal("ocr", ocr.Adapter);
        Assert.Equal(0f, ocr.DefaultOptions!.Temperature);
        Assert.Equal(5, ocr.DefaultOptions.TopK);
        Assert.Equal(["END"], ocr.DefaultOptions.StopSequences!);
        Assert.Equal(false, ocr.DefaultOptions.AdditionalProperties![AndesChatOptionKeys.EnableThinking]);
        Assert.Equal(1.1f, ocr.DefaultOptions.AdditionalProperties[AndesChatOptionKeys.RepetitionPenalty]);
        Assert.Equal(42, ((JsonElement)ocr.ParseOutput("Sure: ```json\n{\"n\": 42}\n```")!).GetProperty("n").GetInt32());
        Assert.Null(registry.Get("plain").Adapter);
        Assert.Equal(file, SkillRegistry.Load(file).AdapterFiles.Keys.Single() == "ocr" ? file : null);
    }

    [Theory]
    [InlineData("""{ "skills": [ { "name": "x", "colour": "red" } ] }""", "colour")]
    [InlineData("""{ "skills": [ { "name": "x", "adapter": "missing" } ] }""", "skills[0].adapter")]
    [InlineData("""{ "skills": [ { "name": "x", "output_parser": "yaml" } ] }""", "skills[0].output_parser")]
    [InlineData("""{ "skills": [ { "description": "no name" } ] }""", "skills[0].name")]
    [InlineData("""{ "skills": [ { "name": "bad name!" } ] }""", "skills[0].name")]
    [InlineData("""{ "skills": [ { "name": "a" }, { "name": "a" } ] }""", "skills[1].name")]
    public void InvalidFilesNameTheField(string json, string field)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        Write(temp.Path, json);
        SkillConfigurationException ex = Assert.Throws<SkillConfigurationException>(() => SkillRegistry.Load(temp.Path));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyToPutsInstructionsFirstAndFillsOnlyUnsetOptions()
    {
        var skill = new Skill
        {
            Name = "s",
            Adapter = "ad",
            Instructions = "Be brief.",
            DefaultOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 10, AdditionalProperties = new() { ["min_p"] = 0.1f } },
        };
        ChatOptions request = new ChatOptions { Instructions = "Answer in French.", MaxOutputTokens = 3 };
        ChatOptions applied = skill.ApplyTo(request);
        Assert.Equal("Be brief.\n\nAnswer in French.", applied.Instructions);
        Assert.Equal(3, applied.MaxOutputTokens);
        Assert.Equal(0f, applied.Temperature);
        Assert.Equal(0.1f, applied.AdditionalProperties!["min_p"]);
        Assert.Equal("ad", applied.GetAdapter());
        Assert.Null(request.Temperature); // the request is not modified
        Assert.Equal("other", skill.ApplyTo(new ChatOptions().WithAdapter("other")).GetAdapter());
    }

    [Fact]
    public void OutputParsersParseTextLinesAndJson()
    {
        Assert.Equal("hi", SkillOutputParsers.Get("text")(" hi \n"));
        Assert.Equal(["a", "b"], (string[])SkillOutputParsers.Get("lines")("a\n\n b \n")!);
        Assert.Equal(2, ((JsonElement)SkillOutputParsers.Json("[1, 2] and more")!).GetArrayLength());
        Assert.Throws<FormatException>(() => SkillOutputParsers.Json("no json { here"));
        Assert.Throws<ArgumentException>(() => SkillOutputParsers.Get("yaml"));
    }

    [Fact]
    public void ChatOptionExtensionsUseTheSharedKeys()
    {
        ChatOptions options = new ChatOptions().WithSkill("ocr").WithAdapter("ocr-v2");
        Assert.Equal("ocr", options.AdditionalProperties!["andes.skill"]);
        Assert.Equal("ocr-v2", options.AdditionalProperties["andes.adapter"]);
        Assert.Equal("ocr", options.GetSkill());
        Assert.Equal("ocr-v2", options.GetAdapter());
        options.AdditionalProperties["andes.skill"] = JsonSerializer.SerializeToElement("from-json");
        Assert.Equal("from-json", options.GetSkill());
        options.AdditionalProperties["andes.skill"] = 3;
        Assert.Throws<ArgumentException>(() => options.GetSkill());
        Assert.Null(((ChatOptions?)null).GetAdapter());
    }

    private static string Write(string folder, string json)
    {
        string file = Path.Combine(folder, SkillRegistry.FileName);
        File.WriteAllText(file, json);
        return file;
    }
}
