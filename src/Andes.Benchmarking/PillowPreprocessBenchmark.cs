using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Andes.GenAI;
namespace Andes.Benchmarking;

/// <summary>
/// Runs <c>tools/vision/bench_preprocess.py</c> (Pillow + NumPy doing AndesVL's preprocessing with the functions of the
/// golden-fixture script) on the same PNG and options, and reads its JSON timings.
/// </summary>
public static class PillowPreprocessBenchmark
{
    /// <summary>The script's path relative to the repository root and to the CLI's output folder.</summary>
    public const string ScriptRelativePath = "tools/vision/bench_preprocess.py";

    /// <summary>The interpreters tried when none is given: Debian's (where apt's python3-pil and python3-numpy go), then PATH's.</summary>
    public static IReadOnlyList<string> DefaultInterpreters { get; } = ["/usr/bin/python3", "python3"];

    /// <summary>Runs the script.</summary>
    /// <param name="interpreter">The Python to use; null to try <see cref="DefaultInterpreters"/> in order.</param>
    /// <param name="imagePath">The PNG.</param>
    /// <param name="options">The preprocessing options the .NET side used.</param>
    /// <param name="expected">The .NET side's geometry for the image (the script fails unless its sizes are the same).</param>
    /// <param name="warmup">Warm-up runs per step.</param>
    /// <param name="runs">Timed runs per step.</param>
    /// <returns>The timings, or why they are not available.</returns>
    public static PillowPreprocessResult Run(string? interpreter, string imagePath, ImageProcessorOptions options, ImageGeometry expected, int warmup, int runs)
    {
        string? script = FindScript();
        if (script is null)
        {
            return PillowPreprocessResult.Unavailable($"{ScriptRelativePath} was found neither beside the andes command nor above the current folder");
        }

        var reasons = new List<string>();
        foreach (string python in interpreter is null ? DefaultInterpreters : [interpreter])
        {
            if (Path.IsPathRooted(python) && !File.Exists(python))
            {
                reasons.Add($"{python}: not found");
                continue;
            }

            string[] args =
            [
                script, "--image", imagePath,
                "--max-size", Invariant(options.MaxSize), "--runs", Invariant(runs), "--warmup", Invariant(warmup),
                "--patch", Invariant(options.PatchSize), "--merge", Invariant(options.MergeSize),
                "--mean", string.Join(',', options.ImageMean.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
                "--std", string.Join(',', options.ImageStd.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
                "--rule", options.SizingRule == ImageSizingRule.AndesVL ? "andesvl" : "specification",
                "--filter", options.Resample.ToString().ToLowerInvariant(),
                "--max-res", Invariant(options.MaxLongestSide), "--min-tokens", Invariant(options.MinTokens),
                "--expect", string.Join(',', new[] { expected.ResizedWidth, expected.ResizedHeight, expected.PaddedWidth, expected.PaddedHeight }.Select(Invariant)),
            ];
            (int code, string stdout, string stderr)? result = Start(python, args);
            if (result is null)
            {
                reasons.Add($"{python}: could not be started");
                continue;
            }

            (int exitCode, string output, string error) = result.Value;
            string message = ErrorOf(output) ?? error.Trim();
            if (exitCode == 3)
            {
                reasons.Add($"{python}: {message}");
                continue; // this interpreter lacks Pillow or NumPy: try the next
            }

            if (exitCode != 0)
            {
                return PillowPreprocessResult.Unavailable($"{python} {ScriptRelativePath} failed (exit {exitCode}): {message}");
            }

            return Parse(python, output);
        }

        return PillowPreprocessResult.Unavailable(string.Join("; ", reasons));
    }

    private static PillowPreprocessResult Parse(string python, string output)
    {
        using JsonDocument document = JsonDocument.Parse(output);
        JsonElement root = document.RootElement;
        var steps = new Dictionary<string, StepTiming>(StringComparer.Ordinal);
        int runs = root.GetProperty("runs").GetInt32();
        foreach (JsonProperty step in root.GetProperty("steps").EnumerateObject())
        {
            steps[step.Name] = new StepTiming(
                runs,
                step.Value.GetProperty("wall_median_ms").GetDouble(),
                step.Value.GetProperty("wall_min_ms").GetDouble(),
                step.Value.GetProperty("cpu_median_ms").GetDouble());
        }

        string versions = string.Create(
            CultureInfo.InvariantCulture,
            $"Pillow {root.GetProperty("pillow").GetString()}, NumPy {root.GetProperty("numpy").GetString()}, Python {root.GetProperty("python").GetString()} ({python})");
        return new PillowPreprocessResult(true, null, versions, steps);
    }

    private static string? ErrorOf(string output)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(output);
            return document.RootElement.TryGetProperty("error", out JsonElement e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (int, string, string)? Start(string python, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, string.Empty, $"{ScriptRelativePath} did not finish in 10 minutes");
            }

            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static string? FindScript()
    {
        string beside = Path.Combine(AppContext.BaseDirectory, ScriptRelativePath);
        if (File.Exists(beside))
        {
            return beside;
        }

        for (DirectoryInfo? d = new(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, ScriptRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
