using System.Text.Json.Serialization;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>
/// Source-generated JSON contracts for what this package writes (no reflection, so it is trimming- and
/// native-AOT-safe): the grounding evaluation report and the synthetic ScreenSpot annotations.
/// </summary>
/// <remarks>Each format keeps its own <see cref="System.Text.Json.JsonSerializerOptions"/> in a context instance made with them.</remarks>
[JsonSerializable(typeof(GroundingReportJson))]
[JsonSerializable(typeof(List<Dictionary<string, object>>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(int[]))]
internal sealed partial class AndesGuiEvaluationJsonContext : JsonSerializerContext;
