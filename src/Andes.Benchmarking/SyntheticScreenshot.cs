using Andes.Agents.Gui;
namespace Andes.Benchmarking;

/// <summary>
/// Draws a deterministic screenshot-like desktop of any size with <see cref="ImageDrawing"/> (as the synthetic
/// grounding set does): a gradient title strip, windows with title bars, tabs, labelled fields, text lines and buttons,
/// a taskbar, and a photo-like region (smooth shading plus noise), so a PNG of it compresses and decodes like a real
/// screen capture rather than a flat image.
/// </summary>
public static class SyntheticScreenshot
{
    /// <summary>Text sizes in pixels: window titles, tabs, labels and buttons; the text in fields; the taskbar; body text.</summary>
    private const float Large = 15, Field = 12, Taskbar = 11, Small = 9;

    private static readonly string[] Words =
    [
        "Save", "Open", "Cancel", "Apply", "Export", "Import", "Print", "Share", "Rename", "Upload", "Download", "Search",
        "Settings", "Profile", "Account", "Billing", "Reports", "Inbox", "Drafts", "Archive", "Photos", "Music", "Videos",
        "Notes", "Calendar", "Contacts", "Weather", "Maps", "News", "Help", "About", "Update", "Refresh", "Filter", "Sort",
    ];

    /// <summary>Renders the screenshot.</summary>
    /// <param name="width">The width in pixels (at least 64).</param>
    /// <param name="height">The height in pixels (at least 64).</param>
    /// <param name="seed">The random seed: the same seed and size give the same pixels.</param>
    /// <returns>The image.</returns>
    public static BgraImage Render(int width, int height, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 64);
        var random = new Random(seed);
        var image = new BgraImage(width, height);
        ImageDrawing.Clear(image, BgraColor.FromRgb(58, 96, 140));

        // A gradient strip along the top (every column a different colour).
        int strip = Math.Max(8, height / 24);
        for (int y = 0; y < strip; y++)
        {
            Span<byte> row = image.GetRow(y);
            for (int x = 0; x < width; x++)
            {
                byte t = (byte)(x * 255 / (width - 1));
                row[4 * x] = (byte)(255 - t);
                row[(4 * x) + 1] = 90;
                row[(4 * x) + 2] = t;
                row[(4 * x) + 3] = 255;
            }
        }

        int taskbar = Math.Max(16, height / 30);
        int windows = 3 + random.Next(3);
        for (int i = 0; i < windows; i++)
        {
            int ww = Math.Max(48, (width / 3) + random.Next(width / 3));
            int wh = Math.Max(48, (height / 3) + random.Next(height / 3));
            int wx = random.Next(Math.Max(1, width - ww));
            int wy = strip + random.Next(Math.Max(1, height - taskbar - strip - wh));
            Window(image, random, wx, wy, ww, Math.Min(wh, height - taskbar - wy));
        }

        Photo(image, random, width - Math.Min(width / 4, 480) - 24, height - taskbar - Math.Min(height / 3, 320) - 24, Math.Min(width / 4, 480), Math.Min(height / 3, 320));

        ImageDrawing.FillRectangle(image, 0, height - taskbar, width, taskbar, BgraColor.FromRgb(32, 36, 44));
        for (int x = 8, k = 0; x < width - 120; x += 110, k++)
        {
            ImageDrawing.FillRectangle(image, x, height - taskbar + 3, 100, taskbar - 6, k == 0 ? BgraColor.FromRgb(60, 70, 90) : BgraColor.FromRgb(45, 50, 60));
            string label = Pick(random);
            ImageDrawing.DrawText(image, x + 6, height - taskbar + Math.Max(0, (taskbar - ImageDrawing.MeasureText(label, Taskbar).Height) / 2), label, BgraColor.White, Taskbar);
        }

        (int clockWidth, int clockHeight) = ImageDrawing.MeasureText("12:34", Large);
        ImageDrawing.DrawText(image, width - clockWidth - 16, height - taskbar + Math.Max(0, (taskbar - clockHeight) / 2), "12:34", BgraColor.White, Large);
        return image;
    }

    private static void Window(BgraImage image, Random random, int x, int y, int width, int height)
    {
        var title = BgraColor.FromRgb((byte)random.Next(30, 160), (byte)random.Next(30, 160), (byte)random.Next(60, 200));
        ImageDrawing.FillRectangle(image, x + 4, y + 4, width, height, BgraColor.FromRgb(40, 40, 40)); // shadow
        ImageDrawing.FillRectangle(image, x, y, width, height, BgraColor.FromRgb(248, 248, 248));
        ImageDrawing.DrawRectangle(image, x, y, width, height, BgraColor.FromRgb(120, 120, 120));
        ImageDrawing.FillRectangle(image, x, y, width, 30, title);
        string caption = Pick(random) + " - " + Pick(random);
        ImageDrawing.DrawText(image, x + 10, y + ((30 - ImageDrawing.MeasureText(caption, Large).Height) / 2), caption, BgraColor.White, Large);
        ImageDrawing.FillRectangle(image, x + width - 30, y + 3, 26, 24, BgraColor.FromRgb(200, 50, 50));
        (int closeWidth, int closeHeight) = ImageDrawing.MeasureText("x", Large);
        ImageDrawing.DrawText(image, x + width - 30 + ((26 - closeWidth) / 2), y + 3 + ((24 - closeHeight) / 2), "x", BgraColor.White, Large);

        int tabX = x + 12;
        for (int t = 0; t < 4 && tabX < x + width - 120; t++)
        {
            string tab = Pick(random);
            (int tw, int th) = ImageDrawing.MeasureText(tab, Large);
            ImageDrawing.FillRectangle(image, tabX, y + 40, tw + 16, th + 10, t == 0 ? BgraColor.White : BgraColor.FromRgb(225, 225, 225));
            ImageDrawing.DrawText(image, tabX + 8, y + 45, tab, BgraColor.Black, Large);
            tabX += tw + 24;
        }

        // Labelled fields, then lines of small text until the button row.
        int rowY = y + 80;
        for (int f = 0; f < 3 && rowY + 30 < y + height - 60; f++, rowY += 36)
        {
            string label = Pick(random) + ":";
            ImageDrawing.DrawText(image, x + 16, rowY + ((26 - ImageDrawing.MeasureText(label, Large).Height) / 2), label, BgraColor.FromRgb(40, 40, 40), Large);
            int fieldWidth = Math.Min(260, width - 170);
            if (fieldWidth > 20)
            {
                ImageDrawing.FillRectangle(image, x + 140, rowY, fieldWidth, 26, BgraColor.White);
                ImageDrawing.DrawRectangle(image, x + 140, rowY, fieldWidth, 26, BgraColor.FromRgb(160, 160, 160));
                string value = Pick(random).ToLowerInvariant();
                ImageDrawing.DrawText(image, x + 146, rowY + ((26 - ImageDrawing.MeasureText(value, Field).Height) / 2), value, BgraColor.FromRgb(90, 90, 90), Field);
            }
        }

        for (; rowY + 10 < y + height - 60; rowY += 12)
        {
            int penX = x + 16;
            while (true)
            {
                string word = Pick(random).ToLowerInvariant();
                (int tw, _) = ImageDrawing.MeasureText(word, Small);
                if (penX + tw > x + width - 16)
                {
                    break;
                }

                ImageDrawing.DrawText(image, penX, rowY, word, BgraColor.FromRgb((byte)random.Next(0, 70), (byte)random.Next(0, 70), (byte)random.Next(0, 90)), Small);
                penX += tw + 6;
            }
        }

        int bx = x + width - 12;
        for (int b = 0; b < 2; b++)
        {
            string label = Pick(random);
            (int tw, int th) = ImageDrawing.MeasureText(label, Large);
            bx -= tw + 28;
            if (bx < x + 4)
            {
                break;
            }

            ImageDrawing.FillRectangle(image, bx, y + height - 44, tw + 20, th + 14, b == 0 ? title : BgraColor.FromRgb(230, 230, 230));
            ImageDrawing.DrawText(image, bx + 10, y + height - 37, label, b == 0 ? BgraColor.White : BgraColor.Black, Large);
            bx -= 12;
        }
    }

    /// <summary>Concentric rings and gradients with mild noise: content that does not compress to nothing.</summary>
    private static void Photo(BgraImage image, Random random, int x0, int y0, int width, int height)
    {
        double cx = width * 0.4, cy = height * 0.55;
        for (int y = 0; y < height; y++)
        {
            if (y0 + y < 0 || y0 + y >= image.Height)
            {
                continue;
            }

            Span<byte> row = image.GetRow(y0 + y);
            for (int x = 0; x < width; x++)
            {
                if (x0 + x < 0 || x0 + x >= image.Width)
                {
                    continue;
                }

                double r = Math.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy)));
                int i = 4 * (x0 + x);
                row[i + 2] = Clamp(128 + (100 * Math.Cos(r / 6.0)) + random.Next(-6, 7));
                row[i + 1] = Clamp(60 + (150.0 * x / width) + random.Next(-6, 7));
                row[i] = Clamp(200 - (150.0 * y / height) + random.Next(-6, 7));
                row[i + 3] = 255;
            }
        }
    }

    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);

    private static string Pick(Random random) => Words[random.Next(Words.Length)];
}
