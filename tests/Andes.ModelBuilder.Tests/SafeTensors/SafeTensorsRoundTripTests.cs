using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder.Tests.SafeTensors;

public class SafeTensorsRoundTripTests
{
    private static readonly float[] Specials =
    [
        0f, -0.0f, 1f, -1f, 0.1f, 1e-3f, 3.0e-8f, 1e-39f, MathF.Pow(2, -133), 65504f, 70000f, 1e30f, -1e30f,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1 + MathF.Pow(2, -8), float.Epsilon,
    ];

    [Theory]
    [InlineData(TensorDataType.Float32)]
    [InlineData(TensorDataType.Float16)]
    [InlineData(TensorDataType.BFloat16)]
    [InlineData(TensorDataType.Float64)]
    public void Values_round_trip_through_the_stored_type(TensorDataType type)
    {
        using var dir = new TempDirectory();
        float[] matrix = RandomValues(300 * 7, seed: 1, scale: 3);
        float[] specials = Specials;
        string path = dir.File("m.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("matrix", type, [300, 7]), new("specials", type, [specials.Length])]))
        {
            // Odd piece sizes: the writer must not care how the data is split.
            writer.WriteFloat32(matrix.AsSpan(0, 1001));
            writer.WriteFloat32(matrix.AsSpan(1001));
            writer.WriteFloat32(specials);
            writer.Complete();
        }

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Equal(["matrix", "specials"], file.Names);
        TensorInfo info = file.GetInfo("matrix");
        Assert.Equal(type, info.DataType);
        Assert.Equal([300L, 7], info.Shape);
        Assert.Equal(2100 * type.GetElementSize(), info.ByteLength);

        float[] back = file.ReadFloat32("matrix", 300, 7);
        float[] backSpecials = file.ReadFloat32("specials", specials.Length);
        for (int i = 0; i < matrix.Length; i++)
        {
            Assert.Equal(Expected(type, matrix[i]), back[i]);
        }

        for (int i = 0; i < specials.Length; i++)
        {
            Assert.Equal(Expected(type, specials[i]), backSpecials[i]);
        }
    }

    [Fact]
    public void BFloat16_values_are_rounded_to_nearest_even_on_disk()
    {
        using var dir = new TempDirectory();
        string path = dir.File("b.safetensors");
        float tie = 1 + MathF.Pow(2, -8);
        float tieUp = 1 + (3 * MathF.Pow(2, -8));
        using (var writer = SafeTensorsWriter.Create(path, [new("t", TensorDataType.BFloat16, [3])]))
        {
            writer.WriteFloat32([tie, tieUp, 1e-40f]);
            writer.Complete();
        }

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        byte[] raw = new byte[6];
        file.ReadBytes("t", 0, raw);
        Assert.Equal(0x3F80, BinaryPrimitives.ReadUInt16LittleEndian(raw));
        Assert.Equal(0x3F82, BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2)));
        Assert.Equal(ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(1e-40f)), BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(4)));
        Assert.NotEqual(0, BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(4))); // a bfloat16 subnormal, not flushed to zero
    }

    [Theory]
    [InlineData(TensorDataType.BFloat16)]
    [InlineData(TensorDataType.Float16)]
    [InlineData(TensorDataType.Float32)]
    public void Ranges_at_any_offset_read_the_right_elements(TensorDataType type)
    {
        using var dir = new TempDirectory();
        string path = dir.File("r.safetensors");
        // Whole numbers up to 256 are exact in every type (bfloat16 has 8 significant bits), so positions can be
        // checked directly; 251 is prime, so a misplaced range shows.
        float[] values = Enumerable.Range(0, 200_003).Select(i => (float)(i % 251)).ToArray();
        using (var writer = SafeTensorsWriter.Create(path, [new("pad", TensorDataType.UInt8, [3]), new("v", type, [values.Length])]))
        {
            writer.WriteBytes([1, 2, 3]); // leaves the next tensor unaligned
            writer.WriteFloat32(values);
            writer.Complete();
        }

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        foreach ((long offset, int length) in new[] { (0L, 1), (1L, 17), (99_999L, 70_001), (200_000L, 3), (200_003L, 0), (5L, 131_073) })
        {
            float[] part = new float[length];
            file.ReadFloat32("v", offset, part);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(values[offset + i], part[i]);
            }
        }

        CheckpointException ex = Assert.Throws<CheckpointException>(() => file.ReadFloat32("v", 200_000, new float[4]));
        Assert.Contains("'v'", ex.Message);
        Assert.Contains("r.safetensors", ex.Message);
        Assert.Throws<CheckpointException>(() => file.ReadFloat32("v", -1, new float[1]));
        Assert.Equal([1f, 2f, 3f], file.ReadFloat32("pad", 3));
    }

    [Fact]
    public void Header_follows_the_format_and_a_hand_built_file_reads_back()
    {
        using var dir = new TempDirectory();
        string path = dir.File("h.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("a", TensorDataType.Float32, [2]), new("b", TensorDataType.Float32, [])]))
        {
            writer.WriteFloat32([1.5f, -2f]);
            writer.WriteFloat32([7f]);
            writer.Complete();
        }

        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        Assert.Equal(8 + headerLength + 12, bytes.Length);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        Assert.Equal("pt", header.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal("F32", header.RootElement.GetProperty("a").GetProperty("dtype").GetString());
        Assert.Equal("[0,8]", header.RootElement.GetProperty("a").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[8,12]", header.RootElement.GetProperty("b").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[]", header.RootElement.GetProperty("b").GetProperty("shape").GetRawText());

        // A file built by hand, with keys in another order, extra whitespace and unsorted data, reads the same way.
        string manual = RawSafeTensors.Write(
            dir.File("manual.safetensors"),
            """ { "b": {"shape": [], "data_offsets": [0, 4], "dtype": "F32"}, "a": {"dtype":"F32","shape":[2],"data_offsets":[4,12]}, "__metadata__": {"k": "v"} }   """,
            RawSafeTensors.Floats(7f, 1.5f, -2f));
        using SafeTensorsFile file = SafeTensorsFile.Open(manual);
        Assert.Equal([1.5f, -2f], file.ReadFloat32("a", 2));
        Assert.Equal([7f], file.ReadFloat32("b"));
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal(["b", "a"], file.Tensors.Select(t => t.Name)); // data order
        Assert.Equal(["a", "b"], file.Names); // ordinal order
        Assert.Equal(1, file.GetInfo("b").ElementCount);
    }

    [Fact]
    public void Empty_tensors_and_empty_files_are_valid()
    {
        using var dir = new TempDirectory();
        string path = dir.File("e.safetensors");
        using (var writer = SafeTensorsWriter.Create(path, [new("empty", TensorDataType.BFloat16, [0, 5]), new("x", TensorDataType.BFloat16, [1]), new("tail", TensorDataType.Float32, [3, 0])]))
        {
            Assert.Equal("x", writer.CurrentTensor?.Name);
            writer.WriteFloat32([2f]);
            Assert.Null(writer.CurrentTensor);
            writer.Complete();
        }

        using (SafeTensorsFile file = SafeTensorsFile.Open(path))
        {
            Assert.Empty(file.ReadFloat32("empty", 0, 5));
            Assert.Equal([2f], file.ReadFloat32("x", 1));
        }

        string none = dir.File("none.safetensors");
        using (var writer = SafeTensorsWriter.Create(none, [], new Dictionary<string, string>()))
        {
            writer.Complete();
        }

        using SafeTensorsFile noneFile = SafeTensorsFile.Open(none);
        Assert.Empty(noneFile.Names);
        Assert.Empty(noneFile.Metadata);
    }

    [Fact]
    public void Concurrent_reads_return_the_right_data()
    {
        using var dir = new TempDirectory();
        string path = dir.File("c.safetensors");
        var declarations = Enumerable.Range(0, 8).Select(i => new TensorDeclaration($"t{i}", TensorDataType.BFloat16, [64, 100])).ToArray();
        using (var writer = SafeTensorsWriter.Create(path, declarations))
        {
            for (int i = 0; i < 8; i++)
            {
                writer.WriteFloat32(Enumerable.Range(0, 6400).Select(j => (float)((j + i) % 256)).ToArray());
            }

            writer.Complete();
        }

        using SafeTensorsCheckpoint checkpoint = SafeTensorsCheckpoint.Open(path);
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k =>
        {
            int i = k % 8;
            int offset = k * 7 % 6000;
            float[] part = new float[300];
            checkpoint.ReadFloat32($"t{i}", offset, part);
            for (int j = 0; j < part.Length; j++)
            {
                Assert.Equal((float)((offset + j + i) % 256), part[j]);
            }
        });
    }

    private static float Expected(TensorDataType type, float value) => type switch
    {
        TensorDataType.Float32 or TensorDataType.Float64 => value,
        TensorDataType.Float16 => (float)(Half)value,
        TensorDataType.BFloat16 => BitConverter.UInt32BitsToSingle((uint)ElementConverter.RoundToBFloat16(BitConverter.SingleToUInt32Bits(value)) << 16),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static float[] RandomValues(int count, int seed, float scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * 2 * scale)).ToArray();
    }
}
