using Andes.Agents.Gui;

namespace Andes.Testing.Fuzzing;

/// <summary>Fuzz targets of the GUI agent's answer parsers (model output, so every input is hostile).</summary>
public static class GuiFuzzTargets
{
    private static readonly string[] GroundingSeeds =
    [
        "<|box_start|>(100,200),(300,400)<|box_end|>",
        "<|box_start|>(512,384)<|box_end|>",
        "(500,500)",
        "The button is at (120, 45).",
        "(10,20),(30,40)",
        "{\"bbox_2d\": [1, 2, 3, 4], \"label\": \"OK\"}",
        "```json\n[{\"point_2d\": [10, 20], \"label\": \"search\"}]\n```",
        "[100, 200, 300, 400]",
        "<think>\nThe icon is top left.\n</think>\n(12.5,99.75)",
        "（１２３，４５６）",
        "Click at (٣٠٠,٤٠٠)",
        "box: (1,2) to (3,4)",
        "{'point': [999, 0]}",
        "(0,1000)",
    ];

    private static readonly string[] ActionSeeds =
    [
        "Thought: Open the menu.\nAction: click(start_box='(100,200)')",
        "Action: left_double(start_box='<|box_start|>(1,2)<|box_end|>')",
        "Action: right_single(start_box='(10,20,30,40)')",
        "Action: hover(start_box='(5,5)')",
        "Action: drag(start_box='(1,2)', end_box='(3,4)')",
        "Action: type(content='hello\\n')",
        "Action: hotkey(key='ctrl c')",
        "Action: scroll(start_box='(5,6)', direction='down')",
        "Action: scroll('down', 3)",
        "Action: wait()",
        "Action: wait(seconds=2.5)",
        "Action: finished(content='done')",
        "Action: call_user()",
        "<think>plan</think>Thought: two steps\nAction: click(start_box='(1,1)'); type(content=\"a 'quoted' text\")",
        "Action: click(start_box=(１２３,４５６))",
        "Action: press(keys='ctrl+shift+t')",
    ];

    /// <summary><see cref="GroundingAnswerParser.TryParse"/>: never throws; an accepted answer's coordinates are finite and in range.</summary>
    public static IFuzzTarget GroundingAnswers() => new FuzzTarget<string>(
        "grounding answers (GroundingAnswerParser.TryParse)",
        [],
        () => GroundingSeeds,
        TextMutator.Mutate,
        text =>
        {
            if (!GroundingAnswerParser.TryParse(text, null, out GroundingAnswer? answer, out GroundingFailure? failure))
            {
                return $"rejected: {failure.Reason}";
            }

            CheckInRange(answer.Target, 1000, text);
            return $"accepted: {answer.Format}";
        },
        FuzzReport.Escape);

    /// <summary><see cref="UiTarsActionParser.Parse"/>: <see cref="ActionParseException"/> or <see cref="GroundingAnswerException"/> only.</summary>
    public static IFuzzTarget UiTarsActions() => new FuzzTarget<string>(
        "UI-TARS actions (UiTarsActionParser.Parse)",
        [typeof(ActionParseException), typeof(GroundingAnswerException)],
        () => ActionSeeds,
        TextMutator.Mutate,
        text =>
        {
            ModelActionResponse response = UiTarsActionParser.Parse(text);
            foreach (ModelAction action in response.Actions)
            {
                foreach (ModelTarget? target in new[] { action.Start, action.End })
                {
                    if (target is { } t)
                    {
                        CheckInRange(t.Point, 1000, text);
                    }
                }
            }

            return "accepted";
        },
        FuzzReport.Escape);

    private static void CheckInRange(ModelPoint point, double scale, string text)
    {
        if (!(point.X >= 0 && point.X <= scale && point.Y >= 0 && point.Y <= scale))
        {
            throw new FuzzInvariantException($"Accepted a point ({point.X}, {point.Y}) outside 0-{scale} from '{FuzzReport.Escape(text)}'.");
        }
    }
}
