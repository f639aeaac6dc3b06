using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Andes.Packaging.Tests;

/// <summary>
/// PACKAGING TESTS (slow: they run dotnet pack, restore, build and tool install as child processes; about a minute).
/// The packages of this build go into a local feed (<see cref="LocalFeedFixture"/>); a fresh console project installs
/// Andes.GenAI from it and chats with the tiny test model through <c>IChatClient</c>, and the <c>andes</c> tool is
/// installed from it and run. Both must give what the in-repo code gives. Skip with <c>--filter Category!=Packaging</c>.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackageInstallTests(LocalFeedFixture feed, ITestOutputHelper output) : IClassFixture<LocalFeedFixture>
{
    private const string Prompt = "What is AndesVL?";
    private const int MaxOutputTokens = 12;

    [Fact]
    public void EveryPackageHasReadmeLicenseRepositoryDocsAndSymbols()
    {
        output.WriteLine($"{feed.Pack.Elapsed.TotalSeconds,6:0.0} s  {feed.Pack.Command}");
        foreach (string id in LocalFeedFixture.PackageIds)
        {
            string nupkg = Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{nupkg} was not made. {feed.Pack}");
            Assert.True(File.Exists(Path.ChangeExtension(nupkg, ".snupkg")), $"{id} has no symbol package.");

            using ZipArchive zip = ZipFile.OpenRead(nupkg);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            XElement metadata = ReadNuspecMetadata(zip, id);
            XNamespace ns = metadata.Name.Namespace;

            Assert.Equal(feed.Version, metadata.Element(ns + "version")?.Value);
            Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
            Assert.Equal("expression", metadata.Element(ns + "license")?.Attribute("type")?.Value);
            Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
            Assert.Contains("README.md", entries);
            Assert.StartsWith($"# {id}", ReadEntry(zip, "README.md"), StringComparison.Ordinal);
            Assert.Equal("git", metadata.Element(ns + "repository")?.Attribute("type")?.Value);
            Assert.StartsWith("https://", metadata.Element(ns + "repository")?.Attribute("url")?.Value, StringComparison.Ordinal);
            Assert.Equal("Andes contributors", metadata.Element(ns + "authors")?.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));

            if (id == "Andes.Cli")
            {
                Assert.Equal("DotnetTool", metadata.Element(ns + "packageTypes")?.Element(ns + "packageType")?.Attribute("name")?.Value);
                Assert.Contains("tools/net10.0/any/andes.dll", entries);
                Assert.Contains("<Command Name=\"andes\" EntryPoint=\"andes.dll\"", ReadEntry(zip, "tools/net10.0/any/DotnetToolSettings.xml"), StringComparison.Ordinal);
                Assert.Contains("tools/net10.0/any/runtimes/win-arm64/native/onnxruntime.dll", entries);
                Assert.Contains("tools/net10.0/any/runtimes/win-x64/native/onnxruntime.dll", entries);
                Assert.Contains("tools/net10.0/any/runtimes/linux-x64/native/libonnxruntime.so", entries);
                Assert.DoesNotContain(entries, e => e.Contains("/runtimes/android/", StringComparison.Ordinal) || e.Contains("/runtimes/ios/", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains($"lib/net10.0/{id}.dll", entries);
                Assert.Contains($"lib/net10.0/{id}.xml", entries);
            }

            if (id == "Andes.Agents.Gui")
            {
                // The font ImageDrawing embeds: its licence asks for the notice to go with every copy.
                Assert.Contains("Bitstream Vera", ReadEntry(zip, "DejaVuSansMono.LICENSE.txt"), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void AndesPackagesDependOnExactlyTheirOwnVersionOfEachOther()
    {
        foreach (string id in new[] { "Andes.ModelBuilder", "Andes.SemanticKernel" })
        {
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
            XElement metadata = ReadNuspecMetadata(zip, id);
            XElement genai = metadata.Descendants(metadata.Name.Namespace + "dependency").Single(d => (string?)d.Attribute("id") == "Andes.GenAI");
            Assert.Equal($"[{feed.Version}]", (string?)genai.Attribute("version"));
        }

        // The Semantic Kernel plugin of the GUI agent wraps Andes.Agents.Gui's tools; the GUI package needs neither the
        // engine nor Semantic Kernel.
        using (ZipArchive sk = ZipFile.OpenRead(Path.Combine(feed.Feed, $"Andes.SemanticKernel.{feed.Version}.nupkg")))
        {
            XElement metadata = ReadNuspecMetadata(sk, "Andes.SemanticKernel");
            XElement gui = metadata.Descendants(metadata.Name.Namespace + "dependency").Single(d => (string?)d.Attribute("id") == "Andes.Agents.Gui");
            Assert.Equal($"[{feed.Version}]", (string?)gui.Attribute("version"));
        }

        using (ZipArchive guiPackage = ZipFile.OpenRead(Path.Combine(feed.Feed, $"Andes.Agents.Gui.{feed.Version}.nupkg")))
        {
            XElement metadata = ReadNuspecMetadata(guiPackage, "Andes.Agents.Gui");
            Assert.DoesNotContain(
                metadata.Descendants(metadata.Name.Namespace + "dependency").Select(d => (string?)d.Attribute("id") ?? ""),
                id => (id.StartsWith("Andes.", StringComparison.Ordinal) && id != "Andes.Abstractions") || id.StartsWith("Microsoft.SemanticKernel", StringComparison.Ordinal));
            XElement abstractions = metadata.Descendants(metadata.Name.Namespace + "dependency").Single(d => (string?)d.Attribute("id") == "Andes.Abstractions");
            Assert.Equal($"[{feed.Version}]", (string?)abstractions.Attribute("version"));
        }
    }

    [Fact]
    public void LibrariesAskForTheOldestMicrosoftExtensionsAILineTheyWorkWith()
    {
        // Agent Framework 1.28 asks for Microsoft.Extensions.AI 10.11 and a .NET 10 notebook kernel cannot load the 11
        // line (System.Diagnostics.DiagnosticSource 11): the packages must not force 11 on their users.
        foreach ((string id, string dependency) in new[]
        {
            ("Andes.GenAI", "Microsoft.Extensions.AI"),
            ("Andes.Abstractions", "Microsoft.Extensions.AI.Abstractions"),
            ("Andes.Agents.Gui", "Microsoft.Extensions.AI.Abstractions"),
        })
        {
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
            XElement metadata = ReadNuspecMetadata(zip, id);
            XElement meai = metadata.Descendants(metadata.Name.Namespace + "dependency").First(d => (string?)d.Attribute("id") == dependency);
            Assert.Equal("10.11.0", (string?)meai.Attribute("version"));
        }
    }

    [Fact]
    public async Task AFreshConsoleProjectChatsThroughTheGenAIPackage()
    {
        string model = TestModels.TinyInt4Model;
        string project = Path.Combine(feed.Root, "consumer");
        Directory.CreateDirectory(project);

        // Stop MSBuild's and NuGet's upward search here: nothing from a parent folder of the temp dir applies.
        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />\n");
        feed.WriteNuGetConfig(project);
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), $$"""
            using System.Text.Json;
            using Andes.GenAI;
            using Microsoft.Extensions.AI;

            using IChatClient client = new AndesChatClient(args[0]);
            ChatResponse response = await client.GetResponseAsync("{{Prompt}}", new ChatOptions { MaxOutputTokens = {{MaxOutputTokens}}, Temperature = 0f });
            Console.WriteLine("answer: " + JsonSerializer.Serialize(response.Text));
            Console.WriteLine("output tokens: " + response.Usage?.OutputTokenCount);
            """);

        Run("dotnet", project, LocalFeedFixture.CommandTimeout, "add", "package", "Andes.GenAI", "--version", feed.Version);
        Assert.Contains($"Include=\"Andes.GenAI\" Version=\"{feed.Version}\"", File.ReadAllText(Path.Combine(project, "Consumer.csproj")), StringComparison.Ordinal);

        CommandResult run = Run("dotnet", project, LocalFeedFixture.CommandTimeout, "run", "-c", "Release", "--", model);

        // The same turn in-process, on the code this test assembly was built from.
        using IChatClient client = new AndesChatClient(model);
        ChatResponse expected = await client.GetResponseAsync(Prompt, new ChatOptions { MaxOutputTokens = MaxOutputTokens, Temperature = 0f });
        Assert.False(string.IsNullOrEmpty(expected.Text));

        string[] lines = run.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Contains("answer: " + JsonSerializer.Serialize(expected.Text), lines);
        Assert.Contains("output tokens: " + expected.Usage!.OutputTokenCount, lines);
        Assert.True(expected.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public void TheAndesToolInstallsFromTheFeedAndRuns()
    {
        string model = TestModels.TinyInt4Model;
        string toolPath = Path.Combine(feed.Root, "tools");
        Run("dotnet", feed.Root, LocalFeedFixture.CommandTimeout,
            "tool", "install", "Andes.Cli", "--tool-path", toolPath, "--add-source", feed.Feed, "--version", feed.Version);
        string andes = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "andes.exe" : "andes");
        Assert.True(File.Exists(andes), $"{andes} was not installed.");

        CommandResult help = Run(andes, feed.Root, LocalFeedFixture.CommandTimeout, "--help");
        Assert.Contains("generate", help.Output, StringComparison.Ordinal);

        AndesTokenizer tokenizer = AndesTokenizer.Create(Path.Combine(model, "tokenizer.json"));
        int[] prompt = tokenizer.EncodeToIds("Hello, Andes!");
        CommandResult tokenize = Run(andes, feed.Root, LocalFeedFixture.CommandTimeout, "tokenize", "--model", model, "Hello, Andes!");
        Assert.Equal(string.Join(",", prompt), tokenize.Output.Trim());

        CommandResult generate = Run(andes, feed.Root, LocalFeedFixture.CommandTimeout,
            "generate", "--model", model, "--input-ids", string.Join(",", prompt), "--max-tokens", "8", "--greedy", "--ids");
        using AndesModel loaded = AndesModel.Load(model);
        using var generator = new Generator(loaded, new GenerationOptions { MaxNewTokens = 8 });
        generator.AppendTokens(prompt);
        var expected = new List<int>();
        while (!generator.IsDone)
        {
            expected.Add(generator.GenerateNextToken());
        }

        Assert.NotEmpty(expected);
        Assert.Equal(string.Join(",", expected), generate.Output.Trim());
    }

    private CommandResult Run(string fileName, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        CommandResult result = DotnetCommand.RunChecked(fileName, workingDirectory, timeout, args);
        output.WriteLine($"{result.Elapsed.TotalSeconds,6:0.0} s  {result.Command}");
        return result;
    }

    private static XElement ReadNuspecMetadata(ZipArchive zip, string id)
    {
        using Stream stream = zip.GetEntry($"{id}.nuspec")!.Open();
        XDocument nuspec = XDocument.Load(stream);
        return nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!;
    }

    private static string ReadEntry(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
