namespace Andes.Agents.Gui;

/// <summary>Pauses between synthesised input events, so applications see human-like sequences. Immutable.</summary>
public sealed class InputTimingOptions
{
    /// <summary>The defaults.</summary>
    public static InputTimingOptions Default { get; } = new();

    /// <summary>No pauses at all (tests).</summary>
    public static InputTimingOptions None { get; } = new() { EventDelay = TimeSpan.Zero, DoubleClickInterval = TimeSpan.Zero, KeystrokeDelay = TimeSpan.Zero, DragSteps = 4 };

    /// <summary>Pause after a pointer move and between button transitions (15 ms).</summary>
    public TimeSpan EventDelay { get; init; } = TimeSpan.FromMilliseconds(15);

    /// <summary>Pause between the two clicks of a double click (60 ms; well under the usual 500 ms limit).</summary>
    public TimeSpan DoubleClickInterval { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Pause between typed characters (8 ms).</summary>
    public TimeSpan KeystrokeDelay { get; init; } = TimeSpan.FromMilliseconds(8);

    /// <summary>Intermediate pointer moves of a drag (12).</summary>
    public int DragSteps { get; init; } = 12;
}
