using System.Text.Json.Serialization;

namespace Andes.ModelBuilder;

/// <summary>
/// The fields of the hub's <c>GET /api/models/{repo}/revision/{revision}?blobs=true</c> answer that a download needs
/// (the rest is ignored).
/// </summary>
internal sealed class HubModelInfoJson
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The commit the revision resolved to.</summary>
    [JsonPropertyName("sha")]
    public string? Sha { get; set; }

    [JsonPropertyName("siblings")]
    public List<HubSiblingJson?>? Siblings { get; set; }
}

/// <summary>One entry of <c>siblings</c>: a file.</summary>
internal sealed class HubSiblingJson
{
    [JsonPropertyName("rfilename")]
    public string? RelativeFileName { get; set; }

    [JsonPropertyName("size")]
    public long? Size { get; set; }

    [JsonPropertyName("lfs")]
    public HubLfsJson? Lfs { get; set; }
}

/// <summary>A sibling's <c>lfs</c> object: present for Git LFS files.</summary>
internal sealed class HubLfsJson
{
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; set; }

    [JsonPropertyName("size")]
    public long? Size { get; set; }
}
