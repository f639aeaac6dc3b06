namespace Andes.ModelBuilder;

/// <summary>
/// Where and how <see cref="HubDownloader"/> reaches the Hugging Face hub: the endpoint, the token, the revision, and
/// how patient it is with a failing connection.
/// </summary>
public sealed class HubDownloadOptions
{
    /// <summary>The public hub, used when neither <see cref="Endpoint"/> nor <c>HF_ENDPOINT</c> is set.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The revision downloaded unless <see cref="Revision"/> says otherwise.</summary>
    public const string DefaultRevision = "main";

    /// <summary>The environment variable read when <see cref="Endpoint"/> is null (as the Python <c>huggingface_hub</c> does).</summary>
    public const string EndpointVariable = "HF_ENDPOINT";

    /// <summary>The environment variable read when <see cref="Token"/> is null (as the Python <c>huggingface_hub</c> does).</summary>
    public const string TokenVariable = "HF_TOKEN";

    /// <summary>
    /// The hub's base address, e.g. <c>https://huggingface.co</c> or a mirror's. Null (the default): the
    /// <c>HF_ENDPOINT</c> environment variable, else <see cref="DefaultEndpoint"/>.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>
    /// An access token, sent as <c>Authorization: Bearer</c> to the endpoint's own address (never to a redirect to another
    /// host, such as the CDN that serves large files). Null (the default): the <c>HF_TOKEN</c> environment variable, if
    /// set; an empty string sends no token at all.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>A branch, tag or commit; <see cref="DefaultRevision"/> by default. A branch is resolved to its commit once, so every file comes from the same commit.</summary>
    public string Revision { get; set; } = DefaultRevision;

    /// <summary>
    /// How many times in a row a file's download is retried after a dropped connection, a stalled read or an answer of
    /// 408, 429, 500, 502, 503 or 504 (5 by default; each retry resumes where the data stopped, and data received resets
    /// the count). 0 fails on the first such error, keeping the partial file for a later run to resume.
    /// </summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The wait before the first retry (1 s by default); the n-th retry in a row waits n times as long.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a request may wait for an answer, or a download for its next bytes, before it counts as failed (60 s by default).</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Returns a copy of these options.</summary>
    /// <returns>The copy.</returns>
    public HubDownloadOptions Clone() => (HubDownloadOptions)MemberwiseClone();

    /// <summary>The endpoint to use: <see cref="Endpoint"/>, <c>HF_ENDPOINT</c> or the public hub, without a trailing slash.</summary>
    internal Uri ResolveEndpoint()
    {
        string value = Endpoint ?? (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultEndpoint);
        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            string source = Endpoint is null ? $" (from {EndpointVariable})" : string.Empty;
            throw new ArgumentException($"The hub endpoint '{value}'{source} is not an http or https address such as {DefaultEndpoint}.");
        }

        return uri;
    }

    /// <summary>The token to send: <see cref="Token"/>, else <c>HF_TOKEN</c>; null for none.</summary>
    internal string? ResolveToken()
    {
        string? value = Token ?? Environment.GetEnvironmentVariable(TokenVariable);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
