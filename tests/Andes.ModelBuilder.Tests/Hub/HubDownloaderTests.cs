using Andes.Testing;
using Andes.Testing.Hub;

namespace Andes.ModelBuilder.Tests.Hub;

/// <summary>
/// <see cref="HubDownloader"/> against <see cref="FakeHubServer"/>, a local server that serves the tiny checkpoint in the
/// hub's layout (listing, resolve URLs, LFS redirects to another origin, ranges): whole, skipped, resumed, refused.
/// </summary>
public sealed class HubDownloaderTests
{
    private const string Repo = "OPPOer/AndesVL-Tiny-Instruct";

    private static string FirstShard(FakeHubServer server) => server.Files.Keys.First(FakeHubServer.IsLfs);

    private static HubDownloadOptions Options(FakeHubServer server, string token = "") =>
        new() { Endpoint = server.Endpoint, Token = token, RetryDelay = TimeSpan.Zero, ReadTimeout = TimeSpan.FromSeconds(30) };

    private static void AssertIdentical(FakeHubServer server, string directory)
    {
        foreach ((string path, byte[] content) in server.Files)
        {
            string file = Path.Combine(directory, path);
            Assert.True(File.Exists(file), $"{path} was not downloaded");
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"{path} differs from the server's");
        }

        Assert.Empty(Directory.GetFiles(directory, "*" + HubDownloader.IncompleteSuffix, SearchOption.AllDirectories));
        Assert.Equal(server.Files.Count, Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task AWholeRepositoryIsDownloadedByteForByte()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();
        var reports = new List<HubDownloadProgress>();

        HubDownloadResult result = await downloader.DownloadAsync(
            Repo, output.Path, Options(server), new SynchronousProgress<HubDownloadProgress>(reports.Add));

        AssertIdentical(server, output.Path);
        long total = server.Files.Values.Sum(f => (long)f.Length);
        Assert.Equal(server.Files.Count, result.FilesDownloaded);
        Assert.Equal(0, result.FilesSkipped);
        Assert.Equal(total, result.BytesReceived);
        Assert.Equal(FakeHubServer.DefaultCommit, result.Repository.Commit);
        Assert.True(server.Files.Keys.Count(FakeHubServer.IsLfs) >= 2, "the fixture should have several shards");
        Assert.All(result.Repository.Files, f => Assert.Equal(FakeHubServer.IsLfs(f.Path), f.IsLfs));

        // Listed with blobs, fetched at the listed commit (not the branch), LFS files through the CDN, paths encoded.
        IReadOnlyList<FakeHubRequest> requests = server.Requests;
        Assert.Contains(requests, r => r.RawUrl == $"/api/models/{Repo}/revision/main?blobs=true");
        Assert.All(requests.Where(r => !r.Cdn && r.RawUrl.Contains("/resolve/", StringComparison.Ordinal)),
            r => Assert.StartsWith($"/{Repo}/resolve/{FakeHubServer.DefaultCommit}/", r.RawUrl, StringComparison.Ordinal));
        Assert.Contains(requests, r => r.RawUrl == $"/{Repo}/resolve/{FakeHubServer.DefaultCommit}/docs/read%20me%2Bnotes.md");
        Assert.Equal(server.Files.Keys.Count(FakeHubServer.IsLfs), requests.Count(r => r.Cdn));

        HubDownloadProgress last = reports[^1];
        Assert.Equal(HubDownloadStage.FileCompleted, last.Stage);
        Assert.Equal(total, last.BytesDone);
        Assert.Equal(total, last.BytesTotal);
        Assert.Equal(server.Files.Count, last.FilesDone);
        Assert.Equal(HubDownloadStage.Listing, reports[0].Stage);
    }

    [Fact]
    public async Task CompleteFilesAreSkippedAndADamagedOneIsDownloadedAgain()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();
        await downloader.DownloadAsync(Repo, output.Path, Options(server));
        int before = server.Requests.Count;

        HubDownloadResult again = await downloader.DownloadAsync(Repo, output.Path, Options(server));
        Assert.Equal(server.Files.Count, again.FilesSkipped);
        Assert.Equal(0, again.BytesReceived);
        Assert.Single(server.Requests.Skip(before)); // the listing only

        // Same size, one byte changed: only the hash can tell, and only that file is fetched again.
        string shard = FirstShard(server);
        string file = Path.Combine(output.Path, shard);
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);
        HubDownloadResult repaired = await downloader.DownloadAsync(Repo, output.Path, Options(server));
        Assert.Equal(1, repaired.FilesDownloaded);
        Assert.Equal(server.Files[shard].Length, repaired.BytesReceived);
        AssertIdentical(server, output.Path);
    }

    [Fact]
    public async Task ADroppedConnectionIsResumedWithARangeRequest()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        string shard = FirstShard(server);
        server.DropConnection(shard, at: 3_000_000);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();
        var retries = new List<HubDownloadProgress>();

        await downloader.DownloadAsync(Repo, output.Path, Options(server), new SynchronousProgress<HubDownloadProgress>(p =>
        {
            if (p.Stage == HubDownloadStage.Retrying)
            {
                retries.Add(p);
            }
        }));

        AssertIdentical(server, output.Path);
        HubDownloadProgress retry = Assert.Single(retries);
        Assert.Equal(shard, retry.FilePath);
        FakeHubRequest resumed = Assert.Single(server.Requests, r => r.Cdn && r.Range is not null);
        Assert.Equal($"bytes={retry.FileBytesDone}-", resumed.Range);
        Assert.InRange(retry.FileBytesDone, 1, 3_000_000);
    }

    [Fact]
    public async Task AnInterruptedDownloadIsResumedByTheNextRun()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        string shard = FirstShard(server);
        server.DropConnection(shard, at: 2_500_000);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();
        HubDownloadOptions noRetry = Options(server);
        noRetry.MaxRetries = 0;

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, noRetry));
        Assert.Equal(HubDownloadFailure.Interrupted, failure.Failure);
        Assert.Equal(shard, failure.FilePath);
        Assert.Contains("run the download again to resume", failure.Message, StringComparison.Ordinal);
        string partial = Path.Combine(output.Path, shard) + HubDownloader.IncompleteSuffix;
        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, 2_500_000);
        Assert.False(File.Exists(Path.Combine(output.Path, shard)));
        Assert.True(server.Files[shard].AsSpan(0, (int)kept).SequenceEqual(File.ReadAllBytes(partial)));

        int before = server.Requests.Count;
        HubDownloadResult result = await downloader.DownloadAsync(Repo, output.Path, Options(server));
        AssertIdentical(server, output.Path);
        // The range goes with every hop: the hub's resolve URL and the CDN it redirects to.
        FakeHubRequest resumed = Assert.Single(server.Requests.Skip(before), r => r.Cdn && r.Range is not null);
        Assert.Equal($"bytes={kept}-", resumed.Range);
        Assert.Single(server.Requests.Skip(before), r => !r.Cdn && r.Range == $"bytes={kept}-");
        long total = server.Files.Values.Sum(f => (long)f.Length);
        Assert.True(result.BytesReceived < total, "the resumed run should not fetch the kept bytes again");
    }

    [Fact]
    public async Task AServerThatIgnoresTheRangeMakesTheFileStartOver()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository) { IgnoreRanges = true };
        string shard = FirstShard(server);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output.Path, shard))!);
        File.WriteAllBytes(Path.Combine(output.Path, shard) + HubDownloader.IncompleteSuffix, server.Files[shard].AsSpan(0, 1_000_000).ToArray());
        using var downloader = new HubDownloader();

        await downloader.DownloadAsync(Repo, output.Path, Options(server));

        AssertIdentical(server, output.Path);
        Assert.Contains(server.Requests, r => r.Range == "bytes=1000000-");
    }

    [Fact]
    public async Task AWholePartialFileIsFinishedByA416AndALongerOneStartsOver()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        string[] shards = [.. server.Files.Keys.Where(FakeHubServer.IsLfs)];
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        // A run stopped between the last byte and the rename: the partial file is whole.
        File.WriteAllBytes(Path.Combine(output.Path, shards[0]) + HubDownloader.IncompleteSuffix, server.Files[shards[0]]);
        // A partial file longer than the listed size (from another commit): it cannot be resumed.
        File.WriteAllBytes(Path.Combine(output.Path, shards[1]) + HubDownloader.IncompleteSuffix, [.. server.Files[shards[1]], 1, 2, 3]);
        using var downloader = new HubDownloader();

        HubDownloadResult result = await downloader.DownloadAsync(Repo, output.Path, Options(server));

        AssertIdentical(server, output.Path);
        int whole = server.Files[shards[0]].Length;
        Assert.Contains(server.Requests, r => r.Cdn && r.Range == $"bytes={whole}-");
        Assert.DoesNotContain(server.Requests, r => r.RawUrl.EndsWith(shards[1], StringComparison.Ordinal) && r.Range is not null);
        Assert.Equal(server.Files.Values.Sum(f => (long)f.Length) - whole, result.BytesReceived);
    }

    [Fact]
    public async Task ACorruptPartialFileFailsItsHashAndIsDiscarded()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        string shard = FirstShard(server);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        string partial = Path.Combine(output.Path, shard) + HubDownloader.IncompleteSuffix;
        File.WriteAllBytes(partial, new byte[1000]);
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, Options(server)));
        Assert.Equal(HubDownloadFailure.HashMismatch, failure.Failure);
        Assert.False(File.Exists(partial));

        await downloader.DownloadAsync(Repo, output.Path, Options(server));
        AssertIdentical(server, output.Path);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-7)]
    public async Task AFileWhoseSizeIsNotTheListedOneIsRefused(int lie)
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        string shard = FirstShard(server);
        long real = server.Files[shard].Length;
        server.ListedSizes[shard] = real + lie;
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, Options(server)));

        Assert.Equal(HubDownloadFailure.SizeMismatch, failure.Failure);
        Assert.Equal(shard, failure.FilePath);
        Assert.Contains($"'{shard}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{real + lie:N0} bytes", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{real:N0}", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, shard)));
        Assert.False(File.Exists(Path.Combine(output.Path, shard) + HubDownloader.IncompleteSuffix));
    }

    [Fact]
    public async Task AGitFileWhoseSizeIsNotTheListedOneIsRefused()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        server.ListedSizes["config.json"] = server.Files["config.json"].Length + 1;
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, Options(server)));

        Assert.Equal(HubDownloadFailure.SizeMismatch, failure.Failure);
        Assert.Contains("'config.json'", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, "config.json")));
    }

    [Fact]
    public async Task AFileWhoseSha256IsNotTheListedOneIsRefused()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        string shard = FirstShard(server);
        string wrong = new('a', 64);
        server.ListedSha256[shard] = wrong;
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, Options(server)));

        Assert.Equal(HubDownloadFailure.HashMismatch, failure.Failure);
        Assert.Equal(shard, failure.FilePath);
        Assert.Contains($"'{shard}'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(wrong, failure.Message, StringComparison.Ordinal);
        Assert.Contains(server.Sha256Of(shard), failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, shard)));
        Assert.False(File.Exists(Path.Combine(output.Path, shard) + HubDownloader.IncompleteSuffix));
    }

    [Fact]
    public async Task A401WithoutATokenSaysToSetHfToken()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository) { RequiredToken = "hf_test_secret" };
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, Options(server)));

        Assert.Equal(HubDownloadFailure.AuthenticationRequired, failure.Failure);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Contains("set HF_TOKEN (a read token from https://huggingface.co/settings/tokens)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("gated or private", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Repo, failure.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public async Task ARejectedTokenIsSaidToBeRejected()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository) { RequiredToken = "hf_test_secret" };
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, Options(server, token: "hf_wrong")));

        Assert.Equal(HubDownloadFailure.TokenRejected, failure.Failure);
        Assert.Contains("rejected the token", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hf_wrong", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTokenGoesAsBearerToTheHubButNotToTheCdn()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository) { RequiredToken = "hf_test_secret" };
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        await downloader.DownloadAsync(Repo, output.Path, Options(server, token: "hf_test_secret"));

        AssertIdentical(server, output.Path);
        Assert.All(server.Requests.Where(r => !r.Cdn), r => Assert.Equal("Bearer hf_test_secret", r.Authorization));
        Assert.Contains(server.Requests, r => r.Cdn);
        Assert.All(server.Requests.Where(r => r.Cdn), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task A404NamesTheRepositoryAndTheRevision()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        using TemporaryDirectory output = TestModels.CreateTemporaryDirectory();
        using var downloader = new HubDownloader();

        var noRepo = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync("OPPOer/AndesVL-99B-Instruct", output.Path, Options(server)));
        Assert.Equal(HubDownloadFailure.NotFound, noRepo.Failure);
        Assert.Contains("Repository 'OPPOer/AndesVL-99B-Instruct' or revision 'main' not found", noRepo.Message, StringComparison.Ordinal);

        HubDownloadOptions options = Options(server);
        options.Revision = "v9";
        var noRevision = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output.Path, options));
        Assert.Equal(HubDownloadFailure.NotFound, noRevision.Failure);
        Assert.Contains($"Revision 'v9' not found in repository '{Repo}'", noRevision.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));
    }

    [Fact]
    public async Task ARevisionWithASlashIsOneEncodedPathSegment()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        server.Revisions.Add("refs/pr/1");
        using var downloader = new HubDownloader();
        HubDownloadOptions options = Options(server);
        options.Revision = "refs/pr/1";

        HubRepositoryInfo info = await downloader.ListFilesAsync(Repo, options);

        Assert.Equal("refs/pr/1", info.Revision);
        Assert.Equal(server.Files.Count, info.Files.Count);
        Assert.Contains(server.Requests, r => r.RawUrl == $"/api/models/{Repo}/revision/refs%2Fpr%2F1?blobs=true");
    }

    [Fact]
    public async Task AListedPathOutsideTheFolderIsRefusedBeforeAnythingIsWritten()
    {
        using var server = new FakeHubServer(Repo, TestModels.TinyHubRepository);
        server.ExtraListedPaths.Add("../outside.txt");
        using TemporaryDirectory parent = TestModels.CreateTemporaryDirectory();
        string output = Path.Combine(parent.Path, "checkpoint");
        using var downloader = new HubDownloader();

        var failure = await Assert.ThrowsAsync<HubDownloadException>(() =>
            downloader.DownloadAsync(Repo, output, Options(server)));

        Assert.Equal(HubDownloadFailure.InvalidListing, failure.Failure);
        Assert.Contains("'../outside.txt'", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("AndesVL-1B-Instruct")]
    [InlineData("OPPOer/AndesVL-1B-Instruct/main")]
    [InlineData("-OPPOer/AndesVL-1B-Instruct")]
    [InlineData("OPPOer/AndesVL--1B")]
    [InlineData("OPPOer/..")]
    [InlineData("OPPOer/AndesVL.git")]
    [InlineData("OPPOer/Andes VL")]
    [InlineData("https://huggingface.co/OPPOer/AndesVL-1B-Instruct")]
    [InlineData("")]
    public async Task AnInvalidRepositoryIdIsAnArgumentException(string repoId)
    {
        Assert.False(HubDownloader.IsValidRepoId(repoId));
        using var downloader = new HubDownloader();
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            downloader.ListFilesAsync(repoId, new HubDownloadOptions { Endpoint = "http://127.0.0.1:9" }));
        Assert.Contains("owner/name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPPOer/AndesVL-0_6B-Instruct", "AndesVL-0_6B-Instruct")]
    [InlineData("OPPOer/AndesVL-4B-Thinking", "AndesVL-4B-Thinking")]
    [InlineData("a/b.c_d", "b.c_d")]
    public void AValidRepositoryIdHasAName(string repoId, string name)
    {
        Assert.True(HubDownloader.IsValidRepoId(repoId));
        Assert.Equal(name, HubDownloader.GetRepoName(repoId));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
