namespace Andes;

/// <summary>How the processor picks the resized and padded size of an image.</summary>
public enum ImageSizingRule
{
    /// <summary>
    /// What the published AndesVL <c>chat()</c> does (<c>native_preprocess</c> in <c>modeling_andesvl.py</c>):
    /// cap the longest side (an extra bicubic resize to integer sizes); above <c>max_size^2</c> pixels or below the
    /// minimum token area, fit the box around that area (floor of the exact sides, then up to the next multiple of
    /// 2 x patch, a side that already is a multiple gaining a full step; image size rounded half-to-even); otherwise add
    /// up to one step to each side (again a full step for exact multiples) and truncate the image size.
    /// </summary>
    AndesVL,

    /// <summary>
    /// Section 3 of the model notes read literally: scale the float size (cap, then up to the minimum token area,
    /// then down to <c>max_size^2</c>), round each side up to a multiple of 2 x patch, keep an image already of that
    /// size unchanged, otherwise truncate the aspect-preserving size. Differs from <see cref="AndesVL"/> for exact
    /// multiples (no extra step), tiny images (4 tokens, not 9) and images above the cap (one resize, not two).
    /// </summary>
    Specification,
}
