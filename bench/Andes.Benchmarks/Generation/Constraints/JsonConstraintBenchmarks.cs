using System.Text.Json;
using Andes.GenAI;
using Andes.ModelBuilder;
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

    // Prefix consumed before the measured step, and the token budget left after it (null: no budget). "San Fran"
    // with 4 tokens left: closing needs '"}' and the end token, so the budget-aware string path runs.
    private static readonly Dictionary<string, (bool UseSchema, string Prefix, int? TokensLeft)> States = new()
    {
        ["any:start"] = (false, string.Empty, null),
        ["any:object-open"] = (false, "{", null),
        ["any:after-key"] = (false, "{\"city\"", null),
        ["any:value-start"] = (false, "{\"city\": ", null),
        ["any:in-string"] = (false, "{\"city\": \"San Fran", null),
        ["any:in-string-escape"] = (false, "{\"city\": \"San\\", null),
        ["any:in-string-tight-budget"] = (false, "{\"city\": \"San Fran", 4),
        ["any:in-number"] = (false, "{\"n\": [12", null),
        ["any:after-value"] = (false, "{\"a\": 1", null),
        ["schema:key"] = (true, "{\"name\": \"Alice\", ", null),
        ["schema:in-string-maxLength"] = (true, "{\"name\": \"Ali", null),
        ["schema:enum"] = (true, "{\"name\": \"Alice\", \"age\": 30, \"role\": \"", null),
        ["schema:in-array"] = (true, "{\"name\": \"Alice\", \"age\": 30, \"role\": \"admin\", \"tags\": [\"a\", ", null),
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

        (bool useSchema, string prefix, int? tokensLeft) = States[State];
        using JsonDocument schema = JsonDocument.Parse(Schema);
        JsonConstraint constraint = useSchema ? JsonConstraint.ForSchema(_tokenizer, schema.RootElement) : JsonConstraint.ForAnyJson(_tokenizer);
        int[] tokens = _tokenizer.EncodeToIds(prefix);
        _processor = constraint.CreateProcessor(tokens.Length + tokensLeft);
        _sampler = new LogitsSampler(new GenerationOptions(), Width);
        foreach (int token in tokens)
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
