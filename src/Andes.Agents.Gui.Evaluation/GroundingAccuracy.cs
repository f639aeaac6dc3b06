using Andes.Agents.Gui;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>Scores of one group of samples (all, one platform, one data type, or one platform and data type).</summary>
/// <param name="Group">The group name, e.g. <c>all</c>, <c>mobile</c>, <c>icon</c>, <c>mobile/icon</c>.</param>
/// <param name="Count">Samples.</param>
/// <param name="Hits">Samples whose predicted point lies in the true box.</param>
/// <param name="Rejected">Answers rejected as malformed or out of range (counted as misses).</param>
/// <param name="BoxAnswers">Answers that were boxes.</param>
/// <param name="MeanIntersectionOverUnion">Mean IoU over box answers (null when there were none).</param>
public sealed record GroundingAccuracy(string Group, int Count, int Hits, int Rejected, int BoxAnswers, double? MeanIntersectionOverUnion)
{
    /// <summary>Point-in-box accuracy (hits / count).</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Hits / Count;
}
