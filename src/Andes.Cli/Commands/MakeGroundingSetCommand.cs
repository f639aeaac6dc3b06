using System.CommandLine;
using Andes.Agents.Gui;
using Andes.Agents.Gui.Evaluation;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary><c>andes make-grounding-set</c>: a synthetic GUI grounding benchmark in the ScreenSpot format.</summary>
internal static class MakeGroundingSetCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "The folder to write (screenspot.json and images/).", Required = true };
        var count = new Option<int>("--count") { Description = "Number of samples.", DefaultValueFactory = _ => 100 }.AtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes identical files.", DefaultValueFactory = _ => 0 };
        var perImage = new Option<int>("--per-image") { Description = "Samples drawn from each screenshot at most.", DefaultValueFactory = _ => 3 }.AtLeast(1);
        var command = new Command("make-grounding-set", "Write a synthetic GUI grounding dataset (rendered windows, mobile screens and web pages with buttons, fields, labels and icons at known boxes) in the ScreenSpot format.")
        {
            output, count, seed, perImage,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            string dir = parse.GetValue(output)!.FullName;
            if (parse.GetValue(count) < 1 || parse.GetValue(perImage) < 1)
            {
                Console.Error.WriteLine("error: --count and --per-image must be at least 1.");
                return Task.FromResult(1);
            }

            GroundingDataset dataset = SyntheticGroundingSetGenerator.Generate(
                dir,
                parse.GetValue(count),
                parse.GetValue(seed),
                new SyntheticGroundingSetOptions { SamplesPerImage = parse.GetValue(perImage) });
            int images = dataset.Samples.Select(s => s.ImagePath).Distinct().Count();
            string byGroup = string.Join(", ", dataset.Samples.GroupBy(s => s.Platform + "/" + s.DataType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            Console.Out.WriteLine($"wrote {dataset.Path}: {dataset.Samples.Count} samples on {images} images ({byGroup})");
            return Task.FromResult(0);
        });
        return command;
    }
}
