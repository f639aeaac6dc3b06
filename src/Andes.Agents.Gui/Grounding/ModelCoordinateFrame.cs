namespace Andes.Agents.Gui;

/// <summary>Which image the model's normalised coordinates are relative to.</summary>
/// <remarks>
/// AndesVL writes coordinates relative to the image it was given, padding excluded (<see cref="SourceImage"/>): its
/// published ScreenSpot scorer (<c>vlmeval/dataset/GUI/screenspot.py</c> in OPPO's AndesVL_Evaluation) divides the
/// answer by 1000 and the true box by the original image's width and height, with no correction for the processor's
/// resize or padding. Under the engine's default sizing the two frames differ by up to one resize step (28 pixels of
/// a ~733-pixel canvas): a few percent, enough to miss a small button.
/// </remarks>
public enum ModelCoordinateFrame
{
    /// <summary>The processed image, padding included (what the vision encoder saw).</summary>
    ProcessedImage,

    /// <summary>The source image (the screenshot as captured, as sent to the model): AndesVL's convention and the default.</summary>
    SourceImage,
}
