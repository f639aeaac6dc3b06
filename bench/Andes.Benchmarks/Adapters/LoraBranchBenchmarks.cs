using Andes.ModelBuilder;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace Andes.Benchmarks.Adapters;

/// <summary>
/// What one decode step's LoRA branches cost on ONNX Runtime's CPU kernels, per graph layout, without the rest of the
/// decoder: 28 layers of the <c>1b</c> shape (hidden 1024, q 2048, k/v 1024, intermediate 3072), all seven projections,
/// one token. The A/B matrices are graph inputs, fed like an active adapter's; each branch adds onto the previous
/// layer's output (as onto a base projection's). Between runs 512 MB are written, so the matrices come from memory as
/// they do after a layer's int4 weights have streamed through the caches.
/// </summary>
/// <remarks>
/// Layouts: <c>Fp32</c> is the converter's (one A product per group of projections reading the same activation, a
/// Split, one Gemm per projection with C = the base output); <c>BlockDiagonalQkv</c> replaces q/k/v's Split and three
/// Gemms by one Gemm over a block-diagonal B (for a fused q/k/v base projection); <c>Fp16Cast</c> stores the matrices
/// as float16 with a Cast each; <c>Int8DynamicQuantize</c> stores them as int8 with per-column scales
/// (com.microsoft DynamicQuantizeMatMul, then an Add); <c>PackedPerLayer</c> feeds one [rows, r] tensor per layer
/// split into the 14 matrices. <c>None</c> is the graph without branches.
/// Run: <c>dotnet run -c Release --project bench/Andes.Benchmarks -- --filter '*LoraBranch*'</c>.
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 40, invocationCount: 1)]
public class LoraBranchBenchmarks
{
    private const int Hidden = 1024, QWidth = 2048, KvWidth = 1024, Intermediate = 3072, Layers = 28;

    private readonly byte[] _evict = new byte[512 << 20];
    private InferenceSession _session = null!;
    private RunOptions _runOptions = null!;
    private string[] _inputNames = null!;
    private OrtValue[] _inputs = null!;
    private string[] _outputNames = null!;
    private string _directory = null!;
    private int _round;

    /// <summary>The graph layout.</summary>
    [Params("None", "Fp32", "BlockDiagonalQkv", "Fp16Cast", "Int8DynamicQuantize", "PackedPerLayer")]
    public string Layout { get; set; } = "Fp32";

    /// <summary>LoRA rank: 16 (the adapters) or 1 (what the nodes cost without the data).</summary>
    [Params(1, 16)]
    public int Rank { get; set; } = 16;

    /// <summary>Writes the graph for <see cref="Layout"/> and <see cref="Rank"/> and opens it.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("andes-lora-bench").FullName;
        string path = Path.Combine(_directory, "branches.onnx");
        var feeds = new Dictionary<string, OrtValue>();
        new LoraBranchGraph(Layout, Rank, feeds).Write(path);
        using var options = new SessionOptions { IntraOpNumThreads = 2, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(path, options);
        _runOptions = new RunOptions();
        _inputNames = [.. feeds.Keys];
        _inputs = [.. feeds.Values];
        _outputNames = [.. _session.OutputMetadata.Keys];
        long bytes = _inputs.Sum(v => v.GetTensorSizeInBytes());
        Console.WriteLine($"// {Layout}, rank {Rank}: {_session.InputMetadata.Count} inputs, {bytes / 1048576.0:F1} MiB fed per run");
    }

    /// <summary>Evicts the caches before each run.</summary>
    [IterationSetup]
    public void Evict() => Array.Fill(_evict, (byte)++_round);

    /// <summary>One decode step's branches.</summary>
    [Benchmark]
    public void Run()
    {
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(_runOptions, _inputNames, _inputs, _outputNames);
    }

    /// <summary>Disposes the session and the inputs.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _runOptions.Dispose();
        foreach (OrtValue value in _inputs)
        {
            value.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private sealed class LoraBranchGraph(string layout, int rank, Dictionary<string, OrtValue> feeds)
    {
        private readonly Random _random = new(1);
        private readonly Dictionary<string, string> _latest = [];
        private OnnxGraphBuilder _g = null!;

        public void Write(string path)
        {
            using var g = new OnnxGraphBuilder("lora_branches", null);
            _g = g;
            string attention = Activation("attn_input", Hidden);
            string attentionOut = Activation("o_input", QWidth);
            string mlpOut = Activation("down_input", Intermediate);
            for (int layer = 0; layer < Layers && layout != "None"; layer++)
            {
                string p = $"layers.{layer}.";
                if (layout == "PackedPerLayer")
                {
                    Packed(p, attention, attentionOut, mlpOut);
                    continue;
                }

                string aQkv = Matrix(p + "qkv.A", Hidden, 3 * rank);
                string xaQkv = Product(attention, aQkv, p + "qkv.xa");
                if (layout == "BlockDiagonalQkv")
                {
                    AddDelta(xaQkv, Matrix(p + "qkv.B", 3 * rank, QWidth + (2 * KvWidth)), "qkv", QWidth + (2 * KvWidth));
                }
                else
                {
                    string[] parts = g.Node("Split", [xaQkv], [p + "q.xa", p + "k.xa", p + "v.xa"], "", ("axis", -1L), ("num_outputs", 3L));
                    AddDelta(parts[0], Matrix(p + "q.B", rank, QWidth), "q", QWidth);
                    AddDelta(parts[1], Matrix(p + "k.B", rank, KvWidth), "k", KvWidth);
                    AddDelta(parts[2], Matrix(p + "v.B", rank, KvWidth), "v", KvWidth);
                }

                AddDelta(Product(attentionOut, Matrix(p + "o.A", QWidth, rank), p + "o.xa"), Matrix(p + "o.B", rank, Hidden), "o", Hidden);
                string xaGateUp = Product(attention, Matrix(p + "gate_up.A", Hidden, 2 * rank), p + "gate_up.xa");
                string[] gateUp = g.Node("Split", [xaGateUp], [p + "gate.xa", p + "up.xa"], "", ("axis", -1L), ("num_outputs", 2L));
                AddDelta(gateUp[0], Matrix(p + "gate.B", rank, Intermediate), "gate", Intermediate);
                AddDelta(gateUp[1], Matrix(p + "up.B", rank, Intermediate), "up", Intermediate);
                AddDelta(Product(mlpOut, Matrix(p + "down.A", Intermediate, rank), p + "down.xa"), Matrix(p + "down.B", rank, Hidden), "down", Hidden);
            }

            if (_latest.Count == 0)
            {
                _latest["none"] = attention;
            }

            foreach ((string projection, string value) in _latest)
            {
                g.Output(g.Node("Identity", [value], projection + ".out"), OnnxDataType.Float, 1, "width");
            }

            g.Save(path, "bench");
        }

        private string Activation(string name, int width)
        {
            feeds[name] = Floats(1, width);
            return _g.Input(name, OnnxDataType.Float, 1, width);
        }

        // The previous value of this projection's output (the base output the branch adds to).
        private string Base(string projection, int width)
        {
            if (!_latest.TryGetValue(projection, out string? value))
            {
                value = Activation(projection + ".base", width);
            }

            return value;
        }

        private string Matrix(string name, int rows, int columns)
        {
            switch (layout)
            {
                case "Fp16Cast":
                    feeds[name] = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, rows * columns).Select(_ => (Float16)(float)(_random.NextDouble() - 0.5)).ToArray(), [rows, columns]);
                    return _g.Node("Cast", [_g.Input(name, OnnxDataType.Float16, rows, columns)], name + ".f32", "", ("to", (long)OnnxDataType.Float));
                case "Int8DynamicQuantize":
                    feeds[name] = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, rows * columns).Select(_ => (sbyte)_random.Next(-127, 128)).ToArray(), [rows, columns]);
                    feeds[name + ".scale"] = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(0.01f, columns).ToArray(), [columns]);
                    _g.Input(name + ".scale", OnnxDataType.Float, columns);
                    return _g.Input(name, OnnxDataType.Int8, rows, columns);
                default:
                    feeds[name] = Floats(rows, columns);
                    return _g.Input(name, OnnxDataType.Float, rows, columns);
            }
        }

        private string Product(string x, string a, string name) => layout == "Int8DynamicQuantize"
            ? _g.Node("DynamicQuantizeMatMul", [x, a, a + ".scale"], name, "com.microsoft")
            : _g.Node("MatMul", [x, a], name);

        private void AddDelta(string xa, string b, string projection, int width)
        {
            string c = Base(projection, width);
            _latest[projection] = layout == "Int8DynamicQuantize"
                ? _g.Node("Add", [c, _g.Node("DynamicQuantizeMatMul", [xa, b, b + ".scale"], projection + ".delta", "com.microsoft")], projection + ".sum")
                : _g.Node("Gemm", [xa, b, c], projection + ".sum", "", ("alpha", 1f), ("beta", 1f));
        }

        // One [rows, r] tensor per layer (A matrices [K, r], B matrices transposed [N, r]), split into the 14 matrices.
        private void Packed(string p, string attention, string attentionOut, string mlpOut)
        {
            (string Projection, string Input, int K, int N)[] projections =
            [
                ("q", attention, Hidden, QWidth), ("k", attention, Hidden, KvWidth), ("v", attention, Hidden, KvWidth),
                ("gate", attention, Hidden, Intermediate), ("up", attention, Hidden, Intermediate),
                ("o", attentionOut, QWidth, Hidden), ("down", mlpOut, Intermediate, Hidden),
            ];
            long[] rows = [.. projections.Select(x => (long)x.K), .. projections.Select(x => (long)x.N)];
            int total = (int)rows.Sum();
            feeds[p + "packed"] = Floats(total, rank);
            string packed = _g.Input(p + "packed", OnnxDataType.Float, total, rank);
            string[] matrices = _g.Node("Split", [packed, _g.Vector(p + "packed.rows", rows)], rows.Select((_, i) => $"{p}m{i}").ToArray(), "", ("axis", 0L));
            for (int j = 0; j < projections.Length; j++)
            {
                (string projection, string input, _, int n) = projections[j];
                string xa = _g.Node("MatMul", [input, matrices[j]], p + projection + ".xa");
                _latest[projection] = _g.Node("Gemm", [xa, matrices[projections.Length + j], Base(projection, n)], projection + ".sum", "", ("alpha", 1f), ("beta", 1f), ("transB", 1L));
            }
        }

        private OrtValue Floats(int rows, int columns)
            => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, rows * columns).Select(_ => (float)(_random.NextDouble() - 0.5)).ToArray(), [rows, columns]);
    }
}
