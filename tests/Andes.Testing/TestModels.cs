using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.Testing;

/// <summary>
/// The generated tiny AndesVL checkpoint and the model folders converted from it, made once per test run and shared by
/// every test (and every test assembly: a file lock serialises the first creation across processes). The cache key is
/// the model builder's assembly version id, so a changed builder makes fresh models.
/// </summary>
public static class TestModels
{
    /// <summary>The seed of the tiny checkpoint.</summary>
    public const ulong TinySeed = 1234;

    private static readonly Lazy<string> Root = new(() =>
    {
        string key = typeof(ModelConverter).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
        string root = Environment.GetEnvironmentVariable("ANDES_TEST_MODELS") ?? Path.Combine(Path.GetTempPath(), "andes-test-models");
        string dir = Path.Combine(root, key);
        Directory.CreateDirectory(dir);
        return dir;
    });

    private static readonly Lazy<string> TinyCheckpointPath = new(() => Ensure("tiny-checkpoint", dir =>
        CheckpointGenerator.Generate(dir, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = TinySeed })));

    private static readonly Lazy<string> TinyFp32Path = new(() => Ensure("tiny-fp32", dir =>
        ModelConverter.Convert(TinyCheckpoint, dir, Fp32Options)));

    private static readonly Lazy<string> TinyInt4Path = new(() => Ensure("tiny-int4", dir =>
        ModelConverter.Convert(TinyCheckpoint, dir, Int4Options)));

    private static readonly Lazy<string> TinyFp32LoraPath = new(() => Ensure("tiny-fp32-lora", dir =>
        ModelConverter.Convert(TinyCheckpoint, dir, Fp32LoraOptions)));

    /// <summary>The tiny checkpoint converted to float32 with LoRA inputs on all seven projections of every layer.</summary>
    public static string TinyFp32LoraModel => TinyFp32LoraPath.Value;

    /// <summary>The conversion options of <see cref="TinyFp32LoraModel"/>.</summary>
    public static ModelConversionOptions Fp32LoraOptions
    {
        get
        {
            ModelConversionOptions options = Fp32Options;
            options.LoraTargets = LoraTargets.All;
            return options;
        }
    }

    /// <summary>
    /// A seeded random PEFT adapter for the tiny checkpoint (generated once per test run and cached under a name built
    /// from the arguments).
    /// </summary>
    /// <param name="seed">The adapter's seed.</param>
    /// <param name="rank">Its rank.</param>
    /// <param name="targets">The adapted projections.</param>
    /// <param name="useRsLora">Whether it uses rsLoRA scaling.</param>
    /// <returns>The adapter folder.</returns>
    public static string TinyPeftAdapter(ulong seed, int rank = 4, LoraTargets targets = LoraTargets.All, bool useRsLora = false) =>
        Ensure($"tiny-adapter-s{seed}-r{rank}-t{(int)targets}{(useRsLora ? "-rs" : string.Empty)}", dir =>
            LoraAdapterGenerator.Generate(TinyCheckpoint, dir, new LoraAdapterGeneratorOptions { Seed = seed, Rank = rank, Targets = targets, UseRsLora = useRsLora }));

    private static readonly Lazy<string> TinyHubRepositoryPath = new(() => Ensure("tiny-hub-repository", dir =>
    {
        // Shards of at most 8 MB, so a download has several LFS files; a README and a file whose path needs
        // percent-encoding (a space and a plus in a sub-folder), as hub repositories have.
        CheckpointGenerator.Generate(dir, CheckpointShape.Tiny, new CheckpointGeneratorOptions { Seed = TinySeed, MaxShardSize = 8_000_000 });
        File.WriteAllText(Path.Combine(dir, "README.md"), "# AndesVL tiny\n\nSeeded random weights of the real tensor names, for tests.\n");
        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        File.WriteAllText(Path.Combine(dir, "docs", "read me+notes.md"), "A path with a space and a plus.\n");
    }));

    /// <summary>
    /// The tiny checkpoint as a hub repository would hold it: sharded safetensors (about 8 MB each) with their index,
    /// the config and tokenizer files, a README and <c>docs/read me+notes.md</c>; for the hub download tests.
    /// </summary>
    public static string TinyHubRepository => TinyHubRepositoryPath.Value;

    /// <summary>The tiny checkpoint (Hugging Face layout).</summary>
    public static string TinyCheckpoint => TinyCheckpointPath.Value;

    private static readonly Lazy<string> TinyTextCheckpointPath = new(() => Ensure("tiny-text-checkpoint", dir =>
    {
        AndesVLConfig config = CheckpointShape.Tiny.CreateConfig();
        config.VisionConfig = null;
        CheckpointGenerator.Generate(dir, config, new CheckpointGeneratorOptions { Seed = TinySeed });
    }));

    /// <summary>The tiny checkpoint without its vision tower (same seed, so the same language-model weights).</summary>
    public static string TinyTextCheckpoint => TinyTextCheckpointPath.Value;

    /// <summary>The tiny checkpoint converted to float32.</summary>
    public static string TinyFp32Model => TinyFp32Path.Value;

    /// <summary>The tiny checkpoint converted to int4 (block 32, symmetric, accuracy level 0 so it is comparable to a float reference).</summary>
    public static string TinyInt4Model => TinyInt4Path.Value;

    /// <summary>The conversion options of <see cref="TinyFp32Model"/>.</summary>
    public static ModelConversionOptions Fp32Options => new() { Precision = WeightPrecision.Float32, ContextLength = 4096 };

    /// <summary>The conversion options of <see cref="TinyInt4Model"/>.</summary>
    public static ModelConversionOptions Int4Options => new() { Precision = WeightPrecision.Int4, BlockSize = 32, Symmetric = true, AccuracyLevel = 0, EmbeddingPrecision = WeightPrecision.Float32, ContextLength = 4096 };

    /// <summary>
    /// A copy of the tiny checkpoint in a temporary folder (config and tokenizer files as they are, weights rewritten as
    /// bf16), without <paramref name="tensorToDrop"/> when one is named: for tests of bad checkpoints.
    /// </summary>
    public static TemporaryDirectory CopyTinyCheckpoint(string? tensorToDrop = null)
    {
        var temp = CreateTemporaryDirectory();
        foreach (string file in Directory.GetFiles(TinyCheckpoint))
        {
            if (!file.EndsWith(".safetensors", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
            }
        }

        using SafeTensorsCheckpoint source = SafeTensorsCheckpoint.Open(TinyCheckpoint);
        var kept = source.Names.Where(n => n != tensorToDrop).Select(n => source.GetInfo(n)).ToList();
        using (SafeTensorsWriter writer = SafeTensorsWriter.Create(Path.Combine(temp.Path, "model.safetensors"), kept.Select(i => new TensorDeclaration(i.Name, TensorDataType.BFloat16, i.Shape))))
        {
            foreach (TensorInfo info in kept)
            {
                var data = new float[info.ElementCount];
                source.ReadFloat32(info.Name, 0, data);
                writer.WriteFloat32(data);
            }

            writer.Complete();
        }

        return temp;
    }

    /// <summary>A fresh temporary folder, deleted when the returned object is disposed.</summary>
    public static TemporaryDirectory CreateTemporaryDirectory() => new();

    /// <summary>A temporary copy of a model folder (its files, not sub-folders), to damage or edit in a test.</summary>
    /// <param name="model">The model folder, for example <see cref="TinyFp32Model"/>.</param>
    /// <param name="withManifest">False leaves out <c>andes_manifest.json</c>, as in a folder another tool wrote.</param>
    public static TemporaryDirectory CopyModel(string model, bool withManifest = true)
    {
        var temp = new TemporaryDirectory();
        foreach (string file in Directory.EnumerateFiles(model))
        {
            if (withManifest || Path.GetFileName(file) != "andes_manifest.json")
            {
                File.Copy(file, Path.Combine(temp.Path, Path.GetFileName(file)));
            }
        }

        return temp;
    }

    private static string Ensure(string name, Action<string> create)
    {
        string target = Path.Combine(Root.Value, name);
        string done = target + ".done";
        if (File.Exists(done))
        {
            return target;
        }

        using FileStream gate = AcquireLock(target + ".lock");
        if (File.Exists(done))
        {
            return target;
        }

        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        create(target);
        File.WriteAllText(done, DateTime.UtcNow.ToString("O"));
        return target;
    }

    private static FileStream AcquireLock(string path)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
