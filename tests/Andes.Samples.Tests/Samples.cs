using System.Text.RegularExpressions;

namespace Andes.Samples.Tests;

/// <summary>The samples and what each must print on the generated tiny model (the deterministic part of its output).</summary>
internal static class Samples
{
    /// <summary>Every sample, by folder name, with patterns its output must match.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Expected = new Dictionary<string, string[]>
    {
        ["01-chat-with-an-image"] =
        [
            @"the model sees it as 336 x 224 pixels, 24 x 16 patches of 14, 96 image tokens",
            @"112 prompt tokens \(the image's 96 included\), 24 generated",
            // The follow-up's counts depend on how the tiny model's noise re-tokenizes; that the image is in the reused prefix does not.
            @"\d+ prompt tokens, \d+ of them reused from the cache \(the image's 96 tokens included: True\)",
            @"same answer as from the PNG: True",
            @"without the image: 14 prompt tokens, a different answer: True",
            @"1280 x 720\s+->\s+980 x 560\s+700 tokens",
        ],
        ["02-skills"] =
        [
            @"adapter ocr: rank 8, All, 22 tensors",
            @"adapter summary: rank 4, QProj, VProj, 8 tensors",
            @"base\s+17 prompt \+ 16 generated tokens",
            @"ocr\s+28 prompt \+ 16 generated tokens",
            @"base answer unchanged after using adapters: True",
            @"ocr answer repeats:\s+True",
            @"ocr differs from base:\s+True",
            @"summary differs from base and ocr:\s+True",
            @"same ocr answer as the skill registered in code: True",
        ],
        ["03-gui-agent-dry-run"] =
        [
            @"oracle: the File name field -> <\|box_start\|>\(338,248\),\(825,320\)<\|box_end\|>",
            @"status: Completed \(Saved as quarterly-report.txt\), 4 steps, 4 screenshots",
            @"step 2: Executed type ""quarterly-report.txt""",
            @"inside the File name field: True",
            @"inside the Save button: True",
            @"recorded: report.html, run.json, step-001.png, step-002.png, step-003.png, step-004.png, trajectory.jsonl",
            @"the report: \S+[/\\]samples[/\\]03-gui-agent-dry-run[/\\]trajectory[/\\]report\.html",
            @"status: TooManyRejectedAnswers, 3 steps, 0 actions executed",
            @"step 3: Rejected: ",
        ],
        ["04-semantic-kernel-agent"] =
        [
            @"functions: Weather.get_temperature",
            @"assistant call Weather_get_temperature\(city: ",
            @"tool\s+result of Weather_get_temperature: \d+",
            @"the plugin ran 1 time\(s\)",
            @"agent tools: get_temperature, summarize",
            @"assistant call get_temperature\(city: ",
            @"tool\s+result \d+",
            @"assistant call summarize\(request: ",
            @"session JSON: [\d,]+ characters, 8 messages",
            @"after resuming and one more run: 10 messages",
        ],
    };

    /// <summary>The sample names for theories.</summary>
    public static TheoryData<string> Names => new(Expected.Keys.Order(StringComparer.Ordinal));

    /// <summary>Asserts that the output has every expected line and no <c>: False</c> check.</summary>
    /// <param name="name">The sample.</param>
    /// <param name="output">What it printed.</param>
    public static void AssertOutput(string name, string output)
    {
        foreach (string pattern in Expected[name])
        {
            Assert.True(Regex.IsMatch(output, pattern), $"{name}: no output matches /{pattern}/.{Environment.NewLine}{output}");
        }

        Assert.DoesNotMatch(@":\s+False\b", output);
    }
}
