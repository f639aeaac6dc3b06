namespace Andes.Agents.Gui;

/// <summary>Which way content moves into view when scrolling (wheel up = <see cref="Up"/>).</summary>
public enum ScrollDirection
{
    /// <summary>Wheel up: see content above.</summary>
    Up,

    /// <summary>Wheel down: see content below.</summary>
    Down,

    /// <summary>Wheel left: see content to the left.</summary>
    Left,

    /// <summary>Wheel right: see content to the right.</summary>
    Right,
}
