namespace Andes.ModelBuilder;

/// <summary>
/// Adds files besides <c>config.json</c> and the weights to a generated checkpoint folder: tokenizer files,
/// <c>generation_config.json</c>, processor configuration and so on.
/// </summary>
public interface ICheckpointAssetWriter
{
    /// <summary>Writes this writer's files into <paramref name="checkpointDirectory"/>.</summary>
    /// <param name="checkpointDirectory">The checkpoint folder, holding <c>config.json</c> and the weights already.</param>
    /// <param name="config">The configuration that was written.</param>
    void WriteAssets(string checkpointDirectory, AndesVLConfig config);
}
