using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>The JSON settings of trajectory files: snake_case names and enums, nulls left out, one object per line.</summary>
internal static class TrajectoryJson
{
    /// <summary>The trajectory contracts with those settings.</summary>
    public static AndesAgentsGuiJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // Every enum a trajectory holds, each with its own (AOT-safe) converter.
        Converters =
        {
            new JsonStringEnumConverter<StepOutcome>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<SafetyVerdict>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<GuiAgentStatus>(JsonNamingPolicy.SnakeCaseLower),
            new JsonStringEnumConverter<ScrollDirection>(JsonNamingPolicy.SnakeCaseLower),
        },
    });
}
