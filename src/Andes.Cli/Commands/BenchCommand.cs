using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Andes.GenAI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes bench</c>: end-to-end generation benchmark on a model folder: time to first token and prompt tokens/s at
/// several prompt lengths, decode tokens/s, the share of each decode step spent outside ONNX Runtime's Run (Andes
/// engine), memory. With several engines (<c>--engine andes,onnxruntime-genai</c>) every engine loads the same folder
/// in this one process and the runs are interleaved (each round runs the same prompt on every engine in turn), so a
/// change in machine load hits all engines alike.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = ModelFolderOption.Create();
        var lengths = new Option<string>("--prompt-lengths") { Description = "Comma-separated prompt lengths.", DefaultValueFactory = _ => "128,512,2048" };
        var decode = new Option<int>("--decode-tokens") { Description = "Tokens generated per prompt length.", DefaultValueFactory = _ => 64 }.AtLeast(1);
        var runs = new Option<int>("--runs") { Description = "Repetitions per prompt length (the median is reported).", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var topP = new Option<float>("--top-p") { Description = "Sampling: top-p (with temperature 0.6, top-k off); 0 for greedy.", DefaultValueFactory = _ => 0.95f }.Between(0f, 1f, "0 = greedy");
        var threads = new Option<string?>("--threads")
        {
            Description = "intra_op_num_threads: one value for every engine or a comma-separated value per engine; 0 = ONNX Runtime's own default (default: the model config's, else one per physical core; see AndesModelOptions.IntraOpNumThreads).",
        };
        var engines = new Option<string>("--engine")
        {
            Description = "Comma-separated engines to compare, interleaved in this process: andes, onnxruntime-genai.",
            DefaultValueFactory = _ => "andes",
        };
        var command = new Command("bench", "Benchmark generation on a model folder (one engine, or several side by side).") { model, lengths, decode, runs, topP, threads, engines };
        var speculative = new SpeculativeOptions();
        speculative.AddTo(command);
        // Each value is checked on its own option, so one bad value reports one error; the thread list is checked
        // against the engine list once both are known to parse.
        lengths.Validators.Add(r => ParseLengths(r.GetValueOrDefault<string>() ?? string.Empty, r.AddError));
        engines.Validators.Add(r => ParseEngines(r.GetValueOrDefault<string>() ?? "andes", r.AddError));
        command.Validators.Add(result =>
        {
            var errors = new List<string>();
            GenerationEngine[] chosen = ParseEngines(result.GetValue(engines) ?? "andes", errors.Add);
            if (errors.Count == 0)
            {
                ParseThreads(result.GetValue(threads), chosen.Length, result.AddError);
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            static void Fail(string message) => throw new ArgumentException(message);
            GenerationEngine[] chosen = ParseEngines(parse.GetValue(engines)!, Fail);
            int?[] threadCounts = ParseThreads(parse.GetValue(threads), chosen.Length, Fail);
            int[] promptLengths = ParseLengths(parse.GetValue(lengths)!, Fail);
            int decodeTokens = parse.GetValue(decode);
            float p = parse.GetValue(topP);
            var options = p > 0
                ? new GenerationOptions { DoSample = true, Temperature = 0.6f, TopK = 0, TopP = p, Seed = 1, MaxNewTokens = decodeTokens }
                : new GenerationOptions { DoSample = false, MaxNewTokens = decodeTokens };
            options.StopTokenIds = [];

            string folder = ModelFolderOption.Resolve(parse.GetValue(model)!);
            if (parse.GetValue(speculative.Speculative) is not null)
            {
                SpeculativeDecodingOptions chosenSpeculation = speculative.Create(parse, out AndesModel? draftModel)!;
                using AndesModel? draft = draftModel;
                using var target = AndesModel.Load(folder, new AndesModelOptions { Engine = GenerationEngine.Andes, IntraOpNumThreads = threadCounts[0] });
                AnsiConsole.MarkupLine($"[grey]andes: {Markup.Escape(target.Directory)} with {Describe(target, threadCounts[0])}; speculative decoding: {Markup.Escape(chosenSpeculation.ToString())}[/]");
                BenchSpeculative.Run(target, chosenSpeculation, promptLengths[0], decodeTokens, parse.GetValue(runs), cancellationToken);
                return Task.FromResult(0);
            }

            var loaded = new List<Loaded>();
            try
            {
                for (int i = 0; i < chosen.Length; i++)
                {
                    long rssBefore = CurrentRss();
                    var stopwatch = Stopwatch.StartNew();
                    var m = AndesModel.Load(folder, new AndesModelOptions { Engine = chosen[i], IntraOpNumThreads = threadCounts[i] });
                    var entry = new Loaded(chosen[i], m, Describe(m, threadCounts[i]));
                    loaded.Add(entry);
                    var random = new Random(4321);
                    Measure(entry, [.. Enumerable.Range(0, 16).Select(_ => random.Next(0, 151000))], options); // warm-up (JIT, arena, session set-up)
                    entry.LoadSeconds = stopwatch.Elapsed.TotalSeconds;
                    entry.ResidentBytes = CurrentRss() - rssBefore;
                    AnsiConsole.MarkupLine(
                        $"[grey]{EngineOption.Name(chosen[i])}: loaded {Markup.Escape(m.Directory)} with {entry.Threads} in {entry.LoadSeconds:F1} s (with a warm-up run), +{entry.ResidentBytes / 1048576.0:F0} MiB resident[/]");
                }

                AnsiConsole.MarkupLine($"[grey]sampling: {(p > 0 ? $"top-p {p}, temperature 0.6" : "greedy")}; {decodeTokens} tokens decoded per run; {parse.GetValue(runs)} runs per length, engines interleaved; {Environment.ProcessorCount} cores[/]");
                var table = new Table().AddColumns("engine", "threads", "prompt tokens", "time to first token", "prompt tokens/s", "decode tokens/s", "outside Run (decode)");
                var prompts = new Random(1234);
                foreach (int length in promptLengths)
                {
                    var samples = loaded.ToDictionary(l => l, _ => new List<Sample>());
                    for (int run = 0; run < parse.GetValue(runs); run++)
                    {
                        int[] prompt = [.. Enumerable.Range(0, length).Select(_ => prompts.Next(0, 151000))];
                        foreach (Loaded entry in run % 2 == 0 ? loaded : Enumerable.Reverse(loaded))
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            samples[entry].Add(Measure(entry, prompt, options));
                        }
                    }

                    foreach (Loaded entry in loaded)
                    {
                        List<Sample> list = samples[entry];
                        Sample median = list.OrderBy(s => s.DecodeTokensPerSecond).ElementAt(list.Count / 2);
                        double ttft = Median(list.Select(s => s.TimeToFirstToken.TotalMilliseconds));
                        table.AddRow(
                            EngineOption.Name(entry.Engine),
                            entry.Threads,
                            length.ToString(CultureInfo.InvariantCulture),
                            $"{ttft:F0} ms",
                            $"{length / (ttft / 1000):F0}",
                            $"{median.DecodeTokensPerSecond:F1}",
                            median.OutsideRunShare is double share ? $"{share:P2}" : "-");
                    }
                }

                AnsiConsole.Write(table);
                using var process = Process.GetCurrentProcess();
                AnsiConsole.MarkupLine(
                    $"peak RSS of the process: {process.PeakWorkingSet64 / 1048576.0:F0} MiB" +
                    (loaded.Count > 1 ? $" (all engines loaded; each engine's own: {string.Join(", ", loaded.Select(l => $"{EngineOption.Name(l.Engine)} +{l.ResidentBytes / 1048576.0:F0} MiB after load and warm-up"))})" : string.Empty));
            }
            finally
            {
                foreach (Loaded entry in loaded)
                {
                    entry.Model.Dispose();
                }
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static Sample Measure(Loaded entry, int[] prompt, GenerationOptions options)
    {
        using ITokenGenerator sequence = entry.Model.CreateGenerator(options);
        var andes = sequence as Generator;
        long start = Stopwatch.GetTimestamp();
        sequence.AppendTokens(prompt); // the prompt pass: afterwards the first token's logits are ready
        TimeSpan ttft = Stopwatch.GetElapsedTime(start);
        TimeSpan promptRun = andes?.ModelRunTime ?? TimeSpan.Zero;

        long decodeStart = Stopwatch.GetTimestamp();
        int decoded = 0;
        while (!sequence.IsDone)
        {
            sequence.GenerateNextToken(); // sample + one single-token decoder run
            decoded++;
        }

        TimeSpan decodeTime = Stopwatch.GetElapsedTime(decodeStart);
        double? outside = andes is null ? null : 1 - ((andes.ModelRunTime - promptRun).TotalSeconds / decodeTime.TotalSeconds);
        return new Sample(ttft, decoded / decodeTime.TotalSeconds, outside);
    }

    private static string Describe(AndesModel model, int? requested) => requested switch
    {
        0 => "ONNX Runtime's default threads",
        int n => $"{n} threads",
        null => model.IntraOpThreadCount is int a ? $"{a} threads" : "ONNX Runtime's default threads",
    };

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted[sorted.Length / 2];
    }

    private static long CurrentRss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static GenerationEngine[] ParseEngines(string text, Action<string> error)
    {
        string[] names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            error("--engine: give at least one engine (andes, onnxruntime-genai).");
            return [GenerationEngine.Andes];
        }

        GenerationEngine[] engines = [.. names.Select(n => EngineOption.Parse(n, error))];
        if (engines.Distinct().Count() != engines.Length)
        {
            error($"--engine: '{text}' names an engine twice.");
        }

        return engines;
    }

    private static int?[] ParseThreads(string? text, int engines, Action<string> error)
    {
        if (text is null)
        {
            return new int?[engines];
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 1 && parts.Length != engines)
        {
            error($"--threads: give one value or one per engine ({engines}), not '{text}'.");
            return new int?[engines];
        }

        var values = new int?[engines];
        for (int i = 0; i < engines; i++)
        {
            string part = parts[parts.Length == 1 ? 0 : i];
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n > 256)
            {
                error($"--threads: '{part}' is not a thread count (0 = ONNX Runtime's default, 1-256).");
            }

            values[i] = n;
        }

        return values;
    }

    private static int[] ParseLengths(string text, Action<string> error)
    {
        var lengths = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                lengths.Add(n);
            }
            else
            {
                error($"--prompt-lengths: '{part}' is not a positive token count.");
            }
        }

        if (lengths.Count == 0)
        {
            error("--prompt-lengths: give at least one length.");
        }

        return [.. lengths];
    }

    private sealed class Loaded(GenerationEngine engine, AndesModel model, string threads)
    {
        public GenerationEngine Engine { get; } = engine;

        public AndesModel Model { get; } = model;

        public string Threads { get; } = threads;

        public double LoadSeconds { get; set; }

        public long ResidentBytes { get; set; }
    }

    private sealed record Sample(TimeSpan TimeToFirstToken, double DecodeTokensPerSecond, double? OutsideRunShare);
}
