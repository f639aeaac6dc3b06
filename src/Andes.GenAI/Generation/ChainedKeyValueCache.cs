using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI;

/// <summary>
/// The key/value cache of decoders that cannot share past and present buffers (standard-op attention, combined
/// <c>past_%d</c> tensors): each run's present outputs become the next run's past inputs.
/// </summary>
/// <remarks>Not thread-safe: owned by one sequence.</remarks>
internal sealed class ChainedKeyValueCache : IDisposable
{
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly bool _combined;
    private readonly OrtValue[] _pasts;
    private IDisposableReadOnlyCollection<OrtValue>? _outputs;

    public ChainedKeyValueCache(int tensors, int kvHeads, int headSize, bool combined)
    {
        _kvHeads = kvHeads;
        _headSize = headSize;
        _combined = combined;
        _pasts = new OrtValue[tensors];
        Reset();
    }

    /// <summary>Positions held.</summary>
    public int Length { get; private set; }

    /// <summary>The past tensors to feed, in input order.</summary>
    public IReadOnlyList<OrtValue> Pasts => _pasts;

    public long SizeInBytes => (long)_pasts.Length * Length * _kvHeads * _headSize * sizeof(float) * (_combined ? 2 : 1);

    /// <summary>Takes the present outputs (from <paramref name="firstPresent"/> on) of a finished run as the next pasts.</summary>
    public void Accept(IDisposableReadOnlyCollection<OrtValue> outputs, int firstPresent, int length)
    {
        DisposeOwned();
        for (int i = 0; i < _pasts.Length; i++)
        {
            _pasts[i] = outputs[firstPresent + i];
        }

        _outputs = outputs;
        Length = length;
    }

    /// <summary>Keeps the first <paramref name="length"/> positions (copies them into fresh tensors).</summary>
    public void Rewind(int length)
    {
        if (length == Length)
        {
            return;
        }

        if (length == 0)
        {
            Reset();
            return;
        }

        var kept = new OrtValue[_pasts.Length];
        int stacks = _combined ? 2 : 1;
        for (int i = 0; i < _pasts.Length; i++)
        {
            kept[i] = Allocate(length);
            ReadOnlySpan<float> source = _pasts[i].GetTensorDataAsSpan<float>();
            Span<float> destination = kept[i].GetTensorMutableDataAsSpan<float>();
            for (int row = 0; row < stacks * _kvHeads; row++)
            {
                source.Slice(row * Length * _headSize, length * _headSize).CopyTo(destination.Slice(row * length * _headSize, length * _headSize));
            }
        }

        DisposeOwned();
        kept.CopyTo(_pasts, 0);
        Length = length;
    }

    public void Dispose() => DisposeOwned();

    private void Reset()
    {
        DisposeOwned();
        for (int i = 0; i < _pasts.Length; i++)
        {
            _pasts[i] = Allocate(0);
        }

        Length = 0;
    }

    private OrtValue Allocate(int length)
    {
        long[] shape = _combined ? [2, 1, _kvHeads, length, _headSize] : [1, _kvHeads, length, _headSize];
        return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, shape);
    }

    private void DisposeOwned()
    {
        if (_outputs is not null)
        {
            _outputs.Dispose(); // owns the pasts taken from it
            _outputs = null;
        }
        else
        {
            foreach (OrtValue v in _pasts)
            {
                v?.Dispose();
            }
        }

        Array.Clear(_pasts);
    }
}
