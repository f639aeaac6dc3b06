using System.CommandLine;
using Andes.ModelBuilder;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>andes download REPO</c>: a Hugging Face hub repository (an AndesVL checkpoint) into a folder, resumable and
/// checked; by default into <c>$ANDES_HOME/checkpoints/NAME</c>.
/// </summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var repo = RepoArgument();
        var revision = RevisionOption();
        var output = new Option<DirectoryInfo?>("--output") { Description = "The folder to download into (default: $ANDES_HOME/checkpoints/NAME, NAME the repository's name)." };
        var command = new Command(
            "download",
            "Download a Hugging Face hub repository, e.g. OPPOer/AndesVL-1B-Instruct (HF_ENDPOINT and HF_TOKEN are honoured; an interrupted download resumes).")
        {
            repo, revision, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string repoId = parse.GetValue(repo)!;
            string directory = parse.GetValue(output)?.FullName ?? CheckpointFolder(repoId);
            await HubDownloadView.DownloadAsync(repoId, directory, Options(parse.GetValue(revision)!), cancellationToken);
            Console.Out.WriteLine($"convert it with: andes convert --checkpoint {Quote(directory)} --output OUT");
            Console.Out.WriteLine($"or download and convert in one step: andes pull {repoId}");
            return 0;
        });
        return command;
    }

    /// <summary>The repository argument, shared with <c>andes pull</c>.</summary>
    internal static Argument<string> RepoArgument() => new("repo")
    {
        Description = "The hub repository, owner/name (e.g. OPPOer/AndesVL-1B-Instruct).",
    };

    /// <summary>The <c>--revision</c> option, shared with <c>andes pull</c>.</summary>
    internal static Option<string> RevisionOption() => new("--revision")
    {
        Description = "A branch, tag or commit of the repository.",
        DefaultValueFactory = _ => HubDownloadOptions.DefaultRevision,
    };

    /// <summary>The options of a download from the command line: HF_ENDPOINT and HF_TOKEN come from the environment.</summary>
    internal static HubDownloadOptions Options(string revision) => new() { Revision = revision };

    /// <summary><c>$ANDES_HOME/checkpoints/NAME</c> for a repository id (checked first, so a bad id is a usage error).</summary>
    internal static string CheckpointFolder(string repoId) => Path.Combine(AndesHome.Checkpoints, HubDownloader.GetRepoName(repoId));

    internal static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
