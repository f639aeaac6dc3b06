using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI.Adapters;

/// <summary>
/// An adapter's parameters resident in one 64-byte-aligned native block, each exposed as an <see cref="OrtValue"/>
/// that the decoder takes as an ordinary input. Feeding them this way costs nothing per run beyond the inputs
/// themselves; ONNX Runtime's own adapter activation (<c>RunOptions.AddActiveLoraAdapter</c>) made each decode step
/// of the <c>1b</c> int4 model about 1.5-2 ms slower with the same tensors.
/// </summary>
/// <remarks>Read-only after creation: any number of concurrent runs may feed the values. Not thread-safe to dispose while runs use them (the adapter's reference count guards that).</remarks>
internal sealed unsafe class AdapterTensors : IDisposable
{
    private const int Alignment = 64;
    private void* _memory;

    private AdapterTensors(void* memory, long bytes, string[] names, OrtValue[] values)
    {
        _memory = memory;
        Bytes = bytes;
        Names = names;
        Values = values;
    }

    /// <summary>The decoder input each value feeds, in the order of <see cref="Values"/>.</summary>
    public string[] Names { get; }

    /// <summary>The float32 tensors over the native block.</summary>
    public OrtValue[] Values { get; }

    /// <summary>The bytes of the native block (tensor data, each tensor padded to 64 bytes).</summary>
    public long Bytes { get; }

    /// <summary>
    /// Allocates the block for <paramref name="layout"/> (float32 tensors) and lets <paramref name="fill"/> write each
    /// tensor's little-endian bytes into its slice.
    /// </summary>
    /// <param name="layout">Each tensor's input name and dims.</param>
    /// <param name="fill">Writes tensor i's data (exactly its byte length).</param>
    public static AdapterTensors Create(IReadOnlyList<(string Name, long[] Dims)> layout, Action<int, Span<byte>> fill)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(fill);
        var offsets = new long[layout.Count];
        var lengths = new long[layout.Count];
        long total = 0;
        for (int i = 0; i < layout.Count; i++)
        {
            offsets[i] = total;
            lengths[i] = layout[i].Dims.Aggregate(1L, (a, b) => a * b) * sizeof(float);
            total += (lengths[i] + Alignment - 1) / Alignment * Alignment;
        }

        void* memory = NativeMemory.AlignedAlloc((nuint)Math.Max(total, Alignment), Alignment);
        var values = new OrtValue[layout.Count];
        try
        {
            for (int i = 0; i < layout.Count; i++)
            {
                byte* start = (byte*)memory + offsets[i];
                fill(i, new Span<byte>(start, checked((int)lengths[i])));
                values[i] = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float, layout[i].Dims, (IntPtr)start, lengths[i]);
            }
        }
        catch
        {
            foreach (OrtValue? value in values)
            {
                value?.Dispose();
            }

            NativeMemory.AlignedFree(memory);
            throw;
        }

        if (total > 0)
        {
            GC.AddMemoryPressure(total);
        }

        return new AdapterTensors(memory, total, [.. layout.Select(t => t.Name)], values);
    }

    /// <summary>Disposes the values and frees the block.</summary>
    public void Dispose()
    {
        if (_memory is null)
        {
            return;
        }

        foreach (OrtValue value in Values)
        {
            value.Dispose();
        }

        NativeMemory.AlignedFree(_memory);
        _memory = null;
        if (Bytes > 0)
        {
            GC.RemoveMemoryPressure(Bytes);
        }
    }
}
