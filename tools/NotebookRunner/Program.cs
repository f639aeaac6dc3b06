using System.CommandLine;
using System.Diagnostics;
using Andes.NotebookRunner;

var run = CreateRunCommand();
var generate = CreateGenerateCommand();
var root = new RootCommand("Runs the Andes notebooks on .NET Interactive's C# kernel and generates them from the samples' file-based apps.") { run, generate, CreateConvertCommand() };
return await root.Parse(args).InvokeAsync();

static Command CreateRunCommand()
{
    var notebooks = new Argument<FileInfo[]>("notebooks") { Description = "The .ipynb files to run, in order.", Arity = ArgumentArity.OneOrMore };
    var reports = new Option<DirectoryInfo?>("--report-dir") { Description = "Write NAME.html (cells, outputs and inline pictures) for each notebook here." };
    var feed = new Option<DirectoryInfo?>("--feed")
    {
        Description = "The folder of packed Andes packages that replaces the notebooks' '#i \"nuget: /path/to/andes/artifacts/packages\"' placeholder (default: artifacts/packages of the repository around the current folder; make it with dotnet pack Andes.sln -c Release -o artifacts/packages).",
    };
    var packages = new Option<DirectoryInfo?>("--packages")
    {
        Description = "The NuGet global packages folder the notebooks restore into (NUGET_PACKAGES), kept for later runs (default: a new folder in the temporary folder, deleted at the end, so the user's cache is never written).",
    };
    var command = new Command("run", "Run every C# cell of each notebook in order on .NET Interactive's C# kernel; stop a notebook at its first failing cell.") { notebooks, reports, feed, packages };
    command.SetAction(async (parse, cancellationToken) =>
    {
        string feedFolder = parse.GetValue(feed)?.FullName ?? Path.Combine(RepositoryLayout.Find(Environment.CurrentDirectory).Root, "artifacts", "packages");
        if (!Directory.Exists(feedFolder) || !Directory.EnumerateFiles(feedFolder, "Andes.*.nupkg").Any())
        {
            Console.Error.WriteLine($"No Andes packages in {feedFolder}: pack them first (dotnet pack Andes.sln -c Release -o artifacts/packages) or pass --feed.");
            return 2;
        }

        // The kernel restores with 'dotnet restore' child processes, which read NUGET_PACKAGES from this process. Their
        // package sources are the notebook's #i sources (the feed) and those of the user's NuGet configuration.
        string? ownPackages = parse.GetValue(packages) is null ? Path.Combine(Path.GetTempPath(), "andes-notebooks-" + Guid.NewGuid().ToString("N")[..12]) : null;
        string packagesFolder = parse.GetValue(packages)?.FullName ?? ownPackages!;
        Directory.CreateDirectory(packagesFolder);
        Environment.SetEnvironmentVariable("NUGET_PACKAGES", packagesFolder);
        var settings = new NotebookRunSettings(feedFolder);
        var restoreCache = RestoreResultCache.Snapshot();
        int failures = 0;
        var summary = new List<string>();
        try
        {
            foreach (FileInfo file in parse.GetValue(notebooks)!)
            {
                var results = new List<CellResult>();
                var stopwatch = Stopwatch.StartNew();
                string? error = null;
                Console.WriteLine($"══ {file.FullName}");
                try
                {
                    await new NotebookExecutor(Console.Out, settings).RunAsync(file.FullName, results, cancellationToken);
                }
                catch (Exception e) when (e is NotebookCellException or NotebookFormatException or IOException)
                {
                    error = e.Message;
                    failures++;
                }

                if (parse.GetValue(reports) is { } dir)
                {
                    dir.Create();
                    await File.WriteAllTextAsync(Path.Combine(dir.FullName, Path.GetFileNameWithoutExtension(file.Name) + ".html"), NotebookReport.Render(file.Name, results), cancellationToken);
                }

                int ran = results.Count(r => r.Cell.Kind == NotebookCellKind.Code && r.Error is null);
                summary.Add($"{file.Name}: {(error is null ? "ok" : "FAILED")} in {stopwatch.Elapsed.TotalSeconds:F1} s ({ran} code cells ran)");
                if (error is not null)
                {
                    summary.Add($"  {file.Name}: {error}");
                }
            }
        }
        finally
        {
            if (ownPackages is not null)
            {
                TryDelete(ownPackages);
            }

            restoreCache.DeleteNewEntries();
        }

        Console.WriteLine();
        summary.ForEach(Console.WriteLine);
        return failures == 0 ? 0 : 1;
    });
    return command;
}

static void TryDelete(string directory)
{
    try
    {
        Directory.Delete(directory, recursive: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"could not delete {directory}: {e.Message}");
    }
}

static Command CreateGenerateCommand()
{
    var check = new Option<bool>("--check") { Description = "Write nothing; fail if a notebook differs from what its app generates." };
    var command = new Command("generate", "Write notebooks/NAME.ipynb from samples/NAME/app.cs for every sample.") { check };
    command.SetAction(parse =>
    {
        RepositoryLayout layout = RepositoryLayout.Find(Environment.CurrentDirectory);
        string version = PackageCatalog.BuiltAndesVersion;
        int stale = 0;
        foreach (string name in layout.SampleNames)
        {
            string json = SampleNotebookConverter.ConvertFile(layout.AppPath(name), version).ToJson();
            string target = layout.NotebookPath(name);
            bool same = File.Exists(target) && File.ReadAllText(target) == json;
            if (parse.GetValue(check))
            {
                Console.WriteLine($"{name}: {(same ? "up to date" : "DIFFERS from its app.cs")}");
                stale += same ? 0 : 1;
            }
            else if (!same)
            {
                Directory.CreateDirectory(layout.NotebooksDirectory);
                File.WriteAllText(target, json);
                Console.WriteLine($"wrote {target}");
            }
        }

        if (stale > 0)
        {
            Console.Error.WriteLine("Regenerate with: dotnet run --project tools/NotebookRunner -- generate");
        }

        return stale == 0 ? 0 : 1;
    });
    return command;
}

static Command CreateConvertCommand()
{
    var app = new Argument<FileInfo>("app") { Description = "A file-based app with // %% cell markers." };
    var output = new Argument<FileInfo>("notebook") { Description = "The .ipynb file to write." };
    var command = new Command("convert", "Convert one file-based app into a notebook (generate does this for every sample).") { app, output };
    command.SetAction(parse =>
    {
        string json = SampleNotebookConverter.ConvertFile(parse.GetValue(app)!.FullName, PackageCatalog.BuiltAndesVersion).ToJson();
        File.WriteAllText(parse.GetValue(output)!.FullName, json);
        return 0;
    });
    return command;
}
