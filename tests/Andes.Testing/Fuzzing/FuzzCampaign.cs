using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Andes.Testing.Fuzzing;

/// <summary>
/// Runs a bounded, seeded fuzz campaign on a target and counts what happened per outcome: labels for inputs the
/// parser returned on, exception types for inputs it threw on. The same seed gives the same inputs.
/// </summary>
public static class FuzzCampaign
{
    /// <summary>Runs <paramref name="inputs"/> inputs.</summary>
    /// <param name="target">The parser under test.</param>
    /// <param name="inputs">How many inputs.</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="keepFindings">How many undocumented exceptions to keep with their inputs, per exception type.</param>
    /// <returns>The counts and findings.</returns>
    public static FuzzReport Run(IFuzzTarget target, int inputs, int seed, int keepFindings = 3)
    {
        ArgumentNullException.ThrowIfNull(target);
        var setUp = Stopwatch.StartNew();
        target.Prepare();
        TimeSpan prepared = setUp.Elapsed;
        var random = new Random(seed);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var findings = new List<FuzzFinding>();
        var slowest = TimeSpan.Zero;
        string slowestInput = string.Empty;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < inputs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            FuzzOutcome outcome = target.RunOne(random, i);
            TimeSpan took = Stopwatch.GetElapsedTime(start);
            if (took > slowest)
            {
                slowest = took;
                slowestInput = outcome.Input;
            }

            string key;
            if (outcome.Exception is { } ex)
            {
                bool documented = target.Documented.Any(t => t.IsInstanceOfType(ex));
                key = ex.GetType().Name;
                if (!documented)
                {
                    key += " (undocumented)";
                    if (findings.Count(f => f.Exception.GetType() == ex.GetType()) < keepFindings)
                    {
                        findings.Add(new FuzzFinding(i, ex, outcome.Input));
                    }
                }
            }
            else
            {
                key = outcome.Label ?? "returned";
            }

            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return new FuzzReport(target.Name, inputs, seed, counts, findings, total.Elapsed, slowest, slowestInput, prepared);
    }
}

/// <summary>An undocumented exception and the input that caused it.</summary>
/// <param name="Index">The input's number in the campaign.</param>
/// <param name="Exception">What was thrown.</param>
/// <param name="Input">The input, printable.</param>
public sealed record FuzzFinding(int Index, Exception Exception, string Input);

/// <summary>What a campaign found.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Inputs">How many inputs ran.</param>
/// <param name="Seed">The random seed.</param>
/// <param name="Counts">Inputs per outcome: labels, exception type names (<c>(undocumented)</c> appended for findings).</param>
/// <param name="Findings">Some undocumented exceptions with their inputs.</param>
/// <param name="Elapsed">The campaign's wall-clock time.</param>
/// <param name="Slowest">The slowest single input's time.</param>
/// <param name="SlowestInput">That input, printable.</param>
/// <param name="SetUp">The time to make the seeds (and load what the target needs) before the first input.</param>
public sealed record FuzzReport(string Target, int Inputs, int Seed, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<FuzzFinding> Findings, TimeSpan Elapsed, TimeSpan Slowest, string SlowestInput, TimeSpan SetUp)
{
    /// <summary>Inputs that threw an exception the parser does not document (or broke an invariant).</summary>
    public int Undocumented => Counts.Where(c => c.Key.EndsWith("(undocumented)", StringComparison.Ordinal)).Sum(c => c.Value);

    /// <summary>The counts as a table, one outcome a line, then the findings with their inputs and stack traces.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Target}: {Inputs} inputs, seed {Seed}, {Elapsed.TotalSeconds:0.0} s (slowest input {Slowest.TotalMilliseconds:0} ms; seeds made in {SetUp.TotalSeconds:0.0} s)\n");
        foreach ((string outcome, int count) in Counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {count,7}  {outcome}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  slowest input ({Slowest.TotalMilliseconds:0} ms): {Escape(SlowestInput.Length <= 200 ? SlowestInput : SlowestInput[..200] + "...")}\n");
        foreach (FuzzFinding finding in Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  input #{finding.Index}: {Escape(finding.Input)}\n  {finding.Exception}\n");
        }

        return text.ToString();
    }

    /// <summary>Shows control characters and lone surrogates as escapes, so a report prints and copies cleanly.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c) || (char.IsControl(c) && c is not '\n'))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
