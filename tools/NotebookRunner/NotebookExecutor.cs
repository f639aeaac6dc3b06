using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using InteractiveDiagnostic = Microsoft.DotNet.Interactive.Diagnostic;
using InteractiveSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace Andes.NotebookRunner;

/// <summary>
/// Runs a notebook's C# cells in order on .NET Interactive's C# kernel, the one Polyglot Notebooks runs: each cell is
/// a <see cref="SubmitCode"/> to one kernel (so cells share state), and <c>#r "nuget: ..."</c> / <c>#i "nuget: ..."</c>
/// are the kernel's own package management, restored by <c>dotnet restore</c> from <see cref="NotebookRunSettings.Feed"/>
/// and the machine's package sources.
/// </summary>
/// <remarks>
/// Cells run with the notebook's folder as the current directory. Console output and displayed values are written to
/// <see cref="Output"/> and kept per cell. The first cell that does not compile, has a compiler warning (warnings are
/// errors, as in the rest of the repository), or throws stops the run with a <see cref="NotebookCellException"/>
/// naming it.
/// </remarks>
public sealed class NotebookExecutor
{
    /// <summary>The package source line the generated notebooks carry, to be replaced by the real feed folder.</summary>
    public const string FeedPlaceholder = "/path/to/andes/artifacts/packages";

    private const string HtmlMimeType = "text/html";
    private const string PlainTextMimeType = "text/plain";

    private static readonly KernelInfoCollection Kernels =
    [
        new Microsoft.DotNet.Interactive.Documents.KernelInfo(NotebookDocument.CSharpLanguage, "C#", ["c#", "C#", "cs"]),
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("markdown", "Markdown", ["md"]),
    ];

    private readonly NotebookRunSettings _settings;

    /// <summary>Creates an executor.</summary>
    /// <param name="output">Where cell output goes (besides the results).</param>
    /// <param name="settings">The package feed and cache.</param>
    public NotebookExecutor(TextWriter output, NotebookRunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(settings);
        Output = output;
        _settings = settings;
    }

    /// <summary>Where cell output goes.</summary>
    public TextWriter Output { get; }

    /// <summary>Reads a notebook's cells with .NET Interactive's own .ipynb reader.</summary>
    /// <param name="path">The .ipynb file.</param>
    /// <returns>The cells, markdown and code, in order.</returns>
    /// <exception cref="NotebookFormatException">The file is not a notebook.</exception>
    public static ImmutableArray<NotebookCell> ReadCells(string path)
    {
        InteractiveDocument document;
        try
        {
            document = Notebook.Parse(File.ReadAllText(path), Kernels);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new NotebookFormatException(path, $"not a notebook ({e.Message})", e);
        }

        return [.. document.Elements.Select(e => e.KernelName == "markdown"
            ? NotebookCell.Markdown(e.Contents)
            : new NotebookCell(NotebookCellKind.Code, e.Contents, e.KernelName ?? NotebookDocument.CSharpLanguage))];
    }

    /// <summary>Runs every cell of a notebook file.</summary>
    /// <param name="path">The .ipynb file.</param>
    /// <param name="results">Receives each cell's result as it completes (also the failing one).</param>
    /// <param name="cancellationToken">Cancels between and inside cells (cells that observe no token run to the end).</param>
    /// <returns>A task that completes when every cell has run.</returns>
    /// <exception cref="NotebookCellException">A cell failed: compile errors (with lines) or the exception it threw.</exception>
    public async Task RunAsync(string path, List<CellResult> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        string fullPath = Path.GetFullPath(path);
        ImmutableArray<NotebookCell> cells = ReadCells(fullPath);
        string previousDirectory = Environment.CurrentDirectory;
        try
        {
            // Polyglot Notebooks starts the kernel in the notebook's folder.
            Environment.CurrentDirectory = Path.GetDirectoryName(fullPath)!;
            using CompositeKernel kernel = CreateKernel();
            await RunAsync(kernel, cells, results, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }
    }

    /// <summary>
    /// A composite kernel holding a C# kernel set up as the dotnet-interactive tool sets up its own: NuGet directives
    /// whose restored assemblies are referenced by the kernel, and the <c>display</c>/<c>HTML</c> helpers.
    /// </summary>
    private static CompositeKernel CreateKernel()
    {
        // Forced restores: the dependency manager's result cache (kept in the temporary folder across processes) would
        // otherwise hand back assembly paths of an earlier run's package folder, or an earlier pack of the same version.
        CSharpKernel csharp = new CSharpKernel()
            .UseNugetDirective(
                (k, references) =>
                {
                    k.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                    return Task.CompletedTask;
                },
                forceRestore: true)
            .UseKernelHelpers()
            .UseValueSharing();
        var kernel = new CompositeKernel { DefaultKernelName = csharp.Name };
        kernel.Add(csharp, ["c#", "C#"]);

        // What a notebook front end shows: HTML for objects (as the report shows them), plain text for strings. Objects
        // also get their plain text, which the console output (and the sample tests reading it) shows instead.
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(object), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        return kernel;
    }

    private async Task RunAsync(CompositeKernel kernel, ImmutableArray<NotebookCell> cells, List<CellResult> results, CancellationToken cancellationToken)
    {
        int codeCells = cells.Count(c => c.Kind == NotebookCellKind.Code);
        int codeIndex = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NotebookCell cell = cells[i];
            int number = i + 1;
            if (cell.Kind == NotebookCellKind.Markdown)
            {
                results.Add(new CellResult(number, cell, TimeSpan.Zero, [], null));
                continue;
            }

            codeIndex++;
            Output.WriteLine($"── cell {number} (code {codeIndex}/{codeCells}) ──");
            var outputs = new List<CellOutput>();
            var stopwatch = Stopwatch.StartNew();
            try
            {
                if (cell.Language != NotebookDocument.CSharpLanguage)
                {
                    throw new NotebookCellException(number, $"the cell's kernel is '{cell.Language}'; the runner runs C# ('{NotebookDocument.CSharpLanguage}') cells only.");
                }

                KernelCommandResult result = await kernel.SendAsync(new SubmitCode(Prepare(cell.Source), NotebookDocument.CSharpLanguage), cancellationToken).ConfigureAwait(false);
                string? error = Collect(result, outputs);
                if (error is not null)
                {
                    throw new NotebookCellException(number, error);
                }

                results.Add(new CellResult(number, cell, stopwatch.Elapsed, outputs, null));
                Output.WriteLine($"   ({stopwatch.Elapsed.TotalSeconds:F2} s)");
            }
            catch (NotebookCellException e)
            {
                results.Add(new CellResult(number, cell, stopwatch.Elapsed, outputs, e.Message));
                throw;
            }
        }
    }

    /// <summary>The cell's code with the generated notebooks' placeholder package source replaced by the feed.</summary>
    private string Prepare(string source)
    {
        string[] lines = source.Split('\n');
        for (int l = 0; l < lines.Length; l++)
        {
            if (lines[l].Trim() == $"#i \"nuget: {FeedPlaceholder}\"")
            {
                lines[l] = $"#i \"nuget: {_settings.Feed}\"";
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Keeps and prints a submission's outputs in order; returns why it failed, or null.</summary>
    private string? Collect(KernelCommandResult result, List<CellOutput> outputs)
    {
        var text = new System.Text.StringBuilder();
        var warnings = new List<string>();
        var updatable = new Dictionary<string, int>(StringComparer.Ordinal);
        string? failure = null;
        foreach (KernelEvent e in result.Events)
        {
            switch (e)
            {
                case StandardOutputValueProduced or StandardErrorValueProduced:
                    string written = Text(((DisplayEvent)e).FormattedValues);
                    text.Append(written);
                    Output.Write(written);
                    break;
                case DisplayedValueUpdated update when update.ValueId is not null && updatable.TryGetValue(update.ValueId, out int index):
                    // A value shown again with new content (the kernel's package restore progress): the last one stays.
                    outputs[index] = Choose(update.FormattedValues);
                    break;
                case DisplayEvent display:
                    FlushText();
                    CellOutput output = Choose(display.FormattedValues);
                    if (display is DisplayedValueProduced { ValueId: { } id })
                    {
                        updatable[id] = outputs.Count;
                    }

                    outputs.Add(output);
                    Output.WriteLine(ConsoleText(display.FormattedValues));
                    break;
                case DiagnosticsProduced diagnostics:
                    // CS1701/CS1702 are the assembly-unification notes the .NET SDK silences too (NoWarn 1701;1702).
                    // CS8632: the kernel compiles without a nullable context (as in Polyglot Notebooks), so the
                    // annotations the cells share with the samples' apps (where nullable is on and checked) are only
                    // noted; they are not a fault of the cell.
                    warnings.AddRange(diagnostics.Diagnostics
                        .Where(d => d.Severity == InteractiveSeverity.Warning && d.Code is not ("CS1701" or "CS1702" or "CS8632"))
                        .Select(Describe));
                    break;
                case CommandFailed failed:
                    // Compile errors are the kernel's message (the diagnostics with their lines); exceptions their stack.
                    failure = failed.Exception is { } exception and not CodeSubmissionCompilationErrorException ? CellStackOnly(exception) : failed.Message;
                    break;
            }
        }

        FlushText();
        Output.Flush();
        return failure ?? (warnings.Count > 0 ? string.Join(Environment.NewLine, warnings) : null);

        void FlushText()
        {
            if (text.Length > 0)
            {
                outputs.Add(new CellOutput(false, text.ToString()));
                text.Clear();
            }
        }
    }

    /// <summary>HTML when the value has it (as a notebook shows it), else its plain text.</summary>
    private static CellOutput Choose(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == HtmlMimeType) is { } html
            ? new CellOutput(true, html.Value)
            : new CellOutput(false, Text(values));

    /// <summary>
    /// How the console shows a value: its plain text when it has one of its own (objects are formatted as both, see
    /// <see cref="CreateKernel"/>), else a note of the HTML's size (markup is for the report).
    /// </summary>
    private static string ConsoleText(IReadOnlyCollection<FormattedValue> values)
    {
        string? html = values.FirstOrDefault(v => v.MimeType == HtmlMimeType)?.Value;
        string? text = values.FirstOrDefault(v => v.MimeType == PlainTextMimeType)?.Value;
        return html is null ? Text(values)
            : text is not null && text != html ? text
            : $"[html: {html.Length:N0} characters]";
    }

    /// <summary>The exception as text, without the frames of the scripting engine and the kernel below the cell.</summary>
    private static string CellStackOnly(Exception e)
    {
        string[] lines = e.ToString().ReplaceLineEndings("\n").Split('\n');
        int cut = Array.FindIndex(lines, l => l.TrimStart().StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal));
        IEnumerable<string> kept = cut < 0 ? lines : lines.Take(cut).Where(l => l.Trim() != "--- End of stack trace from previous location ---");
        return string.Join(Environment.NewLine, kept);
    }

    private static string Text(IReadOnlyCollection<FormattedValue> values) =>
        (values.FirstOrDefault(v => v.MimeType == PlainTextMimeType) ?? values.FirstOrDefault())?.Value ?? string.Empty;

    private static string Describe(InteractiveDiagnostic diagnostic) =>
        $"line {diagnostic.LinePositionSpan.Start.Line + 1}, column {diagnostic.LinePositionSpan.Start.Character + 1}: {diagnostic.Code}: {diagnostic.Message}";
}
