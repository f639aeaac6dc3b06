using System.Globalization;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>One monitor of the virtual desktop.</summary>
/// <param name="Name">The platform's name for it (RandR output name, <c>\\.\DISPLAY1</c>, ...).</param>
/// <param name="Bounds">Its rectangle in virtual-desktop coordinates (the origin may be negative).</param>
/// <param name="ScaleFactor">Its DPI scale (1.0 = 96 DPI, 1.5 = 150 %).</param>
/// <param name="IsPrimary">Whether it is the primary monitor.</param>
public sealed record MonitorInfo(string Name, ScreenRectangle Bounds, double ScaleFactor, bool IsPrimary)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Bounds} @{ScaleFactor * 100:0}%{(IsPrimary ? " primary" : string.Empty)}");
}
