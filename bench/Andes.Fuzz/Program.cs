using System.Globalization;
using Andes.Testing.Fuzzing;

// The long fuzz campaign (issue 14): every parser's fuzz target, 10,000 seeded inputs each by default, a table of
// outcomes per exception type. Exit code 1 when any parser threw an exception it does not document.
int inputs = 10_000, seed = 1;
string? only = null;
bool verbose = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--inputs":
            inputs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--target":
            only = args[++i];
            break;
        case "--verbose":
            verbose = true;
            break;
        default:
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Andes.Fuzz -- [--inputs N (10000)] [--seed S (1)] [--target NAME-PART] [--verbose]");
            return 2;
    }
}

Func<IFuzzTarget>[] targets =
[
    GenAIFuzzTargets.ToolCalls,
    GuiFuzzTargets.GroundingAnswers,
    GuiFuzzTargets.UiTarsActions,
    ModelBuilderFuzzTargets.SafeTensorsFiles,
    ModelBuilderFuzzTargets.ShardedIndexes,
    GenAIFuzzTargets.PeftAdapterFolders,
    GenAIFuzzTargets.OnnxAdapterFiles,
    GenAIFuzzTargets.GenAIConfigFiles,
    GenAIFuzzTargets.TokenizerFiles,
    GenAIFuzzTargets.Images,
];

var reports = new List<FuzzReport>();
foreach (Func<IFuzzTarget> make in targets)
{
    using IFuzzTarget target = make();
    if (only is not null && !target.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
    {
        continue;
    }

    FuzzReport report = FuzzCampaign.Run(target, inputs, seed, keepFindings: verbose ? 5 : 1);
    reports.Add(report);
    Console.WriteLine(report.ToString());
}

// One table: a row per parser and outcome, so the counts per exception type read down one column.
int width = Math.Max(6, reports.Select(r => r.Target.Length).DefaultIfEmpty(0).Max());
Console.WriteLine($"Fuzz campaign: {inputs:N0} inputs per parser, seed {seed}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine($"| {"parser".PadRight(width)} | {"outcome",-44} | {"inputs",7} |");
Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', 46)}|{new string('-', 9)}|");
foreach (FuzzReport report in reports)
{
    foreach ((string outcome, int count) in report.Counts.OrderBy(c => c.Key.Contains("(undocumented)", StringComparison.Ordinal)).ThenByDescending(c => c.Value))
    {
        Console.WriteLine($"| {report.Target.PadRight(width)} | {outcome,-44} | {count,7} |");
    }
}

Console.WriteLine();
Console.WriteLine($"| {"parser".PadRight(width)} | {"undocumented",12} | {"time",8} | {"slowest input",13} | {"seeds made in",13} |");
Console.WriteLine($"|{new string('-', width + 2)}|{new string('-', 14)}|{new string('-', 10)}|{new string('-', 15)}|{new string('-', 15)}|");
foreach (FuzzReport report in reports)
{
    Console.WriteLine($"| {report.Target.PadRight(width)} | {report.Undocumented,12} | {report.Elapsed.TotalSeconds,6:0.0} s | {report.Slowest.TotalMilliseconds,10:0} ms | {report.SetUp.TotalSeconds,11:0.0} s |");
}

int undocumented = reports.Sum(r => r.Undocumented);
Console.WriteLine();
Console.WriteLine(undocumented == 0
    ? $"No undocumented exception in {reports.Sum(r => r.Inputs):N0} inputs."
    : $"{undocumented:N0} inputs threw an exception their parser does not document (see the findings above).");
return undocumented == 0 ? 0 : 1;
