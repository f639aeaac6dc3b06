using System.Numerics;
using System.Runtime.InteropServices;

namespace Andes.GenAI;

/// <summary>
/// Finds a NaN or infinity in weights at load time: one such value makes every logit NaN, so every request with the
/// adapter would fail far from the cause.
/// </summary>
internal static class FiniteWeights
{
    /// <summary>The index of the first value that is NaN or infinite, or -1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (int v = 0; v < vectors.Length; v++)
            {
                // x - x is 0 for every finite x and NaN for NaN and both infinities.
                if (!Vector.EqualsAll(vectors[v] - vectors[v], Vector<float>.Zero))
                {
                    i = v * Vector<float>.Count;
                    break;
                }

                i = (v + 1) * Vector<float>.Count;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws when <paramref name="values"/> holds a NaN or an infinity, naming the adapter and the tensor.</summary>
    /// <exception cref="LoraAdapterException">A value is not finite.</exception>
    public static void Require(ReadOnlySpan<float> values, string adapterSource, string tensorName)
    {
        int index = IndexOfNonFinite(values);
        if (index >= 0)
        {
            throw new LoraAdapterException(
                $"'{adapterSource}': tensor '{tensorName}' holds {values[index]} at element {index}; an adapter with NaN or infinite weights would make every answer NaN.",
                adapterSource,
                tensorName);
        }
    }
}
