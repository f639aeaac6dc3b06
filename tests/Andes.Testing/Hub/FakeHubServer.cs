using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Andes.Testing.Hub;

/// <summary>A request the fake hub received.</summary>
/// <param name="Cdn">Whether it reached the CDN address (where LFS files are redirected) rather than the hub's.</param>
/// <param name="RawUrl">The path and query as sent, still percent-encoded.</param>
/// <param name="Range">The Range header, if any.</param>
/// <param name="Authorization">The Authorization header, if any.</param>
public sealed record FakeHubRequest(bool Cdn, string RawUrl, string? Range, string? Authorization);

/// <summary>
/// A local stand-in for the Hugging Face hub on 127.0.0.1 (HttpListener, free ports): it serves one folder as one
/// repository the way the hub does. <c>GET /api/models/{repo}/revision/{rev}</c> lists the files as <c>siblings</c>
/// with sizes, and LFS sha256 and size for the LFS files (<c>*.safetensors</c>); <c>GET /{repo}/resolve/{rev}/{path}</c>
/// answers a Git file itself and an LFS file with a 302 to a second port (the "CDN", another origin, so a token must
/// not follow) with <c>X-Linked-Size</c>, <c>X-Linked-Etag</c> and <c>X-Repo-Commit</c>. Files are sent with Range
/// support. Tests make it misbehave: require a token, list a wrong size or hash, drop the connection mid-file, ignore
/// ranges; and read what it received in <see cref="Requests"/>.
/// </summary>
public sealed class FakeHubServer : IDisposable
{
    /// <summary>The commit every revision of the fake repository resolves to.</summary>
    public const string DefaultCommit = "5f0e6bd2a8c1d4e79f3a2b6c8d0e1f2a3b4c5d6e";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sha256 = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeHubRequest> _requests = new();
    private readonly ConcurrentDictionary<string, (long At, int Times)> _drops = new(StringComparer.Ordinal);
    private readonly int _hubPort;
    private readonly int _cdnPort;

    /// <summary>Starts serving <paramref name="folder"/> (every file, recursively) as repository <paramref name="repoId"/>.</summary>
    /// <param name="repoId">The repository id, <c>owner/name</c>.</param>
    /// <param name="folder">The folder whose files are the repository.</param>
    public FakeHubServer(string repoId, string folder)
    {
        RepoId = repoId;
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string path = Path.GetRelativePath(folder, file).Replace('\\', '/');
            byte[] data = File.ReadAllBytes(file);
            _files[path] = data;
            if (IsLfs(path))
            {
                _sha256[path] = Convert.ToHexStringLower(SHA256.HashData(data));
            }
        }

        (_hubPort, _cdnPort) = Start(_listener);
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The repository id served.</summary>
    public string RepoId { get; }

    /// <summary>The hub's address, for <c>HF_ENDPOINT</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{_hubPort}";

    /// <summary>The repository's files (paths with <c>/</c>) and their content.</summary>
    public IReadOnlyDictionary<string, byte[]> Files => _files;

    /// <summary>The revisions (besides the commit itself) that exist; <c>main</c> by default.</summary>
    public ISet<string> Revisions { get; } = new HashSet<string>(StringComparer.Ordinal) { "main" };

    /// <summary>When set, every request to the hub's address must carry <c>Authorization: Bearer</c> this token.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Sizes to list (and send as X-Linked-Size) instead of the true ones, by path.</summary>
    public ConcurrentDictionary<string, long> ListedSizes { get; } = new(StringComparer.Ordinal);

    /// <summary>LFS SHA-256 values to list (and send as X-Linked-Etag) instead of the true ones, by path.</summary>
    public ConcurrentDictionary<string, string> ListedSha256 { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths listed although there is no such file (to test listings the downloader must refuse).</summary>
    public List<string> ExtraListedPaths { get; } = [];

    /// <summary>Answer range requests with the whole file and 200, as some servers do.</summary>
    public bool IgnoreRanges { get; set; }

    /// <summary>When set, files are sent at about this many bytes a second (to watch a progress bar by hand).</summary>
    public int? BytesPerSecond { get; set; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeHubRequest> Requests => [.. _requests];

    /// <summary>Whether a path is served as a Git LFS file (redirected, with a sha256): the weights.</summary>
    public static bool IsLfs(string path) => path.EndsWith(".safetensors", StringComparison.Ordinal);

    /// <summary>The true SHA-256 of an LFS file.</summary>
    public string Sha256Of(string path) => _sha256[path];

    /// <summary>The next <paramref name="times"/> responses that send <paramref name="path"/> close the connection once the file's byte <paramref name="at"/> is sent.</summary>
    public void DropConnection(string path, long at, int times = 1) => _drops[path] = (at, times);

    /// <summary>Stops the server.</summary>
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
    }

    private static (int Hub, int Cdn) Start(HttpListener listener)
    {
        // A free port can be taken by someone else between the probe and the listener: try a few pairs.
        for (int attempt = 0; ; attempt++)
        {
            int hub = FreePort(), cdn = FreePort();
            if (hub == cdn)
            {
                continue;
            }

            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{hub}/");
            listener.Prefixes.Add($"http://127.0.0.1:{cdn}/");
            try
            {
                listener.Start();
                return (hub, cdn);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        HttpListenerResponse response = context.Response;
        try
        {
            bool cdn = request.LocalEndPoint.Port == _cdnPort;
            string raw = request.RawUrl ?? "/";
            _requests.Enqueue(new FakeHubRequest(cdn, raw, request.Headers["Range"], request.Headers["Authorization"]));
            string path = raw.Split('?')[0];
            if (cdn)
            {
                ServeCdn(context, path);
                return;
            }

            if (RequiredToken is not null && request.Headers["Authorization"] != $"Bearer {RequiredToken}")
            {
                string message = request.Headers["Authorization"] is null
                    ? "Access to model is restricted. You must be authenticated to access it."
                    : "Invalid credentials in Authorization header";
                Fail(response, 401, null, message);
                return;
            }

            string apiPrefix = $"/api/models/{RepoId}/revision/";
            string resolvePrefix = $"/{RepoId}/resolve/";
            if (path.StartsWith(apiPrefix, StringComparison.Ordinal))
            {
                if (CheckRevision(response, Uri.UnescapeDataString(path[apiPrefix.Length..])))
                {
                    SendBytes(response, 200, Encoding.UTF8.GetBytes(Listing().ToJsonString()), "application/json");
                }
            }
            else if (path.StartsWith(resolvePrefix, StringComparison.Ordinal))
            {
                string rest = path[resolvePrefix.Length..];
                int slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0 || !CheckRevision(response, Uri.UnescapeDataString(rest[..slash])))
                {
                    if (slash < 0)
                    {
                        Fail(response, 404, "EntryNotFound", "no file");
                    }

                    return;
                }

                string file = string.Join('/', rest[(slash + 1)..].Split('/').Select(Uri.UnescapeDataString));
                if (!_files.ContainsKey(file))
                {
                    Fail(response, 404, "EntryNotFound", $"{file} does not exist");
                    return;
                }

                response.AddHeader("X-Repo-Commit", DefaultCommit);
                if (IsLfs(file))
                {
                    // As the hub does for LFS files: a redirect to the CDN, with the file's size and hash in headers.
                    response.StatusCode = 302;
                    response.AddHeader("Location", $"http://127.0.0.1:{_cdnPort}/lfs/{ListedSha(file)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");
                    response.AddHeader("X-Linked-Size", ListedSize(file).ToString(CultureInfo.InvariantCulture));
                    response.AddHeader("X-Linked-Etag", $"\"{ListedSha(file)}\"");
                    response.ContentLength64 = 0;
                    response.Close();
                    return;
                }

                SendFile(context, file);
            }
            else
            {
                Fail(response, 404, "RepoNotFound", "Repository not found");
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away (or the test dropped the connection on purpose).
        }
    }

    private bool CheckRevision(HttpListenerResponse response, string revision)
    {
        if (revision == DefaultCommit || Revisions.Contains(revision))
        {
            return true;
        }

        Fail(response, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
        return false;
    }

    private void ServeCdn(HttpListenerContext context, string path)
    {
        // /lfs/{sha256}/{path}: the CDN knows content by hash, as a real one does.
        string[] parts = path.Split('/', 4);
        string? file = parts.Length == 4 ? string.Join('/', parts[3].Split('/').Select(Uri.UnescapeDataString)) : null;
        if (file is null || !_files.ContainsKey(file))
        {
            Fail(context.Response, 404, null, "no such object");
            return;
        }

        SendFile(context, file);
    }

    private void SendFile(HttpListenerContext context, string file)
    {
        byte[] data = _files[file];
        HttpListenerResponse response = context.Response;
        long start = 0;
        string? range = context.Request.Headers["Range"];
        if (range is not null && !IgnoreRanges)
        {
            if (!range.StartsWith("bytes=", StringComparison.Ordinal) || !range.EndsWith('-')
                || !long.TryParse(range["bytes=".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out start))
            {
                Fail(response, 400, null, $"unsupported range {range}");
                return;
            }

            if (start >= data.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{data.Length}");
                response.ContentLength64 = 0;
                response.Close();
                return;
            }

            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{data.Length - 1}/{data.Length}");
        }
        else
        {
            response.StatusCode = 200;
        }

        response.ContentType = "application/octet-stream";
        response.ContentLength64 = data.Length - start;
        long end = data.Length;
        bool drop = false;
        if (_drops.TryGetValue(file, out (long At, int Times) planned) && planned.Times > 0 && planned.At > start && planned.At < data.Length)
        {
            _drops[file] = (planned.At, planned.Times - 1);
            end = planned.At;
            drop = true;
        }

        Stream output = response.OutputStream;
        const int Chunk = 64 * 1024;
        for (long at = start; at < end; at += Chunk)
        {
            int count = (int)Math.Min(Chunk, end - at);
            output.Write(data, (int)at, count);
            if (BytesPerSecond is int rate)
            {
                Thread.Sleep(TimeSpan.FromSeconds((double)count / rate));
            }
        }

        output.Flush();
        if (drop)
        {
            // Close the connection with bytes still owed: the client sees the body end early.
            response.Abort();
            return;
        }

        response.Close();
    }

    private JsonObject Listing()
    {
        var siblings = new JsonArray();
        foreach (string path in _files.Keys)
        {
            var sibling = new JsonObject { ["rfilename"] = path, ["size"] = ListedSize(path), ["blobId"] = Convert.ToHexStringLower(SHA1.HashData(_files[path])) };
            if (IsLfs(path))
            {
                sibling["lfs"] = new JsonObject { ["sha256"] = ListedSha(path), ["size"] = ListedSize(path), ["pointerSize"] = 134 };
            }

            siblings.Add(sibling);
        }

        foreach (string path in ExtraListedPaths)
        {
            siblings.Add(new JsonObject { ["rfilename"] = path, ["size"] = 1 });
        }

        return new JsonObject
        {
            ["_id"] = "fake",
            ["id"] = RepoId,
            ["modelId"] = RepoId,
            ["private"] = false,
            ["sha"] = DefaultCommit,
            ["siblings"] = siblings,
        };
    }

    private long ListedSize(string path) => ListedSizes.TryGetValue(path, out long size) ? size : _files[path].Length;

    private string ListedSha(string path) => ListedSha256.TryGetValue(path, out string? sha) ? sha : _sha256[path];

    private static void Fail(HttpListenerResponse response, int status, string? errorCode, string message)
    {
        if (errorCode is not null)
        {
            response.AddHeader("X-Error-Code", errorCode);
        }

        response.AddHeader("X-Error-Message", message);
        SendBytes(response, status, Encoding.UTF8.GetBytes($"{{\"error\":\"{message}\"}}"), "application/json");
    }

    private static void SendBytes(HttpListenerResponse response, int status, byte[] body, string contentType)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }
}
