namespace Andes.Agents.Gui.Evaluation;

// The JSON form of GroundingEvaluationReport (GroundingEvaluationReport.ToJson), serialised by the source-generated
// AndesGuiEvaluationJsonContext with snake_case names, nulls written. Each record's property order is its JSON's field order.

/// <summary>The report: scores, rejections by reason (keyed by the reason's words) and each sample.</summary>
internal sealed record GroundingReportJson(
    string Dataset,
    string Model,
    GroundingReportRow Overall,
    IEnumerable<GroundingReportRow> ByPlatform,
    IEnumerable<GroundingReportRow> ByDataType,
    IEnumerable<GroundingReportRow> ByPlatformAndDataType,
    Dictionary<string, int> RejectedByReason,
    IEnumerable<GroundingReportSample> Samples);

/// <summary>The scores of one group.</summary>
internal sealed record GroundingReportRow(string Group, int Count, int Hits, double Accuracy, int Rejected, int BoxAnswers, double? MeanIou);

/// <summary>One sample's answer and outcome.</summary>
internal sealed record GroundingReportSample(
    int Index,
    string Image,
    string Instruction,
    string Platform,
    string DataType,
    string Answer,
    bool Hit,
    double? Iou,
    string? Rejected);
