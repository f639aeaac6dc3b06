using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Evaluation;

/// <summary>How the model did on one sample.</summary>
/// <param name="Sample">The sample.</param>
/// <param name="Answer">The model's answer text.</param>
/// <param name="Point">The predicted click point in image pixels (null when the answer was rejected).</param>
/// <param name="PredictedBox">The predicted box in image pixels, for box answers.</param>
/// <param name="Hit">Whether the point lies in the true box (edges included).</param>
/// <param name="IntersectionOverUnion">IoU of a box answer with the true box; null for point answers.</param>
/// <param name="Failure">Why the answer was rejected, if it was.</param>
public sealed record GroundingSampleResult(
    GroundingSample Sample,
    string Answer,
    ImagePoint? Point,
    ImageBox? PredictedBox,
    bool Hit,
    double? IntersectionOverUnion,
    GroundingFailure? Failure);
