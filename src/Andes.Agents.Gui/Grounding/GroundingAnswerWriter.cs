using System.Globalization;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Writes boxes and points the way a model answers (for oracles, scripted clients and prompts).</summary>
public static class GroundingAnswerWriter
{
    /// <summary>Writes a box, rounding each corner to an integer.</summary>
    /// <param name="box">The box in model coordinates.</param>
    /// <param name="format">The answer shape.</param>
    /// <returns>The answer text, e.g. <c>&lt;|box_start|&gt;(10,20),(30,40)&lt;|box_end|&gt;</c>.</returns>
    public static string WriteBox(ModelBox box, GroundingAnswerFormat format = GroundingAnswerFormat.BoxTokens)
    {
        long x1 = R(box.X1), y1 = R(box.Y1), x2 = R(box.X2), y2 = R(box.Y2);
        return format switch
        {
            GroundingAnswerFormat.BoxTokens => I($"<|box_start|>({x1},{y1}),({x2},{y2})<|box_end|>"),
            GroundingAnswerFormat.Parenthesized => I($"({x1},{y1}),({x2},{y2})"),
            GroundingAnswerFormat.QwenJson => I($"```json\n[{{\"bbox_2d\": [{x1}, {y1}, {x2}, {y2}]}}]\n```"),
            GroundingAnswerFormat.BracketList => I($"[{x1}, {y1}, {x2}, {y2}]"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown answer format."),
        };
    }

    /// <summary>Writes a point, rounding to integers.</summary>
    /// <param name="point">The point in model coordinates.</param>
    /// <param name="format">The answer shape.</param>
    /// <returns>The answer text, e.g. <c>(10,20)</c>.</returns>
    public static string WritePoint(ModelPoint point, GroundingAnswerFormat format = GroundingAnswerFormat.Parenthesized)
    {
        long x = R(point.X), y = R(point.Y);
        return format switch
        {
            GroundingAnswerFormat.BoxTokens => I($"<|box_start|>({x},{y})<|box_end|>"),
            GroundingAnswerFormat.Parenthesized => I($"({x},{y})"),
            GroundingAnswerFormat.QwenJson => I($"```json\n[{{\"point_2d\": [{x}, {y}]}}]\n```"),
            GroundingAnswerFormat.BracketList => I($"[{x}, {y}]"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown answer format."),
        };
    }

    /// <summary>
    /// Rounds a box inwards to integer coordinates (left/top up, right/bottom down) so that its centre stays inside
    /// the original box; a box narrower than one unit collapses onto its rounded centre.
    /// </summary>
    /// <param name="box">The box.</param>
    /// <returns>The integer box.</returns>
    public static ModelBox RoundInward(ModelBox box)
    {
        double x1 = Math.Ceiling(box.X1), y1 = Math.Ceiling(box.Y1), x2 = Math.Floor(box.X2), y2 = Math.Floor(box.Y2);
        if (x2 < x1)
        {
            x1 = x2 = Math.Round(box.Center.X);
        }

        if (y2 < y1)
        {
            y1 = y2 = Math.Round(box.Center.Y);
        }

        return new ModelBox(x1, y1, x2, y2);
    }

    private static long R(double v) => (long)Math.Round(v, MidpointRounding.AwayFromZero);

    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
