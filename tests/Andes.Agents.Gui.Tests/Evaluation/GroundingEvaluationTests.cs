using System.Text.Json;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Evaluation;
using Andes.Agents.Gui.Tests.TestSupport;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Tests.Evaluation;

public sealed class GroundingEvaluationTests
{
    [Fact]
    public async Task TheOracleScoresOneHundredPercentOnTheSyntheticSet()
    {
        using var dir = new TempDirectory();
        GroundingDataset generated = SyntheticGroundingSetGenerator.Generate(dir.Path, 24, seed: 11);
        Assert.Equal(24, generated.Samples.Count);

        // Loading it back detects ScreenSpot's [x, y, w, h] convention from the data itself.
        GroundingDataset dataset = GroundingDataset.Load(Path.Combine(dir.Path, "screenspot.json"));
        Assert.Equal(GroundingDatasetFormat.ScreenSpot, dataset.Format);
        Assert.Equal(BoxFormat.Xywh, dataset.BoxFormat);
        Assert.Contains("can only be [x,y,w,h]", dataset.BoxFormatReason, StringComparison.Ordinal);
        Assert.Equal(generated.Samples, dataset.Samples);
        Assert.Contains(dataset.Samples, s => s.DataType == "icon");
        Assert.Contains(dataset.Samples, s => s.DataType == "text");
        Assert.Equal(["desktop", "mobile", "web"], dataset.Samples.Select(s => s.Platform).Distinct().Order());

        foreach (var options in new[] { new GroundingOptions(), new GroundingOptions { Coordinates = new ModelCoordinateSystem(10000), Sizing = new ImageSizingOptions { MaxSize = 733 } } })
        {
            GroundingEvaluationReport report = await new GroundingEvaluator(new OracleGroundingChatClient(dataset, options), options).EvaluateAsync(dataset);
            Assert.Equal(1.0, report.Overall.Accuracy);
            Assert.Equal(24, report.Overall.BoxAnswers);
            Assert.InRange(report.Overall.MeanIntersectionOverUnion!.Value, 0.7, 1.0);
            Assert.All(report.ByPlatformAndDataType, a => Assert.Equal(1.0, a.Accuracy));
            Assert.Equal("oracle", report.Model);
            Assert.Contains("100.00%", report.ToText(), StringComparison.Ordinal);
            JsonElement json = JsonDocument.Parse(report.ToJson()).RootElement;
            Assert.Equal(1.0, json.GetProperty("overall").GetProperty("accuracy").GetDouble());
        }
    }

    [Fact]
    public async Task TheOracleAnswersRawPixelFramesAsWellAsPngFiles()
    {
        using var dir = new TempDirectory();
        GroundingDataset dataset = SyntheticGroundingSetGenerator.Generate(dir.Path, 12, seed: 4);
        var sent = new List<string>();
        foreach (ModelCoordinateFrame frame in new[] { ModelCoordinateFrame.SourceImage, ModelCoordinateFrame.ProcessedImage })
        {
            var options = new GroundingOptions { Transport = ImageTransport.RawPixels, Coordinates = new ModelCoordinateSystem(1000, frame) };
            using var oracle = new OracleGroundingChatClient(dataset, options);
            var recording = new RecordingClient(oracle, sent);
            GroundingEvaluationReport report = await new GroundingEvaluator(recording, options).EvaluateAsync(dataset);
            Assert.Equal(12, report.Overall.Hits);
            Assert.Equal(0, report.Overall.Rejected);
        }

        Assert.Equal(24, sent.Count);
        Assert.All(sent, m => Assert.StartsWith("image/x-raw; format=bgra32; width=", m, StringComparison.Ordinal));

        // A screen frame captured from the same pixels (raw through the grounder) is found too; other pixels are not.
        GroundingSample sample = dataset.Samples[0];
        BgraImage pixels = PngDecoder.DecodeFile(sample.ImagePath);
        var client = new OracleGroundingChatClient(dataset);
        var grounder = new ScreenGrounder(client, new GroundingOptions { Transport = ImageTransport.RawPixels });
        var screen = new ScreenFrame(pixels, new ScreenRectangle(-pixels.Width, 0, pixels.Width, pixels.Height), 1.0, DateTimeOffset.UnixEpoch);
        GroundingResult found = await grounder.LocateAsync(screen, sample.Instruction);
        Assert.True(sample.Box.Contains(found.ImageTarget));
        Assert.Equal(found.ImageTarget.X - pixels.Width, found.ScreenTarget.X, 6);
        pixels.Pixels[0] ^= 0xFF;
        await Assert.ThrowsAsync<GroundingAnswerException>(() => grounder.LocateAsync(screen, sample.Instruction));
    }

    [Fact]
    public async Task TheReportCountsRejectionsByReason()
    {
        using var dir = new TempDirectory();
        GroundingDataset dataset = SyntheticGroundingSetGenerator.Generate(dir.Path, 4, seed: 8);
        var answers = new Queue<string>(["gibberish", "<|box_start|>(1,2),(3<|box_end|>", "<|box_start|>(10,10),(2000,20)<|box_end|>", "(500,500)"]);
        GroundingEvaluationReport report = await new GroundingEvaluator(new ScriptedChatClient((_, _) => answers.Dequeue())).EvaluateAsync(dataset, "scripted");
        Assert.Equal(3, report.Overall.Rejected);
        Assert.Equal(1, report.RejectedByReason[GroundingFailureReason.OutOfRange]);
        Assert.Equal(3, report.RejectedByReason.Values.Sum());
        string text = report.ToText();
        Assert.Matches(@"score: \d/4 hits \(\d+\.\d\d%\), 3 rejected \(no coordinates \d, malformed \d, out of range 1, outside image 0\), 0 box answers", text);
        JsonElement json = JsonDocument.Parse(report.ToJson()).RootElement;
        Assert.Equal(1, json.GetProperty("rejected_by_reason").GetProperty("out of range").GetInt32());

        // The report's fields, in order; nulls are written (a sample without IoU, the reason of an accepted answer).
        Assert.Equal(
            ["dataset", "model", "overall", "by_platform", "by_data_type", "by_platform_and_data_type", "rejected_by_reason", "samples"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["group", "count", "hits", "accuracy", "rejected", "box_answers", "mean_iou"], json.GetProperty("overall").EnumerateObject().Select(p => p.Name));
        JsonElement sample = json.GetProperty("samples")[0];
        Assert.Equal(["index", "image", "instruction", "platform", "data_type", "answer", "hit", "iou", "rejected"], sample.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("iou").ValueKind);
        Assert.Contains("\n  \"dataset\": ", report.ToJson(), StringComparison.Ordinal); // indented
    }

    private sealed class RecordingClient(IChatClient inner, List<string> mediaTypes) : DelegatingChatClient(inner)
    {
        public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            List<ChatMessage> list = [.. messages];
            mediaTypes.Add(ScriptedChatClient.LastImage(list).MediaType);
            return base.GetResponseAsync(list, options, cancellationToken);
        }
    }

    [Fact]
    public void TheGeneratorIsDeterministic()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        SyntheticGroundingSetGenerator.Generate(a.Path, 5, seed: 3);
        SyntheticGroundingSetGenerator.Generate(b.Path, 5, seed: 3);
        Assert.Equal(File.ReadAllText(Path.Combine(a.Path, "screenspot.json")), File.ReadAllText(Path.Combine(b.Path, "screenspot.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, "images", "synthetic_00001.png")), File.ReadAllBytes(Path.Combine(b.Path, "images", "synthetic_00001.png")));
    }

    [Fact]
    public async Task WrongAnswersAndRejectionsAreScoredHonestly()
    {
        using var dir = new TempDirectory();
        GroundingDataset dataset = SyntheticGroundingSetGenerator.Generate(dir.Path, 6, seed: 5);
        // Point at the far corner from each true box (on the image, never in the box), except two broken answers.
        int call = 0;
        var client = new ScriptedChatClient((_, _) =>
        {
            GroundingSample s = dataset.Samples[call];
            ImageInfo info = ImageInfo.ReadFile(s.ImagePath);
            CoordinateMapper mapper = GroundingEvaluator.CreateMapper(info.Width, info.Height, new GroundingOptions());
            var far = new ImagePoint(s.Box.Center.X < info.Width / 2.0 ? info.Width - 3 : 3, s.Box.Center.Y < info.Height / 2.0 ? info.Height - 3 : 3);
            return call++ switch
            {
                1 => "nothing here",
                2 => "<|box_start|>(10,10),(2000,20)<|box_end|>",
                _ => GroundingAnswerWriter.WritePoint(mapper.ToModel(far)),
            };
        });
        GroundingEvaluationReport report = await new GroundingEvaluator(client).EvaluateAsync(dataset, "scripted");
        Assert.Equal(0, report.Overall.Hits);
        Assert.Equal(2, report.Overall.Rejected);
        Assert.Equal(0, report.Overall.BoxAnswers);
        Assert.Equal(GroundingFailureReason.OutOfRange, report.Results[2].Failure!.Reason);
    }

    [Fact]
    public async Task ClientErrorsStopTheEvaluationNamingTheSample()
    {
        using var dir = new TempDirectory();
        GroundingDataset dataset = SyntheticGroundingSetGenerator.Generate(dir.Path, 2, seed: 5);
        var client = new ScriptedChatClient((_, _) => throw new NotSupportedException("images are not supported yet"));
        var e = await Assert.ThrowsAsync<GroundingEvaluationException>(() => new GroundingEvaluator(client).EvaluateAsync(dataset));
        Assert.Equal(0, e.Sample.Index);
        Assert.Contains("images are not supported yet", e.Message, StringComparison.Ordinal);
        Assert.Contains("synthetic_00001.png", e.Message, StringComparison.Ordinal);
    }

    private static string WriteImage(string dir, string name, int width, int height)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, PngEncoder.Encode(new BgraImage(width, height)));
        return path;
    }

    [Fact]
    public void ScreenSpotBoxesAreDetectedAsXyxyWhenXywhWouldLeaveTheImage()
    {
        using var dir = new TempDirectory();
        WriteImage(dir.Path, "a.png", 100, 100);
        File.WriteAllText(Path.Combine(dir.Path, "pro.json"), """
            [{"img_filename": "a.png", "bbox": [60, 60, 90, 80], "instruction": "x", "ui_type": "icon", "platform": "macos"}]
            """);
        GroundingDataset d = GroundingDataset.Load(Path.Combine(dir.Path, "pro.json"));
        Assert.Equal(BoxFormat.Xyxy, d.BoxFormat);
        Assert.Equal(new ImageBox(60, 60, 90, 80), d.Samples[0].Box);
        Assert.Equal(("icon", "macos"), (d.Samples[0].DataType, d.Samples[0].Platform));
    }

    [Fact]
    public void AmbiguousScreenSpotBoxesFallBackToXywhAndSaySo()
    {
        using var dir = new TempDirectory();
        WriteImage(dir.Path, "a.png", 100, 100);
        File.WriteAllText(Path.Combine(dir.Path, "screenspot_mobile.json"), """
            [{"img_filename": "a.png", "bbox": [10, 10, 20, 20], "instruction": "x", "data_type": "text", "data_source": "ios"}]
            """);
        GroundingDataset d = GroundingDataset.Load(Path.Combine(dir.Path, "screenspot_mobile.json"));
        Assert.Equal(BoxFormat.Xywh, d.BoxFormat);
        Assert.Contains("assumed", d.BoxFormatReason, StringComparison.Ordinal);
        Assert.Equal(new ImageBox(10, 10, 30, 30), d.Samples[0].Box);
        Assert.Equal("mobile", d.Samples[0].Platform);
        Assert.Equal(BoxFormat.Xyxy, GroundingDataset.Load(Path.Combine(dir.Path, "screenspot_mobile.json"), boxFormat: BoxFormat.Xyxy).BoxFormat);
    }

    [Fact]
    public void NormalisedBoxesAreScaledToPixels()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "images"));
        WriteImage(Path.Combine(dir.Path, "images"), "a.png", 200, 100);
        File.WriteAllText(Path.Combine(dir.Path, "s.json"), """
            [{"img_filename": "a.png", "bbox": [0.5, 0.5, 0.25, 0.2], "instruction": "x", "data_type": "text", "data_source": "windows"}]
            """);
        GroundingDataset d = GroundingDataset.Load(Path.Combine(dir.Path, "s.json"));
        Assert.Equal(BoxFormat.Xywh, d.BoxFormat);
        Assert.Equal(new ImageBox(100, 50, 150, 70), d.Samples[0].Box);
        Assert.Equal("desktop", d.Samples[0].Platform);
    }

    [Fact]
    public async Task AndesUIFormatLoadsAndEvaluates()
    {
        using var dir = new TempDirectory();
        WriteImage(dir.Path, "shot.png", 1080, 2400);
        File.WriteAllText(Path.Combine(dir.Path, "andesui_grounding.json"), """
            [{"question": "the Settings switch", "imgpath": "shot.png", "bbox": [900, 300, 1000, 360]},
             {"question": "the back arrow", "imgpath": "./shot.png", "bbox": [10, 80, 70, 140]}]
            """);
        GroundingDataset d = GroundingDataset.Load(Path.Combine(dir.Path, "andesui_grounding.json"));
        Assert.Equal(GroundingDatasetFormat.AndesUI, d.Format);
        Assert.Equal(BoxFormat.Xyxy, d.BoxFormat);
        Assert.Equal(new ImageBox(900, 300, 1000, 360), d.Samples[0].Box);
        GroundingEvaluationReport report = await new GroundingEvaluator(new OracleGroundingChatClient(d)).EvaluateAsync(d);
        Assert.Equal(1.0, report.Overall.Accuracy);
    }

    [Theory]
    [InlineData("""[{"img_filename": "missing.png", "bbox": [1, 2, 3, 4], "instruction": "x"}]""", "image 'missing.png' not found")]
    [InlineData("""[{"img_filename": "a.png", "bbox": [1, 2, 3], "instruction": "x"}]""", "'bbox' must be a list of 4 numbers")]
    [InlineData("""[{"img_filename": "a.png", "bbox": [1, 2, 3, 4]}]""", "missing 'instruction'")]
    [InlineData("""[{"file": "a.png"}]""", "cannot tell the format")]
    [InlineData("""[{"img_filename": "a.png", "bbox": [50, 50, 10, 10], "instruction": "x"}, {"img_filename": "a.png", "bbox": [90, 90, 95, 98], "instruction": "y"}]""", "mix conventions")]
    public void BadAnnotationsNameTheRecord(string json, string expected)
    {
        using var dir = new TempDirectory();
        WriteImage(dir.Path, "a.png", 100, 100);
        File.WriteAllText(Path.Combine(dir.Path, "bad.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => GroundingDataset.Load(Path.Combine(dir.Path, "bad.json")));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("bad.json", e.Message, StringComparison.Ordinal);
    }
}
