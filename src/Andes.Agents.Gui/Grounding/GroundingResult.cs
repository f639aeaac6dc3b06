using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>A grounded target: the model's answer and where it is on the screenshot and on the desktop.</summary>
/// <param name="Instruction">What was located.</param>
/// <param name="Answer">The parsed answer (model coordinates).</param>
/// <param name="Mapper">The mapping used (geometry, coordinate system, screen bounds).</param>
/// <param name="ImageTarget">The click target on the screenshot.</param>
/// <param name="ScreenTarget">The click target on the desktop.</param>
/// <param name="ImageBox">The answered box on the screenshot (null for a point answer).</param>
/// <param name="ScreenBox">The answered box on the desktop (null for a point answer).</param>
public sealed record GroundingResult(
    string Instruction,
    GroundingAnswer Answer,
    CoordinateMapper Mapper,
    ImagePoint ImageTarget,
    ScreenPoint ScreenTarget,
    ImageBox? ImageBox,
    ScreenBox? ScreenBox);
