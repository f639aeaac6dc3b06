using System.Globalization;
using System.Text;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Parses UI-TARS-style agent answers: an optional <c>Thought: ...</c>, then <c>Action:</c> followed by one or more
/// calls such as <c>click(start_box='(100,200)')</c>, <c>left_double(start_box='&lt;|box_start|&gt;(1,2)&lt;|box_end|&gt;')</c>,
/// <c>right_single(...)</c>, <c>hover(...)</c>, <c>drag(start_box='(1,2)', end_box='(3,4)')</c>,
/// <c>type(content='hello\n')</c>, <c>hotkey(key='ctrl c')</c>, <c>scroll(start_box='(5,6)', direction='down')</c>,
/// <c>wait()</c>, <c>finished(content='...')</c> and <c>call_user()</c>.
/// </summary>
/// <remarks>
/// <para>Positions may be points <c>(x,y)</c> or boxes <c>(x1,y1,x2,y2)</c> / <c>(x1,y1),(x2,y2)</c> (box centre), with or
/// without the box tokens, quoted or not; they are range-checked against the model's coordinate system here and
/// mapped later by <see cref="ModelAction.Resolve"/>. Arguments may be named or positional; strings take
/// <c>'...'</c> or <c>"..."</c> with backslash escapes. Calls are separated by newlines, <c>;</c> or spaces. Numbers may
/// use the decimal digits of any script (full-width, Arabic-Indic, ...), read as ASCII digits, as in
/// <see cref="GroundingAnswerParser"/>.</para>
/// <para>Errors: <see cref="ActionParseException"/> for syntax, unknown actions and bad arguments;
/// <see cref="GroundingAnswerException"/> for out-of-range coordinates. Stateless and thread-safe.</para>
/// </remarks>
public static class UiTarsActionParser
{
    private static readonly Dictionary<string, GuiActionKind> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["click"] = GuiActionKind.Click, ["left_single"] = GuiActionKind.Click, ["left_click"] = GuiActionKind.Click, ["tap"] = GuiActionKind.Click,
        ["left_double"] = GuiActionKind.DoubleClick, ["double_click"] = GuiActionKind.DoubleClick, ["doubleclick"] = GuiActionKind.DoubleClick,
        ["right_single"] = GuiActionKind.RightClick, ["right_click"] = GuiActionKind.RightClick,
        ["hover"] = GuiActionKind.Move, ["move"] = GuiActionKind.Move, ["mouse_move"] = GuiActionKind.Move, ["move_to"] = GuiActionKind.Move,
        ["drag"] = GuiActionKind.Drag, ["select"] = GuiActionKind.Drag,
        ["type"] = GuiActionKind.Type, ["type_text"] = GuiActionKind.Type, ["input"] = GuiActionKind.Type,
        ["hotkey"] = GuiActionKind.Hotkey, ["press"] = GuiActionKind.Hotkey, ["key"] = GuiActionKind.Hotkey, ["keypress"] = GuiActionKind.Hotkey,
        ["scroll"] = GuiActionKind.Scroll,
        ["wait"] = GuiActionKind.Wait,
        ["finished"] = GuiActionKind.Done, ["finish"] = GuiActionKind.Done, ["done"] = GuiActionKind.Done,
        ["call_user"] = GuiActionKind.CallUser,
    };

    private static readonly string[] StartNames = ["start_box", "start_point", "point", "box", "coordinate", "position", "start"];
    private static readonly string[] EndNames = ["end_box", "end_point", "end"];
    private static readonly string[] ContentNames = ["content", "text", "message"];
    private static readonly string[] KeyNames = ["key", "keys", "hotkey"];
    private static readonly string[] DirectionNames = ["direction"];
    private static readonly string[] AmountNames = ["amount", "clicks", "steps", "times"];
    private static readonly string[] DurationNames = ["seconds", "duration", "time", "secs"];

    /// <summary>Parses an agent answer.</summary>
    /// <param name="text">The model's answer.</param>
    /// <param name="coordinates">The model's coordinate system; null for AndesVL's 0-1000.</param>
    /// <returns>The thought and actions.</returns>
    /// <exception cref="ActionParseException">No action, an unknown action or a syntax error.</exception>
    /// <exception cref="GroundingAnswerException">A position is out of range or malformed.</exception>
    public static ModelActionResponse Parse(string text, ModelCoordinateSystem? coordinates = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        coordinates ??= ModelCoordinateSystem.AndesVL;
        int think = text.LastIndexOf("</think>", StringComparison.Ordinal);
        int bodyStart = think >= 0 ? think + "</think>".Length : 0;
        string body = text[bodyStart..];

        string? thought = null;
        int actionAt = body.IndexOf("Action:", StringComparison.OrdinalIgnoreCase);
        int callsStart;
        if (actionAt >= 0)
        {
            string before = body[..actionAt];
            int thoughtAt = before.IndexOf("Thought:", StringComparison.OrdinalIgnoreCase);
            thought = (thoughtAt >= 0 ? before[(thoughtAt + "Thought:".Length)..] : before).Trim();
            callsStart = actionAt + "Action:".Length;
        }
        else
        {
            callsStart = 0;
        }

        var actions = new List<ModelAction>();
        var reader = new Reader(text, bodyStart + callsStart);
        while (true)
        {
            reader.SkipSeparators();
            if (reader.AtEnd)
            {
                break;
            }

            actions.Add(ParseCall(ref reader, coordinates));
        }

        if (actions.Count == 0)
        {
            throw new ActionParseException("The answer holds no action (expected e.g. \"Action: click(start_box='(100,200)')\").", text, text.Length);
        }

        return new ModelActionResponse(text, string.IsNullOrEmpty(thought) ? null : thought, actions);
    }

    /// <summary>Parses a single action call such as <c>click(start_box='(100,200)')</c>.</summary>
    /// <param name="call">The call.</param>
    /// <param name="coordinates">The model's coordinate system; null for AndesVL's 0-1000.</param>
    /// <returns>The action.</returns>
    /// <exception cref="ActionParseException">The call is not exactly one valid action.</exception>
    /// <exception cref="GroundingAnswerException">A position is out of range or malformed.</exception>
    public static ModelAction ParseAction(string call, ModelCoordinateSystem? coordinates = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        var reader = new Reader(call, 0);
        reader.SkipSeparators();
        ModelAction action = ParseCall(ref reader, coordinates ?? ModelCoordinateSystem.AndesVL);
        reader.SkipSeparators();
        if (!reader.AtEnd)
        {
            throw new ActionParseException($"Unexpected text after the action at offset {reader.Position}: '{call[reader.Position..]}'.", call, reader.Position);
        }

        return action;
    }

    private static ModelAction ParseCall(ref Reader reader, ModelCoordinateSystem coordinates)
    {
        int start = reader.Position;
        string name = reader.ReadIdentifier();
        if (!Names.TryGetValue(name, out GuiActionKind kind))
        {
            throw new ActionParseException(
                $"Unknown action '{name}' at offset {start}; known: click, left_double, right_single, hover, drag, type, hotkey, scroll, wait, finished, call_user.",
                reader.Text,
                start);
        }

        reader.SkipSpaces();
        reader.Expect('(');
        var named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var positional = new List<string>();
        reader.SkipSpaces();
        while (!reader.TryConsume(')'))
        {
            int argStart = reader.Position;
            string? argName = reader.TryReadArgumentName();
            string value = reader.ReadValue();
            if (argName is null)
            {
                positional.Add(value);
            }
            else if (!named.TryAdd(argName, value))
            {
                throw new ActionParseException($"The argument '{argName}' of {name} appears twice (offset {argStart}).", reader.Text, argStart);
            }

            reader.SkipSpaces();
            if (!reader.TryConsume(','))
            {
                reader.SkipSpaces();
                reader.Expect(')');
                break;
            }

            reader.SkipSpaces();
        }

        string callText = reader.Text[start..reader.Position];
        var args = new Arguments(named, positional, callText, start, reader.Text);
        var action = new ModelAction(kind, callText);
        return kind switch
        {
            GuiActionKind.Click or GuiActionKind.DoubleClick or GuiActionKind.RightClick or GuiActionKind.Move
                => action with { Start = Target(args.Required(StartNames, 0, "start_box"), callText, coordinates) },
            GuiActionKind.Drag => action with
            {
                Start = Target(args.Required(StartNames, 0, "start_box"), callText, coordinates),
                End = Target(args.Required(EndNames, 1, "end_box"), callText, coordinates),
            },
            GuiActionKind.Type => action with { Content = args.Required(ContentNames, 0, "content") },
            GuiActionKind.Hotkey => action with { Keys = ParseKeys(args.Required(KeyNames, 0, "key"), args) },
            GuiActionKind.Scroll => ParseScroll(action, args, coordinates),
            GuiActionKind.Wait => action with { Duration = args.Optional(DurationNames, 0) is { } d ? ParseDuration(d, args) : null },
            GuiActionKind.Done or GuiActionKind.CallUser => action with { Content = args.Optional(ContentNames, 0) },
            _ => action,
        };
    }

    private static ModelAction ParseScroll(ModelAction action, Arguments args, ModelCoordinateSystem coordinates)
    {
        // Positional forms: scroll('(x,y)', 'down') or scroll('down').
        string? start = args.Optional(StartNames, -1);
        string? direction = args.Optional(DirectionNames, -1);
        string? amount = args.Optional(AmountNames, -1);
        foreach (string p in args.Positional)
        {
            if (TryParseDirection(p, out _))
            {
                direction ??= p;
            }
            else if (int.TryParse(GroundingAnswerParser.NormalizeDigits(p), NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                amount ??= p;
            }
            else
            {
                start ??= p;
            }
        }

        if (direction is null)
        {
            throw args.Error("has no direction argument (up, down, left or right)");
        }

        if (!TryParseDirection(direction, out ScrollDirection parsed))
        {
            throw args.Error($"has direction '{direction}'; expected up, down, left or right");
        }

        int? notches = null;
        if (amount is not null)
        {
            if (!int.TryParse(GroundingAnswerParser.NormalizeDigits(amount), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n <= 0 || n > 100)
            {
                throw args.Error($"has amount '{amount}'; expected a whole number of wheel notches from 1 to 100");
            }

            notches = n;
        }

        return action with
        {
            Start = start is null ? null : Target(start, action.Text, coordinates),
            Direction = parsed,
            Amount = notches,
        };
    }

    private static bool TryParseDirection(string text, out ScrollDirection direction)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "up": direction = ScrollDirection.Up; return true;
            case "down": direction = ScrollDirection.Down; return true;
            case "left": direction = ScrollDirection.Left; return true;
            case "right": direction = ScrollDirection.Right; return true;
            default: direction = default; return false;
        }
    }

    private static KeyChord ParseKeys(string text, Arguments args)
    {
        try
        {
            return KeyChord.Parse(text);
        }
        catch (FormatException e)
        {
            throw args.Error(e.Message);
        }
    }

    private static TimeSpan ParseDuration(string text, Arguments args)
    {
        string t = GroundingAnswerParser.NormalizeDigits(text).Trim().TrimEnd('s', 'S').Trim();
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !double.IsFinite(seconds) || seconds < 0 || seconds > 600)
        {
            throw args.Error($"has duration '{text}'; expected seconds from 0 to 600");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static ModelTarget Target(string value, string callText, ModelCoordinateSystem coordinates)
    {
        if (!GroundingAnswerParser.TryParse(value, coordinates, out GroundingAnswer? answer, out GroundingFailure? failure))
        {
            throw new GroundingAnswerException(failure with { Message = $"In {callText}: {failure.Message}" }, callText);
        }

        return new ModelTarget(answer.Target, answer.Box);
    }

    private sealed class Arguments(Dictionary<string, string> named, List<string> positional, string callText, int offset, string text)
    {
        public List<string> Positional => positional;

        public string Required(string[] names, int position, string display)
            => Optional(names, position) ?? throw Error($"has no {display} argument");

        public string? Optional(string[] names, int position)
        {
            foreach (string n in names)
            {
                if (named.TryGetValue(n, out string? v))
                {
                    return v;
                }
            }

            return position >= 0 && position < positional.Count ? positional[position] : null;
        }

        public ActionParseException Error(string problem) => new($"The action {callText} {problem}.", text, offset);
    }

    private struct Reader(string text, int position)
    {
        public string Text { get; } = text;

        public int Position { get; private set; } = position;

        public readonly bool AtEnd => Position >= Text.Length;

        public void SkipSpaces()
        {
            while (!AtEnd && Text[Position] is ' ' or '\t')
            {
                Position++;
            }
        }

        public void SkipSeparators()
        {
            while (!AtEnd && (char.IsWhiteSpace(Text[Position]) || Text[Position] is ';' or ',' or '`'))
            {
                Position++;
            }
        }

        public bool TryConsume(char c)
        {
            if (!AtEnd && Text[Position] == c)
            {
                Position++;
                return true;
            }

            return false;
        }

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                string found = AtEnd ? "the end of the answer" : $"'{Text[Position]}'";
                throw new ActionParseException($"Expected '{c}' at offset {Position} but found {found}.", Text, Position);
            }
        }

        public string ReadIdentifier()
        {
            int start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Text[Position]) || Text[Position] == '_'))
            {
                Position++;
            }

            if (Position == start)
            {
                string found = AtEnd ? "the end of the answer" : $"'{Text[Position]}'";
                throw new ActionParseException($"Expected an action name at offset {start} but found {found}.", Text, start);
            }

            return Text[start..Position];
        }

        public string? TryReadArgumentName()
        {
            int save = Position;
            int start = Position;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Text[Position]) || Text[Position] == '_'))
            {
                Position++;
            }

            if (Position > start && char.IsAsciiLetter(Text[start]))
            {
                string name = Text[start..Position];
                SkipSpaces();
                if (TryConsume('='))
                {
                    SkipSpaces();
                    return name;
                }
            }

            Position = save;
            return null;
        }

        public string ReadValue()
        {
            if (AtEnd)
            {
                throw new ActionParseException($"Expected an argument value at offset {Position} but the answer ended.", Text, Position);
            }

            char c = Text[Position];
            return c is '\'' or '"' ? ReadQuoted(c) : ReadBare();
        }

        private string ReadQuoted(char quote)
        {
            int start = Position++;
            var builder = new StringBuilder();
            while (!AtEnd)
            {
                char c = Text[Position++];
                if (c == quote)
                {
                    return builder.ToString();
                }

                if (c == '\\' && !AtEnd)
                {
                    char e = Text[Position++];
                    builder.Append(e switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        _ => e,
                    });
                    continue;
                }

                builder.Append(c);
            }

            throw new ActionParseException($"The string starting at offset {start} is not closed with {quote}.", Text, start);
        }

        private string ReadBare()
        {
            // Up to a ',' or ')' at bracket depth 0, so unquoted (x,y) and [x,y] values work.
            int start = Position, depth = 0;
            while (!AtEnd)
            {
                char c = Text[Position];
                if (c is '(' or '[' or '{')
                {
                    depth++;
                }
                else if (c is ')' or ']' or '}')
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                }
                else if (c == ',' && depth == 0)
                {
                    break;
                }

                Position++;
            }

            string value = Text[start..Position].Trim();
            if (value.Length == 0)
            {
                throw new ActionParseException($"Expected an argument value at offset {start}.", Text, start);
            }

            return value;
        }
    }
}
