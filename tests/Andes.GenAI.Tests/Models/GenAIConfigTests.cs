using Andes.GenAI.Models;
using Andes.GenAI.Runtime;
using Andes.Testing;

namespace Andes.GenAI.Tests.Models;

public sealed class GenAIConfigTests
{
    private static string ConfigText => File.ReadAllText(Path.Combine(TestModels.TinyFp32Model, GenAIConfig.FileName));

    [Fact]
    public void ReadsTheConvertedConfig()
    {
        GenAIConfig config = GenAIConfig.Load(TestModels.TinyFp32Model);
        Assert.Equal(2, config.Model.Decoder.NumHiddenLayers);
        Assert.Equal([151645, 151643], config.Model.EosTokenId);
    }

    [Fact]
    public void UnknownFieldIsAnErrorNamingFieldAndFile()
    {
        string json = ConfigText.Replace("\"head_size\":", "\"head_sise\": 3, \"head_size\":", StringComparison.Ordinal);
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json, "bad/genai_config.json"));
        Assert.Equal("model.decoder.head_sise", ex.Field);
        Assert.Contains("bad/genai_config.json", ex.Message);
        Assert.Contains("head_sise", ex.Message);
    }

    [Fact]
    public void InvalidValueIsAnErrorNamingTheField()
    {
        string json = ConfigText.Replace("\"context_length\": 4096", "\"context_length\": -1", StringComparison.Ordinal);
        var ex = Assert.Throws<ModelConfigurationException>(() => Parse(json, "genai_config.json"));
        Assert.Equal("model.context_length", ex.Field);
        Assert.Contains("-1", ex.Message);

        string wrongType = ConfigText.Replace("\"context_length\": 4096", "\"context_length\": \"long\"", StringComparison.Ordinal);
        var typeError = Assert.Throws<ModelConfigurationException>(() => Parse(wrongType, "genai_config.json"));
        Assert.Equal("model.context_length", typeError.Field);
    }

    [Fact]
    public void EosTokenIdAcceptsAnIntOrAnArray()
    {
        string json = ConfigText.Replace("\"eos_token_id\": [\n      151645,\n      151643\n    ]", "\"eos_token_id\": 7", StringComparison.Ordinal);
        Assert.Equal([7], Parse(json, "x").Model.EosTokenId);
    }

    [Fact]
    public void MissingFolderIsAClearError()
    {
        var ex = Assert.Throws<ModelConfigurationException>(() => GenAIConfig.Load("/no/such/model"));
        Assert.Contains("/no/such/model", ex.Message);
    }

    [Fact]
    public void GraphInputNameMismatchIsNamedAtLoad()
    {
        using TemporaryDirectory temp = CopyModel();
        string path = Path.Combine(temp.Path, GenAIConfig.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"past_key_values.%d.key\"", "\"past.%d.key\"", StringComparison.Ordinal));
        var ex = Assert.Throws<ModelConfigurationException>(() => AndesModel.Load(temp.Path));
        Assert.Equal("model.decoder.inputs.past_key_names", ex.Field);
        Assert.Contains("past.0.key", ex.Message);
    }

    [Fact]
    public void MissingExecutionProviderIsAClearErrorUnlessFallbackIsAllowed()
    {
        var options = new AndesModelOptions { ExecutionProviders = [ExecutionProvider.Qnn()] };
        var ex = Assert.Throws<ExecutionProviderNotAvailableException>(() => AndesModel.Load(TestModels.TinyFp32Model, options));
        Assert.Equal("qnn", ex.Provider);
        Assert.Contains("CPUExecutionProvider", ex.AvailableProviders);
        Assert.Contains("Microsoft.ML.OnnxRuntime.QNN", ex.Message);

        options.AllowCpuFallback = true;
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model, options);
        Assert.Equal(4096, model.ContextLength);
    }

    [Fact]
    public void ProvidersInTheConfigAreHonoured()
    {
        using TemporaryDirectory temp = CopyModel();
        string path = Path.Combine(temp.Path, GenAIConfig.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"provider_options\": []", "\"provider_options\": [ { \"qnn\": { \"backend_path\": \"QnnHtp.dll\" } } ]", StringComparison.Ordinal));
        Assert.Throws<ExecutionProviderNotAvailableException>(() => AndesModel.Load(temp.Path));
    }

    private static GenAIConfig Parse(string json, string name)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return GenAIConfig.Parse(stream, name);
    }

    private static TemporaryDirectory CopyModel()
    {
        var temp = TestModels.CreateTemporaryDirectory();
        foreach (string file in Directory.GetFiles(TestModels.TinyFp32Model))
        {
            File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
        }

        return temp;
    }
}
