using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI;

/// <summary>
/// One sequence's key/value cache: per layer a key and a value tensor [1, kv_heads, capacity, head_size], bound as both
/// the decoder's past input and its present output so GroupQueryAttention appends in place (no copy per token).
/// Grows by doubling (copying once) when a sequence outgrows it.
/// </summary>
/// <remarks>Not thread-safe: owned by one sequence.</remarks>
internal sealed class KeyValueCache : IDisposable
{
    private const int Granularity = 256;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly int _maxCapacity;

    public KeyValueCache(int layers, int kvHeads, int headSize, int initialCapacity, int maxCapacity)
    {
        _layers = layers;
        _kvHeads = kvHeads;
        _headSize = headSize;
        _maxCapacity = maxCapacity;
        Keys = new OrtValue[layers];
        Values = new OrtValue[layers];
        Allocate(RoundUp(Math.Max(1, initialCapacity)));
    }

    /// <summary>Positions the buffers can hold.</summary>
    public int Capacity { get; private set; }

    /// <summary>Positions holding valid keys/values.</summary>
    public int Length { get; set; }

    /// <summary>Per-layer key buffers.</summary>
    public OrtValue[] Keys { get; }

    /// <summary>Per-layer value buffers.</summary>
    public OrtValue[] Values { get; }

    /// <summary>The bytes held by the buffers.</summary>
    public long SizeInBytes => 2L * _layers * _kvHeads * Capacity * _headSize * sizeof(float);

    /// <summary>Makes room for <paramref name="positions"/> positions, keeping the valid ones.</summary>
    public void EnsureCapacity(int positions)
    {
        if (positions <= Capacity)
        {
            return;
        }

        if (positions > _maxCapacity)
        {
            throw new InvalidOperationException($"The sequence needs {positions} positions; the context holds {_maxCapacity}.");
        }

        int newCapacity = Math.Min(_maxCapacity, RoundUp(Math.Max(positions, Capacity * 2)));
        OrtValue[] oldKeys = (OrtValue[])Keys.Clone();
        OrtValue[] oldValues = (OrtValue[])Values.Clone();
        int oldCapacity = Capacity;
        Allocate(newCapacity);
        for (int layer = 0; layer < _layers; layer++)
        {
            CopyPositions(oldKeys[layer], oldCapacity, Keys[layer], newCapacity);
            CopyPositions(oldValues[layer], oldCapacity, Values[layer], newCapacity);
            oldKeys[layer].Dispose();
            oldValues[layer].Dispose();
        }
    }

    public void Dispose()
    {
        foreach (OrtValue v in Keys)
        {
            v?.Dispose();
        }

        foreach (OrtValue v in Values)
        {
            v?.Dispose();
        }
    }

    private void Allocate(int capacity)
    {
        long[] shape = [1, _kvHeads, capacity, _headSize];
        for (int layer = 0; layer < _layers; layer++)
        {
            Keys[layer] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, shape);
            Values[layer] = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, shape);
        }

        Capacity = capacity;
    }

    private void CopyPositions(OrtValue from, int fromCapacity, OrtValue to, int toCapacity)
    {
        ReadOnlySpan<float> source = from.GetTensorDataAsSpan<float>();
        Span<float> destination = to.GetTensorMutableDataAsSpan<float>();
        int rowLength = Length * _headSize;
        for (int head = 0; head < _kvHeads; head++)
        {
            source.Slice(head * fromCapacity * _headSize, rowLength).CopyTo(destination.Slice(head * toCapacity * _headSize, rowLength));
        }
    }

    private int RoundUp(int positions) => Math.Min(_maxCapacity, (positions + Granularity - 1) / Granularity * Granularity);
}
