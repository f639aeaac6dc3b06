using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Andes.Samples.Tests.Docs;

/// <summary>
/// Compiles a documentation code block with Roslyn against the Andes libraries and their dependencies, the way
/// CONTRIBUTING.md ("Code in the documentation") describes: the block alone is a C# file of top-level statements
/// (or only type declarations) in a new console app, so with the .NET SDK's implicit usings and no others; its
/// marker's declarations become static fields of the top-level program in a second file.
/// </summary>
public static class CodeBlockCompiler
{
    /// <summary>
    /// The .NET SDK's implicit usings of a console app (<c>ImplicitUsings</c>, on in <c>dotnet new console</c> and in
    /// file-based apps): what a reader's project has without asking. Every other namespace a block shows.
    /// </summary>
    public static readonly ImmutableArray<string> ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>
    /// The namespaces the marker's declarations are compiled with (so a marker can say <c>IServiceCollection
    /// services</c>). They are usings of that second file only: the block itself sees none of them.
    /// </summary>
    public static readonly ImmutableArray<string> DeclarationNamespaces =
    [
        "System.Text.Json", "Microsoft.Extensions.AI", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Logging", "Microsoft.SemanticKernel", "Microsoft.Agents.AI",
        "Andes", "Andes.GenAI", "Andes.ModelBuilder", "Andes.SemanticKernel", "Andes.Agents.Gui", "Andes.Agents.Gui.Evaluation",
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly SyntaxTree ImplicitUsingsTree = CSharpSyntaxTree.ParseText(
        string.Concat(ImplicitUsings.Select(n => $"global using {n};\n")), ParseOptions, path: "ImplicitUsings.g.cs", encoding: Encoding.UTF8);

    // Metadata for every assembly the test host loads from: the runtime, the Andes libraries (through the notebook
    // runner's project references) and their packages, Semantic Kernel, Agent Framework and dependency injection
    // included. Read once; Roslyn shares it between compilations.
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles a block.</summary>
    /// <param name="block">The block (not a skipped one).</param>
    /// <returns>Its errors and warnings as <c>document(line,column): error CSxxxx: message</c>, with the document's
    /// own line numbers; empty when it compiles cleanly.</returns>
    public static IReadOnlyList<string> Compile(MarkdownCodeBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.SkipReason is not null)
        {
            throw new ArgumentException($"{block.Document}:{block.FenceLine} is skipped: {block.SkipReason}", nameof(block));
        }

        // #line maps every diagnostic onto the markdown file's own lines.
        SyntaxTree code = CSharpSyntaxTree.ParseText(
            $"#line {block.CodeLine} \"{block.Document}\"\n{block.Code}\n", ParseOptions, path: block.Document, encoding: Encoding.UTF8);
        var trees = new List<SyntaxTree> { code, ImplicitUsingsTree };
        SyntaxTree? declarations = null;
        if (block.Declarations is not null)
        {
            declarations = CSharpSyntaxTree.ParseText(DeclarationSource(block), ParseOptions, path: block.Document + ".declarations.cs", encoding: Encoding.UTF8);
            trees.Add(declarations);
        }

        bool statements = ((CompilationUnitSyntax)code.GetRoot()).Members.OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(
            statements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable);
        CSharpCompilation compilation = CSharpCompilation.Create("Snippet", trees, References.Value, options);

        // Warnings count like errors, as in the rest of the repository; the declarations' own warnings (fields never
        // assigned) do not, and neither do the assembly-unification notes the SDK silences (1701, 1702).
        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree != declarations && d.Id is not ("CS1701" or "CS1702")))
            .OrderBy(d => d.Location.GetMappedLineSpan().StartLinePosition)
            .Select(Describe)];
    }

    /// <summary>The second file: the marker's declarations as static fields of the top-level program.</summary>
    private static string DeclarationSource(MarkdownCodeBlock block)
    {
        var source = new StringBuilder("#pragma warning disable\n");
        foreach (string ns in DeclarationNamespaces)
        {
            source.Append("using ").Append(ns).Append(";\n");
        }

        source.Append("partial class Program\n{\n");
        source.Append(CultureInfo.InvariantCulture, $"#line {block.MarkerLine} \"{block.Document}\"\n");
        foreach (string declaration in block.Declarations!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            source.Append("    static ").Append(declaration).Append(";\n");
        }

        return source.Append("#line default\n}\n").ToString();
    }

    private static string Describe(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetMappedLineSpan();
        string where = span.IsValid ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " : string.Empty;
        string severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{where}{severity} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return [.. trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
