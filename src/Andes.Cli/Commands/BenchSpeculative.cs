using System.Diagnostics;
using System.Globalization;
using Andes.GenAI;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes bench --speculative ...</c>: what speculative decoding buys on this machine. Three measurements, plain and
/// speculative runs interleaved: (1) the lever, the cost of a decoder pass that verifies k proposals relative to a
/// plain single-token step, measured on a constructed case the drafter copies exactly (the answer is forced to repeat
/// the prompt, so prompt lookup proposes it and every proposal is accepted); (2) the drafter on the model as it is
/// (random weights: honestly low acceptance); (3) the speed-up those costs imply at acceptance rates 0.5 to 0.9.
/// </summary>
internal static class BenchSpeculative
{
    private static readonly int[] Sweep = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];

    public static void Run(AndesModel model, SpeculativeDecodingOptions speculative, int promptLength, int decodeTokens, int runs, CancellationToken cancellationToken)
    {
        var random = new Random(1234);
        int[] prompt = [.. Enumerable.Range(0, promptLength).Select(_ => random.Next(0, 151000))];
        GenerationOptions Greedy(SpeculativeDecodingOptions? s) => new() { DoSample = false, MaxNewTokens = decodeTokens, StopTokenIds = [], SpeculativeDecoding = s };

        // (1) The lever: the answer is forced to copy the prompt, prompt lookup proposes exactly that.
        int[] sweep = [.. Sweep.Where(k => k <= Math.Max(16, speculative.DraftTokens))];
        AnsiConsole.MarkupLine($"[grey]greedy, {promptLength} random prompt tokens, {decodeTokens} tokens decoded per run, {runs} runs per row (medians), plain and speculative runs interleaved; {Environment.ProcessorCount} cores[/]");
        int[] copy = [.. prompt.Take(decodeTokens)];
        Measure(model, prompt, Greedy(null), copy); // warm-up
        var plainCopy = new List<Result>();
        var byK = sweep.ToDictionary(k => k, _ => new List<Result>());
        for (int run = 0; run < runs; run++)
        {
            foreach (int k in sweep)
            {
                cancellationToken.ThrowIfCancellationRequested();
                plainCopy.Add(Measure(model, prompt, Greedy(null), copy));
                byK[k].Add(Measure(model, prompt, Greedy(SpeculativeDecodingOptions.PromptLookup(k)), copy));
            }
        }

        Result plain = MedianOf(plainCopy);
        var lever = new Table().AddColumns("k (proposals per pass)", "tokens per pass", "acceptance", "ms per pass", "pass cost / plain step", "tokens/s", "speed-up");
        lever.AddRow("plain", "1", "-", $"{plain.MsPerPass:F2}", "1.00", $"{plain.TokensPerSecond:F1}", "1.00");
        var cost = new Dictionary<int, double>();
        foreach (int k in sweep)
        {
            Result r = MedianOf(byK[k]);
            cost[k] = r.MsPerPass / plain.MsPerPass;
            lever.AddRow(
                k.ToString(CultureInfo.InvariantCulture), $"{r.TokensPerPass:F2}", $"{r.Acceptance:P0}", $"{r.MsPerPass:F2}", $"{cost[k]:F2}",
                $"{r.TokensPerSecond:F1}", $"{r.TokensPerSecond / plain.TokensPerSecond:F2}");
        }

        AnsiConsole.MarkupLine("[bold]1. The lever[/]: a pass over 1 + k tokens against a plain step, on text the drafter copies exactly (prompt lookup, every proposal accepted)");
        AnsiConsole.Write(lever);

        // (2) The drafter as configured, on the model as it is.
        GenerationOptions free = Greedy(speculative);
        Measure(model, prompt, free, null); // warm-up (and the draft model's)
        var plainFree = new List<Result>();
        var specFree = new List<Result>();
        for (int run = 0; run < runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            plainFree.Add(Measure(model, prompt, Greedy(null), null));
            specFree.Add(Measure(model, prompt, free, null));
        }

        Result p = MedianOf(plainFree), s = MedianOf(specFree);
        var freeTable = new Table().AddColumns("decoding", "acceptance", "tokens per pass", "tokens/s", "speed-up");
        freeTable.AddRow("plain", "-", "1.00", $"{p.TokensPerSecond:F1}", "1.00");
        freeTable.AddRow(Markup.Escape(speculative.ToString()), $"{s.Acceptance:P0}", $"{s.TokensPerPass:F2}", $"{s.TokensPerSecond:F1}", $"{s.TokensPerSecond / p.TokensPerSecond:F2}");
        AnsiConsole.MarkupLine($"[bold]2. {Markup.Escape(speculative.DrafterName)} on this model's own answer[/] (random weights predict little, so acceptance is low)");
        AnsiConsole.Write(freeTable);

        // (3) Implied speed-up: with acceptance a per proposal (independent), a pass of k proposals yields
        // (1 - a^(k+1)) / (1 - a) tokens and costs c(k) plain steps, plus the draft model's k steps when there is one.
        double draftStep = 0;
        if (speculative.DraftModel is { } draftModel)
        {
            Result d = MedianOf([.. Enumerable.Range(0, runs).Select(_ => Measure(draftModel, prompt, Greedy(null), null))]);
            draftStep = d.MsPerPass / plain.MsPerPass;
            AnsiConsole.MarkupLine($"[grey]the draft model's step costs {draftStep:F2} of the model's[/]");
        }

        var implied = new Table().AddColumns(["acceptance", .. sweep.Select(k => $"k={k}"), "best"]);
        foreach (double a in new[] { 0.5, 0.6, 0.7, 0.8, 0.9 })
        {
            double[] speedups = [.. sweep.Select(k => (1 - Math.Pow(a, k + 1)) / (1 - a) / (cost[k] + (k * draftStep)))];
            int best = Array.IndexOf(speedups, speedups.Max());
            implied.AddRow([a.ToString("F1", CultureInfo.InvariantCulture), .. speedups.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)), $"{speedups[best]:F2} at k={sweep[best]}"]);
        }

        AnsiConsole.MarkupLine("[bold]3. Implied speed-up[/] from the measured pass costs: (1 - a^(k+1)) / (1 - a) tokens per pass over the pass cost" + (draftStep > 0 ? " + k draft steps" : string.Empty));
        AnsiConsole.Write(implied);
    }

    private static Result MedianOf(List<Result> results) => results.OrderBy(r => r.TokensPerSecond).ElementAt(results.Count / 2);

    private static Result Measure(AndesModel model, int[] prompt, GenerationOptions options, int[]? copy)
    {
        ILogitsProcessor[] processors = copy is null ? [] : [new ForceText(copy)];
        using ITokenGenerator sequence = model.CreateGenerator(options, null, processors);
        sequence.AppendTokens(prompt);
        long start = Stopwatch.GetTimestamp();
        sequence.GenerateNextToken(); // the first token comes from the prompt pass
        long decodeStart = Stopwatch.GetTimestamp();
        while (!sequence.IsDone)
        {
            sequence.GenerateNextToken();
        }

        double ms = Stopwatch.GetElapsedTime(decodeStart).TotalMilliseconds + Stopwatch.GetElapsedTime(start, decodeStart).TotalMilliseconds;
        int tokens = sequence.GeneratedTokenCount;
        SpeculativeDecodingStatistics? stats = (sequence as Generator)?.SpeculativeDecoding;

        // Plain: one pass per token after the first (the last is not run). Speculative: its passes.
        int passes = stats is { } s ? s.VerificationPasses + s.PlainSteps : tokens - 1;
        return new Result(
            ms / Math.Max(1, passes),
            (tokens - 1) / (Stopwatch.GetElapsedTime(decodeStart).TotalSeconds + 1e-9),
            stats?.AcceptanceRate ?? 0,
            stats is { } t ? (double)(tokens - 1) / Math.Max(1, t.VerificationPasses + t.PlainSteps) : 1);
    }

    private sealed record Result(double MsPerPass, double TokensPerSecond, double Acceptance, double TokensPerPass);

    /// <summary>Forces the answer to be a given token sequence (the constructed case: an answer that copies its input).</summary>
    private sealed class ForceText(int[] text) : ILogitsProcessor
    {
        public void Process(Span<float> logits, TokenHistory history)
        {
            int i = history.GeneratedTokens.Length;
            if (i < text.Length)
            {
                logits.Fill(float.NegativeInfinity);
                logits[text[i]] = 0f;
            }
        }
    }
}
