using System.Buffers.Binary;
using System.Text;

namespace Andes.ModelBuilder.Tests.SafeTensors;

/// <summary>Builds safetensors files byte by byte, independently of our writer, to craft valid and corrupt inputs.</summary>
internal static class RawSafeTensors
{
    /// <summary>Writes the 8-byte length, the header text as given, then the data.</summary>
    public static string Write(string path, string headerJson, byte[] data, ulong? declaredHeaderLength = null)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength ?? (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        stream.Write(data);
        return path;
    }

    /// <summary>Float32 values as little-endian bytes.</summary>
    public static byte[] Floats(params float[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }
}
