using System.Globalization;
using System.Text.Json;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Evaluation;

/// <summary>
/// Makes a synthetic grounding benchmark in the ScreenSpot format: screenshots of simple desktop windows, mobile apps
/// and web pages (title bars, buttons, text fields, labels, tabs and icons) drawn with <see cref="ImageDrawing"/> at
/// known boxes, plus <c>screenspot.json</c> with <c>{img_filename, bbox [x,y,w,h], instruction, data_type text|icon,
/// data_source, platform}</c> records. Deterministic for a seed.
/// </summary>
public static class SyntheticGroundingSetGenerator
{
    private static readonly string[] Words =
    [
        "Save", "Open", "Cancel", "Apply", "Export", "Import", "Print", "Share", "Rename", "Upload", "Download", "Search",
        "Settings", "Profile", "Account", "Billing", "Reports", "Inbox", "Drafts", "Archive", "Photos", "Music", "Videos",
        "Notes", "Calendar", "Contacts", "Weather", "Maps", "News", "Help", "About", "Update", "Refresh", "Filter", "Sort",
        "Next", "Back", "Finish", "Start", "Stop", "Play", "Pause", "Copy", "Paste", "Undo", "Redo", "Zoom", "Preview",
        "Library", "Projects", "Tasks", "Team", "Files", "Home", "Browse", "Cart", "Orders", "Wishlist", "Login", "Logout",
    ];

    /// <summary>Text sizes in pixels: most labels; headings and list items.</summary>
    private const float TextSize = 15, HeadingSize = 22;

    private static readonly string[] FieldNames = ["Name", "Email", "Phone", "City", "Country", "Company", "Title", "Address", "Username", "Website", "Notes", "Tags"];

    private static readonly (char Glyph, string Name)[] Icons =
    [
        ('+', "the add icon (a plus sign)"), ('=', "the menu icon (horizontal bars)"), ('?', "the help icon (a question mark)"),
        ('*', "the favourite icon (a star)"), ('#', "the grid icon (a hash sign)"), ('@', "the mail icon (an at sign)"),
        ('>', "the forward icon (a right arrow)"), ('<', "the back icon (a left arrow)"), ('$', "the payments icon (a dollar sign)"),
        ('%', "the discount icon (a percent sign)"), ('&', "the link icon (an ampersand)"), ('!', "the alert icon (an exclamation mark)"),
    ];

    /// <summary>Writes a synthetic dataset.</summary>
    /// <param name="outputDirectory">The folder (created; existing files with the same names are replaced).</param>
    /// <param name="count">The number of samples (&gt; 0).</param>
    /// <param name="seed">The random seed: the same seed gives the same images and annotations.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The dataset, loaded back from the written annotation file.</returns>
    public static GroundingDataset Generate(string outputDirectory, int count, int seed, SyntheticGroundingSetOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        options ??= new SyntheticGroundingSetOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SamplesPerImage, 1, nameof(options));
        string imageDir = Path.Combine(outputDirectory, options.ImageFolderName);
        Directory.CreateDirectory(imageDir);
        var random = new Random(seed);
        var records = new List<Dictionary<string, object>>();
        int imageIndex = 0;
        while (records.Count < count)
        {
            imageIndex++;
            var scene = new Scene(random);
            string platform = (imageIndex % 3) switch { 1 => "desktop", 2 => "mobile", _ => "web" };
            BgraImage image = platform switch
            {
                "desktop" => scene.Desktop(),
                "mobile" => scene.Mobile(),
                _ => scene.Web(),
            };
            string fileName = string.Create(CultureInfo.InvariantCulture, $"synthetic_{imageIndex:00000}.png");
            File.WriteAllBytes(Path.Combine(imageDir, fileName), PngEncoder.Encode(image));

            // Prefer a mix of text and icon targets.
            var chosen = scene.Elements.OrderBy(_ => random.Next()).Take(options.SamplesPerImage).ToList();
            foreach (Element e in chosen)
            {
                if (records.Count == count)
                {
                    break;
                }

                records.Add(new Dictionary<string, object>
                {
                    ["img_filename"] = fileName,
                    ["bbox"] = new[] { e.X, e.Y, e.Width, e.Height },
                    ["instruction"] = e.Instruction,
                    ["data_type"] = e.IsIcon ? "icon" : "text",
                    ["data_source"] = "synthetic-" + platform,
                    ["platform"] = platform,
                });
            }
        }

        string annotation = Path.Combine(outputDirectory, options.AnnotationFileName);
        File.WriteAllText(annotation, JsonSerializer.Serialize(records, new AndesGuiEvaluationJsonContext(new JsonSerializerOptions { WriteIndented = true }).ListDictionaryStringObject));
        return GroundingDataset.Load(annotation, GroundingDatasetFormat.ScreenSpot, BoxFormat.Xywh);
    }

    private sealed record Element(int X, int Y, int Width, int Height, string Instruction, bool IsIcon);

    /// <summary>Draws one screenshot and remembers where its targets are.</summary>
    private sealed class Scene(Random random)
    {
        private readonly HashSet<string> _used = [];
        private readonly HashSet<char> _usedIcons = [];

        public List<Element> Elements { get; } = [];

        private BgraImage Image { get; set; } = null!;

        public BgraImage Desktop()
        {
            (int w, int h) = new[] { (1280, 800), (1024, 768), (1366, 768) }[random.Next(3)];
            Image = new BgraImage(w, h);
            ImageDrawing.Clear(Image, Pastel(60));

            // Taskbar with a start button and a clock.
            ImageDrawing.FillRectangle(Image, 0, h - 36, w, 36, BgraColor.FromRgb(32, 36, 44));
            Button(6, h - 32, Pick(), BgraColor.FromRgb(60, 70, 90), BgraColor.White, "button in the taskbar");
            ImageDrawing.DrawText(Image, w - 80, Middle(h - 36, 36, "12:34", TextSize), "12:34", BgraColor.White, TextSize);

            int windows = 1 + random.Next(2);
            int top = 30;
            for (int i = 0; i < windows; i++)
            {
                int ww = Math.Min(w - 80, 520 + random.Next(200)), wh = (h - 120) / windows - 20;
                int wx = 20 + random.Next(Math.Max(1, w - ww - 40));
                Window(wx, top, ww, wh);
                top += wh + 30;
            }

            return Image;
        }

        public BgraImage Mobile()
        {
            (int w, int h) = random.Next(2) == 0 ? (540, 960) : (432, 936);
            Image = new BgraImage(w, h);
            ImageDrawing.Clear(Image, BgraColor.White);
            ImageDrawing.FillRectangle(Image, 0, 0, w, 28, BgraColor.FromRgb(20, 20, 20));
            ImageDrawing.DrawText(Image, 8, Middle(0, 28, "9:41", TextSize), "9:41", BgraColor.White, TextSize);

            BgraColor bar = Strong();
            ImageDrawing.FillRectangle(Image, 0, 28, w, 64, bar);
            Icon(8, 40, 40, BgraColor.White, bar, "in the app bar");
            string title = Pick();
            Text(64, Middle(28, 64, title, HeadingSize), title, BgraColor.White, HeadingSize, $"the '{title}' title in the app bar");

            int y = 110;
            while (y < h - 200)
            {
                string item = Pick();
                ImageDrawing.DrawRectangle(Image, 12, y, w - 24, 56, BgraColor.FromRgb(220, 220, 220));
                Text(28, Middle(y, 56, item, HeadingSize), item, BgraColor.FromRgb(30, 30, 30), HeadingSize, $"the '{item}' item in the list");
                Icon(w - 64, y + 8, 40, BgraColor.FromRgb(90, 90, 90), BgraColor.White, $"in the '{item}' row");
                y += 68;
            }

            // Floating action button and bottom navigation.
            Icon(w - 88, h - 170, 64, BgraColor.White, Strong(), "floating at the bottom right");
            ImageDrawing.FillRectangle(Image, 0, h - 72, w, 72, BgraColor.FromRgb(245, 245, 245));
            int tabs = 3 + random.Next(2);
            for (int t = 0; t < tabs; t++)
            {
                string label = Pick();
                int cx = (2 * t + 1) * w / (2 * tabs);
                (int tw, _) = ImageDrawing.MeasureText(label, TextSize);
                Text(cx - tw / 2, h - 28, label, BgraColor.FromRgb(60, 60, 60), TextSize, $"the '{label}' tab in the bottom bar");
            }

            return Image;
        }

        public BgraImage Web()
        {
            (int w, int h) = new[] { (1280, 720), (1024, 640) }[random.Next(2)];
            Image = new BgraImage(w, h);
            ImageDrawing.Clear(Image, BgraColor.FromRgb(250, 250, 250));

            // Browser chrome: tab strip, address bar; page header with links; a search form and cards.
            ImageDrawing.FillRectangle(Image, 0, 0, w, 36, BgraColor.FromRgb(222, 225, 230));
            Icon(8, 4, 28, BgraColor.FromRgb(60, 60, 60), BgraColor.FromRgb(222, 225, 230), "in the browser toolbar");
            ImageDrawing.FillRectangle(Image, 44, 6, w - 60, 24, BgraColor.White);
            ImageDrawing.DrawText(Image, 52, Middle(6, 24, "https://example.test/", TextSize), "https://example.test/", BgraColor.FromRgb(80, 80, 80), TextSize);

            BgraColor header = Strong();
            ImageDrawing.FillRectangle(Image, 0, 36, w, 56, header);
            int x = 24;
            for (int i = 0; i < 4; i++)
            {
                string link = Pick();
                (int tw, _) = ImageDrawing.MeasureText(link, TextSize);
                Text(x, Middle(36, 56, link, TextSize), link, BgraColor.White, TextSize, $"the '{link}' link in the page header");
                x += tw + 36;
            }

            Field(40, 120, Math.Min(420, w / 2), "Search");
            Button(60 + Math.Min(420, w / 2), 118, Pick(), Strong(), BgraColor.White, "button next to the search box");

            int cardWidth = (w - 80) / 3;
            for (int c = 0; c < 3; c++)
            {
                int cx = 24 + c * (cardWidth + 16), cy = 200;
                ImageDrawing.FillRectangle(Image, cx, cy, cardWidth, h - cy - 40, BgraColor.White);
                ImageDrawing.DrawRectangle(Image, cx, cy, cardWidth, h - cy - 40, BgraColor.FromRgb(210, 210, 210));
                string heading = Pick();
                Text(cx + 16, cy + 16, heading, BgraColor.FromRgb(20, 20, 20), HeadingSize, $"the '{heading}' heading");
                Button(cx + 16, cy + 70, Pick(), Pastel(120), BgraColor.Black, $"button in the '{heading}' card");
                Icon(cx + cardWidth - 52, cy + 12, 36, BgraColor.FromRgb(90, 90, 90), BgraColor.White, $"in the '{heading}' card");
            }

            return Image;
        }

        private void Window(int x, int y, int width, int height)
        {
            BgraColor titleColor = Strong();
            ImageDrawing.FillRectangle(Image, x + 4, y + 4, width, height, BgraColor.FromRgb(90, 90, 90)); // shadow
            ImageDrawing.FillRectangle(Image, x, y, width, height, BgraColor.FromRgb(248, 248, 248));
            ImageDrawing.DrawRectangle(Image, x, y, width, height, BgraColor.FromRgb(120, 120, 120));
            ImageDrawing.FillRectangle(Image, x, y, width, 30, titleColor);
            string title = Pick();
            ImageDrawing.DrawText(Image, x + 10, Middle(y, 30, title, TextSize), title, BgraColor.White, TextSize);

            // The close button: an 'x' glyph on red.
            int cx = x + width - 30;
            ImageDrawing.FillRectangle(Image, cx, y + 3, 26, 24, BgraColor.FromRgb(200, 50, 50));
            ImageDrawing.DrawText(Image, cx + ((26 - ImageDrawing.MeasureText("x", TextSize).Width) / 2), Middle(y + 3, 24, "x", TextSize), "x", BgraColor.White, TextSize);
            Elements.Add(new Element(cx, y + 3, 26, 24, $"close the '{title}' window", true));
            Icon(cx - 30, y + 3, 24, BgraColor.White, titleColor, $"in the '{title}' title bar");

            // Tabs, fields and buttons.
            int rowY = y + 44;
            int tabX = x + 12;
            for (int t = 0; t < 3 && tabX < x + width - 120; t++)
            {
                string tab = Pick();
                (int tw, int th) = ImageDrawing.MeasureText(tab, TextSize);
                ImageDrawing.FillRectangle(Image, tabX, rowY, tw + 16, th + 10, t == 0 ? BgraColor.White : BgraColor.FromRgb(225, 225, 225));
                Text(tabX + 8, rowY + 5, tab, BgraColor.Black, TextSize, $"the '{tab}' tab in the '{title}' window");
                tabX += tw + 24;
            }

            rowY += 44;
            while (rowY + 40 < y + height - 60)
            {
                string label = PickFrom(FieldNames);
                Text(x + 16, Middle(rowY, 32, label + ":", TextSize), label + ":", BgraColor.FromRgb(40, 40, 40), TextSize, $"the '{label}:' label");
                Field(x + 140, rowY, Math.Min(260, width - 170), label);
                rowY += 44;
            }

            int bx = x + width - 12;
            for (int b = 0; b < 2; b++)
            {
                string label = Pick();
                (int tw, _) = ImageDrawing.MeasureText(label, TextSize);
                bx -= tw + 28;
                Button(bx, y + height - 48, label, b == 0 ? titleColor : BgraColor.FromRgb(230, 230, 230), b == 0 ? BgraColor.White : BgraColor.Black, $"button of the '{title}' window");
                bx -= 12;
            }
        }

        private void Button(int x, int y, string label, BgraColor fill, BgraColor ink, string where)
        {
            (int tw, int th) = ImageDrawing.MeasureText(label, TextSize);
            int w = tw + 20, h = th + 12;
            ImageDrawing.FillRectangle(Image, x, y, w, h, fill);
            ImageDrawing.DrawRectangle(Image, x, y, w, h, BgraColor.FromRgb(70, 70, 70));
            ImageDrawing.DrawText(Image, x + 10, y + 6, label, ink, TextSize);
            Elements.Add(new Element(x, y, w, h, $"the '{label}' {where}", false));
        }

        private void Field(int x, int y, int width, string name)
        {
            ImageDrawing.FillRectangle(Image, x, y, width, 32, BgraColor.White);
            ImageDrawing.DrawRectangle(Image, x, y, width, 32, BgraColor.FromRgb(150, 150, 150), 2);
            string hint = "Enter " + name.ToLowerInvariant();
            ImageDrawing.DrawText(Image, x + 8, Middle(y, 32, hint, TextSize), hint, BgraColor.FromRgb(160, 160, 160), TextSize);
            Elements.Add(new Element(x, y, width, 32, $"the '{name}' input field", false));
        }

        /// <summary>The top edge that centres a text's box in a band.</summary>
        private static int Middle(int top, int height, string text, float size) => top + ((height - ImageDrawing.MeasureText(text, size).Height) / 2);

        private void Text(int x, int y, string text, BgraColor ink, float size, string instruction)
        {
            ImageDrawing.DrawText(Image, x, y, text, ink, size);
            (int w, int h) = ImageDrawing.MeasureText(text, size);
            Elements.Add(new Element(x - 2, y - 2, w + 2, h + 2, instruction, false));
        }

        private void Icon(int x, int y, int size, BgraColor ink, BgraColor fill, string where)
        {
            (char glyph, string name) = Icons[random.Next(Icons.Length)];
            if (!_usedIcons.Add(glyph))
            {
                (glyph, name) = Icons.FirstOrDefault(i => !_usedIcons.Contains(i.Glyph));
                if (glyph == default)
                {
                    return;
                }

                _usedIcons.Add(glyph);
            }

            // The glyph as large as the box holds it (a line of DejaVu Sans Mono is about 1.17 em), centred.
            string symbol = glyph.ToString();
            float textSize = size * 0.75f;
            (int gw, int gh) = ImageDrawing.MeasureText(symbol, textSize);
            ImageDrawing.FillRectangle(Image, x, y, size, size, fill);
            ImageDrawing.DrawRectangle(Image, x, y, size, size, ink);
            ImageDrawing.DrawText(Image, x + ((size - gw) / 2), y + ((size - gh) / 2), symbol, ink, textSize);
            Elements.Add(new Element(x, y, size, size, $"{name} {where}", true));
        }

        private string Pick() => PickFrom(Words);

        private string PickFrom(string[] words)
        {
            for (int i = 0; i < 100; i++)
            {
                string w = words[random.Next(words.Length)];
                if (_used.Add(w))
                {
                    return w;
                }
            }

            string fallback = words[random.Next(words.Length)] + _used.Count.ToString(CultureInfo.InvariantCulture);
            _used.Add(fallback);
            return fallback;
        }

        private BgraColor Pastel(int spread) => BgraColor.FromRgb((byte)(255 - random.Next(spread)), (byte)(255 - random.Next(spread)), (byte)(255 - random.Next(spread)));

        private BgraColor Strong() => new[]
        {
            BgraColor.FromRgb(25, 118, 210), BgraColor.FromRgb(56, 142, 60), BgraColor.FromRgb(123, 31, 162),
            BgraColor.FromRgb(230, 81, 0), BgraColor.FromRgb(0, 121, 107), BgraColor.FromRgb(69, 90, 100),
        }[random.Next(6)];
    }
}
