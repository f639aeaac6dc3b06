namespace Andes.Agents.Gui;

/// <summary>
/// A small rasteriser over <see cref="BgraImage"/>: filled and outlined rectangles, lines and text in a built-in 5x7
/// bitmap font (scaled by an integer factor). Everything is clipped to the image; nothing allocates per pixel.
/// </summary>
public static class ImageDrawing
{
    /// <summary>Fills the whole image with one colour.</summary>
    /// <param name="image">The image.</param>
    /// <param name="color">The colour.</param>
    public static void Clear(BgraImage image, BgraColor color)
    {
        ArgumentNullException.ThrowIfNull(image);
        FillRectangle(image, 0, 0, image.Width, image.Height, color);
    }

    /// <summary>Fills a rectangle (clipped to the image).</summary>
    /// <param name="image">The image.</param>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="color">The colour.</param>
    public static void FillRectangle(BgraImage image, int x, int y, int width, int height, BgraColor color)
    {
        ArgumentNullException.ThrowIfNull(image);
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y);
        int x1 = (int)Math.Min(image.Width, (long)x + width), y1 = (int)Math.Min(image.Height, (long)y + height);
        if (x1 <= x0 || y1 <= y0)
        {
            return;
        }

        uint packed = color.Packed;
        for (int row = y0; row < y1; row++)
        {
            image.GetRowPixels(row)[x0..x1].Fill(packed);
        }
    }

    /// <summary>Draws a rectangle's outline inside its bounds (clipped to the image).</summary>
    /// <param name="image">The image.</param>
    /// <param name="x">Left edge.</param>
    /// <param name="y">Top edge.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="color">The colour.</param>
    /// <param name="thickness">Line thickness in pixels.</param>
    public static void DrawRectangle(BgraImage image, int x, int y, int width, int height, BgraColor color, int thickness = 1)
    {
        if (width <= 0 || height <= 0 || thickness <= 0)
        {
            return;
        }

        int t = Math.Min(thickness, Math.Min((width + 1) / 2, (height + 1) / 2));
        FillRectangle(image, x, y, width, t, color);
        FillRectangle(image, x, y + height - t, width, t, color);
        FillRectangle(image, x, y + t, t, height - 2 * t, color);
        FillRectangle(image, x + width - t, y + t, t, height - 2 * t, color);
    }

    /// <summary>Draws a cross (a "+" marker) centred on a pixel.</summary>
    /// <param name="image">The image.</param>
    /// <param name="x">Centre column.</param>
    /// <param name="y">Centre row.</param>
    /// <param name="radius">Arm length in pixels.</param>
    /// <param name="color">The colour.</param>
    /// <param name="thickness">Line thickness.</param>
    public static void DrawCross(BgraImage image, int x, int y, int radius, BgraColor color, int thickness = 1)
    {
        int half = thickness / 2;
        FillRectangle(image, x - radius, y - half, 2 * radius + 1, thickness, color);
        FillRectangle(image, x - half, y - radius, thickness, 2 * radius + 1, color);
    }

    /// <summary>Draws text in the built-in 5x7 font; '\n' starts a new line. Non-ASCII characters draw as '?'.</summary>
    /// <param name="image">The image.</param>
    /// <param name="x">Left edge of the first glyph cell.</param>
    /// <param name="y">Top edge of the first glyph cell.</param>
    /// <param name="text">The text.</param>
    /// <param name="color">The colour.</param>
    /// <param name="scale">Integer pixel scale (1 = 6x8 cells).</param>
    public static void DrawText(BgraImage image, int x, int y, string text, BgraColor color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int penX = x, penY = y;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                penX = x;
                penY += BitmapFont.CellHeight * scale;
                continue;
            }

            ReadOnlySpan<byte> glyph = BitmapFont.Glyph(c);
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                byte bits = glyph[row];
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if ((bits & (0x10 >> col)) != 0)
                    {
                        FillRectangle(image, penX + col * scale, penY + row * scale, scale, scale, color);
                    }
                }
            }

            penX += BitmapFont.CellWidth * scale;
        }
    }

    /// <summary>The size of text drawn by <see cref="DrawText"/> (cells, including the trailing spacing).</summary>
    /// <param name="text">The text.</param>
    /// <param name="scale">Integer pixel scale.</param>
    /// <returns>Width and height in pixels.</returns>
    public static (int Width, int Height) MeasureText(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        int lines = 1, longest = 0, current = 0;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                lines++;
                current = 0;
                continue;
            }

            longest = Math.Max(longest, ++current);
        }

        return (longest * BitmapFont.CellWidth * scale, lines * BitmapFont.CellHeight * scale);
    }
}
