using System.CommandLine;
using Andes.ModelBuilder;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes pull REPO</c>: downloads a hub checkpoint into <c>$ANDES_HOME/checkpoints/</c> and converts it to int4 into
/// <c>$ANDES_HOME/models/NAME</c>, so <c>--model NAME</c> runs it.
/// </summary>
internal static class PullCommand
{
    public static Command Create()
    {
        var repo = DownloadCommand.RepoArgument();
        var name = new Option<string?>("--name") { Description = "The model's name in $ANDES_HOME/models (default: the repository's name in lower case plus -int4, e.g. andesvl-1b-instruct-int4)." };
        var revision = DownloadCommand.RevisionOption();
        var force = new Option<bool>("--force") { Description = "Convert again even if the model is already there (the old one stays usable until the new one is complete)." };
        var command = new Command(
            "pull",
            "Download a Hugging Face hub checkpoint (e.g. OPPOer/AndesVL-1B-Instruct) and convert it to int4 under $ANDES_HOME/models, ready for --model NAME.")
        {
            repo, name, revision, force,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string repoId = parse.GetValue(repo)!;
            string checkpoint = DownloadCommand.CheckpointFolder(repoId);
            string modelName = parse.GetValue(name) ?? DefaultName(repoId);
            if (!AndesHome.IsFolderName(modelName))
            {
                throw new ArgumentException($"--name '{modelName}' is not a folder name (no '/', '\\', '.' or '..').");
            }

            string model = Path.Combine(AndesHome.Models, modelName);
            await HubDownloadView.DownloadAsync(repoId, checkpoint, DownloadCommand.Options(parse.GetValue(revision)!), cancellationToken);

            if (File.Exists(Path.Combine(model, "genai_config.json")) && !parse.GetValue(force))
            {
                // Pulling again only checks the download; the conversion of an unchanged checkpoint would give the same folder.
                Console.Out.WriteLine($"model '{modelName}' is already converted in {model} (--force converts it again)");
            }
            else
            {
                Console.Out.WriteLine($"converting to int4 into {model}");
                ConvertCommand.ConvertWithProgress(
                    checkpoint, model, new ModelConversionOptions { Precision = WeightPrecision.Int4, Overwrite = parse.GetValue(force) }, cancellationToken);
            }

            Console.Out.WriteLine($"chat with it: andes chat --model {modelName}");
            return 0;
        });
        return command;
    }

    /// <summary>The default model name: <c>andesvl-1b-instruct-int4</c> for <c>OPPOer/AndesVL-1B-Instruct</c>.</summary>
    internal static string DefaultName(string repoId) => HubDownloader.GetRepoName(repoId).ToLowerInvariant() + "-int4";
}
