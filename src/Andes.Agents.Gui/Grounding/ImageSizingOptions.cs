namespace Andes.Agents.Gui.Grounding;

/// <summary>
/// The image processor settings that decide how a screenshot is resized and padded before the model sees it
/// (AndesVL's native-resolution rule). They must equal the engine's settings, or mapped coordinates drift.
/// </summary>
/// <remarks>Immutable; the defaults are AndesVL's AIMv2 towers at the published evaluation setting.</remarks>
public sealed class ImageSizingOptions
{
    /// <summary>AndesVL 1B-4B (AIMv2, patch 14) at the evaluation setting (max size 1792).</summary>
    public static ImageSizingOptions AndesVL { get; } = new();

    /// <summary>The vision tower's patch size: 14 for AIMv2, 16 for SigLIP2. The resize base is twice this.</summary>
    public int PatchSize { get; init; } = 14;

    /// <summary>
    /// The processor's <c>max_size</c>: images larger than <c>MaxSize^2</c> pixels are scaled down to that area
    /// (1792 in the published evaluation, 733 in the model card's <c>chat()</c>).
    /// </summary>
    public int MaxSize { get; init; } = 1792;

    /// <summary>The longest side is first capped at this many pixels (4172).</summary>
    public int LongestSideCap { get; init; } = 4172;

    /// <summary>Images with fewer than this many tokens' worth of pixels are scaled up (4).</summary>
    public int MinTokens { get; init; } = 4;

    /// <summary>The resize base: the processed width and height are multiples of it (2 x patch).</summary>
    public int Base => 2 * PatchSize;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is not positive.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PatchSize, 1, nameof(PatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSize, Base, nameof(MaxSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(LongestSideCap, Base, nameof(LongestSideCap));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinTokens, 1, nameof(MinTokens));
    }
}
