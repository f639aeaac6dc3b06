using Andes.Cli.Commands;
using Andes.Testing;
using Andes.Testing.Hub;

namespace Andes.Cli.Tests.Commands;

/// <summary>
/// <c>andes download</c>, <c>andes pull</c> and <c>--model NAME</c>, end to end: the built tool as a child process,
/// against <see cref="FakeHubServer"/> on 127.0.0.1 (HF_ENDPOINT), with ANDES_HOME in a temporary folder.
/// </summary>
public sealed class DownloadCommandTests
{
    private const string Repo = "OPPOer/AndesVL-Tiny-Instruct";

    private static Dictionary<string, string?> Environment(FakeHubServer server, string home, string? token = null) => new()
    {
        ["HF_ENDPOINT"] = server.Endpoint,
        ["HF_TOKEN"] = token,
        ["ANDES_HOME"] = home,
    };

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertIdentical(FakeHubServer server, string directory)
    {
        foreach ((string path, byte[] content) in server.Files)
        {
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(directory, path))), $"{path} differs");
        }

        Assert.Equal(server.Files.Count, Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void DownloadPutsTheRepositoryInTheCheckpointsFolderWithPlainProgressLines()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();

        var (code, output, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "download", Repo);

        Assert.True(code == 0, error);
        string checkpoint = Path.Combine(home.Path, "checkpoints", "AndesVL-Tiny-Instruct");
        AssertIdentical(server, checkpoint);
        string[] lines = Lines(output);
        // Redirected output: one line per file, no live bar (no carriage returns or cursor codes).
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain('\u001b', output);
        (string lastPath, byte[] lastFile) = server.Files.Last(); // files go in the listing's order
        Assert.Contains($"[{server.Files.Count}/{server.Files.Count}] {lastPath} {HubDownloadView.Bytes(lastFile.Length)}", lines);
        string total = HubDownloadView.Bytes(server.Files.Values.Sum(f => (long)f.Length));
        Assert.Contains(lines, l => l.StartsWith($"done: {server.Files.Count} files, {total} (received {total} in ", StringComparison.Ordinal));
        Assert.Contains("commit " + FakeHubServer.DefaultCommit, lines);
        Assert.Contains($"convert it with: andes convert --checkpoint {checkpoint} --output OUT", lines);
        Assert.Equal($"or download and convert in one step: andes pull {Repo}", lines[^1]);

        // Again: everything is already there.
        (code, output, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "download", Repo);
        Assert.True(code == 0, error);
        Assert.Contains($", {server.Files.Count} already complete (received 0 B in ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void DownloadTakesAnOutputFolderAndARevisionAndRetriesADroppedConnection()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        server.Revisions.Add("refs/pr/1");
        string shard = server.Files.Keys.First(FakeHubServer.IsLfs);
        server.DropConnection(shard, at: 4_000_000);
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(home.Path, "somewhere else");

        var (code, stdout, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "download", Repo, "--revision", "refs/pr/1", "--output", output);

        Assert.True(code == 0, error);
        AssertIdentical(server, output);
        Assert.Contains(server.Requests, r => r.RawUrl.Contains("/revision/refs%2Fpr%2F1", StringComparison.Ordinal));
        Assert.Contains(Lines(stdout), l => l.Contains($"{shard}: ", StringComparison.Ordinal) && l.EndsWith("; retrying from 3.8 MiB", StringComparison.Ordinal));
        Assert.Contains(server.Requests, r => r.Cdn && r.Range == "bytes=4000000-");
        Assert.False(Directory.Exists(Path.Combine(home.Path, "checkpoints")));
    }

    [Fact]
    public void A401WithoutATokenTellsTheUserToSetHfToken()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository) { RequiredToken = "hf_cli_secret" };
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();

        var (code, _, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "download", Repo);

        Assert.Equal(1, code);
        string line = Assert.Single(Lines(error));
        Assert.StartsWith($"error: The hub refused repository '{Repo}' at revision 'main' without a token (401", line, StringComparison.Ordinal);
        Assert.Contains("set HF_TOKEN (a read token from https://huggingface.co/settings/tokens) — the repository may be gated or private", line, StringComparison.Ordinal);
    }

    [Fact]
    public void HfTokenIsSentAsABearerTokenToTheHubOnly()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository) { RequiredToken = "hf_cli_secret" };
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();

        var (code, output, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path, token: "hf_cli_secret"), "download", Repo);

        Assert.True(code == 0, error);
        Assert.DoesNotContain("hf_cli_secret", output + error, StringComparison.Ordinal);
        Assert.All(server.Requests.Where(r => !r.Cdn), r => Assert.Equal("Bearer hf_cli_secret", r.Authorization));
        Assert.All(server.Requests.Where(r => r.Cdn), r => Assert.Null(r.Authorization));

        (code, _, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path, token: "hf_wrong"), "download", Repo);
        Assert.Equal(1, code);
        Assert.Contains("error: The hub rejected the token (HF_TOKEN)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A404NamesTheRepositoryAndTheRevision()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();

        var (code, _, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "download", "OPPOer/AndesVL-2B-Instruct", "--revision", "v2");

        Assert.Equal(1, code);
        Assert.StartsWith("error: Repository 'OPPOer/AndesVL-2B-Instruct' or revision 'v2' not found at http://127.0.0.1:", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidRepositoryIdIsAUsageError()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();

        var (code, _, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "download", "AndesVL-1B-Instruct");

        Assert.Equal(2, code);
        Assert.StartsWith("error: 'AndesVL-1B-Instruct' is not a Hugging Face repository id: expected owner/name", Assert.Single(Lines(error)), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void PullDownloadsConvertsAndTheModelRunsByName()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();
        Dictionary<string, string?> environment = Environment(server, home.Path);

        var (code, output, error) = CliRunner.RunWithEnvironment(environment, "pull", Repo);

        Assert.True(code == 0, error);
        AssertIdentical(server, Path.Combine(home.Path, "checkpoints", "AndesVL-Tiny-Instruct"));
        string model = Path.Combine(home.Path, "models", "andesvl-tiny-instruct-int4");
        Assert.True(File.Exists(Path.Combine(model, "genai_config.json")));
        Assert.True(File.Exists(Path.Combine(model, "andes_manifest.json")));
        Assert.Equal("chat with it: andes chat --model andesvl-tiny-instruct-int4", Lines(output)[^1]);

        (code, output, error) = CliRunner.RunWithEnvironment(environment, "generate", "--model", "andesvl-tiny-instruct-int4", "--prompt", "hi", "--max-tokens", "4");
        Assert.True(code == 0, error);
        Assert.False(string.IsNullOrWhiteSpace(output));

        (code, output, error) = CliRunner.RunWithEnvironment(environment, "tokenize", "--model", "andesvl-tiny-instruct-int4", "hello");
        Assert.True(code == 0, error);
        Assert.Matches("^[0-9]+(,[0-9]+)*$", output.Trim());

        // Pulling again checks the download and leaves the converted model as it is.
        (code, output, error) = CliRunner.RunWithEnvironment(environment, "pull", Repo);
        Assert.True(code == 0, error);
        Assert.Contains($"model 'andesvl-tiny-instruct-int4' is already converted in {model} (--force converts it again)", output, StringComparison.Ordinal);
        Assert.Contains($"{server.Files.Count} already complete (received 0 B in ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void PullTakesAName()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();

        var (code, output, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "pull", Repo, "--name", "tiny-test");

        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(home.Path, "models", "tiny-test", "genai_config.json")));
        Assert.Equal("chat with it: andes chat --model tiny-test", Lines(output)[^1]);

        (code, _, error) = CliRunner.RunWithEnvironment(Environment(server, home.Path), "pull", Repo, "--name", "../escape");
        Assert.Equal(2, code);
        Assert.Contains("error: --name '../escape' is not a folder name", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckpointFolderGivenAsAModelSaysToConvertIt()
    {
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();
        var (code, _, error) = CliRunner.RunWithEnvironment(new Dictionary<string, string?> { ["ANDES_HOME"] = home.Path },
            "generate", "--model", TestModels.TinyCheckpoint, "--prompt", "hi", "--max-tokens", "4");

        Assert.Equal(2, code);
        string line = Assert.Single(Lines(error));
        Assert.Equal(
            $"error: '{TestModels.TinyCheckpoint}' is a Hugging Face checkpoint (config.json and safetensors), not a model folder: convert it with " +
            $"andes convert --checkpoint {TestModels.TinyCheckpoint} --output OUT (or download and convert in one step with andes pull OWNER/NAME).",
            line);

        // The same for a checkpoint found by name under $ANDES_HOME/models.
        string named = Path.Combine(home.Path, "models", "raw-checkpoint");
        Directory.CreateDirectory(named);
        foreach (string file in Directory.GetFiles(TestModels.TinyCheckpoint))
        {
            File.Copy(file, Path.Combine(named, Path.GetFileName(file)));
        }

        (code, _, error) = CliRunner.RunWithEnvironment(new Dictionary<string, string?> { ["ANDES_HOME"] = home.Path }, "chat", "--model", "raw-checkpoint");
        Assert.Equal(2, code);
        Assert.Contains($"'{named}' is a Hugging Face checkpoint", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownModelNameSaysWhereItWasLookedFor()
    {
        using TemporaryDirectory home = TestModels.CreateTemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(home.Path, "models", "b-model"));
        Directory.CreateDirectory(Path.Combine(home.Path, "models", "a-model"));
        var environment = new Dictionary<string, string?> { ["ANDES_HOME"] = home.Path };

        var (code, _, error) = CliRunner.RunWithEnvironment(environment, "generate", "--model", "nosuch", "--prompt", "hi");

        Assert.Equal(2, code);
        Assert.Equal(
            $"error: no model folder 'nosuch' (not a folder, and not in $ANDES_HOME/models: {Path.Combine(home.Path, "models")}); models there: a-model, b-model",
            Assert.Single(Lines(error)));

        (code, _, error) = CliRunner.RunWithEnvironment(environment, "tokenize", "--model", Repo, "hello");
        Assert.Equal(2, code);
        Assert.EndsWith($"; to download and convert that hub repository: andes pull {Repo}", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }
}
