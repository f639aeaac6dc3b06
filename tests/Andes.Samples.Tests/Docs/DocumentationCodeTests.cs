using Andes.Samples.Tests.Docs;

namespace Andes.Samples.Tests;

/// <summary>
/// Every C# block of the documentation compiles against the libraries as they are (the convention is in
/// CONTRIBUTING.md, "Code in the documentation").
/// </summary>
public sealed class DocumentationCodeTests
{
    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryCSharpBlockCompiles(string document)
    {
        string markdown = File.ReadAllText(Path.Combine(SampleProcess.RepositoryRoot, document));
        IReadOnlyList<MarkdownCodeBlock> blocks = MarkdownCodeBlock.Extract(document, markdown);
        var failures = new List<string>();
        foreach (MarkdownCodeBlock block in blocks.Where(b => b.SkipReason is null))
        {
            IReadOnlyList<string> errors = CodeBlockCompiler.Compile(block);
            if (errors.Count > 0)
            {
                failures.Add($"{document}: the block at line {block.FenceLine} does not compile:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void TheDocumentsWithCodeAreFound()
    {
        string[] documents = [.. DocumentPaths()];
        Assert.Contains("README.md", documents);
        Assert.Contains("CONTRIBUTING.md", documents);
        Assert.Contains("samples/README.md", documents);
        Assert.Contains("docs/semantic-kernel.md", documents);
        Assert.Contains("src/Andes.GenAI/README.md", documents);
        Assert.Contains("src/Andes.SemanticKernel/README.md", documents);
    }

    [Theory]
    [InlineData("<!-- compile: string folder -->\n\n```csharp\nConsole.WriteLine(folder);\n```", 3, "string folder", null)]
    [InlineData("<!-- compile: skip (a fragment (of the class above)) -->\n```cs\nvoid M() { }\n```", 2, null, "a fragment (of the class above)")]
    [InlineData("    ```c#\n    int x = 1;\n    ```", 1, null, null)]
    public void MarkersAttachToTheBlockAfterThem(string markdown, int fenceLine, string? declarations, string? skip)
    {
        MarkdownCodeBlock block = Assert.Single(MarkdownCodeBlock.Extract("doc.md", markdown));
        Assert.Equal((fenceLine, declarations, skip), (block.FenceLine, block.Declarations, block.SkipReason));
        Assert.DoesNotContain("```", block.Code, StringComparison.Ordinal);
        Assert.False(block.Code.StartsWith(' '));
    }

    [Theory]
    [InlineData("<!-- compile: string folder -->\nText.\n```csharp\nx();\n```", "doc.md:1: a '<!-- compile: ... -->' marker must stand right before")]
    [InlineData("<!-- compile: string folder -->\n```bash\nls\n```", "doc.md:1: a '<!-- compile: ... -->' marker stands before a 'bash' block")]
    [InlineData("<!-- compile: skip -->\n```csharp\nx();\n```", "doc.md:1: write a skipped block's reason in parentheses")]
    [InlineData("<!-- compile: -->\n```csharp\nx();\n```", "doc.md:1: the marker declares nothing")]
    [InlineData("Text.\n<!-- compile: string folder -->", "doc.md:2: a '<!-- compile: ... -->' marker must stand right before")]
    [InlineData("```csharp\nx();\n", "doc.md:1: the code block is never closed")]
    [InlineData("<!-- compile: string folder\n```csharp\nx();\n```", "doc.md:1: a compile marker is one whole line")]
    public void AMisplacedOrMalformedMarkerIsAnError(string markdown, string message)
    {
        FormatException e = Assert.Throws<FormatException>(() => MarkdownCodeBlock.Extract("doc.md", markdown));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorsNameTheDocumentLineAndDeclarationsAreSeen()
    {
        MarkdownCodeBlock block = Assert.Single(MarkdownCodeBlock.Extract("doc.md", "Text.\n\n<!-- compile: IServiceCollection services -->\n```csharp\nConsole.WriteLine(services.Count);\nConsole.WriteLine(missing);\n```"));
        Assert.Equal(["doc.md(6,19): error CS0103: The name 'missing' does not exist in the current context"], CodeBlockCompiler.Compile(block));

        // The block gets no usings but its own: the marker's namespaces are the declarations' only.
        MarkdownCodeBlock noUsing = Assert.Single(MarkdownCodeBlock.Extract("doc.md", "<!-- compile: IServiceCollection services -->\n```csharp\nIServiceCollection other = services;\n```"));
        Assert.Contains(CodeBlockCompiler.Compile(noUsing), e => e.StartsWith("doc.md(3,1): error CS0246: The type or namespace name 'IServiceCollection'", StringComparison.Ordinal));

        MarkdownCodeBlock badMarker = Assert.Single(MarkdownCodeBlock.Extract("doc.md", "<!-- compile: NoSuchType value -->\n```csharp\nSystem.Console.WriteLine(value);\n```"));
        Assert.Contains(CodeBlockCompiler.Compile(badMarker), e => e.StartsWith("doc.md(1,", StringComparison.Ordinal) && e.Contains("CS0246", StringComparison.Ordinal));
    }

    /// <summary>Every markdown document of the repository: at the root and one folder down in docs, samples, bench, src/* and tools/*.</summary>
    public static TheoryData<string> Documents() => new(DocumentPaths());

    private static IEnumerable<string> DocumentPaths()
    {
        string root = SampleProcess.RepositoryRoot;
        IEnumerable<string> folders = new[] { root, Path.Combine(root, "docs"), Path.Combine(root, "samples"), Path.Combine(root, "bench") }
            .Concat(Directory.EnumerateDirectories(Path.Combine(root, "src")))
            .Concat(Directory.EnumerateDirectories(Path.Combine(root, "tools")))
            .Where(Directory.Exists);
        return folders
            .SelectMany(f => Directory.EnumerateFiles(f, "*.md"))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
    }
}
