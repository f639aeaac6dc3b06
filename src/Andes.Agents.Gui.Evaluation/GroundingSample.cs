using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Evaluation;

/// <summary>One grounding test case: an image, an instruction and the true box in image pixels.</summary>
/// <param name="Index">Position in the dataset file (from 0).</param>
/// <param name="ImagePath">The image file (absolute path).</param>
/// <param name="Instruction">What to locate.</param>
/// <param name="Box">The ground-truth box in image pixels (x1, y1, x2, y2).</param>
/// <param name="DataType">The element kind (ScreenSpot: <c>text</c> or <c>icon</c>; <c>unknown</c> when absent).</param>
/// <param name="Platform">The platform (mobile, desktop, web, ...; <c>unknown</c> when absent).</param>
/// <param name="Source">The data source (ScreenSpot's <c>data_source</c>: ios, windows, gitlab, ...), if given.</param>
public sealed record GroundingSample(int Index, string ImagePath, string Instruction, ImageBox Box, string DataType, string Platform, string? Source);
