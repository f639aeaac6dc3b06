using Andes.GenAI;
using BenchmarkDotNet.Attributes;

namespace Andes.Benchmarks.Generation.Sampling;

/// <summary>
/// One next-token choice over a Qwen3-sized vocabulary (151936 float32 logits). <see cref="LogitsSampler.Sample"/>
/// only writes to the logits when processors or penalties are active, so only the repetition-penalty case copies the
/// logits first (<see cref="CopyLogits"/> measures that copy alone).
/// </summary>
[MemoryDiagnoser]
public class LogitsSamplerBenchmarks
{
    private const int Vocab = 151936;

    private float[] _source = null!;
    private float[] _work = null!;
    private LogitsSampler _greedy = null!;
    private LogitsSampler _temperature = null!;
    private LogitsSampler _topK50 = null!;
    private LogitsSampler _topP90 = null!;
    private LogitsSampler _qwen3Thinking = null!;
    private LogitsSampler _repetition = null!;

    /// <summary>Gets or sets the logits shape: "flat" (standard normal) or "peaked" (a few dominant tokens, like a trained LM).</summary>
    [Params("flat", "peaked")]
    public string Distribution { get; set; } = "flat";

    /// <summary>Creates the logits and one sampler per configuration.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _source = new float[Vocab];
        for (int i = 0; i < Vocab; i++)
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            _source[i] = (float)(Distribution == "flat" ? normal : normal * 2);
        }

        if (Distribution == "peaked")
        {
            for (int i = 0; i < 40; i++)
            {
                _source[random.Next(Vocab)] = 14f + (float)(random.NextDouble() * 8);
            }
        }

        _work = (float[])_source.Clone();
        _greedy = new LogitsSampler(new GenerationOptions(), Vocab);
        _temperature = new LogitsSampler(new GenerationOptions { DoSample = true, TopK = 0, Temperature = 0.8f, Seed = 1 }, Vocab);
        _topK50 = new LogitsSampler(new GenerationOptions { DoSample = true, TopK = 50, Seed = 1 }, Vocab);
        _topP90 = new LogitsSampler(new GenerationOptions { DoSample = true, TopK = 0, TopP = 0.9f, Seed = 1 }, Vocab);
        _qwen3Thinking = new LogitsSampler(new GenerationOptions { DoSample = true, TopK = 20, TopP = 0.95f, Temperature = 0.6f, Seed = 1 }, Vocab);
        _repetition = new LogitsSampler(new GenerationOptions { RepetitionPenalty = 1.1f }, Vocab);
        int[] previous = new int[1000];
        for (int i = 0; i < previous.Length; i++)
        {
            previous[i] = random.Next(Vocab);
        }

        _repetition.AddPromptTokens(previous);
    }

    /// <summary>Returns the samplers' pooled buffers.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _greedy.Dispose();
        _temperature.Dispose();
        _topK50.Dispose();
        _topP90.Dispose();
        _qwen3Thinking.Dispose();
        _repetition.Dispose();
    }

    /// <summary>Copying the logits (part of the repetition-penalty case).</summary>
    [Benchmark]
    public void CopyLogits() => _source.AsSpan().CopyTo(_work);

    /// <summary>Greedy: one arg-max.</summary>
    [Benchmark(Baseline = true)]
    public int Greedy() => _greedy.Sample(_source);

    /// <summary>Temperature 0.8 over the whole vocabulary, no filters.</summary>
    [Benchmark]
    public int Temperature() => _temperature.Sample(_source);

    /// <summary>Top-k 50, temperature 1.</summary>
    [Benchmark]
    public int TopK50() => _topK50.Sample(_source);

    /// <summary>Top-p 0.9 with top-k off (nucleus over the whole vocabulary).</summary>
    [Benchmark]
    public int TopP90() => _topP90.Sample(_source);

    /// <summary>Qwen3 thinking defaults: top-k 20, top-p 0.95, temperature 0.6.</summary>
    [Benchmark]
    public int Qwen3Thinking() => _qwen3Thinking.Sample(_source);

    /// <summary>Greedy with a repetition penalty over 1000 previous tokens (includes copying the logits).</summary>
    [Benchmark]
    public int RepetitionPenalty1000()
    {
        _source.AsSpan().CopyTo(_work);
        return _repetition.Sample(_work);
    }
}
