namespace Andes;

/// <summary>The sizing rules (<see cref="ImageSizingRule"/>) as integer and double arithmetic identical to the Python originals.</summary>
internal static class ImageSizing
{
    public static ImageGeometry Compute(
        int width, int height, ImageSizingRule rule, int patchSize, int mergeSize, int maxSize, int maxLongestSide, int minTokens)
    {
        int step = patchSize * mergeSize;
        (int cw, int ch, int rw, int rh, int bw, int bh) = rule == ImageSizingRule.AndesVL
            ? AndesVL(width, height, step, maxSize, maxLongestSide, minTokens)
            : Specification(width, height, step, maxSize, maxLongestSide, minTokens);
        rw = Math.Clamp(rw, 1, bw);
        rh = Math.Clamp(rh, 1, bh);
        return new ImageGeometry(width, height, cw, ch, rw, rh, bw, bh, (bw - rw) / 2, (bh - rh) / 2, patchSize, mergeSize);
    }

    /// <summary>Integer sizes after capping the longest side; the input when no cap applies.</summary>
    private static (int W, int H) Cap(int w, int h, int maxLongestSide)
    {
        int longest = Math.Max(w, h);
        if (longest <= maxLongestSide)
        {
            return (w, h);
        }

        double s = (double)maxLongestSide / longest;
        return (Math.Max(1, (int)(w * s)), Math.Max(1, (int)(h * s)));
    }

    private static (int, int, int, int, int, int) AndesVL(int width, int height, int step, int maxSize, int maxLongestSide, int minTokens)
    {
        (int w, int h) = Cap(width, height, maxLongestSide);
        long area = (long)w * h;
        if (area > (long)maxSize * maxSize)
        {
            (int rw, int rh, int bw, int bh) = FitArea(w, h, maxSize, step, maxLongestSide);
            return (w, h, rw, rh, bw, bh);
        }

        if (area < (long)step * step * minTokens)
        {
            (int rw, int rh, int bw, int bh) = FitArea(w, h, (int)(step * Math.Pow(minTokens, 0.5)), step, maxLongestSide);
            return (w, h, rw, rh, bw, bh);
        }

        // Each side gains up to one step, a full step when it already is a multiple.
        int boxW = w + step - w % step, boxH = h + step - h % step;
        double scale = Math.Min((double)boxW / w, (double)boxH / h);
        return (w, h, (int)(w * scale), (int)(h * scale), boxW, boxH);
    }

    /// <summary>The box around area <c>maxSize^2</c> with the image's aspect ratio, sides rounded up to the next multiple of the step.</summary>
    private static (int, int, int, int) FitArea(int w, int h, int maxSize, int step, int maxLongestSide)
    {
        double aspect = (double)w / h;
        double maxArea = (double)((long)maxSize * maxSize);
        long bw = (long)Math.Floor(Math.Sqrt(maxArea * aspect));
        long bh = (long)Math.Floor(Math.Sqrt(maxArea / aspect));
        bw = Math.Max(Math.Min(bw, maxLongestSide), step);
        bh = Math.Max(Math.Min(bh, maxLongestSide), step);
        bw = Math.Min(bw + (step - bw % step), maxLongestSide);
        bh = Math.Min(bh + (step - bh % step), maxLongestSide);

        // The published code can stop at the cap itself, which need not be a multiple of the step (its own patch
        // assertion then fails); round such a side down.
        bw -= bw % step;
        bh -= bh % step;
        bw = Math.Max(bw, step);
        bh = Math.Max(bh, step);
        double f = Math.Min(bw / (double)w, bh / (double)h);
        int rw = (int)Math.Round(w * f, MidpointRounding.ToEven);
        int rh = (int)Math.Round(h * f, MidpointRounding.ToEven);
        return (rw, rh, (int)bw, (int)bh);
    }

    private static (int, int, int, int, int, int) Specification(
        int width, int height, int step, int maxSize, int maxLongestSide, int minTokens)
    {
        double w = width, h = height;
        if (Math.Max(w, h) > maxLongestSide)
        {
            double s = maxLongestSide / Math.Max(w, h);
            w *= s;
            h *= s;
        }

        if (w * h < (double)step * step * minTokens)
        {
            double s = Math.Sqrt((double)step * step * minTokens / (w * h));
            w *= s;
            h *= s;
        }

        if (w * h > (double)maxSize * maxSize)
        {
            double s = maxSize / Math.Sqrt(w * h);
            w *= s;
            h *= s;
        }

        int boxW = (int)Math.Ceiling(w / step) * step, boxH = (int)Math.Ceiling(h / step) * step;
        if (boxW == width && boxH == height)
        {
            return (width, height, width, height, boxW, boxH);
        }

        double scale = Math.Min((double)boxW / width, (double)boxH / height);
        return (width, height, Math.Max(1, (int)(width * scale)), Math.Max(1, (int)(height * scale)), boxW, boxH);
    }
}
