using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>Options of <see cref="LoraAdapterGenerator"/>.</summary>
public sealed class LoraAdapterGeneratorOptions
{
    /// <summary>The rank r (default 16).</summary>
    public int Rank { get; set; } = 16;

    /// <summary><c>lora_alpha</c>; null: 2 r (a common choice, scale 2).</summary>
    public double? Alpha { get; set; }

    /// <summary>Whether the adapter uses rsLoRA scaling (alpha / sqrt(r) instead of alpha / r).</summary>
    public bool UseRsLora { get; set; }

    /// <summary>The seed: the same seed, checkpoint and options give byte-identical files.</summary>
    public ulong Seed { get; set; }

    /// <summary>The adapted projections (default all seven).</summary>
    public LoraTargets Targets { get; set; } = LoraTargets.All;

    /// <summary>The stored element type: <see cref="TensorDataType.Float32"/> (default), BFloat16 or Float16.</summary>
    public TensorDataType DataType { get; set; } = TensorDataType.Float32;

    /// <summary>
    /// How strongly the adapter changes each weight: the merged update scale * B A has entries of standard deviation
    /// <c>Strength / sqrt(in_features)</c>, whatever the rank and alpha (the base weights have 1 to 2 / sqrt(in_features)).
    /// Default 0.5: enough to change the tiny model's greedy tokens.
    /// </summary>
    public float Strength { get; set; } = 0.5f;

    /// <summary>Returns a copy.</summary>
    public LoraAdapterGeneratorOptions Clone() => (LoraAdapterGeneratorOptions)MemberwiseClone();
}
