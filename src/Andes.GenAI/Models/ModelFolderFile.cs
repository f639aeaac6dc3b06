namespace Andes.GenAI;

/// <summary>One file of a <see cref="ModelFolderManifest"/>.</summary>
/// <param name="Path">The path relative to the model folder, with forward slashes.</param>
/// <param name="Bytes">The size in bytes.</param>
/// <param name="Xxh3">The XXH3 64-bit hash of the content, 16 lowercase hexadecimal digits.</param>
public sealed record ModelFolderFile(string Path, long Bytes, string Xxh3);
