using System.Text;
using Andes.ModelBuilder;

namespace Andes.Testing.Fuzzing;

/// <summary>Fuzz targets of the checkpoint readers: one safetensors file, and a sharded checkpoint's index.</summary>
public static class ModelBuilderFuzzTargets
{
    private static readonly (string Name, TensorDataType Type, long[] Shape)[] Tensors =
    [
        ("model.embed_tokens.weight", TensorDataType.Float32, [2, 3]),
        ("model.norm.weight", TensorDataType.BFloat16, [4]),
        ("lm_head.weight", TensorDataType.Float16, [2, 2]),
        ("position_ids", TensorDataType.Int64, [3]),
        ("mask", TensorDataType.Bool, [2]),
        ("bytes", TensorDataType.UInt8, [5]),
        ("fp8", TensorDataType.Float8E4M3, [4]),
        ("empty", TensorDataType.Float32, [0, 3]),
        ("scalar", TensorDataType.Float64, []),
    ];

    /// <summary>A single safetensors file opened as a checkpoint and read in full: <see cref="CheckpointException"/> only.</summary>
    public static IFuzzTarget SafeTensorsFiles()
    {
        var temp = TemporaryDirectory.InMemory();
        int next = 0;
        return new FuzzTarget<byte[]>(
            "safetensors files (SafeTensorsCheckpoint.Open + reads)",
            [typeof(CheckpointException)],
            () =>
            {
                string all = Path.Combine(temp.Path, "seed-all.safetensors");
                Write(all, Tensors, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" });
                string one = Path.Combine(temp.Path, "seed-one.safetensors");
                Write(one, Tensors[..1], new Dictionary<string, string>());
                return [File.ReadAllBytes(all), File.ReadAllBytes(one)];
            },
            (random, seed, _) => SafeTensorsBytes.Mutate(random, seed),
            bytes =>
            {
                string file = Path.Combine(temp.Path, $"{next++}.safetensors");
                File.WriteAllBytes(file, bytes);
                try
                {
                    using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(file);
                    ReadAll(checkpoint);
                    return "opened";
                }
                finally
                {
                    File.Delete(file);
                }
            },
            SafeTensorsBytes.ShowHeader,
            temp.Dispose);
    }

    /// <summary>A sharded checkpoint folder (index + two shards) opened and read in full: <see cref="CheckpointException"/> only.</summary>
    public static IFuzzTarget ShardedIndexes()
    {
        var temp = TemporaryDirectory.InMemory();
        int next = 0;
        return new FuzzTarget<(string Name, byte[] Bytes)[]>(
            "sharded safetensors (model.safetensors.index.json + shards)",
            [typeof(CheckpointException)],
            () =>
            {
                string dir = Path.Combine(temp.Path, "seed");
                using (ShardedSafeTensorsWriter writer = ShardedSafeTensorsWriter.Create(
                    dir, Tensors.Select(t => new TensorDeclaration(t.Name, t.Type, t.Shape)), new ShardedSafeTensorsWriterOptions { MaxShardSize = 24 }))
                {
                    foreach ((_, TensorDataType type, long[] shape) in Tensors)
                    {
                        writer.WriteBytes(Pattern(ByteLength(type, shape)));
                    }

                    writer.Complete();
                }

                return [Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray()];
            },
            (random, seed, _) =>
            {
                var files = ((string Name, byte[] Bytes)[])seed.Clone();
                int index = Array.FindIndex(files, f => f.Name.EndsWith(".json", StringComparison.Ordinal));
                int pick = random.Next(4) == 0 ? random.Next(files.Length) : index;
                files[pick] = (files[pick].Name, pick == index ? JsonMutator.Mutate(random, files[pick].Bytes) : SafeTensorsBytes.Mutate(random, files[pick].Bytes));
                return files;
            },
            files =>
            {
                string dir = Path.Combine(temp.Path, $"{next++}");
                Directory.CreateDirectory(dir);
                try
                {
                    foreach ((string name, byte[] bytes) in files)
                    {
                        File.WriteAllBytes(Path.Combine(dir, name), bytes);
                    }

                    using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir);
                    ReadAll(checkpoint);
                    return "opened";
                }
                finally
                {
                    Directory.Delete(dir, recursive: true);
                }
            },
            files => string.Join("\n", files.OrderBy(f => !f.Name.EndsWith(".json", StringComparison.Ordinal)).Select(f => f.Name.EndsWith(".json", StringComparison.Ordinal)
                ? $"{f.Name}: {FuzzReport.Escape(Encoding.UTF8.GetString(f.Bytes))}"
                : $"{f.Name}: {SafeTensorsBytes.ShowHeader(f.Bytes)}")),
            temp.Dispose);
    }

    private static void ReadAll(SafeTensorsCheckpoint checkpoint)
    {
        foreach (string name in checkpoint.Names)
        {
            TensorInfo info = checkpoint.GetInfo(name);
            checkpoint.ReadFloat32(name, 0, new float[info.ElementCount]);
            checkpoint.ReadBytes(name, 0, new byte[info.ByteLength]);
        }
    }

    private static void Write(string path, (string Name, TensorDataType Type, long[] Shape)[] tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using SafeTensorsWriter writer = SafeTensorsWriter.Create(path, tensors.Select(t => new TensorDeclaration(t.Name, t.Type, t.Shape)), metadata);
        foreach ((_, TensorDataType type, long[] shape) in tensors)
        {
            writer.WriteBytes(Pattern(ByteLength(type, shape)));
        }

        writer.Complete();
    }

    private static long ByteLength(TensorDataType type, long[] shape) => shape.Aggregate(1L, (a, b) => a * b) * type.GetElementSize();

    private static byte[] Pattern(long length) => [.. Enumerable.Range(0, (int)length).Select(i => (byte)(0x3C + (i % 7)))];
}
