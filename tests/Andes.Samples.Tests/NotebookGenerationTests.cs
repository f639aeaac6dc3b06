using Andes.NotebookRunner;

namespace Andes.Samples.Tests;

/// <summary>The notebooks are generated from the samples' apps, and agree with them.</summary>
public sealed class NotebookGenerationTests
{
    [Theory]
    [MemberData(nameof(Names))]
    public void TheNotebookIsWhatItsAppGenerates(string name)
    {
        var layout = new RepositoryLayout(SampleProcess.RepositoryRoot);
        string expected = SampleNotebookConverter.ConvertFile(layout.AppPath(name), PackageCatalog.BuiltAndesVersion).ToJson();
        string actual = File.ReadAllText(layout.NotebookPath(name));
        Assert.True(expected == actual, $"notebooks/{name}.ipynb differs from what samples/{name}/app.cs generates: run 'dotnet run --project tools/NotebookRunner -- generate'.");
    }

    [Fact]
    public void EverySampleHasANotebookAndExpectations()
    {
        var layout = new RepositoryLayout(SampleProcess.RepositoryRoot);
        Assert.Equal(Samples.Expected.Keys.Order(StringComparer.Ordinal), layout.SampleNames);
        Assert.Equal(
            layout.SampleNames.Select(n => n + ".ipynb"),
            Directory.GetFiles(layout.NotebooksDirectory, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheNotebookHasPolyglotMetadataAndPinnedPackages(string name)
    {
        var layout = new RepositoryLayout(SampleProcess.RepositoryRoot);
        string json = File.ReadAllText(layout.NotebookPath(name));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        System.Text.Json.JsonElement metadata = document.RootElement.GetProperty("metadata");
        Assert.Equal(".net-csharp", metadata.GetProperty("kernelspec").GetProperty("name").GetString());
        Assert.Equal("C#", metadata.GetProperty("kernelspec").GetProperty("language").GetString());
        Assert.Equal("polyglot-notebook", metadata.GetProperty("language_info").GetProperty("name").GetString());
        Assert.Equal(4, document.RootElement.GetProperty("nbformat").GetInt32());

        NotebookDocument notebook = NotebookDocument.Parse(json, name);
        Assert.Equal(NotebookCellKind.Markdown, notebook.Cells[0].Kind);
        // The first code cell says where the Andes packages come from (the locally packed feed), before asking for them.
        Assert.StartsWith(string.Join('\n', SampleNotebookConverter.PackageSourceLines) + "\n#r ", notebook.Cells[1].Source, StringComparison.Ordinal);
        Assert.Contains("dotnet pack Andes.sln -c Release -o artifacts/packages", notebook.Cells[1].Source, StringComparison.Ordinal);
        string[] references = [.. notebook.Cells[1].Source.Split('\n').Where(l => l.StartsWith("#r ", StringComparison.Ordinal))];
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Matches(@"^#r ""nuget: [A-Za-z.]+, \d+\.\d+\.\d+""$", r));
        Assert.Contains(references, r => r.StartsWith("#r \"nuget: Andes.", StringComparison.Ordinal) && r.EndsWith($", {PackageCatalog.BuiltAndesVersion}\"", StringComparison.Ordinal));
        Assert.DoesNotContain("#:", string.Concat(notebook.Cells.Select(c => c.Source)), StringComparison.Ordinal);
    }

    [Fact]
    public void TheConverterMapsDirectivesAndMovesDeclarations()
    {
        const string app = """
            #!/usr/bin/env dotnet
            // %% [markdown]
            // # Title
            //
            // Text.

            // %%
            #:package Microsoft.Extensions.AI@10.11.0
            #:project ../../src/Andes.GenAI/Andes.GenAI.csproj
            #:property PublishAot=false
            using Andes.GenAI;
            // %% [insert: Plugin]
            // Plugin is at the end of the file.

            // %%
            Console.WriteLine(new Plugin().Name);

            // %% [app-only]
            static void display(object value) => Console.WriteLine(value);

            // %% [cell: Plugin]
            class Plugin { public string Name => "p"; }
            """;
        NotebookDocument notebook = SampleNotebookConverter.Convert(app, "9.8.7");
        Assert.Equal(
            [
                (NotebookCellKind.Markdown, "# Title\n\nText."),
                (NotebookCellKind.Code, string.Join('\n', SampleNotebookConverter.PackageSourceLines) + "\n#r \"nuget: Microsoft.Extensions.AI, 10.11.0\"\n#r \"nuget: Andes.GenAI, 9.8.7\"\nusing Andes.GenAI;"),
                (NotebookCellKind.Code, "class Plugin { public string Name => \"p\"; }"),
                (NotebookCellKind.Code, "Console.WriteLine(new Plugin().Name);"),
            ],
            notebook.Cells.Select(c => (c.Kind, c.Source)));
        Assert.Equal(notebook.Cells, NotebookDocument.Parse(notebook.ToJson()).Cells);
    }

    [Theory]
    [InlineData("Console.WriteLine();\n// %%\nx();", "line 1: text before the first '// %%' cell marker")]
    [InlineData("// %% [python]\nx();", "line 1: unknown cell marker '// %% [python]'")]
    [InlineData("// %%\nx();\n// %% [cell: A]\nclass A {}", "line 3: [cell: A] has no [insert: A]")]
    [InlineData("// %% [insert: A]\nx();\n// %% [cell: A]\nclass A {}", "line 1: [insert: A] may only hold comments")]
    [InlineData("// %% [insert: B]\n// %%\nx();", "line 1: [insert: B] but no [cell: B]")]
    [InlineData("// %% [markdown]\n# not a comment", "line 2: a markdown cell holds only '// ' comment lines")]
    [InlineData("// %%\n#:include other.cs", "line 2: '#:include other.cs' has no notebook equivalent")]
    public void TheConverterNamesTheLineOfAGrammarError(string app, string message)
    {
        NotebookFormatException e = Assert.Throws<NotebookFormatException>(() => SampleNotebookConverter.Convert(app, "1.0.0", "app.cs"));
        Assert.Contains("app.cs: " + message, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Names() => Samples.Names;
}
