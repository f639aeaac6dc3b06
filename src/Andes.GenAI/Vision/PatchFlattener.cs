using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Andes.GenAI;

/// <summary>
/// Normalises and lays out pixels as the vision tower reads them: the image is split into
/// (H / (merge*p)) x (W / (merge*p)) groups of merge x merge patches; groups row-major, patches inside a group
/// row-major, each patch as (channel, row, col). Normalisation is a 256-entry table per channel, so every value is
/// exactly the float32 <c>((v * rescale) - mean) / std</c> of the reference.
/// </summary>
internal static class PatchFlattener
{
    /// <summary>Builds the table: entry <c>c * 256 + v</c> is the normalised value of byte v in channel c.</summary>
    public static float[] BuildTable(bool doRescale, double rescaleFactor, bool doNormalize, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        var table = new float[3 * 256];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                // float32(v * rescale) computed in double then rounded, which equals torchvision's float32 v / 255.
                float x = doRescale ? (float)(v * rescaleFactor) : v;
                table[(c * 256) + v] = doNormalize ? (x - mean[c]) / std[c] : x;
            }
        }

        return table;
    }

    /// <summary>Writes <c>[PatchCount, 3 * p * p]</c> floats for an image whose size is a multiple of merge x patch.</summary>
    public static void Flatten(in PixelSource image, int patch, int merge, ReadOnlySpan<float> table, Span<float> destination)
    {
        int group = patch * merge;
        int groupsY = image.Height / group, groupsX = image.Width / group;
        int patchValues = 3 * patch * patch;
        if (destination.Length < groupsY * groupsX * merge * merge * patchValues)
        {
            throw new ArgumentException("The destination is smaller than the patch matrix.", nameof(destination));
        }

        int bpp = image.BytesPerPixel;
        int stride = image.Stride;
        ReadOnlySpan<int> offsets = [image.RedOffset, 1, image.BlueOffset];
        ref byte pixels = ref MemoryMarshal.GetReference(image.Data);
        ref float lut = ref MemoryMarshal.GetReference(table);
        ref float output = ref MemoryMarshal.GetReference(destination);
        int o = 0;
        for (int gy = 0; gy < groupsY; gy++)
        {
            for (int gx = 0; gx < groupsX; gx++)
            {
                for (int sy = 0; sy < merge; sy++)
                {
                    for (int sx = 0; sx < merge; sx++)
                    {
                        int y0 = ((gy * merge) + sy) * patch;
                        int x0 = ((gx * merge) + sx) * patch;
                        for (int c = 0; c < 3; c++)
                        {
                            ref float channelTable = ref Unsafe.Add(ref lut, c * 256);
                            ref byte first = ref Unsafe.Add(ref pixels, (y0 * stride) + (x0 * bpp) + offsets[c]);
                            for (int r = 0; r < patch; r++)
                            {
                                ref byte row = ref Unsafe.Add(ref first, r * stride);
                                ref float dst = ref Unsafe.Add(ref output, o);
                                for (int col = 0; col < patch; col++)
                                {
                                    Unsafe.Add(ref dst, col) = Unsafe.Add(ref channelTable, Unsafe.Add(ref row, col * bpp));
                                }

                                o += patch;
                            }
                        }
                    }
                }
            }
        }
    }
}
