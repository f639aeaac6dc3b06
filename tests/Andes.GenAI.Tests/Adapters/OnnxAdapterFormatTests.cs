using System.Buffers.Binary;
using Andes.GenAI;
namespace Andes.GenAI.Tests.Adapters;

/// <summary>The .onnx_adapter FlatBuffer: identifier, header fields, parameter tables, 8-byte aligned data.</summary>
public sealed class OnnxAdapterFormatTests
{
    [Fact]
    public void WritesAndReadsBackHeaderNamesDimsAndAlignedData()
    {
        float[] a = Enumerable.Range(0, 6).Select(i => i * 0.5f).ToArray();
        float[] b = Enumerable.Range(0, 3).Select(i => -i - 1f).ToArray(); // 12 bytes: the next vector must still start 8-aligned
        byte[] bytes = OnnxAdapterFormat.Write([new LoraParameter("x.lora_A.weight", [3, 2], a), new LoraParameter("x.lora_B.weight", [1, 3], b), new LoraParameter("y", [2, 1], [7f, 8f])], adapterVersion: 5, modelVersion: 77);
        Assert.Equal("TORT"u8.ToArray(), bytes[4..8]);

        OnnxAdapterFormat.Contents contents = OnnxAdapterFormat.Read(bytes, "memory");
        Assert.Equal((1, 5, 77), (contents.FormatVersion, contents.AdapterVersion, contents.ModelVersion));
        Assert.Equal(["x.lora_A.weight", "x.lora_B.weight", "y"], contents.Parameters.Select(p => p.Name));
        Assert.Equal([3L, 2], contents.Parameters[0].Dims);
        Assert.Equal([1L, 3], contents.Parameters[1].Dims);
        foreach ((OnnxAdapterFormat.ParameterEntry entry, float[] values) in contents.Parameters.Zip(new[] { a, b, [7f, 8f] }))
        {
            Assert.Equal(OnnxAdapterFormat.Float, entry.DataType);
            Assert.Equal(0, entry.DataOffset % 8);
            Assert.Equal(values.Length * 4, entry.DataLength);
            float[] read = Enumerable.Range(0, values.Length).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(entry.DataOffset + (4 * i)))).ToArray();
            Assert.Equal(values, read);
        }
    }

    [Fact]
    public void RejectsOtherFilesAndVersions()
    {
        byte[] bytes = OnnxAdapterFormat.Write([new LoraParameter("p", [1, 1], [1f])], 0, 0);
        byte[] wrongId = (byte[])bytes.Clone();
        wrongId[4] = (byte)'X';
        Assert.Throws<LoraAdapterException>(() => OnnxAdapterFormat.Read(wrongId, "f"));
        Assert.Throws<LoraAdapterException>(() => OnnxAdapterFormat.Read(bytes[..12], "f"));
        Assert.Throws<LoraAdapterException>(() => OnnxAdapterFormat.Read(new byte[4], "f"));
    }
}
