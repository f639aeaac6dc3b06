using Microsoft.Extensions.AI;

namespace Andes;

/// <summary>
/// The image processor settings that decide how a screenshot is resized and padded before the model sees it
/// (AndesVL's native-resolution rule). The defaults are the Andes engine's (AIMv2 tower, <c>max_size</c> 733, the
/// published <see cref="ImageSizingRule.AndesVL"/> rule); <see cref="MaxSize"/> is also sent to the engine with every
/// request (<see cref="ApplyTo"/>) so both sides use the same size.
/// </summary>
/// <remarks>Immutable.</remarks>
public sealed class ImageSizingOptions
{
    /// <summary>The default <see cref="MaxSize"/>: 733, as in the model card's <c>chat()</c> and the engine's default.</summary>
    public const int DefaultMaxSize = 733;

    /// <summary>The default <see cref="LongestSideCap"/>: 4172 pixels.</summary>
    public const int DefaultLongestSideCap = 4172;

    /// <summary>AndesVL 1B-4B (AIMv2, patch 14) as the engine runs it by default (max size 733).</summary>
    public static ImageSizingOptions AndesVL { get; } = new();

    /// <summary>The vision tower's patch size: 14 for AIMv2, 16 for SigLIP2.</summary>
    public int PatchSize { get; init; } = 14;

    /// <summary>Patches merged per side into one token (AndesVL: 2).</summary>
    public int MergeSize { get; init; } = 2;

    /// <summary>
    /// The processor's <c>max_size</c>: images larger than <c>MaxSize^2</c> pixels are scaled down to that area
    /// (733 in the model card's <c>chat()</c> and the engine's default, 1792 in the published evaluation).
    /// </summary>
    public int MaxSize { get; init; } = DefaultMaxSize;

    /// <summary>The longest side is first capped at this many pixels (4172).</summary>
    public int LongestSideCap { get; init; } = DefaultLongestSideCap;

    /// <summary>Images with fewer than this many tokens' worth of pixels are scaled up (4).</summary>
    public int MinTokens { get; init; } = 4;

    /// <summary>The sizing rule (default <see cref="ImageSizingRule.AndesVL"/>, the engine's).</summary>
    public ImageSizingRule Rule { get; init; } = ImageSizingRule.AndesVL;

    /// <summary>The resize step: the processed width and height are multiples of it (patch x merge, 28 for AIMv2).</summary>
    public int Base => PatchSize * MergeSize;

    /// <summary>Throws when a setting is out of range (the same limits as the engine's processor options).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (the parameter name says which).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PatchSize, 1, nameof(PatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PatchSize, 1024, nameof(PatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MergeSize, 1, nameof(MergeSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MergeSize, 16, nameof(MergeSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSize, Base, nameof(MaxSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(LongestSideCap, Base, nameof(LongestSideCap));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinTokens, 1, nameof(MinTokens));
        if (!Enum.IsDefined(Rule))
        {
            throw new ArgumentOutOfRangeException(nameof(Rule), Rule, "Unknown sizing rule.");
        }
    }

    /// <summary>Tells the engine this request's image size: sets <see cref="AndesChatOptionKeys.ImageMaxSize"/> to <see cref="MaxSize"/> (<see cref="AndesChatOptionsExtensions.WithImageMaxSize"/>).</summary>
    /// <param name="options">The request's chat options.</param>
    /// <returns><paramref name="options"/>.</returns>
    public ChatOptions ApplyTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.WithImageMaxSize(MaxSize);
    }
}
