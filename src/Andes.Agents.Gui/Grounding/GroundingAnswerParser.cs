using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Reads the coordinates out of a model's grounding answer: AndesVL's <c>&lt;|box_start|&gt;(x1,y1),(x2,y2)&lt;|box_end|&gt;</c>
/// (with or without the special tokens), a point <c>(x,y)</c>, Qwen's <c>bbox_2d</c>/<c>point_2d</c> JSON (also inside
/// <c>```json</c> fences) and bare <c>[x1,y1,x2,y2]</c> lists; then checks every coordinate against the configured
/// scale. Malformed and out-of-range answers are rejected with a <see cref="GroundingFailure"/> naming the value.
/// </summary>
/// <remarks>
/// Text before a closing <c>&lt;/think&gt;</c> is ignored. Full-width brackets and commas count as ASCII ones, and decimal
/// digits of any script (full-width, Arabic-Indic, ...) as ASCII digits. The first
/// coordinate group in the answer wins. A box's corners may come in any order. Stateless and thread-safe.
/// </remarks>
public static partial class GroundingAnswerParser
{
    private const string Number = @"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?";

    /// <summary>Parses an answer.</summary>
    /// <param name="text">The model's answer.</param>
    /// <param name="coordinates">The model's coordinate system (the scale values are checked against).</param>
    /// <returns>The answer.</returns>
    /// <exception cref="GroundingAnswerException">The answer has no usable coordinates or they are out of range.</exception>
    public static GroundingAnswer Parse(string text, ModelCoordinateSystem? coordinates = null)
        => TryParse(text, coordinates, out GroundingAnswer? answer, out GroundingFailure? failure)
            ? answer
            : throw new GroundingAnswerException(failure, text);

    /// <summary>Parses an answer without throwing.</summary>
    /// <param name="text">The model's answer.</param>
    /// <param name="coordinates">The model's coordinate system; null for AndesVL's 0-1000.</param>
    /// <param name="answer">The answer, when parsed.</param>
    /// <param name="failure">Why it was rejected, otherwise null.</param>
    /// <returns>True when the answer has in-range coordinates.</returns>
    public static bool TryParse(string text, ModelCoordinateSystem? coordinates, [NotNullWhen(true)] out GroundingAnswer? answer, [NotNullWhen(false)] out GroundingFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(text);
        coordinates ??= ModelCoordinateSystem.AndesVL;
        answer = null;
        if (!TryReadCoordinates(text, out GroundingAnswerFormat format, out double[]? values, out failure))
        {
            return false;
        }

        foreach (double v in values)
        {
            if (!double.IsFinite(v) || !coordinates.IsInRange(v))
            {
                failure = new GroundingFailure(GroundingFailureReason.OutOfRange, string.Create(
                    CultureInfo.InvariantCulture,
                    $"The coordinate {v:0.###} in ({string.Join(", ", values.Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)))}) lies outside the model's 0-{coordinates.Scale:0.###} range; it is never clicked."));
                return false;
            }
        }

        if (values.Length == 4)
        {
            ModelBox box = ModelBox.FromCorners(new ModelPoint(values[0], values[1]), new ModelPoint(values[2], values[3]));
            answer = new GroundingAnswer(text, format, box, box.Center);
        }
        else
        {
            answer = new GroundingAnswer(text, format, null, new ModelPoint(values[0], values[1]));
        }

        return true;
    }

    /// <summary>
    /// Finds the first coordinate group of an answer and returns its raw numbers (2 for a point, 4 for a box) without
    /// checking their range.
    /// </summary>
    /// <param name="text">The answer.</param>
    /// <param name="format">The shape found.</param>
    /// <param name="values">The numbers.</param>
    /// <param name="failure">Why nothing usable was found.</param>
    /// <returns>True when a group of 2 or 4 numbers was found.</returns>
    public static bool TryReadCoordinates(string text, out GroundingAnswerFormat format, [NotNullWhen(true)] out double[]? values, [NotNullWhen(false)] out GroundingFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(text);
        string body = Normalize(text);
        format = default;
        values = null;

        Match m = BoxTokensRegex().Match(body);
        if (m.Success)
        {
            format = GroundingAnswerFormat.BoxTokens;
            return ReadGroup(m.Groups[1].Value, "the <|box_start|>...<|box_end|> span", out values, out failure);
        }

        m = JsonKeyRegex().Match(body);
        if (m.Success)
        {
            format = GroundingAnswerFormat.QwenJson;
            return ReadGroup(m.Groups[2].Value, $"the \"{m.Groups[1].Value}\" list", out values, out failure);
        }

        // The earliest parenthesised group wins; "(x1,y1),(x2,y2)" starting there is one box.
        m = ParenthesizedRegex().Match(body);
        Match pair = TwoPointsRegex().Match(body);
        if (pair.Success && (!m.Success || pair.Index <= m.Index))
        {
            format = GroundingAnswerFormat.Parenthesized;
            values = [Num(pair.Groups[1]), Num(pair.Groups[2]), Num(pair.Groups[3]), Num(pair.Groups[4])];
            failure = null;
            return true;
        }

        if (m.Success)
        {
            format = GroundingAnswerFormat.Parenthesized;
            return ReadGroup(m.Groups[1].Value, "the parenthesised coordinates", out values, out failure);
        }

        m = BracketRegex().Match(body);
        if (m.Success)
        {
            format = GroundingAnswerFormat.BracketList;
            return ReadGroup(m.Groups[1].Value, "the bracketed list", out values, out failure);
        }

        failure = new GroundingFailure(GroundingFailureReason.NoCoordinates, "The answer holds no box or point (expected <|box_start|>(x1,y1),(x2,y2)<|box_end|>, (x,y), bbox_2d JSON or [x1,y1,x2,y2]).");
        return false;
    }

    private static bool ReadGroup(string group, string where, [NotNullWhen(true)] out double[]? values, [NotNullWhen(false)] out GroundingFailure? failure)
    {
        MatchCollection numbers = NumberRegex().Matches(group);
        string residue = NumberRegex().Replace(group, string.Empty);
        if (residue.Any(char.IsLetter))
        {
            values = null;
            failure = new GroundingFailure(GroundingFailureReason.Malformed, $"{Capitalize(where)} \"{group.Trim()}\" holds text where numbers were expected.");
            return false;
        }

        if (numbers.Count is not (2 or 4))
        {
            values = null;
            failure = new GroundingFailure(GroundingFailureReason.Malformed, string.Create(
                CultureInfo.InvariantCulture,
                $"{Capitalize(where)} \"{group.Trim()}\" holds {numbers.Count} numbers; a point needs 2 and a box 4."));
            return false;
        }

        values = new double[numbers.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = double.Parse(numbers[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        failure = null;
        return true;
    }

    private static string Normalize(string text)
    {
        int think = text.LastIndexOf("</think>", StringComparison.Ordinal);
        string body = think >= 0 ? text[(think + "</think>".Length)..] : text;
        return NormalizeDigits(body.Replace('（', '(').Replace('）', ')').Replace('，', ',').Replace('［', '[').Replace('］', ']'));
    }

    /// <summary>
    /// Writes every decimal digit of another script (full-width <c>１２３</c>, Arabic-Indic <c>١٢٣</c>, Devanagari ...)
    /// as its ASCII digit. The regular expressions' <c>\d</c> matches them while <see cref="double.Parse(string, IFormatProvider)"/>
    /// rejects them; Python's <c>re</c> and <c>float()</c>, which the reference answer parsing uses, read them as numbers,
    /// so they are read here too, and the range check still applies to the value.
    /// </summary>
    internal static string NormalizeDigits(string text)
    {
        int first = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsDigit(text[i]) && !char.IsAsciiDigit(text[i]))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return text;
        }

        return string.Create(text.Length, (text, first), static (span, state) =>
        {
            state.text.AsSpan().CopyTo(span);
            for (int i = state.first; i < span.Length; i++)
            {
                if (char.IsDigit(span[i]) && !char.IsAsciiDigit(span[i]))
                {
                    span[i] = (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(span[i]));
                }
            }
        });
    }

    private static double Num(Group g) => double.Parse(g.Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    [GeneratedRegex(Number, RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();

    [GeneratedRegex(@"<\|box_start\|>(.*?)<\|box_end\|>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex BoxTokensRegex();

    [GeneratedRegex(@"[""']?(bbox_2d|box_2d|bbox|point_2d|point)[""']?\s*:\s*\[([^\[\]]*)\]", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex JsonKeyRegex();

    [GeneratedRegex(@"\(\s*(" + Number + @")\s*,\s*(" + Number + @")\s*\)\s*(?:,|;|-|to)?\s*\(\s*(" + Number + @")\s*,\s*(" + Number + @")\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex TwoPointsRegex();

    [GeneratedRegex(@"\(\s*(" + Number + @"\s*(?:,\s*" + Number + @"\s*)+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex ParenthesizedRegex();

    [GeneratedRegex(@"\[\s*(" + Number + @"\s*(?:,\s*" + Number + @"\s*)+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex BracketRegex();
}
