using System.Globalization;
using System.Text;
using System.Text.Json;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Evaluation;

/// <summary>The scores of a grounding evaluation, overall and by platform, data type and both.</summary>
public sealed class GroundingEvaluationReport
{
    /// <summary>Creates a report from per-sample results.</summary>
    /// <param name="dataset">The dataset's file.</param>
    /// <param name="model">What was evaluated (model name or "oracle").</param>
    /// <param name="results">The results.</param>
    public GroundingEvaluationReport(string dataset, string model, IReadOnlyList<GroundingSampleResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Dataset = dataset;
        Model = model;
        Results = results;
        Overall = Score("all", results);
        ByPlatform = Group(results, r => r.Sample.Platform);
        ByDataType = Group(results, r => r.Sample.DataType);
        ByPlatformAndDataType = Group(results, r => r.Sample.Platform + "/" + r.Sample.DataType);
        RejectedByReason = Enum.GetValues<GroundingFailureReason>().ToDictionary(reason => reason, reason => results.Count(r => r.Failure?.Reason == reason));
    }

    /// <summary>The dataset's file.</summary>
    public string Dataset { get; }

    /// <summary>What was evaluated.</summary>
    public string Model { get; }

    /// <summary>Per-sample results, in dataset order.</summary>
    public IReadOnlyList<GroundingSampleResult> Results { get; }

    /// <summary>All samples.</summary>
    public GroundingAccuracy Overall { get; }

    /// <summary>By platform.</summary>
    public IReadOnlyList<GroundingAccuracy> ByPlatform { get; }

    /// <summary>By data type (text, icon, ...).</summary>
    public IReadOnlyList<GroundingAccuracy> ByDataType { get; }

    /// <summary>By platform and data type.</summary>
    public IReadOnlyList<GroundingAccuracy> ByPlatformAndDataType { get; }

    /// <summary>Rejected answers (counted as misses) by why they were rejected; every reason is present, with 0 when none.</summary>
    public IReadOnlyDictionary<GroundingFailureReason, int> RejectedByReason { get; }

    /// <summary>
    /// A plain-text report: a summary line (<c>score: H/N hits (A%), R rejected (...)</c>), then a table overall, by
    /// platform, by data type and by both.
    /// </summary>
    /// <returns>The table.</returns>
    public string ToText()
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"Grounding evaluation of {Model} on {Dataset}\n");
        string reasons = string.Join(", ", RejectedByReason.Select(p => string.Create(CultureInfo.InvariantCulture, $"{ReasonName(p.Key)} {p.Value}")));
        s.Append(CultureInfo.InvariantCulture, $"score: {Overall.Hits}/{Overall.Count} hits ({Overall.Accuracy * 100:0.00}%), {Overall.Rejected} rejected ({reasons}), {Overall.BoxAnswers} box answers\n");
        s.Append(CultureInfo.InvariantCulture, $"{"group",-28} {"n",6} {"hits",6} {"accuracy",9} {"rejected",9} {"boxes",6} {"mean IoU",9}\n");
        foreach (GroundingAccuracy a in new[] { Overall }.Concat(ByPlatform).Concat(ByDataType).Concat(ByPlatformAndDataType))
        {
            string iou = a.MeanIntersectionOverUnion is { } m ? m.ToString("0.000", CultureInfo.InvariantCulture) : "-";
            s.Append(CultureInfo.InvariantCulture, $"{a.Group,-28} {a.Count,6} {a.Hits,6} {a.Accuracy * 100,8:0.00}% {a.Rejected,9} {a.BoxAnswers,6} {iou,9}\n");
        }

        return s.ToString();
    }

    /// <summary>The report as JSON (scores plus each sample's answer and outcome).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(
        new GroundingReportJson(
            Dataset,
            Model,
            Row(Overall),
            ByPlatform.Select(Row),
            ByDataType.Select(Row),
            ByPlatformAndDataType.Select(Row),
            RejectedByReason.ToDictionary(p => ReasonName(p.Key), p => p.Value),
            Results.Select(r => new GroundingReportSample(
                r.Sample.Index,
                r.Sample.ImagePath,
                r.Sample.Instruction,
                r.Sample.Platform,
                r.Sample.DataType,
                r.Answer,
                r.Hit,
                r.IntersectionOverUnion,
                r.Failure?.Message))),
        ReportJson.GroundingReportJson);

    private static readonly AndesGuiEvaluationJsonContext ReportJson = new(new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

    private static string ReasonName(GroundingFailureReason reason) => reason switch
    {
        GroundingFailureReason.NoCoordinates => "no coordinates",
        GroundingFailureReason.Malformed => "malformed",
        GroundingFailureReason.OutOfRange => "out of range",
        GroundingFailureReason.OutsideImage => "outside image",
        _ => reason.ToString(),
    };

    private static GroundingReportRow Row(GroundingAccuracy a)
        => new(a.Group, a.Count, a.Hits, a.Accuracy, a.Rejected, a.BoxAnswers, a.MeanIntersectionOverUnion);

    private static List<GroundingAccuracy> Group(IReadOnlyList<GroundingSampleResult> results, Func<GroundingSampleResult, string> key)
        => [.. results.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Score(g.Key, [.. g]))];

    private static GroundingAccuracy Score(string group, IReadOnlyList<GroundingSampleResult> results)
    {
        var ious = results.Where(r => r.IntersectionOverUnion is not null).Select(r => r.IntersectionOverUnion!.Value).ToList();
        return new GroundingAccuracy(
            group,
            results.Count,
            results.Count(r => r.Hit),
            results.Count(r => r.Failure is not null),
            ious.Count,
            ious.Count == 0 ? null : ious.Average());
    }
}
