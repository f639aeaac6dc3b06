using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>Options of <see cref="CheckpointGenerator"/>.</summary>
public sealed class CheckpointGeneratorOptions
{
    /// <summary>The seed: the same seed, shape and options give byte-identical files.</summary>
    public ulong Seed { get; set; }

    /// <summary>The stored element type: <see cref="TensorDataType.BFloat16"/> (default), Float16 or Float32.</summary>
    public TensorDataType DataType { get; set; } = TensorDataType.BFloat16;

    /// <summary>The most tensor data per safetensors shard, in bytes (2 GB by default).</summary>
    public long MaxShardSize { get; set; } = ShardedSafeTensorsWriterOptions.DefaultMaxShardSize;

    /// <summary>Receives progress after each chunk of weights; null for none.</summary>
    public IProgress<CheckpointGenerationProgress>? Progress { get; set; }

    /// <summary>Writers of extra files, run in order after the weights. Default: AndesVL's tokenizer and generation files.</summary>
    public IList<ICheckpointAssetWriter> AssetWriters { get; set; } = [TokenizerCheckpointAssetWriter.Instance];

    /// <summary>Returns a copy of these options (the asset writer list is copied, not shared).</summary>
    public CheckpointGeneratorOptions Clone()
    {
        var copy = (CheckpointGeneratorOptions)MemberwiseClone();
        copy.AssetWriters = [.. AssetWriters];
        return copy;
    }
}
