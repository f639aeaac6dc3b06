namespace Andes.Agents.Gui;

/// <summary>Why a model's grounding answer cannot be acted on.</summary>
public enum GroundingFailureReason
{
    /// <summary>The answer holds no coordinates in any known form.</summary>
    NoCoordinates,

    /// <summary>The answer has coordinates in a broken shape (wrong count, not numbers).</summary>
    Malformed,

    /// <summary>A coordinate lies outside the model's configured range (e.g. 1532 on a 0-1000 scale).</summary>
    OutOfRange,

    /// <summary>The point lands in the processed image's padding, off the screenshot.</summary>
    OutsideImage,
}
