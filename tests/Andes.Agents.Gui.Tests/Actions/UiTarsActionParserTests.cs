using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.Actions;

public sealed class UiTarsActionParserTests
{
    [Fact]
    public void ParsesThoughtAndClick()
    {
        ModelActionResponse r = UiTarsActionParser.Parse("Thought: The Send button is at the bottom.\nAction: click(start_box='(100,200)')");
        Assert.Equal("The Send button is at the bottom.", r.Thought);
        ModelAction a = Assert.Single(r.Actions);
        Assert.Equal(GuiActionKind.Click, a.Kind);
        Assert.Equal(new ModelPoint(100, 200), a.Start!.Value.Point);
        Assert.Null(a.Start.Value.Box);
        Assert.Equal("click(start_box='(100,200)')", a.Text);
    }

    [Theory]
    [InlineData("click(start_box='<|box_start|>(100,200)<|box_end|>')", GuiActionKind.Click, 100, 200)]
    [InlineData("left_single(start_box='(10,20,30,40)')", GuiActionKind.Click, 20, 30)]
    [InlineData("click(start_box=\"<|box_start|>(10,20),(30,40)<|box_end|>\")", GuiActionKind.Click, 20, 30)]
    [InlineData("click(start_box=(100,200))", GuiActionKind.Click, 100, 200)]
    [InlineData("click('[100, 200]')", GuiActionKind.Click, 100, 200)]
    [InlineData("left_double(start_box='(5,6)')", GuiActionKind.DoubleClick, 5, 6)]
    [InlineData("double_click(start_box='(5,6)')", GuiActionKind.DoubleClick, 5, 6)]
    [InlineData("right_single(start_box='(7,8)')", GuiActionKind.RightClick, 7, 8)]
    [InlineData("hover(start_box='(9,10)')", GuiActionKind.Move, 9, 10)]
    [InlineData("mouse_move(point='(9,10)')", GuiActionKind.Move, 9, 10)]
    public void ParsesPointerActions(string text, GuiActionKind kind, double x, double y)
    {
        ModelAction a = UiTarsActionParser.ParseAction(text);
        Assert.Equal(kind, a.Kind);
        Assert.Equal(new ModelPoint(x, y), a.Start!.Value.Point);
    }

    [Fact]
    public void ParsesTheOtherActions()
    {
        ModelActionResponse r = UiTarsActionParser.Parse(
            "Action: drag(start_box='(1,2)', end_box='(3,4)')\n" +
            "type(content='héllo \\'world\\'\\n')\n" +
            "hotkey(key='ctrl c')\n" +
            "scroll(start_box='(5,6)', direction='down')\n" +
            "scroll(direction=\"up\", amount=3)\n" +
            "wait()\n" +
            "wait(seconds=1.5)\n" +
            "finished(content='All done.')\n" +
            "call_user()");
        Assert.Equal(9, r.Actions.Count);
        Assert.Null(r.Thought);
        Assert.Equal(new ModelPoint(3, 4), r.Actions[0].End!.Value.Point);
        Assert.Equal("héllo 'world'\n", r.Actions[1].Content);
        Assert.Equal(KeyChord.Parse("ctrl+c"), r.Actions[2].Keys);
        Assert.Equal(ScrollDirection.Down, r.Actions[3].Direction);
        Assert.Equal(new ModelPoint(5, 6), r.Actions[3].Start!.Value.Point);
        Assert.Equal((ScrollDirection.Up, 3), (r.Actions[4].Direction!.Value, r.Actions[4].Amount!.Value));
        Assert.Null(r.Actions[4].Start);
        Assert.Null(r.Actions[5].Duration);
        Assert.Equal(TimeSpan.FromSeconds(1.5), r.Actions[6].Duration);
        Assert.Equal((GuiActionKind.Done, "All done."), (r.Actions[7].Kind, r.Actions[7].Content));
        Assert.Equal(GuiActionKind.CallUser, r.Actions[8].Kind);
    }

    [Fact]
    public void ThinkingIsSkipped()
    {
        ModelActionResponse r = UiTarsActionParser.Parse("<think>click(start_box='(1,1)')?</think>\nThought: go\nAction: type(content='x')");
        Assert.Equal(GuiActionKind.Type, Assert.Single(r.Actions).Kind);
        Assert.Equal("go", r.Thought);
    }

    [Theory]
    [InlineData("Action: explode(start_box='(1,2)')", "Unknown action 'explode'")]
    [InlineData("Action: click(start_box='(1,2)'", "Expected ')'")]
    [InlineData("Action: type(content='abc)", "not closed")]
    [InlineData("Action: click()", "has no start_box argument")]
    [InlineData("Action: drag(start_box='(1,2)')", "has no end_box argument")]
    [InlineData("Action: hotkey(key='ctrl banana')", "'banana'")]
    [InlineData("Action: scroll(start_box='(1,2)')", "has no direction")]
    [InlineData("Action: scroll(direction='sideways')", "'sideways'")]
    [InlineData("Action: scroll(direction='up', amount=0)", "amount '0'")]
    [InlineData("Action: wait(seconds='forever')", "'forever'")]
    [InlineData("I would click the button.", "Unknown action 'I'")]
    [InlineData("Thought: nothing to do\nAction:", "no action")]
    [InlineData("Action: click(start_box='(1,2)', start_box='(3,4)')", "appears twice")]
    public void BadActionsThrowClearErrors(string text, string expected)
    {
        var e = Assert.Throws<ActionParseException>(() => UiTarsActionParser.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(text, e.Text);
    }

    [Fact]
    public void OutOfRangeCoordinatesAreRejectedAsGroundingErrors()
    {
        var e = Assert.Throws<GroundingAnswerException>(() => UiTarsActionParser.Parse("Action: click(start_box='(1200,200)')"));
        Assert.Equal(GroundingFailureReason.OutOfRange, e.Reason);
        Assert.Contains("1200", e.Message, StringComparison.Ordinal);
        Assert.Contains("click(start_box='(1200,200)')", e.Message, StringComparison.Ordinal);

        // The same answer is fine on a 0-10000 scale.
        Assert.Single(UiTarsActionParser.Parse("Action: click(start_box='(1200,200)')", new ModelCoordinateSystem(10000)).Actions);
    }

    [Fact]
    public void ResolveMapsModelPositionsOntoTheDesktop()
    {
        var mapper = new CoordinateMapper(ImageGeometry.Identity(1000, 500), ModelCoordinateSystem.AndesVL, new ScreenRectangle(-1000, 100, 1000, 500));
        GuiAction click = UiTarsActionParser.ParseAction("click(start_box='(100,200,300,400)')").Resolve(mapper);
        ClickAction c = Assert.IsType<ClickAction>(click);
        Assert.Equal(new ScreenPoint(-800, 250), c.Position);
        Assert.Equal(new ScreenBox(-900, 200, -700, 300), c.TargetBox);

        DragAction drag = Assert.IsType<DragAction>(UiTarsActionParser.ParseAction("drag(start_box='(0,0)', end_box='(500,500)')").Resolve(mapper));
        Assert.Equal(new ScreenPoint(-1000, 100), drag.Start);
        Assert.Equal(new ScreenPoint(-500, 350), drag.End);

        Assert.Equal(new WaitAction(TimeSpan.FromSeconds(2)), UiTarsActionParser.ParseAction("wait()").Resolve(mapper));
        Assert.Equal(new ScrollAction(null, ScrollDirection.Down, 5), UiTarsActionParser.ParseAction("scroll(direction='down')").Resolve(mapper));
        Assert.Equal(new DoneAction("ok"), UiTarsActionParser.ParseAction("finished(content='ok')").Resolve(mapper));
        Assert.True(Assert.IsType<DoneAction>(UiTarsActionParser.ParseAction("call_user()").Resolve(mapper)).NeedsUser);
    }

    [Fact]
    public void ResolveRejectsPointsInThePadding()
    {
        var mapper = new CoordinateMapper(new ImageGeometry(1080, 2400, 1092, 2408, 4, 0, 1084, 2408), new ModelCoordinateSystem(1000, ModelCoordinateFrame.ProcessedImage), new ScreenRectangle(0, 0, 1080, 2400));
        var e = Assert.Throws<GroundingAnswerException>(() => UiTarsActionParser.ParseAction("click(start_box='(0,500)')").Resolve(mapper));
        Assert.Equal(GroundingFailureReason.OutsideImage, e.Reason);
    }
    /// <summary>Issue 14: full-width and Arabic-Indic digits in positions, amounts and durations are read, never a FormatException.</summary>
    [Fact]
    public void DigitsOfOtherScriptsAreRead()
    {
        ModelActionResponse r = UiTarsActionParser.Parse("Action: click(start_box=(１２３,４５６)); scroll(start_box='(٣٠٠,٤٠٠)', direction='down', amount='３'); wait(seconds='٢')");
        Assert.Equal(new ModelPoint(123, 456), r.Actions[0].Start!.Value.Point);
        Assert.Equal(new ModelPoint(300, 400), r.Actions[1].Start!.Value.Point);
        Assert.Equal(3, r.Actions[1].Amount);
        Assert.Equal(TimeSpan.FromSeconds(2), r.Actions[2].Duration);

        GroundingAnswerException e = Assert.Throws<GroundingAnswerException>(() => UiTarsActionParser.Parse("Action: click(start_box='(１２３４,５)')"));
        Assert.Equal(GroundingFailureReason.OutOfRange, e.Failure.Reason);
    }
}
