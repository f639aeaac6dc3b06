using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Andes.NotebookRunner;

/// <summary>
/// Runs a notebook's C# cells in order as one Roslyn script session (each cell continues the previous one's state,
/// as in .NET Interactive), with this repository's assemblies standing in for <c>#r "nuget: ..."</c> references.
/// </summary>
/// <remarks>
/// Cells run with the notebook's folder as the current directory and nullable annotations enabled; compiler warnings
/// fail the cell like errors. Console output
/// and <c>display(...)</c> values are written to <see cref="Output"/> and kept per cell. The first cell that does not
/// compile or throws stops the run with a <see cref="NotebookCellException"/> naming it.
/// </remarks>
public sealed class NotebookExecutor
{
    /// <summary>The namespaces .NET Interactive's C# kernel imports into every notebook.</summary>
    public static readonly ImmutableArray<string> DefaultImports =
        ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private readonly PackageCatalog _packages;

    /// <summary>Creates an executor.</summary>
    /// <param name="output">Where cell output goes (besides the results).</param>
    /// <param name="packages">What <c>#r "nuget: ..."</c> may ask for; null for the runner's own.</param>
    public NotebookExecutor(TextWriter output, PackageCatalog? packages = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        Output = output;
        _packages = packages ?? PackageCatalog.Current;
    }

    /// <summary>Where cell output goes.</summary>
    public TextWriter Output { get; }

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
        NotebookDocument notebook = NotebookDocument.Load(fullPath);
        string previousDirectory = Environment.CurrentDirectory;
        TextWriter previousOut = Console.Out;
        var capture = new CapturingWriter(Output);
        Console.SetOut(capture);
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(fullPath)!;
            await RunAsync(notebook, fullPath, capture, results, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Console.Out.Flush();
            Console.SetOut(previousOut);
            Environment.CurrentDirectory = previousDirectory;
        }
    }

    private async Task RunAsync(NotebookDocument notebook, string path, CapturingWriter capture, List<CellResult> results, CancellationToken cancellationToken)
    {
        ScriptOptions options = ScriptOptions.Default
            .WithReferences(References.Value)
            .WithImports(DefaultImports)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithFilePath(path)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
        var globals = new NotebookGlobals(capture.Add);
        ScriptState<object>? state = null;
        int codeCells = notebook.Cells.Count(c => c.Kind == NotebookCellKind.Code);
        int codeIndex = 0;
        for (int i = 0; i < notebook.Cells.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NotebookCell cell = notebook.Cells[i];
            int number = i + 1;
            if (cell.Kind == NotebookCellKind.Markdown)
            {
                results.Add(new CellResult(number, cell, TimeSpan.Zero, [], null));
                continue;
            }

            codeIndex++;
            Output.WriteLine($"── cell {number} (code {codeIndex}/{codeCells}) ──");
            capture.BeginCell();
            var stopwatch = Stopwatch.StartNew();
            try
            {
                string code = Prepare(cell, number);
                Script<object> script = state is null
                    ? CSharpScript.Create(code, options, typeof(NotebookGlobals))
                    : state.Script.ContinueWith(code, options);
                ImmutableArray<Diagnostic> diagnostics = script.Compile(cancellationToken);
                // Warnings are errors, as in the rest of the repository (and in the samples' file-based apps), except
                // the assembly-unification notes the .NET SDK silences too (NoWarn 1701;1702).
                Diagnostic[] errors = [.. diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error
                    || (d.Severity == DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702")))];
                if (errors.Length > 0)
                {
                    throw new NotebookCellException(number, string.Join(Environment.NewLine, errors.Select(Describe)));
                }

                state = state is null
                    ? await script.RunAsync(globals, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : await script.RunFromAsync(state, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (state.ReturnValue is { } value)
                {
                    capture.Add(NotebookGlobals.Format(value));
                }

                await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                results.Add(new CellResult(number, cell, stopwatch.Elapsed, capture.EndCell(), null));
                Output.WriteLine($"   ({stopwatch.Elapsed.TotalSeconds:F2} s)");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                NotebookCellException error = e as NotebookCellException
                    ?? new NotebookCellException(number, CellStackOnly(e), e);
                results.Add(new CellResult(number, cell, stopwatch.Elapsed, capture.EndCell(), error.Message));
                throw error;
            }
        }
    }

    /// <summary>The cell's code as compiled: NuGet references and sources checked and blanked (lines keep their numbers).</summary>
    private string Prepare(NotebookCell cell, int number)
    {
        if (cell.Language != NotebookDocument.CSharpLanguage)
        {
            throw new NotebookCellException(number, $"the cell's kernel is '{cell.Language}'; the runner runs C# ('{NotebookDocument.CSharpLanguage}') cells only.");
        }

        string[] lines = cell.Source.Split('\n');
        for (int l = 0; l < lines.Length; l++)
        {
            string line = lines[l].Trim();
            if (_packages.TryCheckReference(line, out string? error))
            {
                if (error is not null)
                {
                    throw new NotebookCellException(number, $"line {l + 1}: {error}");
                }

                lines[l] = string.Empty;
            }
            else if (PackageCatalog.TryCheckSource(line, out string? sourceError))
            {
                if (sourceError is not null)
                {
                    throw new NotebookCellException(number, $"line {l + 1}: {sourceError}");
                }

                lines[l] = string.Empty;
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                throw new NotebookCellException(number, $"line {l + 1}: the magic command '{line}' is not supported by the runner.");
            }
        }

        // Nullable annotations as in the file-based apps; #line keeps diagnostics on the cell's own line numbers.
        return "#nullable enable\n#line 1\n" + string.Join('\n', lines);
    }

    /// <summary>The exception as text, without the frames of the scripting engine and the runner below the cell.</summary>
    private static string CellStackOnly(Exception e)
    {
        string[] lines = e.ToString().ReplaceLineEndings("\n").Split('\n');
        int cut = Array.FindIndex(lines, l => l.TrimStart().StartsWith("at Microsoft.CodeAnalysis.Scripting.", StringComparison.Ordinal));
        IEnumerable<string> kept = cut < 0 ? lines : lines.Take(cut).Where(l => l.Trim() != "--- End of stack trace from previous location ---");
        return string.Join(Environment.NewLine, kept);
    }

    private static string Describe(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetMappedLineSpan();
        string where = span.IsValid ? $"line {span.StartLinePosition.Line + 1}, column {span.StartLinePosition.Character + 1}: " : string.Empty;
        return $"{where}{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Every managed assembly of the runtime and of the runner (its Andes projects and packages).</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return [.. trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>Forwards writes to the runner's output and keeps each cell's text and displayed values in order.</summary>
    private sealed class CapturingWriter(TextWriter inner) : TextWriter
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _text = new();
        private List<CellOutput> _outputs = [];

        public override Encoding Encoding => inner.Encoding;

        public void BeginCell()
        {
            lock (_gate)
            {
                _outputs = [];
                _text.Clear();
            }
        }

        public List<CellOutput> EndCell()
        {
            lock (_gate)
            {
                FlushText();
                return _outputs;
            }
        }

        public void Add(CellOutput output)
        {
            lock (_gate)
            {
                FlushText();
                _outputs.Add(output);
                inner.WriteLine(output.IsHtml ? $"[html: {output.Content.Length:N0} characters]" : output.Content);
            }
        }

        public override void Write(char value)
        {
            lock (_gate)
            {
                _text.Append(value);
                inner.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                _text.Append(value);
                inner.Write(value);
            }
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_gate)
            {
                _text.Append(buffer, index, count);
                inner.Write(buffer, index, count);
            }
        }

        public override void Flush()
        {
            lock (_gate)
            {
                inner.Flush();
            }
        }

        private void FlushText()
        {
            if (_text.Length > 0)
            {
                _outputs.Add(new CellOutput(false, _text.ToString()));
                _text.Clear();
            }
        }
    }
}
