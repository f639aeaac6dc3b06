namespace Andes.GenAI;

/// <summary>An encoded image format the decoder accepts.</summary>
public enum ImageFormat
{
    /// <summary>Portable Network Graphics (any bit depth and colour type; alpha is dropped).</summary>
    Png,

    /// <summary>JPEG (baseline, extended or progressive Huffman-coded).</summary>
    Jpeg,

    /// <summary>Windows bitmap (uncompressed or bit-field encoded).</summary>
    Bmp,

    /// <summary>GIF (the first frame only).</summary>
    Gif,
}
