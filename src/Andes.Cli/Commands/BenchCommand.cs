using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Andes.GenAI.Generation;
using Andes.GenAI.Models;
using Andes.GenAI.Runtime;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes bench</c>: end-to-end generation benchmark on a model folder: time to first token and prompt tokens/s at
/// several prompt lengths, decode tokens/s, the share of each decode step spent outside ONNX Runtime's Run, peak RSS.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "The model folder.", Required = true };
        var lengths = new Option<string>("--prompt-lengths") { Description = "Comma-separated prompt lengths.", DefaultValueFactory = _ => "128,512,2048" };
        var decode = new Option<int>("--decode-tokens") { Description = "Tokens generated per prompt length.", DefaultValueFactory = _ => 64 };
        var runs = new Option<int>("--runs") { Description = "Repetitions per prompt length (the median is reported).", DefaultValueFactory = _ => 3 };
        var topP = new Option<float>("--top-p") { Description = "Sampling: top-p (with temperature 0.6, top-k off); 0 for greedy.", DefaultValueFactory = _ => 0.95f };
        var threads = new Option<int?>("--threads") { Description = "intra_op_num_threads (default: the model config's, else one per physical core; see AndesModelOptions.IntraOpNumThreads)." };
        var command = new Command("bench", "Benchmark generation on a model folder.") { model, lengths, decode, runs, topP, threads };
        command.SetAction((parse, cancellationToken) =>
        {
            var stopwatch = Stopwatch.StartNew();
            using AndesModel m = AndesModel.Load(parse.GetValue(model)!.FullName, new AndesModelOptions { IntraOpNumThreads = parse.GetValue(threads) });
            double loadSeconds = stopwatch.Elapsed.TotalSeconds;
            int decodeTokens = parse.GetValue(decode);
            float p = parse.GetValue(topP);
            var options = p > 0
                ? new GenerationOptions { DoSample = true, Temperature = 0.6f, TopK = 0, TopP = p, Seed = 1, MaxNewTokens = decodeTokens }
                : new GenerationOptions { DoSample = false, MaxNewTokens = decodeTokens };
            options.StopTokenIds = [];

            AnsiConsole.MarkupLine($"[grey]model {Markup.Escape(m.Directory)} loaded in {loadSeconds:F1} s; sampling: {(p > 0 ? $"top-p {p}, temperature 0.6" : "greedy")}; {Environment.ProcessorCount} cores[/]");
            var table = new Table().AddColumns("prompt tokens", "time to first token", "prompt tokens/s", "decode tokens/s", "outside Run (decode)");
            var random = new Random(1234);
            Measure(m, Enumerable.Range(0, 16).Select(_ => random.Next(0, 151000)).ToArray(), options); // warm-up (JIT, arena)
            foreach (int length in parse.GetValue(lengths)!.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
            {
                var samples = new List<Sample>();
                for (int run = 0; run < parse.GetValue(runs); run++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int[] prompt = Enumerable.Range(0, length).Select(_ => random.Next(0, 151000)).ToArray();
                    samples.Add(Measure(m, prompt, options));
                }

                Sample median = samples.OrderBy(s => s.DecodeTokensPerSecond).ElementAt(samples.Count / 2);
                table.AddRow(
                    length.ToString(CultureInfo.InvariantCulture),
                    $"{median.TimeToFirstToken.TotalMilliseconds:F0} ms",
                    $"{median.PromptTokensPerSecond:F0}",
                    $"{median.DecodeTokensPerSecond:F1}",
                    $"{median.OutsideRunShare:P2}");
            }

            AnsiConsole.Write(table);
            using var process = Process.GetCurrentProcess();
            AnsiConsole.MarkupLine($"peak RSS: {process.PeakWorkingSet64 / 1048576.0:F0} MiB");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Sample Measure(AndesModel model, int[] prompt, GenerationOptions options)
    {
        using var generator = new Generator(model, options);
        long start = Stopwatch.GetTimestamp();
        generator.AppendTokens(prompt); // the prompt pass: afterwards the first token's logits are ready
        TimeSpan ttft = Stopwatch.GetElapsedTime(start);
        TimeSpan promptRun = generator.ModelRunTime;

        long decodeStart = Stopwatch.GetTimestamp();
        int decoded = 0;
        while (!generator.IsDone)
        {
            generator.GenerateNextToken(); // sample + one single-token decoder run
            decoded++;
        }

        TimeSpan decodeTime = Stopwatch.GetElapsedTime(decodeStart);
        TimeSpan decodeRun = generator.ModelRunTime - promptRun;
        return new Sample(ttft, prompt.Length / promptRun.TotalSeconds, decoded / decodeTime.TotalSeconds, 1 - (decodeRun.TotalSeconds / decodeTime.TotalSeconds));
    }

    private sealed record Sample(TimeSpan TimeToFirstToken, double PromptTokensPerSecond, double DecodeTokensPerSecond, double OutsideRunShare);
}
