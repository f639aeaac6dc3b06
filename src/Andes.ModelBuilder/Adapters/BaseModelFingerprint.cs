using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>
/// Identifies a base checkpoint for LoRA purposes: SHA-256 over its language model's shape (hidden, intermediate,
/// layers, heads, head_dim, vocabulary, tying) and the first 256 values of three weights (embedding, the first
/// layer's q_proj, the last layer's down_proj), rounded to bfloat16 so the same model stored as BF16 or F32 gives the
/// same fingerprint. Written into <c>andes_lora.json</c> by the converter and into the adapters the generator makes.
/// </summary>
internal static class BaseModelFingerprint
{
    private const int SampledValues = 256;

    /// <summary>Computes the fingerprint (32 hex digits) and its 31-bit model version (never 0).</summary>
    public static (string Fingerprint, int ModelVersion) Compute(Qwen3TextConfig text, ITensorSource source)
    {
        var header = new StringBuilder("andes-base-model/1;");
        header.Append(CultureInfo.InvariantCulture, $"{text.HiddenSize};{text.IntermediateSize};{text.NumHiddenLayers};{text.NumAttentionHeads};{text.NumKeyValueHeads};{text.HeadDim};{text.VocabSize};{text.TieWordEmbeddings}");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(header.ToString()));
        Span<float> values = stackalloc float[SampledValues];
        Span<byte> bits = stackalloc byte[SampledValues * 2];
        foreach (string name in new[] { Qwen3TensorNames.EmbedTokens, Qwen3TensorNames.QProj(0), Qwen3TensorNames.DownProj(text.NumHiddenLayers - 1) })
        {
            long count = Math.Min(SampledValues, source.GetInfo(name).ElementCount);
            source.ReadFloat32(name, 0, values[..(int)count]);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bits[(2 * i)..], ToBFloat16(values[i]));
            }

            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(bits[..(2 * (int)count)]);
        }

        byte[] digest = hash.GetHashAndReset();
        string fingerprint = Convert.ToHexStringLower(digest, 0, 16);
        int version = BinaryPrimitives.ReadInt32LittleEndian(digest) & 0x7FFF_FFFF;
        return (fingerprint, version == 0 ? 1 : version);
    }

    /// <summary>Round to nearest even bfloat16 bits.</summary>
    private static ushort ToBFloat16(float value)
    {
        uint x = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        uint rounding = 0x7FFF + ((x >> 16) & 1);
        return (ushort)((x + rounding) >> 16);
    }
}
