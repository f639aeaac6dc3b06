using Andes.ModelBuilder.Checkpoints;

namespace Andes.ModelBuilder.Tokenizers;

/// <summary>Adds AndesVL's published tokenizer and generation files (<see cref="AndesTokenizerAssets"/>) to a generated checkpoint.</summary>
public sealed class TokenizerCheckpointAssetWriter : ICheckpointAssetWriter
{
    /// <summary>The shared instance.</summary>
    public static TokenizerCheckpointAssetWriter Instance { get; } = new();

    /// <inheritdoc />
    public void WriteAssets(string checkpointDirectory, AndesVLConfig config) => AndesTokenizerAssets.WriteCheckpointFiles(checkpointDirectory);
}
