using Andes.NotebookRunner;
using Andes.Testing;

namespace Andes.Samples.Tests;

/// <summary>
/// The notebook runner's own behaviour on .NET Interactive's C# kernel, on small notebooks written by the tests (in the
/// samples' collection: they share its packed feed and packages folder).
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class NotebookRunnerTests(NotebookFeedFixture feed)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void CellsShareStatePackagesRestoreFromTheFeedDisplayGoesToTheReportAndTheFirstFailingCellIsNamed()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string notebook = Write(temp, "state",
            NotebookCell.Markdown("# A test"),
            NotebookCell.CSharp($"#i \"nuget: {NotebookExecutor.FeedPlaceholder}\"\n#r \"nuget: Andes.Abstractions, {PackageCatalog.BuiltAndesVersion}\"\n#r \"nuget: Microsoft.Extensions.AI, 10.11.0\"\nusing Microsoft.Extensions.AI;\nint answer = 42;"),
            NotebookCell.CSharp("display($\"answer {answer}\");\ndisplay(HTML(\"<b id='x'>bold</b>\"));\nConsole.WriteLine(new ChatMessage(ChatRole.User, \"hi\").Text);\nConsole.WriteLine(typeof(Andes.ImageGeometry).Assembly.Location);\nanswer + 1"),
            NotebookCell.Markdown("Then a failure:"),
            NotebookCell.CSharp("int zero = 0;\nConsole.WriteLine(\"before\");\nConsole.WriteLine(answer / zero);"),
            NotebookCell.CSharp("Console.WriteLine(\"never\");"));

        (int exitCode, string output) = Run(temp, notebook);

        Assert.Equal(1, exitCode);
        Assert.Contains("answer 42", output, StringComparison.Ordinal);
        Assert.Contains("[html: 18 characters]", output, StringComparison.Ordinal);
        Assert.Contains("hi\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\n43\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // The Andes package was restored from the feed into the run's packages folder, not taken from the runner.
        string restored = Path.Combine(feed.Packages, "andes.abstractions", PackageCatalog.BuiltAndesVersion, "lib");
        Assert.Contains(restored, output, StringComparison.Ordinal);
        Assert.Contains("before", output, StringComparison.Ordinal);
        Assert.Contains("state.ipynb: cell 5: System.DivideByZeroException", output, StringComparison.Ordinal);
        Assert.DoesNotContain("never", output, StringComparison.Ordinal);
        Assert.Contains("state.ipynb: FAILED", output, StringComparison.Ordinal);
        string report = File.ReadAllText(Path.Combine(temp.Path, "state.html"));
        Assert.Contains("<b id='x'>bold</b>", report, StringComparison.Ordinal);
        Assert.Contains("DivideByZeroException", report, StringComparison.Ordinal);
        Assert.Contains("<div class=\"md\"><h1>A test</h1>", report, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReportRendersMarkdownCellsAndEscapesTheirHtml()
    {
        const string markdown = """
            ## Heading & more

            A paragraph with `code <span>`, **bold**, a [link](https://example.org/a?b=1&c=2) and <b>raw</b> HTML.

            - one
            - two

            ```csharp
            if (a < b) { }
            ```

            [bad](javascript:alert(1)) <javascript:alert(2)>
            """;
        string html = NotebookReport.Render("t<1>", [new CellResult(1, NotebookCell.Markdown(markdown), TimeSpan.Zero, [], null)]);

        Assert.Contains("<title>t&lt;1&gt;</title>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Heading &amp; more</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<code>code &lt;span&gt;</code>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/a?b=1&amp;c=2\">link</a>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;raw&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>", html, StringComparison.Ordinal);
        Assert.Contains("<pre><code class=\"language-csharp\">if (a &lt; b) { }\n</code></pre>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#!nosuch\nint x = 1;", "cell 1: (1,1): error DNI101: Unknown magic command '#!nosuch'")]
    [InlineData("int x = 1;\nif (x == 1) { int y; }", "cell 1: line 2, column 19: CS0168")]
    [InlineData("int x = 1;\nx = \"a\";", "cell 1: (2,5): error CS0029")]
    public void BadCellsFailWithTheCellTheLineAndTheReason(string code, string message)
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string notebook = Write(temp, "bad", NotebookCell.CSharp(code));
        (int exitCode, string output) = Run(temp, notebook);
        Assert.Equal(1, exitCode);
        Assert.Contains("bad.ipynb: " + message, output, StringComparison.Ordinal);
    }

    private static string Write(TemporaryDirectory temp, string name, params NotebookCell[] cells)
    {
        string path = Path.Combine(temp.Path, name + ".ipynb");
        File.WriteAllText(path, new NotebookDocument(cells).ToJson());
        return path;
    }

    private (int ExitCode, string Output) Run(TemporaryDirectory temp, string notebook)
    {
        string runner = Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");
        (int exitCode, string output, _) = SampleProcess.RunDotnet(temp.Path, temp.Path, Path.Combine(temp.Path, "home"), Timeout, [runner, "run", notebook, "--report-dir", temp.Path, .. feed.RunnerArguments]);
        return (exitCode, output);
    }
}
