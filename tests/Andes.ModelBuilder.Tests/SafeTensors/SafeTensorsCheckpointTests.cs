using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.SafeTensors;

public class SafeTensorsCheckpointTests
{
    // Five tensors of 400, 400, 800, 80 and 400 bytes (BF16).
    private static readonly TensorDeclaration[] Tensors =
    [
        new("a", TensorDataType.BFloat16, [10, 20]),
        new("b", TensorDataType.BFloat16, [200]),
        new("c", TensorDataType.BFloat16, [400]),
        new("d", TensorDataType.BFloat16, [40]),
        new("e", TensorDataType.BFloat16, [2, 100]),
    ];

    [Fact]
    public void Sharded_writer_splits_at_the_max_shard_size_and_the_checkpoint_reads_it_back()
    {
        using var dir = new TempDirectory();
        WriteAll(dir.Path, maxShardSize: 850);

        // Greedy in order: [a, b] = 800, [c] = 800 (a + b + c would pass 850), [d, e] = 480.
        Assert.Equal(
            ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors", "model.safetensors.index.json"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(dir.File("model.safetensors")));

        using JsonDocument index = JsonDocument.Parse(File.ReadAllText(dir.File("model.safetensors.index.json")));
        Assert.Equal(2080, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        JsonElement map = index.RootElement.GetProperty("weight_map");
        Assert.Equal("model-00001-of-00003.safetensors", map.GetProperty("b").GetString());
        Assert.Equal("model-00002-of-00003.safetensors", map.GetProperty("c").GetString());
        Assert.Equal("model-00003-of-00003.safetensors", map.GetProperty("e").GetString());

        foreach (string path in new[] { dir.Path, dir.File("model.safetensors.index.json") })
        {
            using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(path);
            Assert.Equal(["a", "b", "c", "d", "e"], checkpoint.Names);
            Assert.Equal(3, checkpoint.Files.Count);
            Assert.Equal(2080, checkpoint.IndexMetadata["total_size"].GetInt64());
            foreach (TensorDeclaration t in Tensors)
            {
                TensorInfo info = checkpoint.GetInfo(t.Name);
                Assert.Equal(t.Shape, info.Shape);
                Assert.Equal(Values(t), checkpoint.ReadFloat32(t.Name, t.Shape));
            }

            Assert.EndsWith("model-00002-of-00003.safetensors", checkpoint.GetInfo("c").FilePath);
            float[] part = new float[5];
            checkpoint.ReadFloat32("e", 150, part);
            Assert.Equal(Values(Tensors[4]).Skip(150).Take(5), part);
        }
    }

    [Fact]
    public void A_checkpoint_that_fits_one_shard_is_a_single_model_safetensors()
    {
        using var dir = new TempDirectory();
        WriteAll(dir.Path, maxShardSize: 1 << 20);
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));

        foreach (string path in new[] { dir.Path, dir.File("model.safetensors") })
        {
            using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(path);
            Assert.Single(checkpoint.Files);
            Assert.Empty(checkpoint.IndexMetadata);
            Assert.Equal(Values(Tensors[2]), checkpoint.ReadFloat32("c", 400));
        }
    }

    [Fact]
    public void A_tensor_larger_than_the_max_shard_size_gets_its_own_shard()
    {
        using var dir = new TempDirectory();
        WriteAll(dir.Path, maxShardSize: 100);
        Assert.Equal(5, Directory.GetFiles(dir.Path, "model-*-of-00005.safetensors").Length);
        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        Assert.Equal(Values(Tensors[3]), checkpoint.ReadFloat32("d", 40));
    }

    [Fact]
    public void Sharded_writer_reports_progress_and_refuses_misuse()
    {
        using var dir = new TempDirectory();
        using var writer = ShardedSafeTensorsWriter.Create(dir.Path, Tensors, new ShardedSafeTensorsWriterOptions { MaxShardSize = 850 });
        Assert.Equal(2080, writer.TotalBytes);
        Assert.Equal("a", writer.CurrentTensor?.Name);
        writer.WriteFloat32(Values(Tensors[0]));
        Assert.Equal(400, writer.BytesWritten);
        Assert.Equal("b", writer.CurrentTensor?.Name);
        InvalidOperationException tooMuch = Assert.Throws<InvalidOperationException>(() => writer.WriteFloat32(new float[201]));
        Assert.Contains("'b'", tooMuch.Message);
        InvalidOperationException early = Assert.Throws<InvalidOperationException>(writer.Complete);
        Assert.Contains("'b'", early.Message);
    }

    [Fact]
    public void An_incomplete_sharded_checkpoint_is_deleted_on_dispose()
    {
        using var dir = new TempDirectory();
        using (var writer = ShardedSafeTensorsWriter.Create(dir.Path, Tensors, new ShardedSafeTensorsWriterOptions { MaxShardSize = 850 }))
        {
            writer.WriteFloat32(Values(Tensors[0]));
            writer.WriteFloat32(Values(Tensors[1]));
            writer.WriteFloat32(Values(Tensors[2]));
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Index_naming_a_missing_shard()
    {
        using var dir = new TempDirectory();
        WriteAll(dir.Path, maxShardSize: 850);
        File.Delete(dir.File("model-00002-of-00003.safetensors"));
        CheckpointException ex = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("model-00002-of-00003.safetensors", ex.Message);
        Assert.Contains("model.safetensors.index.json", ex.Message);
        Assert.Contains("'c'", ex.Message);
    }

    [Fact]
    public void Index_mapping_a_tensor_to_a_shard_without_it()
    {
        using var dir = new TempDirectory();
        WriteAll(dir.Path, maxShardSize: 850);
        RewriteIndex(dir, map => map["c"] = "model-00001-of-00003.safetensors");
        CheckpointException ex = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("model-00001-of-00003.safetensors", ex.Message);
        Assert.Contains("'c'", ex.Message);
        Assert.Equal("c", ex.TensorName);

        RewriteIndex(dir, map =>
        {
            map["c"] = "model-00002-of-00003.safetensors";
            map["ghost"] = "model-00001-of-00003.safetensors";
        });
        ex = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("'ghost'", ex.Message);
    }

    [Fact]
    public void The_same_tensor_in_two_shards()
    {
        using var dir = new TempDirectory();
        using (var writer = ShardedSafeTensorsWriter.Create(dir.Path, [new("x", TensorDataType.Float32, [1]), new("y", TensorDataType.Float32, [1])], new ShardedSafeTensorsWriterOptions { MaxShardSize = 4 }))
        {
            writer.WriteFloat32([1f]);
            writer.WriteFloat32([2f]);
            writer.Complete();
        }

        // Replace shard 2 with a file holding both y and x.
        RawSafeTensors.Write(
            dir.File("model-00002-of-00002.safetensors"),
            """{"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""",
            RawSafeTensors.Floats(2f, 1f));
        CheckpointException ex = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("'x'", ex.Message);
        Assert.Contains("model-00001-of-00002.safetensors", ex.Message);
        Assert.Contains("model-00002-of-00002.safetensors", ex.Message);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"metadata":{}}""", "weight_map")]
    [InlineData("""{"weight_map":{"a":5}}""", "'a'")]
    [InlineData("""{"weight_map":{"a":"model.safetensors","a":"model.safetensors"}}""", "twice")]
    [InlineData("""{"weight_map":{"a":"../elsewhere.safetensors"}}""", "outside")]
    [InlineData("""{"weight_map":{"a\ud800":"model.safetensors"}}""", "names tensor \"a\\ud800\"")]
    [InlineData("""{"weight_map":{"a":"model\udc00.safetensors"}}""", "'a'")]
    [InlineData("""{"metadata":{"total\ud800":1},"weight_map":{"a":"model.safetensors"}}""", "metadata key")]
    [InlineData("""{"weight\udc00map":{},"weight_map":{"a":"model.safetensors"}}""", "not valid Unicode")]
    public void Invalid_index_files(string json, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.safetensors.index.json"), json);
        CheckpointException ex = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("model.safetensors.index.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Nothing_to_open()
    {
        using var dir = new TempDirectory();
        CheckpointException empty = Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.Path));
        Assert.Contains("model.safetensors", empty.Message);
        Assert.Throws<CheckpointException>(() => SafeTensorsCheckpoint.Open(dir.File("missing")));
    }

    [Fact]
    public void Missing_tensor_names_the_checkpoint()
    {
        using var dir = new TempDirectory();
        WriteAll(dir.Path, maxShardSize: 850);
        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(dir.Path);
        Assert.False(checkpoint.Contains("z"));
        Assert.True(checkpoint.Contains("a"));
        CheckpointException ex = Assert.Throws<CheckpointException>(() => checkpoint.ReadFloat32("z", 0, new float[1]));
        Assert.Contains("'z'", ex.Message);
        Assert.Contains("model.safetensors.index.json", ex.Message);
    }

    private static void WriteAll(string directory, long maxShardSize)
    {
        using var writer = ShardedSafeTensorsWriter.Create(directory, Tensors, new ShardedSafeTensorsWriterOptions { MaxShardSize = maxShardSize });
        foreach (TensorDeclaration t in Tensors)
        {
            float[] values = Values(t);
            writer.WriteFloat32(values.AsSpan(0, values.Length / 2));
            writer.WriteFloat32(values.AsSpan(values.Length / 2));
        }

        writer.Complete();
        Assert.Equal(writer.TotalBytes, writer.BytesWritten);
        Assert.Null(writer.CurrentTensor);
    }

    /// <summary>Small whole numbers: exact in bfloat16, different per tensor.</summary>
    private static float[] Values(TensorDeclaration t) =>
        Enumerable.Range(0, (int)t.ElementCount).Select(i => (float)(((i * 7) + t.Name[0]) % 255)).ToArray();

    private static void RewriteIndex(TempDirectory dir, Action<Dictionary<string, string>> change)
    {
        string path = dir.File("model.safetensors.index.json");
        using JsonDocument index = JsonDocument.Parse(File.ReadAllText(path));
        var map = index.RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        change(map);
        File.WriteAllText(path, JsonSerializer.Serialize(new { metadata = new { total_size = 2080 }, weight_map = map }));
    }
}
