using System.Buffers;

namespace Andes.GenAI;

/// <summary>
/// An image ready for the vision tower: the normalised patch matrix <c>[PatchCount, 3 * p * p]</c> (float32, in the
/// 2 x 2-group order) and its geometry. The matrix lives in a pooled buffer: dispose to return it; do not use
/// <see cref="PixelValues"/> afterwards.
/// </summary>
public sealed class ProcessedImage : IDisposable
{
    private float[]? _buffer;

    internal ProcessedImage(float[] buffer, ImageGeometry geometry)
    {
        _buffer = buffer;
        Geometry = geometry;
    }

    /// <summary>Sizes, offsets, patch grid and token count.</summary>
    public ImageGeometry Geometry { get; }

    /// <summary>The patch matrix, row-major <c>[PatchCount, PatchDimension]</c>.</summary>
    /// <exception cref="ObjectDisposedException">The image was disposed.</exception>
    public ReadOnlyMemory<float> PixelValues =>
        (_buffer ?? throw new ObjectDisposedException(nameof(ProcessedImage))).AsMemory(0, Geometry.ValueCount);

    /// <summary>Patch rows (<c>PaddedHeight / PatchSize</c>).</summary>
    public int GridHeight => Geometry.GridHeight;

    /// <summary>Patch columns (<c>PaddedWidth / PatchSize</c>).</summary>
    public int GridWidth => Geometry.GridWidth;

    /// <summary>Image tokens the connector produces (<c>PatchCount / (merge * merge)</c>).</summary>
    public int TokenCount => Geometry.TokenCount;

    /// <summary>Rows of the patch matrix.</summary>
    public int PatchCount => Geometry.PatchCount;

    /// <summary>Columns of the patch matrix (<c>3 * PatchSize * PatchSize</c>).</summary>
    public int PatchDimension => Geometry.PatchDimension;

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        float[]? buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
