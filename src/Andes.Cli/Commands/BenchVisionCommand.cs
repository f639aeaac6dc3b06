using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Andes.Agents.Gui;
using Andes.Benchmarking;
using Andes.GenAI;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes bench-vision</c>: (1) preprocessing a 1920x1080 PNG to patches, decode and resize/normalise/patchify
/// separately, beside Pillow + NumPy doing the same steps (<c>tools/vision/bench_preprocess.py</c>); (2) with
/// <c>--model</c>, a 1280x720 screenshot through decode, preprocessing, <c>vision.onnx</c> and the prompt pass, with
/// the FLOP count of the vision graph and of the prefill (from <c>andes_conversion.json</c>) and the GFLOP/s achieved.
/// </summary>
internal static class BenchVisionCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create("A model with vision.onnx, to also time the vision encoder and the prompt pass", required: false);
        var image = new Option<FileInfo?>("--image") { Description = "The image for the preprocessing comparison (default: a generated 1920x1080 screenshot-like PNG)." };
        var screenshot = new Option<FileInfo?>("--screenshot") { Description = "The image sent to the model (default: a generated 1280x720 screenshot-like PNG)." };
        var maxSize = new Option<int>("--max-size") { Description = "AndesVL max_size for both parts.", DefaultValueFactory = _ => ImageProcessorOptions.DefaultMaxSize }.AtLeast(28);
        var runs = new Option<int>("--runs") { Description = "Timed runs per preprocessing step (median and min are reported).", DefaultValueFactory = _ => 20 }.AtLeast(1);
        var warmup = new Option<int>("--warmup") { Description = "Warm-up runs per preprocessing step.", DefaultValueFactory = _ => 3 }.AtLeast(0);
        var modelRuns = new Option<int>("--model-runs") { Description = "Timed runs of the model part.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var modelWarmup = new Option<int>("--model-warmup") { Description = "Warm-up runs of the model part.", DefaultValueFactory = _ => 1 }.AtLeast(0);
        var python = new Option<string?>("--python") { Description = "The Python with Pillow and NumPy (default: /usr/bin/python3, then python3 on PATH)." };
        var noPython = new Option<bool>("--no-python") { Description = "Skip the Pillow + NumPy comparison." };
        var prompt = new Option<string>("--prompt") { Description = "The instruction sent with the screenshot.", DefaultValueFactory = _ => "Describe this screenshot." };
        var threads = new Option<int?>("--threads") { Description = "intra_op_num_threads (default: the model config's, else one per physical core; see AndesModelOptions.IntraOpNumThreads)." }.Between(0, 256, "0 = ONNX Runtime's default");
        var command = new Command("bench-vision", "Benchmark image preprocessing (beside Pillow + NumPy), the vision encoder and the image prompt pass.")
        {
            model, image, screenshot, maxSize, runs, warmup, modelRuns, modelWarmup, python, noPython, prompt, threads,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            int size = parse.GetValue(maxSize);
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 28, "--max-size");
            int n = parse.GetValue(runs), w = parse.GetValue(warmup), mn = parse.GetValue(modelRuns), mw = parse.GetValue(modelWarmup);
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, "--runs");
            ArgumentOutOfRangeException.ThrowIfLessThan(mn, 1, "--model-runs");
            ArgumentOutOfRangeException.ThrowIfNegative(w, "--warmup");
            ArgumentOutOfRangeException.ThrowIfNegative(mw, "--model-warmup");

            if (Console.IsOutputRedirected)
            {
                // A log file: keep table rows on one line (COLUMNS, else 200 wide) so they stay readable and greppable.
                AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), CultureInfo.InvariantCulture, out int columns) && columns >= 80 ? columns : 200;
            }

            AnsiConsole.MarkupLine(Markup.Escape($"andes bench-vision: {Environment.ProcessorCount} CPUs, load average {LoadAverage()}{Niceness()} (other jobs on the machine count in the wall-clock times; CPU columns show the work itself)"));
            (string pngPath, byte[] png) = ImageFile(parse.GetValue(image), 1920, 1080, seed: 1);
            Preprocessing(pngPath, png, size, n, w, parse.GetValue(noPython) ? null : parse.GetValue(python) ?? string.Empty, cancellationToken);

            if (ModelFolderOption.ResolveOptional(parse.GetValue(model)) is { } folder)
            {
                (string shotPath, byte[] shot) = ImageFile(parse.GetValue(screenshot), 1280, 720, seed: 2);
                ModelPart(folder, shotPath, shot, size, mn, mw, parse.GetValue(prompt)!, parse.GetValue(threads), cancellationToken);
            }

            using var process = Process.GetCurrentProcess();
            AnsiConsole.MarkupLine(Markup.Escape($"peak RSS {process.PeakWorkingSet64 / 1048576.0:F0} MiB; load average after: {LoadAverage()}"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Part 1: decode and resize/normalise/patchify, .NET beside Pillow + NumPy (python: null to skip the comparison, empty for the default interpreters).</summary>
    private static void Preprocessing(string pngPath, byte[] png, int maxSize, int runs, int warmup, string? python, CancellationToken cancellationToken)
    {
        ImageProcessorOptions options = ImageProcessorOptions.AimV2;
        options.MaxSize = maxSize;
        var processor = new ImageProcessor(options);
        RgbImage rgb = ImageDecoder.Decode(png, pngPath);
        ImageGeometry g = processor.GetGeometry(rgb.Width, rgb.Height);
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Preprocessing {pngPath} ({png.Length:N0} bytes, {rgb.Width} x {rgb.Height}) at max_size {maxSize}, AIMv2 patch {options.PatchSize}, merge {options.MergeSize}: " +
            $"resized {g.ResizedWidth} x {g.ResizedHeight}, canvas {g.PaddedWidth} x {g.PaddedHeight}, {g.PatchCount} patches of {g.PatchDimension}, {g.TokenCount} tokens; " +
            $"{runs} runs after {warmup} warm-up per step"));

        StepTiming decode = Time(() => ImageDecoder.Decode(png, pngPath).Width, warmup, runs, cancellationToken);
        StepTiming resize = Time(() => { using ProcessedImage p = processor.Process(rgb); return p.TokenCount; }, warmup, runs, cancellationToken);
        StepTiming total = Time(() => { using ProcessedImage p = processor.ProcessEncoded(png, pngPath); return p.TokenCount; }, warmup, runs, cancellationToken);

        PillowPreprocessResult pillow = python is null
            ? PillowPreprocessResult.Unavailable("skipped (--no-python)")
            : PillowPreprocessBenchmark.Run(python.Length == 0 ? null : python, pngPath, options, g, warmup, runs);

        string cpu = CpuClock.HasThreadClock ? "thread CPU" : "process CPU";
        AnsiConsole.MarkupLine(Markup.Escape($"Andes = this engine (.NET), Pillow = Pillow + NumPy; median and min wall clock, median {cpu} time; ratio = Pillow median / Andes median"));
        var table = new Table().AddColumns("step", "Andes median", "Andes min", "Andes CPU", "Pillow median", "Pillow min", "Pillow CPU", "ratio");
        foreach ((string name, StepTiming andes, string key) in new[]
        {
            ("decode (PNG -> RGB)", decode, "decode"),
            ("resize + normalise + patchify", resize, "resize_normalise_patchify"),
            ("total (decode + preprocess)", total, "total"),
        })
        {
            StepTiming? other = pillow.Steps.TryGetValue(key, out StepTiming? t) ? t : null;
            table.AddRow(
                name, Ms(andes.WallMedian), Ms(andes.WallMin), Ms(andes.CpuMedian),
                other is null ? "-" : Ms(other.WallMedian), other is null ? "-" : Ms(other.WallMin), other is null ? "-" : Ms(other.CpuMedian),
                other is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{other.WallMedian / andes.WallMedian:F1}x"));
        }

        AnsiConsole.Write(table);
        if (pillow.Available)
        {
            StepTiming resizePad = pillow.Steps["resize_pad"], normalise = pillow.Steps["normalise_patchify"];
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Pillow + NumPy: {pillow.Versions}, tools/vision/bench_preprocess.py (make_fixtures.py's functions); " +
                $"of its resize + normalise + patchify, Image.resize + paste {Ms(resizePad.WallMedian)} (CPU {Ms(resizePad.CpuMedian)}), " +
                $"normalise + patchify {Ms(normalise.WallMedian)} (CPU {Ms(normalise.CpuMedian)})"));
        }
        else
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"Pillow + NumPy: not available: {pillow.Reason}. (apt-get install python3-pil python3-numpy, then --python /usr/bin/python3.)"));
        }
    }

    /// <summary>Part 2: decode, preprocess, vision.onnx and the prompt pass on a model, with FLOPs.</summary>
    private static void ModelPart(string folder, string shotPath, byte[] shot, int maxSize, int runs, int warmup, string instruction, int? threads, CancellationToken cancellationToken)
    {
        ModelFlopCounter counter = ModelFlopCounter.Load(folder);
        var stopwatch = Stopwatch.StartNew();

        // No feature cache: every Generator.AppendPrompt below encodes the image again, as a new screenshot would.
        using AndesModel m = AndesModel.Load(folder, new AndesModelOptions { IntraOpNumThreads = threads, ImageFeatureCacheBytes = 0 });
        double loadSeconds = stopwatch.Elapsed.TotalSeconds;
        if (!m.SupportsImages || m.ImageProcessor is null)
        {
            throw new ArgumentException($"--model: '{folder}' has no vision graph (genai_config.json has no model.vision section).");
        }

        ImageProcessorOptions options = m.ImageProcessor.Options;
        options.MaxSize = maxSize;
        var processor = new ImageProcessor(options);
        List<ChatMessage> messages = [new(ChatRole.User, [new DataContent(shot, "image/png") { Name = Path.GetFileName(shotPath) }, new TextContent(instruction)])];
        ChatPrompt prompt = AndesChatClientPromptRenderer.Render(messages);
        EncodedPrompt encoded = m.Encode(prompt, new PromptEncodingOptions { ImageMaxSize = maxSize });
        PromptImage promptImage = encoded.Images[0];
        ImageGeometry g = promptImage.Geometry;
        VisionFlops vision = counter.CountVision(g.PatchCount, g.TokenCount);
        PrefillFlops prefill = counter.CountPrefill(encoded.Length);
        int[] ids = encoded.Ids.ToArray();

        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine(Markup.Escape(
            $"Model {folder} (loaded in {loadSeconds:F1} s, image feature cache off); screenshot {shotPath} ({shot.Length:N0} bytes, {promptImage.Width} x {promptImage.Height}) at max_size {maxSize}: " +
            $"canvas {g.PaddedWidth} x {g.PaddedHeight}, {g.PatchCount} patches, {g.TokenCount} image tokens; prompt {encoded.Length} tokens " +
            $"({encoded.ImageTokenCount} image + 2 <img></img> + {encoded.Length - encoded.ImageTokenCount - 2} text, chat template with \"{instruction}\"); " +
            $"{runs} runs after {warmup} warm-up"));

        var decode = new TimingSamples();
        var preprocess = new TimingSamples();
        var encode = new TimingSamples();
        var prefillTimes = new TimingSamples();
        var sum = new TimingSamples();
        var endToEnd = new TimingSamples();
        var generation = new GenerationOptions { DoSample = false, MaxNewTokens = 1 };
        for (int run = 0; run < warmup + runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool timed = run >= warmup;
            long t0 = Stopwatch.GetTimestamp();
            double c0 = CpuClock.ProcessMilliseconds(), d0 = CpuClock.ThreadMilliseconds();
            RgbImage rgb = ImageDecoder.Decode(shot, shotPath, options.Decoder);
            long t1 = Stopwatch.GetTimestamp();
            double d1 = CpuClock.ThreadMilliseconds();
            using ProcessedImage processed = processor.Process(rgb);
            long t2 = Stopwatch.GetTimestamp();
            double d2 = CpuClock.ThreadMilliseconds(), c2 = CpuClock.ProcessMilliseconds();
            ImageFeatures features = m.EncodeImage(processed);
            long t3 = Stopwatch.GetTimestamp();
            double c3 = CpuClock.ProcessMilliseconds();
            using (var generator = new Generator(m, generation))
            {
                generator.AppendTokens(ids, features.Values); // the prompt pass: embedding (image rows scattered in) + decoder
            }

            long t4 = Stopwatch.GetTimestamp();
            double c4 = CpuClock.ProcessMilliseconds();
            if (processed.Geometry != g || features.TokenCount != g.TokenCount)
            {
                throw new InvalidOperationException($"The screenshot preprocessed to {processed.Geometry}, but the prompt encoding expects {g}.");
            }

            // The same work through the engine's one call (decode, preprocess, vision, prefill), as AndesChatClient runs it.
            long t5 = Stopwatch.GetTimestamp();
            double c5 = CpuClock.ProcessMilliseconds();
            using (var generator = new Generator(m, generation))
            {
                generator.AppendPrompt(encoded);
            }

            long t6 = Stopwatch.GetTimestamp();
            double c6 = CpuClock.ProcessMilliseconds();
            if (!timed)
            {
                continue;
            }

            decode.Add(Ms(t0, t1), d1 - d0);
            preprocess.Add(Ms(t1, t2), d2 - d1);
            encode.Add(Ms(t2, t3), c3 - c2);
            prefillTimes.Add(Ms(t3, t4), c4 - c3);
            sum.Add(Ms(t0, t4), c4 - c0);
            endToEnd.Add(Ms(t5, t6), c6 - c5);
        }

        AnsiConsole.MarkupLine(
            "median and min wall clock; CPU: median CPU time of the calling thread (decode, preprocess: one thread) or of the process (ONNX Runtime stages: all threads); " +
            "GFLOP/s at the median and at the best run; GFLOP per CPU-second (the work rate per busy core, less sensitive to other jobs)");
        var table = new Table().AddColumns("stage", "median", "min", "CPU", "GFLOP", "GFLOP/s", "best GFLOP/s", "GFLOP/CPU-s");
        void Row(string name, TimingSamples samples, long flops)
        {
            StepTiming t = samples.Summarise();
            table.AddRow(
                name, Ms(t.WallMedian), Ms(t.WallMin), Ms(t.CpuMedian),
                flops == 0 ? "-" : Gflop(flops),
                flops == 0 ? "-" : Rate(flops, t.WallMedian),
                flops == 0 ? "-" : Rate(flops, t.WallMin),
                flops == 0 ? "-" : Rate(flops, t.CpuMedian));
        }

        Row("decode (PNG -> RGB)", decode, 0);
        Row("resize + normalise + patchify", preprocess, 0);
        Row("vision.onnx (tower + connector)", encode, vision.Total);
        Row($"prompt prefill ({encoded.Length} tokens)", prefillTimes, prefill.Total);
        Row("total (sum of the stages)", sum, vision.Total + prefill.Total);
        Row("Generator.AppendPrompt (all in one call)", endToEnd, vision.Total + prefill.Total);
        AnsiConsole.Write(table);
        StepTiming prefillTiming = prefillTimes.Summarise(), sumTiming = sum.Summarise();
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"prefill {encoded.Length / (prefillTiming.WallMedian / 1000):F0} prompt tokens/s (median); the screenshot prompt's first token is ready after {sumTiming.WallMedian / 1000:F1} s (median, all stages)")));

        var flopsTable = new Table().AddColumns("FLOPs", "applied to", "count", "GFLOP");
        void FlopRow(string name, string appliedTo, long flops) =>
            flopsTable.AddRow(name, appliedTo, flops.ToString("N0", CultureInfo.InvariantCulture), Gflop(flops));
        string patches = $"{g.PatchCount} patches";
        FlopRow("vision: patch projection", patches, vision.PatchEmbedding);
        FlopRow("vision: position table", patches, vision.PositionTable);
        FlopRow($"vision: trunk linears ({counter.VisionLayers} layers)", patches, vision.TrunkLinears);
        FlopRow($"vision: attention ({counter.VisionLayers} layers, d {counter.VisionAttentionWidth})", $"{g.PatchCount} x {g.PatchCount}", vision.Attention);
        FlopRow("vision: connector", $"{g.TokenCount} tokens", vision.Connector);
        FlopRow("vision.onnx total", string.Empty, vision.Total);
        FlopRow($"prefill: decoder linears ({counter.DecoderLayers} layers)", $"{encoded.Length} tokens", prefill.Linears);
        FlopRow($"prefill: causal attention ({counter.DecoderLayers} layers, d {counter.DecoderAttentionWidth})", $"{encoded.Length} tokens", prefill.Attention);
        FlopRow("prefill: lm_head", "1 row (last position)", prefill.LmHead);
        FlopRow("prefill total", string.Empty, prefill.Total);
        AnsiConsole.Write(flopsTable);
        AnsiConsole.MarkupLine(Markup.Escape(ModelFlopCounter.Formula));
    }

    /// <summary>Reads the image, or renders and writes a synthetic screenshot of the given size.</summary>
    private static (string Path, byte[] Bytes) ImageFile(FileInfo? given, int width, int height, int seed)
    {
        if (given is not null)
        {
            if (!given.Exists)
            {
                throw new FileNotFoundException($"The image '{given.FullName}' does not exist.", given.FullName);
            }

            return (given.FullName, File.ReadAllBytes(given.FullName));
        }

        string folder = Path.Combine(Path.GetTempPath(), "andes-bench-vision");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"screenshot_{width}x{height}_seed{seed}.png"));
        byte[] png = PngEncoder.Encode(SyntheticScreenshot.Render(width, height, seed), new PngEncoderOptions { CompressionLevel = System.IO.Compression.CompressionLevel.Optimal });
        string partial = $"{path}.{Environment.ProcessId}.tmp"; // other runs may be reading the same file: replace it whole
        File.WriteAllBytes(partial, png);
        File.Move(partial, path, overwrite: true);
        return (path, png);
    }

    private static StepTiming Time(Func<int> action, int warmup, int runs, CancellationToken cancellationToken)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new TimingSamples();
        for (int i = 0; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double cpu = CpuClock.ThreadMilliseconds();
            long start = Stopwatch.GetTimestamp();
            action();
            double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            samples.Add(wall, CpuClock.ThreadMilliseconds() - cpu);
        }

        return samples.Summarise();
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static string Ms(double milliseconds) =>
        milliseconds.ToString(milliseconds >= 1000 ? "N0" : milliseconds >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture) + " ms";

    private static string Gflop(long flops) => (flops / 1e9).ToString(flops >= 1e10 ? "F1" : "F3", CultureInfo.InvariantCulture);

    private static string Rate(long flops, double milliseconds) => (flops / 1e9 / (milliseconds / 1000)).ToString("F1", CultureInfo.InvariantCulture);

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Niceness()
    {
        try
        {
            // /proc/self/stat: after "(comm) ", field 19 (nice) is the 17th.
            string stat = File.ReadAllText("/proc/self/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 16 ? $", nice {fields[16]}" : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
