using System.Buffers;
using System.Globalization;
using SkiaSharp;

namespace Andes.Agents.Gui;

/// <summary>
/// Draws on a <see cref="BgraImage"/> with SkiaSharp: filled and outlined rectangles, crosses, and text in DejaVu Sans
/// Mono, a font embedded in this library (so text looks the same on a machine without any system font). Skia draws
/// straight into the image's pixels; everything is clipped to the image.
/// </summary>
/// <remarks>
/// Rectangles and crosses are not antialiased and replace the pixels they cover with the colour, alpha included, so
/// their edges are exact. Text is antialiased and blends over the image (an opaque image stays opaque). The image's
/// alpha is taken as unpremultiplied, as <see cref="PngEncoder"/> writes it. Stateless: different images may be drawn on
/// from different threads at once, one image from one thread at a time.
/// </remarks>
public static class ImageDrawing
{
    /// <summary>The largest text size <see cref="DrawText"/> and <see cref="MeasureText"/> accept, in pixels.</summary>
    private const float MaxTextSize = 4096;

    private const string FontResource = "Andes.Agents.Gui.DejaVuSansMono.ttf";

    /// <summary>The embedded font, loaded once and kept for the life of the process (Skia typefaces are immutable and safe to share).</summary>
    private static readonly Lazy<SKTypeface> Typeface = new(LoadTypeface);

    /// <summary>The family name of the font text is drawn in, as Skia read it from the embedded file (for tests).</summary>
    internal static string FontFamilyName => Typeface.Value.FamilyName;

    /// <summary>Fills the whole image with one colour.</summary>
    /// <param name="image">The image.</param>
    /// <param name="color">The colour.</param>
    public static void Clear(BgraImage image, BgraColor color)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var target = new ImageCanvas(image);
        target.Canvas.Clear(ToSkia(color));
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
        if (!Clip(image, x, y, width, height, out _))
        {
            return;
        }

        using var target = new ImageCanvas(image);
        using SKPaint paint = ShapePaint(color);
        Fill(target.Canvas, image, x, y, width, height, paint);
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
        ArgumentNullException.ThrowIfNull(image);
        if (width <= 0 || height <= 0 || thickness <= 0 || !Clip(image, x, y, width, height, out _))
        {
            return;
        }

        // Four filled bands rather than a stroke: a stroke is centred on the path, and these stay inside the bounds.
        long t = Math.Min(thickness, Math.Min((width + 1L) / 2, (height + 1L) / 2));
        using var target = new ImageCanvas(image);
        using SKPaint paint = ShapePaint(color);
        Fill(target.Canvas, image, x, y, width, t, paint);
        Fill(target.Canvas, image, x, (long)y + height - t, width, t, paint);
        Fill(target.Canvas, image, x, (long)y + t, t, height - 2 * t, paint);
        Fill(target.Canvas, image, (long)x + width - t, (long)y + t, t, height - 2 * t, paint);
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
        ArgumentNullException.ThrowIfNull(image);
        long half = thickness / 2, length = 2L * radius + 1;
        if (!Clip(image, (long)x - radius, y - half, length, thickness, out _) && !Clip(image, x - half, (long)y - radius, thickness, length, out _))
        {
            return;
        }

        using var target = new ImageCanvas(image);
        using SKPaint paint = ShapePaint(color);
        Fill(target.Canvas, image, (long)x - radius, y - half, length, thickness, paint);
        Fill(target.Canvas, image, x - half, (long)y - radius, thickness, length, paint);
    }

    /// <summary>
    /// Draws text in the embedded DejaVu Sans Mono font, antialiased; '\n' (or "\r\n") starts a new line. Characters the
    /// font lacks (it covers Latin, Greek, Cyrillic and many symbols, not CJK or emoji) draw as its missing-glyph box.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <param name="x">Left edge of the text's box (<see cref="MeasureText"/> gives its size).</param>
    /// <param name="y">Top edge of the text's box: the first baseline is one ascent below it.</param>
    /// <param name="text">The text.</param>
    /// <param name="color">The colour.</param>
    /// <param name="size">The font size in pixels (the em square; a line is about 1.17 times as tall, and a character
    /// 0.6 times as wide), more than 0 and at most 4096.</param>
    public static void DrawText(BgraImage image, int x, int y, string text, BgraColor color, float size = 13)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        CheckSize(size);
        using SKFont font = CreateFont(size);
        TextLayout layout = TextLayout.Create(font, text);
        if (layout.Width == 0 || !Clip(image, x, y, layout.Width, layout.Height, out _))
        {
            return;
        }

        using var target = new ImageCanvas(image);
        using var paint = new SKPaint { Color = ToSkia(color), BlendMode = SKBlendMode.SrcOver, IsAntialias = true };
        for (int i = 0; i < layout.Lines.Length; i++)
        {
            TextLayout.Line line = layout.Lines[i];
            if (line.Glyphs.Length == 0)
            {
                continue;
            }

            using var builder = new SKTextBlobBuilder();
            builder.AddPositionedRun(line.Glyphs, font, line.Positions);
            using SKTextBlob? blob = builder.Build();
            if (blob is not null)
            {
                target.Canvas.DrawText(blob, x, y + ((long)i * layout.LineHeight) + layout.Ascent, paint);
            }
        }
    }

    /// <summary>
    /// The size of the box <see cref="DrawText"/> draws the same text in, at (x, y) to (x + Width, y + Height): the
    /// widest line's advance and a line height per line, each grown to hold any glyph that reaches past them, so that
    /// every pixel the text touches is inside.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="size">The font size in pixels, as for <see cref="DrawText"/>.</param>
    /// <returns>Width and height in pixels (an empty text is one line high and 0 wide).</returns>
    public static (int Width, int Height) MeasureText(string text, float size = 13)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckSize(size);
        using SKFont font = CreateFont(size);
        TextLayout layout = TextLayout.Create(font, text);
        return (layout.Width, layout.Height);
    }

    private static void CheckSize(float size)
    {
        if (!(size > 0 && size <= MaxTextSize))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, string.Create(CultureInfo.InvariantCulture, $"The text size is in pixels, more than 0 and at most {MaxTextSize}."));
        }
    }

    /// <summary>
    /// No hinting and linear (unrounded) advances, so that measurement is the same on every platform, whichever scaler
    /// Skia uses there (FreeType, DirectWrite, Core Text); whole-pixel glyph positions, so that the glyphs' pixel bounds
    /// are the ones drawn.
    /// </summary>
    private static SKFont CreateFont(float size) => new(Typeface.Value, size)
    {
        Edging = SKFontEdging.Antialias,
        Hinting = SKFontHinting.None,
        Subpixel = false,
        LinearMetrics = true,
    };

    private static SKTypeface LoadTypeface()
    {
        using Stream stream = typeof(ImageDrawing).Assembly.GetManifestResourceStream(FontResource)
            ?? throw new InvalidOperationException($"The embedded font {FontResource} is missing from {typeof(ImageDrawing).Assembly.GetName().Name}.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        using SKData data = SKData.CreateCopy(bytes);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"Skia could not read the embedded font {FontResource}.");
    }

    private static SKColor ToSkia(BgraColor color) => new(color.R, color.G, color.B, color.A);

    /// <summary>Shapes replace what they cover (Src), alpha included, with hard edges.</summary>
    private static SKPaint ShapePaint(BgraColor color) => new()
    {
        Color = ToSkia(color),
        BlendMode = SKBlendMode.Src,
        IsAntialias = false,
        Style = SKPaintStyle.Fill,
    };

    /// <summary>Fills a rectangle clipped to the image in integers first, so that far-off coordinates never reach Skia as floats.</summary>
    private static void Fill(SKCanvas canvas, BgraImage image, long x, long y, long width, long height, SKPaint paint)
    {
        if (Clip(image, x, y, width, height, out SKRectI clipped))
        {
            canvas.DrawRect(clipped, paint);
        }
    }

    private static bool Clip(BgraImage image, long x, long y, long width, long height, out SKRectI clipped)
    {
        long x0 = Math.Max(0, x), y0 = Math.Max(0, y);
        long x1 = Math.Min(image.Width, x + width), y1 = Math.Min(image.Height, y + height);
        clipped = x1 > x0 && y1 > y0 ? new SKRectI((int)x0, (int)y0, (int)x1, (int)y1) : SKRectI.Empty;
        return x1 > x0 && y1 > y0;
    }

    /// <summary>
    /// An <see cref="SKSurface"/> over the image's own pixel array, pinned while it lives. Skia needs a row length that is
    /// a whole number of pixels; an image whose stride is not (possible only with the wrapping constructor) is drawn on
    /// through a tight copy that is written back on disposal.
    /// </summary>
    private readonly ref struct ImageCanvas
    {
        private readonly BgraImage _image;
        private readonly BgraImage? _copy;
        private readonly MemoryHandle _pin;
        private readonly SKSurface _surface;

        public unsafe ImageCanvas(BgraImage image)
        {
            _image = image;
            BgraImage target = image;
            if (image.Stride % 4 != 0)
            {
                _copy = image.Clone();
                target = _copy;
            }

            var info = new SKImageInfo(target.Width, target.Height, SKColorType.Bgra8888, SKAlphaType.Unpremul);
            _pin = target.Pixels.AsMemory().Pin();
            SKSurface? surface = SKSurface.Create(info, (IntPtr)_pin.Pointer, target.Stride);
            if (surface is null)
            {
                _pin.Dispose();
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Skia could not draw on the {image.Width}x{image.Height} image (stride {image.Stride})."));
            }

            _surface = surface;
        }

        /// <summary>The surface's canvas (owned by the surface).</summary>
        public SKCanvas Canvas => _surface.Canvas;

        public void Dispose()
        {
            _surface.Dispose();
            _pin.Dispose();
            if (_copy is not null)
            {
                for (int row = 0; row < _image.Height; row++)
                {
                    _copy.GetRow(row).CopyTo(_image.GetRow(row));
                }
            }
        }
    }

    /// <summary>
    /// Where each glyph of each line goes: pen positions from the font's linear advances rounded to whole pixels, the
    /// line shifted right if a glyph reaches left of its pen, and the box grown to every glyph's pixel bounds.
    /// </summary>
    private sealed class TextLayout
    {
        private TextLayout(Line[] lines, int ascent, int lineHeight, int width)
        {
            Lines = lines;
            Ascent = ascent;
            LineHeight = lineHeight;
            Width = width;
        }

        public Line[] Lines { get; }

        /// <summary>From a line's top to its baseline.</summary>
        public int Ascent { get; }

        public int LineHeight { get; }

        public int Width { get; }

        public int Height => checked(Lines.Length * LineHeight);

        public static TextLayout Create(SKFont font, string text)
        {
            string[] texts = text.Split('\n');
            SKFontMetrics metrics = font.Metrics;
            int above = (int)MathF.Ceiling(-metrics.Ascent), below = (int)MathF.Ceiling(metrics.Descent);
            int width = 0;
            var lines = new Line[texts.Length];
            for (int i = 0; i < texts.Length; i++)
            {
                ReadOnlySpan<char> chars = texts[i].AsSpan();
                if (chars.EndsWith("\r", StringComparison.Ordinal))
                {
                    chars = chars[..^1];
                }

                ushort[] glyphs = font.GetGlyphs(chars);
                var advances = new float[glyphs.Length];
                var bounds = new SKRect[glyphs.Length];
                font.GetGlyphWidths(glyphs, advances, bounds);
                var pens = new long[glyphs.Length];
                double pen = 0;
                long left = 0, right = 0;
                for (int g = 0; g < glyphs.Length; g++)
                {
                    pens[g] = (long)Math.Floor(pen + 0.5);
                    pen += advances[g];
                    SKRect b = bounds[g];
                    if (!b.IsEmpty)
                    {
                        left = Math.Min(left, pens[g] + (long)MathF.Floor(b.Left));
                        right = Math.Max(right, pens[g] + (long)MathF.Ceiling(b.Right));
                        above = Math.Max(above, -(int)MathF.Floor(b.Top));
                        below = Math.Max(below, (int)MathF.Ceiling(b.Bottom));
                    }
                }

                long shift = -left;
                var positions = new SKPoint[glyphs.Length];
                for (int g = 0; g < glyphs.Length; g++)
                {
                    positions[g] = new SKPoint(shift + pens[g], 0);
                }

                lines[i] = new Line(glyphs, positions);
                width = Math.Max(width, checked((int)(shift + Math.Max((long)Math.Ceiling(pen), right))));
            }

            return new TextLayout(lines, above, above + below, width);
        }

        /// <summary>One line's glyphs and their positions relative to the line's left edge and baseline.</summary>
        /// <param name="Glyphs">The glyph ids.</param>
        /// <param name="Positions">The glyphs' origins.</param>
        public readonly record struct Line(ushort[] Glyphs, SKPoint[] Positions);
    }
}
