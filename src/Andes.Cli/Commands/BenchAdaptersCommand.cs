using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Andes.Benchmarking;
using Andes.GenAI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes bench-adapters</c>: the cost of LoRA adapters on a model folder converted with LoRA targets: resident
/// memory per adapter against its file size, the cost of activating/switching an adapter per request (no session
/// reload), decode tokens/s with an adapter active against the base model, and (with <c>--baseline-model</c>) the
/// base model's speed against the same checkpoint converted without LoRA inputs.
/// </summary>
internal static class BenchAdaptersCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create("The model converted with LoRA targets");
        var adapters = new Option<string[]>("--adapter") { Description = "An adapter (.onnx_adapter file or PEFT folder); repeat for several.", Required = true, AllowMultipleArgumentsPerToken = false };
        var baseline = ModelFolderOption.Create("The same checkpoint converted without LoRA targets, to measure what the LoRA inputs cost with no adapter active", required: false, name: "--baseline-model");
        var promptLength = new Option<int>("--prompt-length") { Description = "Prompt tokens per generation.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var decode = new Option<int>("--decode-tokens") { Description = "Tokens generated per run.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var runs = new Option<int>("--runs") { Description = "Runs per configuration (the median is reported).", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var switches = new Option<int>("--switches") { Description = "Adapter switches timed.", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var threads = new Option<int?>("--threads") { Description = "intra_op_num_threads (default: the model config's, else one per physical core; see AndesModelOptions.IntraOpNumThreads)." }.Between(0, 256, "0 = ONNX Runtime's default");
        var quietRuns = new Option<int>("--quiet-runs") { Description = "On a shared machine (Linux): keep running rounds until every configuration has this many runs during which other processes used at most --max-others of the cores (or --max-rounds is reached); those runs get their own columns.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var maxOthers = new Option<double>("--max-others") { Description = "The share of all cores (0-1) other processes may use during a run for it to count as quiet.", DefaultValueFactory = _ => 0.1 }.Between(0.0, 1.0);
        var maxRounds = new Option<int>("--max-rounds") { Description = "The most rounds run while waiting for quiet runs.", DefaultValueFactory = _ => 200 }.AtLeast(1);
        var command = new Command("bench-adapters", "Benchmark LoRA adapters: memory, switch latency, decode speed against the base model.")
        {
            model, adapters, baseline, promptLength, decode, runs, switches, threads, quietRuns, maxOthers, maxRounds,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var modelOptions = new AndesModelOptions { IntraOpNumThreads = parse.GetValue(threads) };
            long startRss = ResidentBytes();
            var loadTime = Stopwatch.StartNew();
            using AndesModel m = AndesModel.Load(ModelFolderOption.Resolve(parse.GetValue(model)!), modelOptions);
            double modelLoadMs = loadTime.Elapsed.TotalMilliseconds;
            var random = new Random(1234);
            int[] prompt = Enumerable.Range(0, parse.GetValue(promptLength)).Select(_ => random.Next(0, 151000)).ToArray();
            var options = new GenerationOptions { DoSample = false, MaxNewTokens = parse.GetValue(decode) };
            options.StopTokenIds = [];
            int runCount = parse.GetValue(runs);
            Measure(m, prompt, options, null); // warm-up: JIT, arena

            long modelRss = ResidentBytes();

            // The decoder with LoRA inputs (opened on first use when the folder has a separate base decoder).
            loadTime.Restart();
            m.PrepareLoraDecoder();
            bool separate = LoraModelManifest.TryLoad(m.Directory)?.BaseDecoder is not null;
            double loraDecoderMs = loadTime.Elapsed.TotalMilliseconds;
            long loraDecoderRss = ResidentBytes();

            // Memory: resident set before and after loading (and first using) each adapter.
            using var registry = new AdapterRegistry(m);
            var memory = new Table().AddColumns("adapter", "rank", "targets", "parameters", "file", "parameter data", "load time", "RSS increase (loaded + used)");
            foreach (string path in parse.GetValue(adapters)!)
            {
                    long before = ResidentBytes();
                var stopwatch = Stopwatch.StartNew();
                LoraAdapter adapter = registry.Load(UniqueName(registry, path), path);
                double loadMs = stopwatch.Elapsed.TotalMilliseconds;
                Measure(m, prompt[..8], new GenerationOptions { MaxNewTokens = 2 }, adapter);
                long after = ResidentBytes();
                memory.AddRow(
                    Markup.Escape(adapter.Name),
                    adapter.Rank.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(adapter.Targets.ToString()),
                    adapter.Parameters.Count.ToString(CultureInfo.InvariantCulture),
                    MiB(adapter.FileBytes),
                    MiB(adapter.ParameterBytes),
                    $"{loadMs:F0} ms",
                    MiB(after - before));
            }

            AnsiConsole.MarkupLine($"[grey]model {Markup.Escape(m.Directory)}; prompt {prompt.Length} tokens, {options.MaxNewTokens} generated, {runCount} runs; {Environment.ProcessorCount} cores[/]");
            AnsiConsole.MarkupLine($"model loaded in {modelLoadMs:F0} ms: RSS {MiB(modelRss)} (+{MiB(modelRss - startRss)}, after a warm-up run)");
            AnsiConsole.MarkupLine(separate
                ? $"LoRA decoder opened on first use in {loraDecoderMs:F0} ms on the shared weights: RSS +{MiB(loraDecoderRss - modelRss)}"
                : "the model has one decoder (with LoRA inputs): no separate base decoder");
            AnsiConsole.Write(memory);

            // Switching: per-request activation and the first token after a switch.
            IReadOnlyList<LoraAdapter> loaded = registry.Names.Select(registry.Get).ToList();
            LoraAdapter first = loaded[0];
            LoraAdapter? second = loaded.Count > 1 ? loaded[1] : null;
            int switchCount = parse.GetValue(switches);
            // Generator creation with and without an adapter, alternated so both see the same machine.
            var withAdapter = new List<double>();
            var withoutAdapter = new List<double>();
            for (int i = 0; i < switchCount; i++)
            {
                withAdapter.Add(TimedMicroseconds(() => CreateAndDispose(m, i % 2 == 0 || second is null ? first : second)));
                withoutAdapter.Add(TimedMicroseconds(() => CreateAndDispose(m, null)));
            }

            double activation = Median(withAdapter) - Median(withoutAdapter);
            int[] shortPrompt = prompt[..1];
            var oneToken = new GenerationOptions { MaxNewTokens = 1 };
            int passes = Math.Max(20, switchCount / 2);

            // One-token passes with the first adapter, timed right after a pass with the same adapter or right after one
            // with another adapter (or none); the two kinds alternate so load changes affect both alike.
            var same = new List<double>();
            var switched = new List<double>();
            for (int i = 0; i < passes; i++)
            {
                Measure(m, shortPrompt, oneToken, first);
                same.Add(TimedMicroseconds(() => Measure(m, shortPrompt, oneToken, first)));
                Measure(m, shortPrompt, oneToken, second);
                switched.Add(TimedMicroseconds(() => Measure(m, shortPrompt, oneToken, first)));
            }

            var switching = new Table().AddColumns("switch cost", "value");
            switching.AddRow("activation per request (RunOptions + AddActiveLoraAdapter)", $"{activation:F1} µs");
            switching.AddRow("one-token pass, same adapter as the pass before (median)", $"{Median(same) / 1000:F2} ms");
            switching.AddRow($"one-token pass, right after a pass {(second is null ? "without an adapter" : "with the other adapter")} (median)", $"{Median(switched) / 1000:F2} ms");
            switching.AddRow("switch latency (difference of medians)", $"{(Median(switched) - Median(same)) / 1000:F3} ms");
            AnsiConsole.Write(switching);

            // Decode speed: base vs adapter (vs a model without LoRA inputs), interleaved runs, medians.
            using AndesModel? plain = ModelFolderOption.ResolveOptional(parse.GetValue(baseline)) is { } b ? AndesModel.Load(b, modelOptions) : null;
            if (plain is not null)
            {
                Measure(plain, prompt, options, null);
            }

            const string BaseName = "base (no adapter active)";
            var configurations = new List<(string Name, AndesModel Model, LoraAdapter? Adapter)> { (BaseName, m, null) };
            configurations.AddRange(loaded.Select(a => ($"adapter {a.Name} (rank {a.Rank})", m, (LoraAdapter?)a)));
            if (plain is not null)
            {
                configurations.Add(("model converted without LoRA", plain, null));
            }

            var speeds = configurations.ToDictionary(c => c.Name, _ => new List<double>());
            var quiet = configurations.ToDictionary(c => c.Name, _ => new List<double>());
            var othersShares = new List<double>();
            int wantQuiet = parse.GetValue(quietRuns);
            double quietLimit = parse.GetValue(maxOthers);
            int roundLimit = Math.Max(runCount, parse.GetValue(maxRounds));
            string loadBefore = LoadAverage();
            for (int run = 0; run < runCount || (wantQuiet > 0 && run < roundLimit && quiet.Values.Any(q => q.Count < wantQuiet)); run++)
            {
                // Each round in a rotated order, so a slow stretch of the machine does not always hit the same configuration.
                for (int j = 0; j < configurations.Count; j++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (string name, AndesModel target, LoraAdapter? adapter) = configurations[(run + j) % configurations.Count];
                    var before = HostCpuMonitor.Sample();
                    double speed = Measure(target, prompt, options, adapter);
                    double? others = HostCpuMonitor.OthersShare(before, HostCpuMonitor.Sample());
                    speeds[name].Add(speed);
                    if (others is double share)
                    {
                        othersShares.Add(share);
                        if (share <= quietLimit)
                        {
                            quiet[name].Add(speed);
                        }
                    }
                }
            }

            double baseSpeed = Median(speeds[BaseName]);
            double baseBest = speeds[BaseName].Max();
            double baseQuiet = Median(quiet[BaseName]);
            bool showQuiet = othersShares.Count > 0;
            var decodeTable = new Table().AddColumns("configuration", "decode tokens/s (median)", "relative to base", "best run", "best relative to base");
            if (showQuiet)
            {
                decodeTable.AddColumns($"quiet runs (others <= {quietLimit:P0})", "quiet median", "quiet relative to base");
            }

            foreach ((string name, List<double> values) in speeds)
            {
                double median = Median(values);
                var cells = new List<string> { Markup.Escape(name), $"{median:F1}", $"{median / baseSpeed:P1}", $"{values.Max():F1}", $"{values.Max() / baseBest:P1}" };
                if (showQuiet)
                {
                    List<double> q = quiet[name];
                    cells.AddRange([$"{q.Count} of {values.Count}", q.Count == 0 ? "-" : $"{Median(q):F1}", q.Count == 0 || baseQuiet == 0 ? "-" : $"{Median(q) / baseQuiet:P1}"]);
                }

                decodeTable.AddRow([.. cells]);
            }

            AnsiConsole.Write(decodeTable);
            if (DecodeTrafficLine(m.Directory, registry.Names.Select(registry.Get).ToList()) is string traffic)
            {
                AnsiConsole.MarkupLine(traffic);
            }

            AnsiConsole.MarkupLine($"load average (1, 5, 15 min) before the decode rounds: {loadBefore}; after: {LoadAverage()}");
            if (showQuiet)
            {
                AnsiConsole.MarkupLine($"other processes' share of the cores during the decode runs: median {Median(othersShares):P0}, min {othersShares.Min():P0}, max {othersShares.Max():P0}");
            }
            using var process = Process.GetCurrentProcess();
            AnsiConsole.MarkupLine($"peak RSS: {process.PeakWorkingSet64 / 1048576.0:F0} MiB");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// What each decoded token reads: the decoder's stored weights and each adapter's parameters, and the ceiling that
    /// puts on an adapter's decode speed when decode is bound by memory bandwidth (null without a conversion log).
    /// </summary>
    internal static string? DecodeTrafficLine(string modelDirectory, IReadOnlyList<LoraAdapter> adapters)
    {
        long weights;
        try
        {
            weights = ModelFlopCounter.Load(modelDirectory).DecoderBytesPerToken;
        }
        catch (Exception ex) when (ex is IOException or ModelConfigurationException)
        {
            return null;
        }

        if (weights <= 0 || adapters.Count == 0)
        {
            return null;
        }

        IEnumerable<string> parts = adapters.Select(a =>
            $"{Markup.Escape(a.Name)} {a.ParameterBytes / 1048576.0:F1} MiB (+{(double)a.ParameterBytes / weights:P1}; memory-bound ceiling {(double)weights / (weights + a.ParameterBytes):P1} of base)");
        return $"bytes read per decoded token: decoder weights {weights / 1048576.0:F1} MiB (without the embedding table; plus the key/value cache); adapters: {string.Join(", ", parts)}";
    }

    /// <summary>Runs one generation; returns decode tokens/s (0 when nothing was decoded).</summary>
    private static double Measure(AndesModel model, int[] prompt, GenerationOptions options, LoraAdapter? adapter)
    {
        using var generator = new Generator(model, options, adapter);
        generator.AppendTokens(prompt);
        long start = Stopwatch.GetTimestamp();
        int decoded = 0;
        while (!generator.IsDone)
        {
            generator.GenerateNextToken();
            decoded++;
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return decoded <= 1 ? 0 : (decoded - 1) / seconds; // the last token runs no decoder step
    }

    private static void CreateAndDispose(AndesModel model, LoraAdapter? adapter)
    {
        using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 1 }, adapter);
    }

    private static double TimedMicroseconds(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true); // gives freed managed memory back to the OS
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static string UniqueName(AdapterRegistry registry, string path)
    {
        string name = Path.GetFileNameWithoutExtension(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar));
        string candidate = name;
        for (int i = 2; registry.TryGet(candidate, out _); i++)
        {
            candidate = $"{name}-{i}";
        }

        return candidate;
    }

    /// <summary>The machine's load average (Linux), to judge how much other work shared the cores during a measure.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string MiB(long bytes) => $"{bytes / 1048576.0:F2} MiB";
}
