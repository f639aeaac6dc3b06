using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Andes.ModelBuilder;

/// <summary>
/// Downloads a model repository from the Hugging Face hub (or a mirror speaking its HTTP API) into a folder: every file
/// of one commit, resumable, each checked against the hub's listing (size, and SHA-256 for Git LFS files) before it is
/// moved into place.
/// </summary>
/// <remarks>
/// <para>
/// The files are listed with <c>GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true</c> and fetched one at
/// a time with <c>GET {endpoint}/{repo}/resolve/{commit}/{path}</c>, following redirects (the hub sends large files
/// from a CDN). A branch or tag is resolved to its commit by the listing, so a push during the download cannot mix
/// two versions.
/// </para>
/// <para>
/// A file is written to <c>NAME.incomplete</c> beside its final name and renamed only once its size and hash are
/// right. A dropped connection is resumed with an HTTP range request (up to <see cref="HubDownloadOptions.MaxRetries"/>
/// times in a row); a partial file left by an interrupted run is hashed and resumed by the next run; a file already
/// complete is hashed and skipped.
/// </para>
/// <para>
/// The token goes only to the endpoint's own scheme, host and port, never to a redirect elsewhere. The downloader's own
/// <see cref="HttpClient"/> follows redirects itself to do that; a client passed in should not follow redirects
/// (<see cref="SocketsHttpHandler.AllowAutoRedirect"/> false): one that does drops the token on every redirect, even
/// to the same host.
/// </para>
/// </remarks>
public sealed partial class HubDownloader : IDisposable
{
    /// <summary>The suffix of a file being downloaded: <c>model.safetensors.incomplete</c> until it is complete and checked.</summary>
    public const string IncompleteSuffix = ".incomplete";

    private const int BufferSize = 1 << 20;
    private const int MaxRedirects = 10;

    // Progress is reported about once per this many bytes: often enough for a live bar, rarely enough to cost nothing.
    private const long ReportInterval = 1 << 20;

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "Andes.ModelBuilder", typeof(HubDownloader).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;

    /// <summary>Creates a downloader with its own <see cref="HttpClient"/> (disposed with it).</summary>
    public HubDownloader()
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            // Redirects are followed by SendAsync, which keeps the token for the endpoint's own origin only.
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            // A whole file may take hours: each request and each read has its own timeout instead (ReadTimeout).
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _ownsHttpClient = true;
    }

    /// <summary>Creates a downloader that sends its requests through <paramref name="httpClient"/> (not disposed with it).</summary>
    /// <param name="httpClient">
    /// The client; it should not follow redirects itself (see the remarks of <see cref="HubDownloader"/>), and its
    /// <see cref="HttpClient.Timeout"/> should be long or infinite (<see cref="HubDownloadOptions.ReadTimeout"/> applies as well).
    /// </param>
    public HubDownloader(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
    }

    /// <summary>
    /// Whether <paramref name="repoId"/> is a repository id of the form <c>owner/name</c>: each part letters, digits,
    /// <c>-</c>, <c>_</c> and <c>.</c>, not starting or ending with <c>-</c> or <c>.</c>, at most 96 characters, with
    /// no <c>--</c> or <c>..</c>, and the name not ending in <c>.git</c> (the hub's naming rules).
    /// </summary>
    /// <param name="repoId">The text to check.</param>
    /// <returns>True for a valid id.</returns>
    public static bool IsValidRepoId(string? repoId)
    {
        if (repoId is null || repoId.Contains("--", StringComparison.Ordinal) || repoId.Contains("..", StringComparison.Ordinal)
            || repoId.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string[] parts = repoId.Split('/');
        return parts.Length == 2 && parts.All(p => RepoIdPart().IsMatch(p));
    }

    /// <summary>The name part of a repository id: <c>AndesVL-1B-Instruct</c> for <c>OPPOer/AndesVL-1B-Instruct</c>.</summary>
    /// <param name="repoId">A repository id, <c>owner/name</c>.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException"><paramref name="repoId"/> is not a valid repository id.</exception>
    public static string GetRepoName(string repoId)
    {
        ValidateRepoId(repoId);
        return repoId[(repoId.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>Lists a repository's files at a revision (names, sizes, and SHA-256 of Git LFS files).</summary>
    /// <param name="repoId">The repository, <c>owner/name</c>, e.g. <c>OPPOer/AndesVL-1B-Instruct</c>.</param>
    /// <param name="options">The endpoint, token and revision; null for the defaults (<c>HF_ENDPOINT</c>, <c>HF_TOKEN</c>, <c>main</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The listing.</returns>
    /// <exception cref="ArgumentException">The repository id, revision or endpoint is not valid.</exception>
    /// <exception cref="HubDownloadException">The hub refused or failed (the message says what to do).</exception>
    public async Task<HubRepositoryInfo> ListFilesAsync(string repoId, HubDownloadOptions? options = null, CancellationToken cancellationToken = default)
    {
        Session session = CreateSession(repoId, options, progress: null);
        return await ListAsync(session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads every file of a repository at a revision into <paramref name="outputDirectory"/> (created if needed),
    /// keeping the repository's sub-folders; files already there with the right size and hash are left as they are.
    /// </summary>
    /// <param name="repoId">The repository, <c>owner/name</c>, e.g. <c>OPPOer/AndesVL-1B-Instruct</c>.</param>
    /// <param name="outputDirectory">The folder to write into.</param>
    /// <param name="options">The endpoint, token, revision and retry policy; null for the defaults.</param>
    /// <param name="progress">
    /// Receives progress as the download goes (optional; called on the download's own thread, so a
    /// <see cref="Progress{T}"/> posts it to its context and a plain <see cref="IProgress{T}"/> must be quick).
    /// </param>
    /// <param name="cancellationToken">
    /// Cancels the download; a partial file stays as <c>NAME.incomplete</c> and the next call resumes it.
    /// </param>
    /// <returns>What was downloaded.</returns>
    /// <exception cref="ArgumentException">The repository id, revision or endpoint is not valid.</exception>
    /// <exception cref="HubDownloadException">
    /// The hub refused (a token is needed or was rejected, the repository or revision does not exist), a file does not
    /// match its listing (size or SHA-256; nothing is moved into place), or the connection kept failing.
    /// </exception>
    public async Task<HubDownloadResult> DownloadAsync(
        string repoId, string outputDirectory, HubDownloadOptions? options = null, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        Session session = CreateSession(repoId, options, progress);
        var stopwatch = Stopwatch.StartNew();
        session.Report(HubDownloadStage.Listing, null, 0, null);
        HubRepositoryInfo repository = await ListAsync(session, cancellationToken).ConfigureAwait(false);
        session.FilesTotal = repository.Files.Count;
        session.BytesTotal = repository.TotalBytes;

        string root = Path.GetFullPath(outputDirectory);
        // Every target is worked out before anything is written, so a listing with a bad path writes nothing.
        var targets = repository.Files.Select(f => (File: f, Target: TargetPath(session, root, f.Path))).ToList();
        Directory.CreateDirectory(root);
        string urlRevision = repository.Commit ?? repository.Revision;
        int downloaded = 0, skipped = 0;
        foreach ((HubFile file, string target) in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await IsCompleteAsync(session, file, target, cancellationToken).ConfigureAwait(false))
            {
                skipped++;
                session.FileDone(file, file.Size!.Value, HubDownloadStage.FileSkipped);
                continue;
            }

            long size = await DownloadFileAsync(session, file, target, urlRevision, cancellationToken).ConfigureAwait(false);
            downloaded++;
            session.FileDone(file, size, HubDownloadStage.FileCompleted);
        }

        return new HubDownloadResult(repository, root, downloaded, skipped, session.BytesReceived, stopwatch.Elapsed);
    }

    /// <summary>Disposes the <see cref="HttpClient"/> if this downloader created it.</summary>
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    /// <summary>Whether a listed path can be written under the output folder as it is: relative, no empty, <c>.</c> or <c>..</c> segment.</summary>
    internal static bool IsSafeRelativePath(string path)
    {
        if (path.Length == 0 || path.Contains('\\', StringComparison.Ordinal) || path.Any(char.IsControl) || Path.IsPathRooted(path)
            || (OperatingSystem.IsWindows() && path.Contains(':', StringComparison.Ordinal)))
        {
            return false;
        }

        return path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
    }

    // Each part of owner/name: the hub's characters, starting and ending with a letter, digit or underscore.
    [GeneratedRegex("^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex RepoIdPart();

    [GeneratedRegex("^[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[0-9a-f]{40}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommitHex();

    private static void ValidateRepoId(string repoId)
    {
        if (!IsValidRepoId(repoId))
        {
            throw new ArgumentException(
                $"'{repoId}' is not a Hugging Face repository id: expected owner/name such as OPPOer/AndesVL-1B-Instruct " +
                "(letters, digits, '-', '_' and '.'; no '--' or '..').", nameof(repoId));
        }
    }

    private static Session CreateSession(string repoId, HubDownloadOptions? options, IProgress<HubDownloadProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(repoId);
        ValidateRepoId(repoId);
        options = options?.Clone() ?? new HubDownloadOptions();
        if (string.IsNullOrWhiteSpace(options.Revision) || options.Revision.Any(char.IsControl))
        {
            throw new ArgumentException($"The revision '{options.Revision}' is not a branch, tag or commit.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, "options.MaxRetries");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReadTimeout, TimeSpan.Zero, "options.ReadTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryDelay, TimeSpan.Zero, "options.RetryDelay");
        return new Session(repoId, options.Revision, options.ResolveEndpoint(), options.ResolveToken(), options, progress);
    }

    private async Task<HubRepositoryInfo> ListAsync(Session session, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{session.Endpoint}/api/models/{session.RepoId}/revision/{Uri.EscapeDataString(session.Revision)}?blobs=true");
        HubModelInfoJson? info = null;
        for (int failures = 0; info is null;)
        {
            try
            {
                using HttpResponseMessage response = await SendAsync(session, uri, 0, null, cancellationToken).ConfigureAwait(false);
                ThrowIfFailed(session, response, filePath: null);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(session.Options.ReadTimeout);
                try
                {
                    Stream body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                    await using (body.ConfigureAwait(false))
                    {
                        info = await JsonSerializer.DeserializeAsync(body, AndesModelBuilderJsonContext.Default.HubModelInfoJson, timeout.Token).ConfigureAwait(false)
                            ?? throw InvalidListing(session, "it is the JSON null");
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TransientException($"the listing did not arrive within {session.Options.ReadTimeout.TotalSeconds:0} s", e);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && e is not HubDownloadException)
                {
                    throw new TransientException(e.Message, e);
                }
                catch (JsonException e)
                {
                    throw InvalidListing(session, $"it is not the JSON of a model ({e.Message})", e);
                }
            }
            catch (TransientException e) when (!cancellationToken.IsCancellationRequested)
            {
                failures++;
                if (failures > session.Options.MaxRetries)
                {
                    throw new HubDownloadException(
                        HubDownloadFailure.Interrupted,
                        $"Listing the files of '{session.RepoId}' at revision '{session.Revision}' from {session.Endpoint} failed {failures} times in a row ({e.Message}); check the connection (and HF_ENDPOINT) and run again.",
                        session.RepoId, session.Revision, statusCode: e.StatusCode, innerException: e);
                }

                await Task.Delay(session.Options.RetryDelay * failures, cancellationToken).ConfigureAwait(false);
            }
        }

        if (info.Siblings is null)
        {
            throw InvalidListing(session, "it has no 'siblings' (the files)");
        }

        var files = new List<HubFile>(info.Siblings.Count);
        foreach (HubSiblingJson? sibling in info.Siblings)
        {
            string path = sibling?.RelativeFileName ?? throw InvalidListing(session, "a file has no 'rfilename'");
            if (!IsSafeRelativePath(path))
            {
                throw InvalidListing(session, $"the file name '{path}' is not a relative path inside the repository");
            }

            long? size = sibling.Lfs?.Size ?? sibling.Size;
            if (size < 0)
            {
                throw InvalidListing(session, $"'{path}' has a negative size");
            }

            string? sha256 = sibling.Lfs?.Sha256;
            if (sha256 is not null && !Sha256Hex().IsMatch(sha256))
            {
                throw InvalidListing(session, $"'{path}' has an LFS sha256 that is not 64 hex digits");
            }

            files.Add(new HubFile(path, size, sha256?.ToLowerInvariant()));
        }

        string? commit = info.Sha is { } sha && CommitHex().IsMatch(sha) ? sha : null;
        return new HubRepositoryInfo(session.RepoId, session.Revision, commit, files);
    }

    private static string TargetPath(Session session, string root, string path)
    {
        string target = Path.GetFullPath(Path.Combine(root, Path.Combine(path.Split('/'))));
        StringComparison comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!target.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, comparison))
        {
            throw InvalidListing(session, $"the file name '{path}' would be written outside '{root}'");
        }

        return target;
    }

    /// <summary>Whether <paramref name="target"/> already holds the file: its listed size and, for an LFS file, its SHA-256.</summary>
    private static async Task<bool> IsCompleteAsync(Session session, HubFile file, string target, CancellationToken cancellationToken)
    {
        var info = new FileInfo(target);
        if (!info.Exists || file.Size is not long size || info.Length != size)
        {
            return false;
        }

        if (file.Sha256 is null)
        {
            return true;
        }

        var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await HashAsync(session, file, stream, size, hash, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash.GetHashAndReset()) == file.Sha256;
        }
    }

    /// <summary>Reads <paramref name="length"/> bytes of <paramref name="stream"/> from its start into <paramref name="hash"/>, reporting them as verified.</summary>
    private static async Task HashAsync(Session session, HubFile file, FileStream stream, long length, IncrementalHash hash, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            stream.Position = 0;
            long done = 0, reported = 0;
            session.Report(HubDownloadStage.Verifying, file.Path, 0, file.Size);
            while (done < length)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, length - done)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"'{stream.Name}' ended at byte {done:N0} while being hashed (expected {length:N0}).");
                }

                hash.AppendData(buffer, 0, read);
                done += read;
                if (done - reported >= ReportInterval * 64)
                {
                    reported = done;
                    session.Report(HubDownloadStage.Verifying, file.Path, done, file.Size);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Downloads one file into <c>target.incomplete</c> (resuming what is there), checks it and moves it into place.</summary>
    /// <returns>The file's size.</returns>
    private async Task<long> DownloadFileAsync(Session session, HubFile file, string target, string urlRevision, CancellationToken cancellationToken)
    {
        string partial = target + IncompleteSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var uri = new Uri($"{session.Endpoint}/{session.RepoId}/resolve/{Uri.EscapeDataString(urlRevision)}/{string.Join('/', file.Path.Split('/').Select(Uri.EscapeDataString))}");
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var transfer = new Transfer(session, file, partial, hash);
        try
        {
            var stream = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            await using (stream.ConfigureAwait(false))
            {
                transfer.Stream = stream;
                await transfer.PrepareResumeAsync(cancellationToken).ConfigureAwait(false);
                await ReceiveAsync(transfer, uri, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            transfer.Check();
        }
        catch (HubDownloadException e) when (e.Failure is HubDownloadFailure.SizeMismatch or HubDownloadFailure.HashMismatch)
        {
            // The bytes do not match the listing: keeping them would only make the next run resume a bad file.
            TryDelete(partial);
            throw;
        }

        File.Move(partial, target, overwrite: true);
        return transfer.Offset;
    }

    /// <summary>Requests the file from <see cref="Transfer.Offset"/> on and appends what arrives, retrying transient failures.</summary>
    private async Task ReceiveAsync(Transfer transfer, Uri uri, CancellationToken cancellationToken)
    {
        Session session = transfer.Session;
        int failures = 0;
        while (true)
        {
            long before = transfer.Offset;
            try
            {
                var headers = new HubHeaders();
                using HttpResponseMessage response = await SendAsync(session, uri, transfer.Offset, headers, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && transfer.Offset > 0)
                {
                    // The range starts at or past the end: either the partial file is already whole, or it is longer
                    // than the file now is (a stale partial) and must start over.
                    long? length = transfer.ExpectedSize ?? response.Content.Headers.ContentRange?.Length;
                    if (transfer.Offset == length)
                    {
                        transfer.ExpectedSize ??= length;
                        return;
                    }

                    transfer.Restart();
                    continue;
                }

                ThrowIfFailed(session, response, transfer.File.Path);
                if (response.StatusCode == HttpStatusCode.PartialContent)
                {
                    if (response.Content.Headers.ContentRange?.From != transfer.Offset)
                    {
                        if (transfer.Offset == 0)
                        {
                            throw new HubDownloadException(
                                HubDownloadFailure.HttpError,
                                $"The server answered '{transfer.File.Path}' of '{session.RepoId}' with a partial range ({response.Content.Headers.ContentRange}) that was not asked for.",
                                session.RepoId, session.Revision, transfer.File.Path, response.StatusCode);
                        }

                        transfer.Restart();
                        continue;
                    }
                }
                else if (transfer.Offset > 0)
                {
                    // A 200 to a range request: the server ignored the range and sends the whole file, so start over.
                    transfer.Restart();
                }

                transfer.ExpectedSize ??= headers.LinkedSize;
                transfer.ExpectedSha256 ??= headers.LinkedSha256;
                long? announced = AnnouncedLength(response, transfer.Offset);
                transfer.ExpectedSize ??= announced;
                if (announced is long sending && transfer.ExpectedSize is long expected && sending != expected)
                {
                    throw transfer.SizeMismatch($"the server is sending {sending:N0}");
                }

                await transfer.CopyAsync(response, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TransientException e) when (!cancellationToken.IsCancellationRequested)
            {
                failures = transfer.Offset > before ? 1 : failures + 1;
                if (failures > session.Options.MaxRetries)
                {
                    throw new HubDownloadException(
                        HubDownloadFailure.Interrupted,
                        $"Downloading '{transfer.File.Path}' of '{session.RepoId}' failed {failures} time{(failures == 1 ? string.Empty : "s")} in a row ({e.Message}); " +
                        $"{transfer.Offset:N0} bytes are kept in '{transfer.PartialPath}': run the download again to resume it.",
                        session.RepoId, session.Revision, transfer.File.Path, e.StatusCode, e);
                }

                session.Report(HubDownloadStage.Retrying, transfer.File.Path, transfer.Offset, transfer.ExpectedSize, e.Message);
                await Task.Delay(session.Options.RetryDelay * failures, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The file's full length as the answer announces it (from <paramref name="offset"/>), when it is not compressed.</summary>
    private static long? AnnouncedLength(HttpResponseMessage response, long offset)
    {
        if (response.Content.Headers.ContentEncoding.Count > 0)
        {
            return null;
        }

        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            return response.Content.Headers.ContentRange?.Length;
        }

        return response.Content.Headers.ContentLength is long length ? offset + length : null;
    }

    /// <summary>Sends a GET, following redirects, with the token only on the endpoint's origin and the range on every hop.</summary>
    private async Task<HttpResponseMessage> SendAsync(Session session, Uri uri, long rangeStart, HubHeaders? headers, CancellationToken cancellationToken)
    {
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.Add(UserAgent);
            if (session.Token is not null && IsSameOrigin(uri, session.EndpointUri))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            }

            if (rangeStart > 0)
            {
                request.Headers.Range = new RangeHeaderValue(rangeStart, null);
            }

            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(session.Options.ReadTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TransientException($"{uri.Host} did not answer within {session.Options.ReadTimeout.TotalSeconds:0} s", e);
                }
                catch (HttpRequestException e)
                {
                    throw new TransientException($"{uri.GetLeftPart(UriPartial.Authority)}: {e.Message}", e);
                }
            }

            headers?.Collect(response);
            int status = (int)response.StatusCode;
            if (status is 408 or 429 or 500 or 502 or 503 or 504)
            {
                string reason = $"{status} {response.ReasonPhrase} from {uri.Host}";
                response.Dispose();
                throw new TransientException(reason, statusCode: (HttpStatusCode)status);
            }

            if (status is not (301 or 302 or 303 or 307 or 308))
            {
                return response;
            }

            Uri? location = response.Headers.Location;
            response.Dispose();
            if (location is null || hop >= MaxRedirects)
            {
                throw new HubDownloadException(
                    HubDownloadFailure.HttpError,
                    location is null ? $"{uri} answered a redirect ({status}) without a Location." : $"{uri} redirected more than {MaxRedirects} times.",
                    session.RepoId, session.Revision, statusCode: (HttpStatusCode)status);
            }

            Uri next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (uri.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
            {
                throw new HubDownloadException(
                    HubDownloadFailure.HttpError, $"{uri} redirected from https to '{next}', which is not followed.", session.RepoId, session.Revision, statusCode: (HttpStatusCode)status);
            }

            uri = next;
        }
    }

    private static bool IsSameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws the <see cref="HubDownloadException"/> that explains a failed answer; returns for a success.</summary>
    private static void ThrowIfFailed(Session session, HttpResponseMessage response, string? filePath)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? errorCode = FirstHeader(response, "X-Error-Code");
        string? hubMessage = FirstHeader(response, "X-Error-Message");
        string said = hubMessage is null ? string.Empty : $": \"{hubMessage}\"";
        int status = (int)response.StatusCode;
        string repo = session.RepoId, revision = session.Revision;
        string what = filePath is null ? $"repository '{repo}' at revision '{revision}'" : $"'{filePath}' of repository '{repo}' at revision '{revision}'";
        (HubDownloadFailure failure, string message) = status switch
        {
            401 or 403 when session.Token is null => (
                HubDownloadFailure.AuthenticationRequired,
                $"The hub refused {what} without a token ({status}{said}): set HF_TOKEN (a read token from https://huggingface.co/settings/tokens) — the repository may be gated or private" +
                (status == 401 ? ", or it may not exist (the hub answers 401 for those too without a token)." : ".")),
            401 => (
                HubDownloadFailure.TokenRejected,
                $"The hub rejected the token (HF_TOKEN) for {what} (401{said}): check that it is a valid read token from https://huggingface.co/settings/tokens, or unset HF_TOKEN."),
            403 when errorCode == "GatedRepo" => (
                HubDownloadFailure.AccessDenied,
                $"'{repo}' is gated and this token has not been given access (403{said}): accept its conditions at {session.Endpoint}/{repo} with the token's account, then run again."),
            403 => (
                HubDownloadFailure.AccessDenied,
                $"The token has no access to {what} (403{said}): use a token with read access to the repository (https://huggingface.co/settings/tokens)."),
            404 when errorCode == "RevisionNotFound" => (
                HubDownloadFailure.NotFound,
                $"Revision '{revision}' not found in repository '{repo}' (404{said}): check the branch, tag or commit."),
            404 when filePath is not null => (
                HubDownloadFailure.NotFound,
                $"File '{filePath}' of repository '{repo}' at revision '{revision}' was listed but not found (404{said})."),
            404 => (
                HubDownloadFailure.NotFound,
                $"Repository '{repo}' or revision '{revision}' not found at {session.Endpoint} (404{said}): check the name (owner/name, e.g. OPPOer/AndesVL-1B-Instruct) and the revision."),
            _ => (
                HubDownloadFailure.HttpError,
                $"The hub answered {status} {response.ReasonPhrase} for {what}{said}."),
        };
        throw new HubDownloadException(failure, message, repo, revision, filePath, response.StatusCode);
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault(v => v.Length > 0) : null;

    private static HubDownloadException InvalidListing(Session session, string problem, Exception? inner = null) => new(
        HubDownloadFailure.InvalidListing,
        $"The file listing of '{session.RepoId}' at revision '{session.Revision}' from {session.Endpoint} cannot be used: {problem}.",
        session.RepoId, session.Revision, innerException: inner);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A failure worth retrying: a dropped or refused connection, a stall, or a 408/429/5xx answer.</summary>
    private sealed class TransientException(string message, Exception? inner = null, HttpStatusCode? statusCode = null) : Exception(message, inner)
    {
        public HttpStatusCode? StatusCode { get; } = statusCode;
    }

    /// <summary>The hub's headers about a file, from the answer or any redirect before it (the first value of each wins).</summary>
    private sealed class HubHeaders
    {
        public long? LinkedSize { get; private set; }

        public string? LinkedSha256 { get; private set; }

        public void Collect(HttpResponseMessage response)
        {
            if (LinkedSize is null && FirstHeader(response, "X-Linked-Size") is { } size
                && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                LinkedSize = parsed;
            }

            // For an LFS file the hub's X-Linked-Etag is the content's SHA-256 in quotes (a weak W/ prefix is possible).
            if (LinkedSha256 is null && FirstHeader(response, "X-Linked-Etag") is { } etag)
            {
                string value = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
                value = value.Trim('"');
                if (Sha256Hex().IsMatch(value))
                {
                    LinkedSha256 = value.ToLowerInvariant();
                }
            }
        }
    }

    /// <summary>One download call's settings and running totals.</summary>
    private sealed class Session(string repoId, string revision, Uri endpoint, string? token, HubDownloadOptions options, IProgress<HubDownloadProgress>? progress)
    {
        public string RepoId { get; } = repoId;

        public string Revision { get; } = revision;

        public Uri EndpointUri { get; } = endpoint;

        /// <summary>The endpoint as text without a trailing slash, to put paths after.</summary>
        public string Endpoint { get; } = endpoint.AbsoluteUri.TrimEnd('/');

        public string? Token { get; } = token;

        public HubDownloadOptions Options { get; } = options;

        public int FilesTotal { get; set; }

        public long? BytesTotal { get; set; }

        public int FilesDone { get; private set; }

        /// <summary>Bytes of the files finished so far (downloaded or skipped).</summary>
        public long BytesFinished { get; private set; }

        public long BytesReceived { get; set; }

        public void FileDone(HubFile file, long size, HubDownloadStage stage)
        {
            FilesDone++;
            BytesFinished += size;
            Report(stage, file.Path, size, size);
        }

        public void Report(HubDownloadStage stage, string? filePath, long fileBytesDone, long? fileBytesTotal, string? message = null)
        {
            long current = stage is HubDownloadStage.FileCompleted or HubDownloadStage.FileSkipped ? 0 : fileBytesDone;
            progress?.Report(new HubDownloadProgress(
                stage, filePath, fileBytesDone, fileBytesTotal, BytesFinished + current, BytesTotal, BytesReceived, FilesDone, FilesTotal, message));
        }
    }

    /// <summary>One file's partial copy on disk: its stream, running hash and length, and what it must add up to.</summary>
    private sealed class Transfer(Session session, HubFile file, string partialPath, IncrementalHash hash)
    {
        public Session Session { get; } = session;

        public HubFile File { get; } = file;

        public string PartialPath { get; } = partialPath;

        public FileStream Stream { get; set; } = null!;

        /// <summary>Bytes in the partial file, all of them in the hash.</summary>
        public long Offset { get; private set; }

        public long? ExpectedSize { get; set; } = file.Size;

        public string? ExpectedSha256 { get; set; } = file.Sha256;

        /// <summary>Takes up what an earlier run left: hashes it to resume, or drops it if it is longer than the file.</summary>
        public async Task PrepareResumeAsync(CancellationToken cancellationToken)
        {
            long length = Stream.Length;
            if (length == 0 || length > ExpectedSize)
            {
                Restart();
                return;
            }

            await HashAsync(Session, File, Stream, length, hash, cancellationToken).ConfigureAwait(false);
            Stream.Position = length;
            Offset = length;
        }

        /// <summary>Empties the partial file and the hash, to receive the file from its first byte.</summary>
        public void Restart()
        {
            Stream.SetLength(0);
            Stream.Position = 0;
            hash.GetHashAndReset();
            Offset = 0;
        }

        /// <summary>Appends the answer's body to the file and the hash, failing transiently on a drop or a stall.</summary>
        public async Task CopyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Stream body;
                try
                {
                    body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw new TransientException(e.Message, e);
                }

                await using (body.ConfigureAwait(false))
                {
                    long reported = Offset;
                    Session.Report(HubDownloadStage.Downloading, File.Path, Offset, ExpectedSize);
                    while (true)
                    {
                        stall.CancelAfter(Session.Options.ReadTimeout);
                        int read;
                        try
                        {
                            read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new TransientException($"no data for {Session.Options.ReadTimeout.TotalSeconds:0} s", e);
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            throw new TransientException(e.Message, e);
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        if (Offset + read > ExpectedSize)
                        {
                            throw SizeMismatch($"the server sent more (at least {Offset + read:N0})");
                        }

                        // Disk errors are not caught here: they are not the network's and retrying would not help.
                        await Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        hash.AppendData(buffer, 0, read);
                        Offset += read;
                        Session.BytesReceived += read;
                        if (Offset - reported >= ReportInterval)
                        {
                            reported = Offset;
                            Session.Report(HubDownloadStage.Downloading, File.Path, Offset, ExpectedSize);
                        }
                    }

                    Session.Report(HubDownloadStage.Downloading, File.Path, Offset, ExpectedSize);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>Checks the complete partial file's size and hash against the listing.</summary>
        public void Check()
        {
            if (ExpectedSize is long expected && Offset != expected)
            {
                throw SizeMismatch($"{Offset:N0} were received");
            }

            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (ExpectedSha256 is { } sha256 && actual != sha256)
            {
                throw new HubDownloadException(
                    HubDownloadFailure.HashMismatch,
                    $"'{File.Path}' of '{Session.RepoId}' has SHA-256 {actual}, not the {sha256} of the listing: the download was discarded; " +
                    "run it again, and if it fails again the server's copy does not match its listing.",
                    Session.RepoId, Session.Revision, File.Path);
            }
        }

        public HubDownloadException SizeMismatch(string received) => new(
            HubDownloadFailure.SizeMismatch,
            $"'{File.Path}' of '{Session.RepoId}' should be {ExpectedSize:N0} bytes (the listing), but {received}: the download was discarded; " +
            "run it again, and if it fails again the server's copy does not match its listing.",
            Session.RepoId, Session.Revision, File.Path);
    }
}
