namespace Andes.Agents.Gui.Grounding;

/// <summary>
/// How the engine's image processor picks the resized and padded size of an image. The same two rules as the Andes
/// engine (<c>Andes.GenAI.Vision.ImageSizingRule</c>), with the same arithmetic, so the GUI can map coordinates without
/// referencing the engine.
/// </summary>
public enum ImageSizingRule
{
    /// <summary>
    /// What the published AndesVL <c>chat()</c> does (<c>native_preprocess</c>): cap the longest side (integer sizes);
    /// above <c>max_size^2</c> pixels or below the minimum token area, fit the box around that area (floor of the exact
    /// sides, then up to the next multiple of the step, a side that already is a multiple gaining a full step; image
    /// size rounded half-to-even); otherwise add up to one step to each side (a full step for exact multiples) and
    /// truncate the image size. The engine's default.
    /// </summary>
    AndesVL,

    /// <summary>
    /// Section 3 of the model notes read literally: scale the float size (cap, up to the minimum token area, down to
    /// <c>max_size^2</c>), round each side up to a multiple of the step, keep an image already of that size unchanged,
    /// otherwise truncate the aspect-preserving size.
    /// </summary>
    Specification,
}
