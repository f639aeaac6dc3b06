using System.Globalization;
using System.Text.Json;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Evaluation;

/// <summary>
/// A grounding benchmark loaded from ScreenSpot-format or AndesUI-format annotations, with boxes converted to
/// image-pixel (x1, y1, x2, y2) boxes.
/// </summary>
/// <remarks>
/// <para>Box convention: the original ScreenSpot files write <c>[x, y, w, h]</c>, ScreenSpot-Pro and AndesUI
/// <c>[x1, y1, x2, y2]</c>, and some re-exports normalise to 0-1. With <see cref="BoxFormat.Auto"/> the loader reads
/// every image's size from its header and looks for evidence: a box whose second corner is not right of / below the
/// first can only be [x, y, w, h]; one whose x + w or y + h runs off the image can only be [x1, y1, x2, y2]. One-sided
/// evidence decides; conflicting evidence is an error; no evidence falls back to the format's documented convention
/// (xywh for ScreenSpot, xyxy for AndesUI) and <see cref="BoxFormatReason"/> says so. Values all within [0, 1] are
/// read as fractions of the image size.</para>
/// <para>Images are looked up next to the annotation file, then in <c>images/</c>, <c>imgs/</c> and
/// <c>screenspot_imgs/</c> beside it, or in an explicit folder.</para>
/// </remarks>
public sealed class GroundingDataset
{
    private GroundingDataset(string path, GroundingDatasetFormat format, BoxFormat boxFormat, string boxFormatReason, IReadOnlyList<GroundingSample> samples)
    {
        Path = path;
        Format = format;
        BoxFormat = boxFormat;
        BoxFormatReason = boxFormatReason;
        Samples = samples;
    }

    /// <summary>The annotation file.</summary>
    public string Path { get; }

    /// <summary>The annotation layout.</summary>
    public GroundingDatasetFormat Format { get; }

    /// <summary>The box convention used.</summary>
    public BoxFormat BoxFormat { get; }

    /// <summary>Why that box convention was used.</summary>
    public string BoxFormatReason { get; }

    /// <summary>The samples.</summary>
    public IReadOnlyList<GroundingSample> Samples { get; }

    /// <summary>Creates a dataset from samples already in memory (boxes in x1,y1,x2,y2 pixels).</summary>
    /// <param name="samples">The samples.</param>
    /// <param name="name">A name for reports.</param>
    /// <returns>The dataset.</returns>
    public static GroundingDataset FromSamples(IReadOnlyList<GroundingSample> samples, string name = "memory")
        => new(name, GroundingDatasetFormat.ScreenSpot, BoxFormat.Xyxy, "given in memory", samples);

    /// <summary>Loads a dataset.</summary>
    /// <param name="path">The annotation file (JSON list, or JSON lines).</param>
    /// <param name="format">The layout; <see cref="GroundingDatasetFormat.Auto"/> to detect it.</param>
    /// <param name="boxFormat">The box convention; <see cref="BoxFormat.Auto"/> to detect it.</param>
    /// <param name="imageDirectory">Where the images are; null to search beside the file.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="InvalidDataException">A record is malformed, an image is missing, or the box evidence conflicts (the message names the record).</exception>
    public static GroundingDataset Load(string path, GroundingDatasetFormat format = GroundingDatasetFormat.Auto, BoxFormat boxFormat = BoxFormat.Auto, string? imageDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        List<JsonElement> records = ReadRecords(fullPath);
        if (records.Count == 0)
        {
            throw new InvalidDataException($"{fullPath}: no records.");
        }

        if (format == GroundingDatasetFormat.Auto)
        {
            JsonElement first = records[0];
            format = first.TryGetProperty("img_filename", out _) ? GroundingDatasetFormat.ScreenSpot
                : first.TryGetProperty("imgpath", out _) || first.TryGetProperty("question", out _) ? GroundingDatasetFormat.AndesUI
                : throw new InvalidDataException($"{fullPath}: record 0 has neither 'img_filename' (ScreenSpot) nor 'imgpath' (AndesUI); cannot tell the format.");
        }

        string baseDir = System.IO.Path.GetDirectoryName(fullPath)!;
        string fileHint = System.IO.Path.GetFileNameWithoutExtension(fullPath).ToLowerInvariant();
        var raw = new List<RawRecord>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            raw.Add(ReadRecord(records[i], i, format, fullPath, baseDir, imageDirectory, fileHint));
        }

        (BoxFormat chosen, string reason) = DecideBoxFormat(raw, format, boxFormat, fullPath);
        var samples = raw.Select(r => r.ToSample(chosen)).ToList();
        return new GroundingDataset(fullPath, format, chosen, reason, samples);
    }

    private static List<JsonElement> ReadRecords(string path)
    {
        string text = File.ReadAllText(path);
        string trimmed = text.TrimStart();
        try
        {
            if (trimmed.StartsWith('['))
            {
                using JsonDocument doc = JsonDocument.Parse(text);
                return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
            }

            var records = new List<JsonElement>();
            int line = 0;
            foreach (string l in text.Split('\n'))
            {
                line++;
                if (!string.IsNullOrWhiteSpace(l))
                {
                    try
                    {
                        using JsonDocument doc = JsonDocument.Parse(l);
                        records.Add(doc.RootElement.Clone());
                    }
                    catch (JsonException e)
                    {
                        throw new InvalidDataException($"{path}:{line}: not JSON ({e.Message}).", e);
                    }
                }
            }

            return records;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a JSON list of records ({e.Message}).", e);
        }
    }

    private static RawRecord ReadRecord(JsonElement e, int index, GroundingDatasetFormat format, string path, string baseDir, string? imageDirectory, string fileHint)
    {
        string where = string.Create(CultureInfo.InvariantCulture, $"{path}: record {index}");
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} is not an object.");
        }

        string imageName = format == GroundingDatasetFormat.ScreenSpot ? RequireString(e, where, "img_filename") : RequireString(e, where, "imgpath", "image", "img_path");
        string instruction = format == GroundingDatasetFormat.ScreenSpot ? RequireString(e, where, "instruction") : RequireString(e, where, "question", "instruction");
        if (!e.TryGetProperty("bbox", out JsonElement bbox) || bbox.ValueKind != JsonValueKind.Array || bbox.GetArrayLength() != 4)
        {
            throw new InvalidDataException($"{where}: 'bbox' must be a list of 4 numbers.");
        }

        double[] values = new double[4];
        int k = 0;
        foreach (JsonElement v in bbox.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !double.IsFinite(values[k] = v.GetDouble()) || values[k] < 0)
            {
                throw new InvalidDataException($"{where}: bbox value {k} ({v}) is not a non-negative number.");
            }

            k++;
        }

        string imagePath = ResolveImage(imageName, baseDir, imageDirectory)
            ?? throw new InvalidDataException($"{where}: image '{imageName}' not found beside the file or in images/, imgs/ or screenspot_imgs/{(imageDirectory is null ? string.Empty : " or " + imageDirectory)}.");
        ImageInfo info;
        try
        {
            info = ReadHeader(imagePath);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{where}: {ex.Message}", ex);
        }

        string dataType = OptionalString(e, "data_type", "ui_type", "type", "element_type") ?? "unknown";
        string? source = OptionalString(e, "data_source", "source", "application", "app");
        string platform = OptionalString(e, "platform") ?? InferPlatform(source, fileHint) ?? "unknown";
        return new RawRecord(index, imagePath, instruction, values, info.Width, info.Height, dataType.ToLowerInvariant(), platform.ToLowerInvariant(), source, where);
    }

    private static ImageInfo ReadHeader(string path)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] header = new byte[(int)Math.Min(stream.Length, 1 << 16)];
        stream.ReadExactly(header);
        return ImageInfo.Read(header, path);
    }

    private static string? InferPlatform(string? source, string fileHint)
    {
        switch (source?.ToLowerInvariant())
        {
            case "ios" or "android":
                return "mobile";
            case "windows" or "macos" or "linux":
                return "desktop";
        }

        foreach (string p in new[] { "mobile", "desktop", "web" })
        {
            if (fileHint.Contains(p, StringComparison.Ordinal))
            {
                return p;
            }
        }

        return source;
    }

    private static (BoxFormat Format, string Reason) DecideBoxFormat(List<RawRecord> records, GroundingDatasetFormat format, BoxFormat requested, string path)
    {
        if (requested != BoxFormat.Auto)
        {
            return (requested, "given");
        }

        int onlyXywh = 0, onlyXyxy = 0;
        string? xywhExample = null, xyxyExample = null;
        foreach (RawRecord r in records)
        {
            double[] v = r.Pixels();
            bool xyxyInvalid = v[2] <= v[0] || v[3] <= v[1];
            bool xywhOffImage = v[0] + v[2] > r.Width + 1 || v[1] + v[3] > r.Height + 1;
            if (xyxyInvalid && !xywhOffImage)
            {
                onlyXywh++;
                xywhExample ??= r.Where;
            }
            else if (xywhOffImage && !xyxyInvalid)
            {
                onlyXyxy++;
                xyxyExample ??= r.Where;
            }
        }

        if (onlyXywh > 0 && onlyXyxy > 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: the boxes mix conventions: {onlyXywh} can only be [x,y,w,h] (e.g. {xywhExample}) and {onlyXyxy} only [x1,y1,x2,y2] (e.g. {xyxyExample}). Pass the box format explicitly."));
        }

        if (onlyXywh > 0)
        {
            return (BoxFormat.Xywh, string.Create(CultureInfo.InvariantCulture, $"{onlyXywh} box(es) can only be [x,y,w,h] (second corner not right of/below the first)"));
        }

        if (onlyXyxy > 0)
        {
            return (BoxFormat.Xyxy, string.Create(CultureInfo.InvariantCulture, $"{onlyXyxy} box(es) can only be [x1,y1,x2,y2] (x+w or y+h runs off the image)"));
        }

        return format == GroundingDatasetFormat.ScreenSpot
            ? (BoxFormat.Xywh, "no box decides it; ScreenSpot's convention [x,y,w,h] assumed")
            : (BoxFormat.Xyxy, "no box decides it; AndesUI's convention [x1,y1,x2,y2] assumed");
    }

    private static string? ResolveImage(string name, string baseDir, string? imageDirectory)
    {
        IEnumerable<string> candidates = imageDirectory is not null
            ? [System.IO.Path.Combine(imageDirectory, name), System.IO.Path.Combine(imageDirectory, System.IO.Path.GetFileName(name))]
            : [
                System.IO.Path.Combine(baseDir, name),
                System.IO.Path.Combine(baseDir, "images", name),
                System.IO.Path.Combine(baseDir, "imgs", name),
                System.IO.Path.Combine(baseDir, "screenspot_imgs", name),
            ];
        return candidates.Select(System.IO.Path.GetFullPath).FirstOrDefault(File.Exists);
    }

    private static string RequireString(JsonElement e, string where, params string[] names)
        => OptionalString(e, names) ?? throw new InvalidDataException($"{where}: missing '{names[0]}' (a string).");

    private static string? OptionalString(JsonElement e, params string[] names)
    {
        foreach (string name in names)
        {
            if (e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s)
            {
                return s;
            }
        }

        return null;
    }

    private sealed record RawRecord(int Index, string ImagePath, string Instruction, double[] Values, int Width, int Height, string DataType, string Platform, string? Source, string Where)
    {
        public bool Normalised => Values.All(v => v <= 1.0);

        public double[] Pixels() => Normalised
            ? [Values[0] * Width, Values[1] * Height, Values[2] * Width, Values[3] * Height]
            : Values;

        public GroundingSample ToSample(BoxFormat format)
        {
            double[] v = Pixels();
            ImageBox box = format == BoxFormat.Xywh ? ImageBox.FromXywh(v[0], v[1], v[2], v[3]) : new ImageBox(v[0], v[1], v[2], v[3]);
            if (box.Width <= 0 || box.Height <= 0)
            {
                throw new InvalidDataException($"{Where}: the box {box} (read as {format}) has no area.");
            }

            return new GroundingSample(Index, ImagePath, Instruction, box, DataType, Platform, Source);
        }
    }
}
