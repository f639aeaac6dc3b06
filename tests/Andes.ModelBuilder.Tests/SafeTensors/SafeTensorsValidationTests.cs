using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.SafeTensors;

/// <summary>Every kind of corrupt file gives a <see cref="CheckpointException"/> naming the file and the tensor.</summary>
public class SafeTensorsValidationTests
{
    private const string Valid = """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""";

    [Fact]
    public void A_valid_hand_built_file_opens()
    {
        using var dir = new TempDirectory();
        using SafeTensorsFile file = SafeTensorsFile.Open(RawSafeTensors.Write(dir.File("ok.safetensors"), Valid, RawSafeTensors.Floats(1, 2, 3, 4)));
        Assert.Equal([1f, 2f, 3f, 4f], file.ReadFloat32("w", 2, 2));
    }

    [Fact]
    public void Header_length_larger_than_the_file()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("long.safetensors"), Valid, RawSafeTensors.Floats(1, 2, 3, 4), declaredHeaderLength: 5000);
        CheckpointException ex = Expect(path, tensor: null);
        Assert.Contains("5000", ex.Message);
    }

    [Fact]
    public void Absurd_header_length()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("absurd.safetensors"), Valid, RawSafeTensors.Floats(1, 2, 3, 4), declaredHeaderLength: 1UL << 40);
        CheckpointException ex = Expect(path, tensor: null);
        Assert.Contains("100 MB", ex.Message);
    }

    [Fact]
    public void File_shorter_than_the_length_prefix()
    {
        using var dir = new TempDirectory();
        string path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Expect(path, tensor: null);
        File.WriteAllBytes(path, []);
        Expect(path, tensor: null);
    }

    [Fact]
    public void Truncated_data_names_the_cut_tensor()
    {
        using var dir = new TempDirectory();
        string path = dir.File("cut.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("first", TensorDataType.BFloat16, [10]), new("second", TensorDataType.BFloat16, [10])]))
        {
            writer.WriteFloat32(new float[10]);
            writer.WriteFloat32(new float[10]);
            writer.Complete();
        }

        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 3);
        }

        CheckpointException ex = Expect(path, "second");
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Invalid_json()
    {
        using var dir = new TempDirectory();
        Expect(RawSafeTensors.Write(dir.File("json.safetensors"), """{"w":{"dtype":"F32",""", RawSafeTensors.Floats(1, 2, 3, 4)), tensor: null);
        Expect(RawSafeTensors.Write(dir.File("array.safetensors"), "[1, 2]", []), tensor: null);
        Expect(RawSafeTensors.Write(dir.File("meta.safetensors"), """{"__metadata__":{"a":1}}""", []), tensor: null);
    }

    [Fact]
    public void Unknown_dtype()
    {
        using var dir = new TempDirectory();
        CheckpointException ex = Expect(
            RawSafeTensors.Write(dir.File("dtype.safetensors"), """{"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}""", new byte[16]),
            "w");
        Assert.Contains("F128", ex.Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,20]}}""", "outside the data area")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]}}""", "outside the data area")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", "needs 16 bytes")]
    [InlineData("""{"w":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,16]}}""", "needs 8 bytes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}}""", "end before")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,-2],"data_offsets":[0,16]}}""", "shape entry 1")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2,2.5],"data_offsets":[0,16]}}""", "shape entry 1")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0]}}""", "data_offsets")]
    [InlineData("""{"w":{"dtype":"F32","data_offsets":[0,16]}}""", "shape")]
    [InlineData("""{"w":{"shape":[4],"data_offsets":[0,16]}}""", "dtype")]
    [InlineData("""{"w":[1,2]}""", "expected an object")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}""", "too large")]
    public void Bad_tensor_entries(string header, string expected)
    {
        using var dir = new TempDirectory();
        CheckpointException ex = Expect(RawSafeTensors.Write(dir.File("entry.safetensors"), header, new byte[16]), "w");
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Overlapping_tensors()
    {
        using var dir = new TempDirectory();
        string header = """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""";
        CheckpointException ex = Expect(RawSafeTensors.Write(dir.File("overlap.safetensors"), header, new byte[16]), "b");
        Assert.Contains("'a'", ex.Message);
        Assert.Contains("overlap", ex.Message);
    }

    [Fact]
    public void Duplicate_tensor_in_one_header()
    {
        using var dir = new TempDirectory();
        string header = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""";
        Expect(RawSafeTensors.Write(dir.File("dup.safetensors"), header, new byte[8]), "a");
    }

    [Fact]
    public void Missing_tensor_and_missing_file()
    {
        using var dir = new TempDirectory();
        string path = RawSafeTensors.Write(dir.File("ok.safetensors"), Valid, RawSafeTensors.Floats(1, 2, 3, 4));
        using (SafeTensorsFile file = SafeTensorsFile.Open(path))
        {
            CheckpointException ex = Assert.Throws<CheckpointException>(() => file.GetInfo("nope"));
            Assert.Contains("ok.safetensors", ex.Message);
            Assert.Contains("'nope'", ex.Message);
            Assert.Equal("nope", ex.TensorName);
            Assert.Throws<CheckpointException>(() => file.ReadFloat32("nope", 0, new float[1]));
        }

        CheckpointException missing = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(dir.File("absent.safetensors")));
        Assert.Contains("absent.safetensors", missing.Message);
    }

    [Fact]
    public void Disposed_file_refuses_reads()
    {
        using var dir = new TempDirectory();
        SafeTensorsFile file = SafeTensorsFile.Open(RawSafeTensors.Write(dir.File("ok.safetensors"), Valid, RawSafeTensors.Floats(1, 2, 3, 4)));
        file.Dispose();
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadFloat32("w", 0, new float[1]));
    }

    /// <summary>Issue 14: strings that are not valid Unicode are a CheckpointException, never an InvalidOperationException.</summary>
    [Theory]
    [InlineData("""{"w\ud800":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", null, "w\\ud800")]
    [InlineData("""{"w":{"dtype":"F\udc00","shape":[2,2],"data_offsets":[0,16]}}""", "w", "dtype")]
    [InlineData("""{"w":{"dt\udc00ype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", "w", "dt\\udc00ype")]
    [InlineData("""{"w":{"dtype":"F32","shape":["\ud800"],"data_offsets":[0,16]}}""", "w", "shape entry 0 (\"\\ud800\") is not a non-negative integer")]
    [InlineData("""{"__metadata__":{"k\ud800":"v"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", null, "__metadata__")]
    [InlineData("""{"__metadata__":{"k":"v\udc00"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}""", null, "__metadata__.k")]
    public void Lone_surrogate_escapes(string header, string? tensor, string expected)
    {
        using var dir = new TempDirectory();
        CheckpointException ex = Expect(RawSafeTensors.Write(dir.File("surrogate.safetensors"), header, RawSafeTensors.Floats(1, 2, 3, 4)), tensor);
        Assert.Contains(expected, ex.Message);
        Assert.True(expected.StartsWith("shape", StringComparison.Ordinal) || ex.Message.Contains("not valid Unicode", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_tensor_name_or_dtype()
    {
        using var dir = new TempDirectory();
        foreach (string field in new[] { "name", "dtype" })
        {
            byte[] name = field == "name" ? [(byte)'w', 0xFF] : [(byte)'w'];
            byte[] dtype = field == "dtype" ? [(byte)'F', 0xC0, 0xAF] : [.. "F32"u8];
            byte[] header = [.. "{\""u8, .. name, .. "\":{\"dtype\":\""u8, .. dtype, .. "\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"u8];
            string path = dir.File($"utf8-{field}.safetensors");
            File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. RawSafeTensors.Floats(1, 2, 3, 4)]);
            CheckpointException ex = Expect(path, tensor: field == "dtype" ? "w" : null);
            Assert.Contains("not valid Unicode", ex.Message);
            Assert.Contains(field == "dtype" ? "'dtype' (\"F\uFFFD\uFFFD\")" : "\"w\uFFFD\"", ex.Message);
        }
    }

    private static CheckpointException Expect(string path, string? tensor)
    {
        CheckpointException ex = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Open(path).Dispose());
        Assert.Contains(Path.GetFileName(path), ex.Message);
        Assert.Equal(Path.GetFullPath(path), ex.FilePath);
        if (tensor is not null)
        {
            Assert.Contains($"'{tensor}'", ex.Message);
            Assert.Equal(tensor, ex.TensorName);
        }

        return ex;
    }
}
