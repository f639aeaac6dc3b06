using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Andes.SemanticKernel.Tests;

/// <summary>
/// One file that imports every public namespace of every Andes package and uses the conventions they share compiles
/// without ambiguity (CS0104 for a type, CS0121 for an extension method): each convention has one home.
/// </summary>
public sealed class PackagesImportTogetherTests
{
    private static readonly string[] Packages = ["Andes.Abstractions", "Andes.GenAI", "Andes.ModelBuilder", "Andes.SemanticKernel", "Andes.Agents.Gui"];

    [Fact]
    public void NoPackageOpensItsInternalsToAnotherShippingAssembly()
    {
        string[] shipping = [.. Packages, "andes"];
        foreach (Assembly assembly in Packages.Select(Assembly.Load))
        {
            foreach (InternalsVisibleToAttribute friend in assembly.GetCustomAttributes<InternalsVisibleToAttribute>())
            {
                string name = friend.AssemblyName.Split(',')[0];
                Assert.DoesNotContain(name, shipping);
                // Test projects and the micro-benchmarks only: neither is packed.
                Assert.True(name.EndsWith(".Tests", StringComparison.Ordinal) || name is "Andes.Testing" or "Andes.Benchmarks", $"{assembly.GetName().Name} opens its internals to {name}");
            }
        }
    }

    [Fact]
    public void AFileImportingEveryPublicNamespaceCompiles()
    {
        Assembly[] assemblies = [.. Packages.Select(Assembly.Load)];
        string[] namespaces = [.. assemblies.SelectMany(a => a.GetExportedTypes()).Select(t => t.Namespace!).Distinct().Order(StringComparer.Ordinal)];
        // One public namespace per package; the extensions sit in the namespaces of what they extend.
        Assert.Equal(["Andes", "Andes.Agents.Gui", "Andes.GenAI", "Andes.ModelBuilder", "Andes.SemanticKernel", "Microsoft.Extensions.DependencyInjection", "Microsoft.SemanticKernel"], namespaces);
        string source = string.Join('\n', namespaces.Select(n => $"using {n};")) + """

            using Microsoft.Extensions.AI;

            internal static class UsesTheSharedConventions
            {
                internal static object[] Use()
                {
                    ChatOptions options = new ChatOptions().WithSkill("ocr").WithAdapter("ocr").WithImageMaxSize(1792);
                    ImageSizingRule rule = ImageSizingRule.AndesVL;
                    ImageGeometry geometry = ImageGeometry.Compute(1920, 1080, new ImageSizingOptions { Rule = rule, MaxSize = 1792 });
                    DataContent raw = RawPixelContent.Create(new byte[12], 2, 2, ImagePixelFormat.Rgb24);
                    return [options.GetSkill()!, options.GetAdapter()!, options.GetImageMaxSize()!, geometry.TokenCount, raw, AndesChatOptionKeys.Skill];
                }
            }
            """;

        string[] trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        MetadataReference[] references =
        [
            .. trusted.Select(p => MetadataReference.CreateFromFile(p)),
            .. AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0 && !trusted.Contains(a.Location)).Select(a => MetadataReference.CreateFromFile(a.Location)),
        ];
        CSharpCompilation compilation = CSharpCompilation.Create(
            "ImportsEveryPackage",
            [CSharpSyntaxTree.ParseText(source)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Diagnostic[] errors = [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, string.Join('\n', errors.Select(e => e.ToString())));
    }
}
