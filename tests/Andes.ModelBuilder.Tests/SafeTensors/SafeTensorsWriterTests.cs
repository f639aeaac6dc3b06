using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.SafeTensors;

public class SafeTensorsWriterTests
{
    [Fact]
    public void Writes_cannot_cross_a_tensor_or_pass_the_end()
    {
        using var dir = new TempDirectory();
        using var writer = SafeTensorsWriter.Create(dir.File("w.safetensors"), [new("a", TensorDataType.Float16, [4]), new("b", TensorDataType.Float16, [2])]);
        Assert.Equal(12, writer.DataLength);
        writer.WriteFloat32([1, 2, 3]);
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => writer.WriteFloat32([4, 5]));
        Assert.Contains("'a'", ex.Message);
        writer.WriteFloat32([4]);
        Assert.Equal("b", writer.CurrentTensor?.Name);
        writer.WriteFloat32([5, 6]);
        Assert.Null(writer.CurrentTensor);
        Assert.Throws<InvalidOperationException>(() => writer.WriteFloat32([7]));
        writer.Complete();
        Assert.Equal(writer.FileLength, new FileInfo(writer.FilePath).Length);
        Assert.Throws<InvalidOperationException>(() => writer.WriteFloat32([7]));
    }

    [Fact]
    public void Complete_names_the_first_unwritten_tensor_and_dispose_deletes_the_partial_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("p.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("a", TensorDataType.BFloat16, [4]), new("b", TensorDataType.BFloat16, [2])]))
        {
            writer.WriteFloat32([1, 2, 3, 4]);
            writer.WriteFloat32([1]);
            InvalidOperationException ex = Assert.Throws<InvalidOperationException>(writer.Complete);
            Assert.Contains("'b'", ex.Message);
            Assert.Contains("2 of its 4 bytes", ex.Message);
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Declarations_are_validated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("v.safetensors");
        Assert.Contains("'a'", Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Create(path, [new("a", TensorDataType.Float32, [1]), new("a", TensorDataType.Float32, [1])])).Message);
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Create(path, [new("__metadata__", TensorDataType.Float32, [1])]));
        Assert.Contains("'n'", Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Create(path, [new("n", TensorDataType.Float32, [2, -1])])).Message);
        Assert.Throws<ArgumentException>(() => ShardedSafeTensorsWriter.Create(dir.Path, [], new ShardedSafeTensorsWriterOptions { MaxShardSize = 0 }));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Integer_tensors_take_raw_bytes_only()
    {
        using var dir = new TempDirectory();
        string path = dir.File("i.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("ids", TensorDataType.Int32, [2]), new("mask", TensorDataType.Bool, [3])]))
        {
            NotSupportedException ex = Assert.Throws<NotSupportedException>(() => writer.WriteFloat32([1, 2]));
            Assert.Contains("'ids'", ex.Message);
            writer.WriteBytes([0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0]);
            writer.WriteBytes([1, 0, 1]);
            writer.Complete();
        }

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Equal([-1f, 7f], file.ReadFloat32("ids", 2));
        Assert.Equal([1f, 0f, 1f], file.ReadFloat32("mask", 3));
        Assert.Equal(TensorDataType.Int32, file.GetInfo("ids").DataType);
    }

    [Fact]
    public void Custom_metadata_is_written()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [], new Dictionary<string, string> { ["format"] = "pt", ["source"] = "andes" }))
        {
            writer.Complete();
        }

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Equal("andes", file.Metadata["source"]);
        Assert.Equal("pt", file.Metadata["format"]);
    }
}
