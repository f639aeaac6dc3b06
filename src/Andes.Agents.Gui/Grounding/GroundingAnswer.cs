using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>A parsed, range-checked grounding answer in model coordinates.</summary>
/// <param name="Text">The model's full answer.</param>
/// <param name="Format">The shape the coordinates were written in.</param>
/// <param name="Box">The box, when the answer was a box (null for a point answer).</param>
/// <param name="Target">The click target: the box centre, or the point.</param>
public sealed record GroundingAnswer(string Text, GroundingAnswerFormat Format, ModelBox? Box, ModelPoint Target)
{
    /// <summary>Whether the answer was a box (false: a point).</summary>
    public bool IsBox => Box is not null;
}
