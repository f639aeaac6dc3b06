using Andes.GenAI;
namespace Andes.GenAI.Tests.Vision;

/// <summary>
/// The vectorised resampler against a plain transcription of Pillow's algorithm (below, written for clarity, not
/// speed) on random images and sizes: narrow rows (scalar tails), 4-byte sources, strides, up- and down-scaling.
/// </summary>
public sealed class PillowResamplerTests
{
    public static TheoryData<int, int, int, int, ImagePixelFormat, ImageResampleFilter> Sizes => new()
    {
        { 1, 1, 7, 5, ImagePixelFormat.Rgb24, ImageResampleFilter.Bicubic },
        { 3, 9, 2, 4, ImagePixelFormat.Bgra32, ImageResampleFilter.Bicubic },
        { 5, 5, 9, 9, ImagePixelFormat.Rgba32, ImageResampleFilter.Bicubic },
        { 11, 3, 11, 8, ImagePixelFormat.Bgr24, ImageResampleFilter.Bicubic },
        { 37, 23, 84, 52, ImagePixelFormat.Bgra32, ImageResampleFilter.Bicubic },
        { 640, 360, 37, 29, ImagePixelFormat.Bgra32, ImageResampleFilter.Bicubic },
        { 255, 97, 96, 255, ImagePixelFormat.Rgb24, ImageResampleFilter.Lanczos },
        { 300, 200, 111, 70, ImagePixelFormat.Rgb24, ImageResampleFilter.Bilinear },
        { 123, 45, 61, 44, ImagePixelFormat.Bgr24, ImageResampleFilter.Hamming },
        { 123, 45, 500, 3, ImagePixelFormat.Rgba32, ImageResampleFilter.Box },
        { 1000, 7, 9, 7, ImagePixelFormat.Rgb24, ImageResampleFilter.Bicubic },
        { 7, 1000, 7, 13, ImagePixelFormat.Bgra32, ImageResampleFilter.Bicubic },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Matches_a_direct_transcription_of_Pillow(int inW, int inH, int outW, int outH, ImagePixelFormat format, ImageResampleFilter filter)
    {
        var random = new Random((inW * 31) + (inH * 7) + outW);
        byte[] rgb = new byte[3 * inW * inH];
        random.NextBytes(rgb);
        for (int i = 0; i < rgb.Length / 5; i++)
        {
            rgb[random.Next(rgb.Length)] = (byte)(random.Next(2) * 255); // hard edges make the filters overshoot and clip
        }

        (byte[] raw, int stride) = RawPixelBufferTests.Convert(new RgbImage(rgb, inW, inH), format, padding: inW % 3);
        PixelSource source = PixelSource.Create(raw, inW, inH, format, stride, long.MaxValue, null);
        byte[] actual = new byte[3 * outW * outH];
        PillowResampler.Resize(source, outW, outH, filter, actual, 3 * outW);
        byte[] expected = Reference(rgb, inW, inH, outW, outH, filter);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Scalar_vector_and_paired_horizontal_kernels_agree()
    {
        var random = new Random(3);
        foreach ((int inW, int outW) in new[] { (1, 3), (17, 5), (333, 101), (64, 64 * 3) })
        {
            int[] lanes = new int[4 * (inW + 1)];
            for (int i = 0; i < 4 * inW; i++)
            {
                lanes[i] = random.Next(256);
            }

            using ResampleCoefficients c = ResampleCoefficients.Compute(inW, outW, ImageResampleFilter.Bicubic);
            byte[] scalar = new byte[3 * outW], vector = new byte[3 * outW], paired = new byte[3 * outW];
            PillowResampler.ConvolveRowScalar(lanes, c, scalar, swapRedBlue: true);
            PillowResampler.ConvolveRowVector(lanes, c, vector, swapRedBlue: true);
            int[] pairs = PillowResampler.ExpandPairs(c);
            PillowResampler.ConvolveRowPairs(lanes, c, pairs, paired, swapRedBlue: true);
            Assert.Equal(scalar, vector);
            Assert.Equal(scalar, paired);
        }
    }

    /// <summary>Pillow's ImagingResampleInner for RGB, straight from its description.</summary>
    private static byte[] Reference(byte[] rgb, int inW, int inH, int outW, int outH, ImageResampleFilter filter)
    {
        byte[] current = rgb;
        int w = inW;
        if (outW != inW)
        {
            (int[] b, int[] k, int ks) = Coefficients(inW, outW, filter);
            byte[] next = new byte[3 * outW * inH];
            for (int y = 0; y < inH; y++)
            {
                for (int x = 0; x < outW; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        int s = 1 << 21;
                        for (int t = 0; t < b[(2 * x) + 1]; t++)
                        {
                            s += current[(3 * ((y * w) + b[2 * x] + t)) + c] * k[(x * ks) + t];
                        }

                        next[(3 * ((y * outW) + x)) + c] = (byte)Math.Clamp(s >> 22, 0, 255);
                    }
                }
            }

            current = next;
            w = outW;
        }

        if (outH != inH)
        {
            (int[] b, int[] k, int ks) = Coefficients(inH, outH, filter);
            byte[] next = new byte[3 * w * outH];
            for (int y = 0; y < outH; y++)
            {
                for (int i = 0; i < 3 * w; i++)
                {
                    int s = 1 << 21;
                    for (int t = 0; t < b[(2 * y) + 1]; t++)
                    {
                        s += current[((b[2 * y] + t) * 3 * w) + i] * k[(y * ks) + t];
                    }

                    next[(y * 3 * w) + i] = (byte)Math.Clamp(s >> 22, 0, 255);
                }
            }

            current = next;
        }

        return current;
    }

    private static (int[] Bounds, int[] Weights, int KernelSize) Coefficients(int inSize, int outSize, ImageResampleFilter filter)
    {
        using ResampleCoefficients c = ResampleCoefficients.Compute(inSize, outSize, filter);
        return (c.Bounds.ToArray(), c.Weights.ToArray(), c.KernelSize);
    }
}
