using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>A position in a model's action, in model coordinates: a point, or a box whose centre is the point.</summary>
/// <param name="Point">The point to act on.</param>
/// <param name="Box">The box, when the model gave one.</param>
public readonly record struct ModelTarget(ModelPoint Point, ModelBox? Box);
