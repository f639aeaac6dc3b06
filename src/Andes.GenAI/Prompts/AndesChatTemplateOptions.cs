using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>Model-level settings of an <see cref="AndesChatTemplate"/>.</summary>
public sealed class AndesChatTemplateOptions
{
    /// <summary>
    /// Gets a value indicating whether the generation prompt opens a thinking block (<c>&lt;|im_start|&gt;assistant\n&lt;think&gt;\n</c>),
    /// as AndesVL-*-Thinking models are prompted, unless <see cref="ChatTemplateOptions.EnableThinking"/> is
    /// <see langword="false"/>. The rendered <see cref="ChatPrompt.EndsInReasoning"/> then is <see langword="true"/>.
    /// Defaults to <see langword="false"/> (the stock template, right for -Instruct models).
    /// </summary>
    public bool OpenThinkingInGenerationPrompt { get; init; }

    /// <summary>
    /// Gets the serializer options used to turn tool results and argument values that are neither strings,
    /// numbers, booleans, dictionaries, lists nor <see cref="JsonElement"/>s into JSON. Defaults to
    /// <see cref="AIJsonUtilities.DefaultOptions"/>.
    /// </summary>
    public JsonSerializerOptions? SerializerOptions { get; init; }

    /// <summary>Gets the output parser settings other than <see cref="AndesOutputParserOptions.StartsInReasoning"/>, which comes from the prompt.</summary>
    public AndesOutputParserOptions? OutputParserOptions { get; init; }
}
