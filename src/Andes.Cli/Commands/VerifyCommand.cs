using System.CommandLine;
using Andes.GenAI;

namespace Andes.Cli.Commands;

/// <summary><c>andes verify DIR</c>: checks a converted model folder against its manifest (sizes and hashes).</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("FOLDER") { Description = "The model folder (written by andes convert)." };
        var command = new Command("verify", "Check that a converted model folder is complete and unchanged: every file its andes_manifest.json lists, with its size and XXH3 hash.") { folder };
        command.SetAction((parse, cancellationToken) =>
        {
            string directory = parse.GetValue(folder)!.FullName;
            ModelFolderManifest? manifest = ModelFolderManifest.TryLoad(directory);
            if (manifest is null)
            {
                Console.Error.WriteLine($"error: '{directory}' has no {ModelFolderManifest.FileName}: it was not written by andes convert (or by a version before manifests), so there is nothing to verify against.");
                return Task.FromResult(1);
            }

            IReadOnlyList<string> problems = manifest.Verify(directory, cancellationToken);
            foreach (string problem in problems)
            {
                Console.Error.WriteLine($"error: {problem}");
            }

            long bytes = manifest.Files.Sum(f => f.Bytes);
            Console.Out.WriteLine(problems.Count == 0
                ? $"ok: {manifest.Files.Count} files, {bytes:N0} bytes, as converted ({manifest.CreatedBy ?? "unknown converter"})"
                : $"{problems.Count} of {manifest.Files.Count} files differ from the conversion; convert again with andes convert --force.");
            return Task.FromResult(problems.Count == 0 ? 0 : 1);
        });
        return command;
    }
}
