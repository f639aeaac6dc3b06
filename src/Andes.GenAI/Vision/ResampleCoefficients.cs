using System.Buffers;

namespace Andes.GenAI;

/// <summary>
/// Pillow's per-output-pixel convolution weights for one axis (<c>precompute_coeffs</c> + <c>normalize_coeffs_8bpc</c>
/// in libImaging/Resample.c): the support is the filter's support times the downscale factor (at least 1), each output
/// pixel's weights are normalised to sum to 1 in double precision and then rounded to fixed point with 22 fractional bits.
/// Arrays are pooled; dispose to return them.
/// </summary>
internal sealed class ResampleCoefficients : IDisposable
{
    public const int PrecisionBits = 22;

    private int[]? _bounds;
    private int[]? _weights;

    private ResampleCoefficients(int inSize, int outSize, int kernelSize, int[] bounds, int[] weights)
    {
        InSize = inSize;
        OutSize = outSize;
        KernelSize = kernelSize;
        _bounds = bounds;
        _weights = weights;
    }

    public int InSize { get; }

    public int OutSize { get; }

    /// <summary>Weights stored per output pixel (the stride of <see cref="Weights"/>).</summary>
    public int KernelSize { get; }

    /// <summary>Per output pixel: first input index, number of inputs (2 ints each).</summary>
    public ReadOnlySpan<int> Bounds => _bounds.AsSpan(0, 2 * OutSize);

    /// <summary>Fixed-point weights, <see cref="KernelSize"/> per output pixel (zero beyond the pixel's count).</summary>
    public ReadOnlySpan<int> Weights => _weights.AsSpan(0, OutSize * KernelSize);

    public static ResampleCoefficients Compute(int inSize, int outSize, ImageResampleFilter filter)
    {
        (Func<double, double> function, double filterSupport) = filter switch
        {
            ImageResampleFilter.Box => ((Func<double, double>)Box, 0.5),
            ImageResampleFilter.Bilinear => (Bilinear, 1.0),
            ImageResampleFilter.Hamming => (Hamming, 1.0),
            ImageResampleFilter.Bicubic => (Bicubic, 2.0),
            ImageResampleFilter.Lanczos => (Lanczos, 3.0),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown resampling filter."),
        };

        double scale = (double)inSize / outSize;
        double filterScale = scale < 1.0 ? 1.0 : scale;
        double support = filterSupport * filterScale;
        int kernelSize = ((int)Math.Ceiling(support) * 2) + 1;
        int[] bounds = ArrayPool<int>.Shared.Rent(2 * outSize);
        int[] weights = ArrayPool<int>.Shared.Rent(checked(outSize * kernelSize));
        double[] k = ArrayPool<double>.Shared.Rent(kernelSize);
        try
        {
            double ss = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++)
            {
                double center = (xx + 0.5) * scale;
                int xmin = (int)(center - support + 0.5);
                if (xmin < 0)
                {
                    xmin = 0;
                }

                int xmax = (int)(center + support + 0.5);
                if (xmax > inSize)
                {
                    xmax = inSize;
                }

                xmax -= xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++)
                {
                    double w = function((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }

                Span<int> row = weights.AsSpan(xx * kernelSize, kernelSize);
                for (int x = 0; x < xmax; x++)
                {
                    double v = ww != 0.0 ? k[x] / ww : k[x];
                    row[x] = v < 0 ? (int)(-0.5 + (v * (1 << PrecisionBits))) : (int)(0.5 + (v * (1 << PrecisionBits)));
                }

                row[xmax..].Clear();
                bounds[2 * xx] = xmin;
                bounds[(2 * xx) + 1] = xmax;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(k);
        }

        return new ResampleCoefficients(inSize, outSize, kernelSize, bounds, weights);
    }

    public void Dispose()
    {
        if (_bounds is { } bounds)
        {
            _bounds = null;
            ArrayPool<int>.Shared.Return(bounds);
        }

        if (_weights is { } weights)
        {
            _weights = null;
            ArrayPool<int>.Shared.Return(weights);
        }
    }

    private static double Box(double x) => x > -0.5 && x <= 0.5 ? 1.0 : 0.0;

    private static double Bilinear(double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Hamming(double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        x *= Math.PI;

        // Pillow writes the window constants as float literals (0.54f, 0.46f), promoted to double.
        return Math.Sin(x) / x * (0.54f + (0.46f * Math.Cos(x)));
    }

    private static double Bicubic(double x)
    {
        // Cubic convolution with a = -0.5.
        const double a = -0.5;
        if (x < 0.0)
        {
            x = -x;
        }

        if (x < 1.0)
        {
            return ((((a + 2.0) * x) - (a + 3.0)) * x * x) + 1;
        }

        if (x < 2.0)
        {
            return ((((((x - 5) * x) + 8) * x) - 4) * a);
        }

        return 0.0;
    }

    private static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }

        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    private static double Lanczos(double x) => x >= -3.0 && x < 3.0 ? Sinc(x) * Sinc(x / 3) : 0.0;
}
