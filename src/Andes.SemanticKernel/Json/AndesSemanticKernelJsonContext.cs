using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Andes.SemanticKernel;

/// <summary>
/// Source-generated JSON contracts for what this package hands to Semantic Kernel and Microsoft.Extensions.AI: a skill
/// function's <c>request</c> argument and the values the built-in skill output parsers return (a string, a string
/// array, a <see cref="JsonElement"/>), so the skill functions work where reflection-based serialisation is off
/// (trimmed or native AOT apps).
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(object))]
internal sealed partial class AndesSemanticKernelJsonContext : JsonSerializerContext;

/// <summary>
/// The serializer options the skill functions use, over <see cref="AndesSemanticKernelJsonContext"/>. (A class of their
/// own: in the context's partial class their initialisers could run before the generated <c>Default</c> is set.)
/// </summary>
internal static class AndesSemanticKernelJsonOptions
{
    /// <summary>
    /// The options of the Semantic Kernel skill functions: the serializer's default settings; contracts from the
    /// context, then (where reflection-based serialisation is on, as in <see cref="JsonSerializerOptions.Default"/>)
    /// by reflection, so a custom output parser may return any type there.
    /// </summary>
    public static JsonSerializerOptions KernelFunction { get; } = CreateKernelFunctionOptions();

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "DefaultJsonTypeInfoResolver is used only when JsonSerializer.IsReflectionEnabledByDefault is true; that feature switch is false in trimmed and native AOT apps unless the app turns reflection back on.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "DefaultJsonTypeInfoResolver is used only when JsonSerializer.IsReflectionEnabledByDefault is true, which native AOT apps turn off.")]
    private static JsonSerializerOptions CreateKernelFunctionOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault
                ? JsonTypeInfoResolver.Combine(AndesSemanticKernelJsonContext.Default, new DefaultJsonTypeInfoResolver())
                : AndesSemanticKernelJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// The options of the Microsoft.Extensions.AI skill tools: <see cref="AIJsonUtilities.DefaultOptions"/> (what
    /// <c>AIFunctionFactory</c> uses when given none), falling back to the context for the parsers' types it lacks.
    /// </summary>
    public static JsonSerializerOptions AIFunction { get; } = CreateAIFunctionOptions();

    private static JsonSerializerOptions CreateAIFunctionOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(AIJsonUtilities.DefaultOptions.TypeInfoResolver, AndesSemanticKernelJsonContext.Default),
        };
        options.MakeReadOnly();
        return options;
    }
}
