using Andes.NotebookRunner;
using Andes.Testing;

namespace Andes.Samples.Tests;

/// <summary>The notebook runner's own behaviour, on small notebooks written by the tests.</summary>
public sealed class NotebookRunnerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void CellsShareStateDisplayGoesToTheReportAndTheFirstFailingCellIsNamed()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        string notebook = Write(temp, "state",
            NotebookCell.Markdown("# A test"),
            NotebookCell.CSharp($"#i \"nuget: /any/folder/of/packages\"\n#r \"nuget: Andes.GenAI, {PackageCatalog.BuiltAndesVersion}\"\n#r \"nuget: Microsoft.Extensions.AI, 10.11.0\"\nusing Microsoft.Extensions.AI;\nint answer = 42;"),
            NotebookCell.CSharp("display($\"answer {answer}\");\ndisplay(HTML(\"<b id='x'>bold</b>\"));\nConsole.WriteLine(new ChatMessage(ChatRole.User, \"hi\").Text);\nanswer + 1"),
            NotebookCell.Markdown("Then a failure:"),
            NotebookCell.CSharp("int zero = 0;\nConsole.WriteLine(\"before\");\nConsole.WriteLine(answer / zero);"),
            NotebookCell.CSharp("Console.WriteLine(\"never\");"));

        (int exitCode, string output) = Run(temp, notebook);

        Assert.Equal(1, exitCode);
        Assert.Contains("answer 42", output, StringComparison.Ordinal);
        Assert.Contains("[html: 18 characters]", output, StringComparison.Ordinal);
        Assert.Contains("hi\n43", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("before", output, StringComparison.Ordinal);
        Assert.Contains("state.ipynb: cell 5: System.DivideByZeroException", output, StringComparison.Ordinal);
        Assert.Contains("state.ipynb:line 3", output, StringComparison.Ordinal);
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
    [InlineData("#r \"nuget: Microsoft.Extensions.AI, 9.0.0\"", "cell 1: line 1: package Microsoft.Extensions.AI is pinned at 9.0.0 but the runner has 10.11.0")]
    [InlineData("#r \"nuget: Microsoft.Extensions.AI\"", "cell 1: line 1: '#r \"nuget: Microsoft.Extensions.AI\"' is not of the form")]
    [InlineData("#r \"nuget: Andes.GenAI, 0.0.1\"", "cell 1: line 1: Andes.GenAI is pinned at 0.0.1 but this repository's packages are")]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"", "cell 1: line 1: package Newtonsoft.Json is not available to the runner")]
    [InlineData("#!time\nint x = 1;", "cell 1: line 1: the magic command '#!time' is not supported")]
    [InlineData("int x = 1;\n#i \"/packages\"", "cell 1: line 2: '#i \"/packages\"' is not of the form #i \"nuget: SOURCE\"")]
    [InlineData("int x = 1;\nif (x == 1) { int y; }", "cell 1: line 2, column 19: CS0168")]
    [InlineData("string s = null;", "cell 1: line 1, column 12: CS8625")]
    [InlineData("int x = 1;\nx = \"a\";", "cell 1: line 2, column 5: CS0029")]
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

    private static (int ExitCode, string Output) Run(TemporaryDirectory temp, string notebook)
    {
        string runner = Path.Combine(AppContext.BaseDirectory, "NotebookRunner.dll");
        (int exitCode, string output, _) = SampleProcess.RunDotnet(temp.Path, temp.Path, Path.Combine(temp.Path, "home"), Timeout, runner, "run", notebook, "--report-dir", temp.Path);
        return (exitCode, output);
    }
}
