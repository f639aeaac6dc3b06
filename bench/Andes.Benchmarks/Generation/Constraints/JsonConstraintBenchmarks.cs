using System.Text.Json;
using Andes.GenAI.Generation;
using Andes.GenAI.Generation.Constraints;
using Andes.GenAI.Generation.Sampling;
using Andes.GenAI.Tokenization;
using Andes.ModelBuilder.Tokenizers;
using BenchmarkDotNet.Attributes;

namespace Andes.Benchmarks.Generation.Constraints;

/// <summary>
/// One masking step of <see cref="JsonConstraintProcessor"/> over the AndesVL vocabulary (151669 tokens, 151936
/// logits) in typical states: the processor has consumed the prefix, and each call builds and applies the mask.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Andes.Benchmarks -- --filter '*JsonConstraint*' --job short</c>.</remarks>
[MemoryDiagnoser]
public class JsonConstraintBenchmarks
{
    private const int Width = 151936;

    private const string Schema = """
        {"type":"object","properties":{
          "name":{"type":"string","maxLength":40},
          "age":{"type":"integer"},
          "role":{"enum":["admin","user","guest"]},
          "tags":{"type":"array","items":{"type":"string"},"maxItems":5}},
         "required":["name","age","role","tags"]}
        """;

    private static readonly Dictionary<string, (bool UseSchema, string Prefix)> States = new()
    {
        ["any:start"] = (false, string.Empty),
        ["any:object-open"] = (false, "{"),
        ["any:after-key"] = (false, "{\"city\""),
        ["any:value-start"] = (false, "{\"city\": "),
        ["any:in-string"] = (false, "{\"city\": \"San Fran"),
        ["any:in-number"] = (false, "{\"n\": [12"),
        ["any:after-value"] = (false, "{\"a\": 1"),
        ["schema:key"] = (true, "{\"name\": \"Alice\", "),
        ["schema:in-string-maxLength"] = (true, "{\"name\": \"Ali"),
        ["schema:enum"] = (true, "{\"name\": \"Alice\", \"age\": 30, \"role\": \""),
        ["schema:in-array"] = (true, "{\"name\": \"Alice\", \"age\": 30, \"role\": \"admin\", \"tags\": [\"a\", "),
    };

    private string _root = string.Empty;
    private AndesTokenizer _tokenizer = null!;
    private JsonConstraintProcessor _processor = null!;
    private LogitsSampler _sampler = null!;
    private float[] _logits = null!;

    /// <summary>Gets or sets the state the mask is computed in.</summary>
    [ParamsSource(nameof(StateNames))]
    public string State { get; set; } = "any:start";

    /// <summary>Gets the benchmarked state names.</summary>
    public static IEnumerable<string> StateNames => States.Keys;

    /// <summary>Builds the tokenizer, the constraint (and its vocabulary index) and consumes the prefix.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), $"andes-bench-tokenizer-{Guid.NewGuid():N}");
        AndesTokenizerAssets.WriteCheckpointFiles(Path.Combine(_root, "checkpoint"));
        TokenizerJsonBuilder.WriteModelFolderFiles(Path.Combine(_root, "checkpoint"), Path.Combine(_root, "model"));
        _tokenizer = AndesTokenizer.Create(Path.Combine(_root, "model", "tokenizer.json"));

        (bool useSchema, string prefix) = States[State];
        using JsonDocument schema = JsonDocument.Parse(Schema);
        JsonConstraint constraint = useSchema ? JsonConstraint.ForSchema(_tokenizer, schema.RootElement) : JsonConstraint.ForAnyJson(_tokenizer);
        _processor = constraint.CreateProcessor();
        _sampler = new LogitsSampler(new GenerationOptions(), Width);
        foreach (int token in _tokenizer.EncodeToIds(prefix))
        {
            _sampler.Accept(token);
        }

        _logits = new float[Width];
        _processor.Process(_logits, _sampler.History);
    }

    /// <summary>Deletes the temporary tokenizer files.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _sampler.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Computes and applies one mask.</summary>
    [Benchmark]
    public void Mask() => _processor.Process(_logits, _sampler.History);
}
