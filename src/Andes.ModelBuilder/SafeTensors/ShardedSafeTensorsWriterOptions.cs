namespace Andes.ModelBuilder;

/// <summary>Options of <see cref="ShardedSafeTensorsWriter"/>.</summary>
public sealed class ShardedSafeTensorsWriterOptions
{
    /// <summary>The default <see cref="MaxShardSize"/>: 2 GB (decimal, as Hugging Face counts "2GB").</summary>
    public const long DefaultMaxShardSize = 2_000_000_000;

    /// <summary>
    /// The most tensor data a shard holds, in bytes. Tensors are assigned to shards in order; a shard is closed when
    /// the next tensor would push it past this size, and a tensor larger than this gets a shard of its own.
    /// </summary>
    public long MaxShardSize { get; set; } = DefaultMaxShardSize;

    /// <summary>The <c>__metadata__</c> of every shard; null for <see cref="SafeTensorsWriter.DefaultMetadata"/>.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; set; }

    /// <summary>
    /// The file name stem: <c>model</c> gives <c>model.safetensors</c>, or <c>model-00001-of-00002.safetensors</c>
    /// and so on plus <c>model.safetensors.index.json</c>.
    /// </summary>
    public string FilePrefix { get; set; } = "model";

    /// <summary>Returns a copy of these options.</summary>
    public ShardedSafeTensorsWriterOptions Clone() => (ShardedSafeTensorsWriterOptions)MemberwiseClone();
}
