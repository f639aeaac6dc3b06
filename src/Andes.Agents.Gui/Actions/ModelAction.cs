using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// An action as a model wrote it, with positions still in model coordinates. <see cref="Resolve"/> maps it onto the
/// desktop (checking every position) and gives an executable <see cref="GuiAction"/>.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Text">The action call as written, e.g. <c>click(start_box='(100,200)')</c>.</param>
public sealed record ModelAction(GuiActionKind Kind, string Text)
{
    /// <summary>The (start) position of pointer actions and scrolls.</summary>
    public ModelTarget? Start { get; init; }

    /// <summary>The end position of a drag.</summary>
    public ModelTarget? End { get; init; }

    /// <summary>The text to type, or the final message of <see cref="GuiActionKind.Done"/>.</summary>
    public string? Content { get; init; }

    /// <summary>The hotkey.</summary>
    public KeyChord? Keys { get; init; }

    /// <summary>The scroll direction.</summary>
    public ScrollDirection? Direction { get; init; }

    /// <summary>Scroll notches, when given.</summary>
    public int? Amount { get; init; }

    /// <summary>The wait duration, when given.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Maps the action onto the desktop.</summary>
    /// <param name="mapper">The mapping of the screenshot the model saw.</param>
    /// <param name="defaultWait">The wait for a <c>wait()</c> without a duration.</param>
    /// <param name="defaultScrollAmount">Notches for a scroll without an amount.</param>
    /// <returns>The executable action.</returns>
    /// <exception cref="GroundingAnswerException">A position is out of range or off the screenshot.</exception>
    /// <exception cref="ActionParseException">A required argument is missing.</exception>
    public GuiAction Resolve(CoordinateMapper mapper, TimeSpan? defaultWait = null, int defaultScrollAmount = 5)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        ScreenBox? box = Start?.Box is { } b ? mapper.ToScreen(b) : null;
        return Kind switch
        {
            GuiActionKind.Click => new ClickAction(Map(mapper, Require(Start, "start_box"))) { TargetBox = box },
            GuiActionKind.DoubleClick => new DoubleClickAction(Map(mapper, Require(Start, "start_box"))) { TargetBox = box },
            GuiActionKind.RightClick => new RightClickAction(Map(mapper, Require(Start, "start_box"))) { TargetBox = box },
            GuiActionKind.Move => new MoveAction(Map(mapper, Require(Start, "start_box"))) { TargetBox = box },
            GuiActionKind.Drag => new DragAction(Map(mapper, Require(Start, "start_box")), Map(mapper, Require(End, "end_box"))) { TargetBox = box },
            GuiActionKind.Type => new TypeTextAction(Content ?? throw Missing("content")),
            GuiActionKind.Hotkey => new HotkeyAction(Keys ?? throw Missing("key")),
            GuiActionKind.Scroll => new ScrollAction(Start is { } s ? Map(mapper, s) : null, Direction ?? throw Missing("direction"), Amount ?? defaultScrollAmount) { TargetBox = box },
            GuiActionKind.Wait => new WaitAction(Duration ?? defaultWait ?? TimeSpan.FromSeconds(2)),
            GuiActionKind.Done => new DoneAction(Content),
            GuiActionKind.CallUser => new DoneAction(Content ?? "The model asked for the user's help.", NeedsUser: true),
            _ => throw new ActionParseException($"Unknown action kind {Kind}.", Text, 0),
        };
    }

    private ScreenPoint Map(CoordinateMapper mapper, ModelTarget target)
        => mapper.TryMapToScreen(target.Point, out ScreenPoint screen, out GroundingFailure? failure)
            ? screen
            : throw new GroundingAnswerException(failure!, Text);

    private ModelTarget Require(ModelTarget? target, string argument) => target ?? throw Missing(argument);

    private ActionParseException Missing(string argument)
        => new($"The {Kind} action '{Text}' has no {argument} argument.", Text, 0);
}
