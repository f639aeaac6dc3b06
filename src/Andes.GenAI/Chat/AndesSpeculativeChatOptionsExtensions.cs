using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>Speculative decoding per request on <see cref="ChatOptions"/> (see <see cref="SpeculativeDecodingOptions"/>).</summary>
public static class AndesSpeculativeChatOptionsExtensions
{
    /// <summary>
    /// Decodes this request speculatively with the given drafter (prompt lookup or a draft model), overriding
    /// <see cref="AndesChatClientOptions.SpeculativeDecoding"/>. Exact: greedy output is unchanged and sampling keeps its
    /// distribution.
    /// </summary>
    /// <param name="options">The options (modified and returned).</param>
    /// <param name="speculativeDecoding">The drafter and its number of tokens.</param>
    /// <returns><paramref name="options"/>.</returns>
    public static ChatOptions WithSpeculativeDecoding(this ChatOptions options, SpeculativeDecodingOptions speculativeDecoding)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(speculativeDecoding);
        (options.AdditionalProperties ??= [])[AndesChatOptionKeys.SpeculativeDecoding] = speculativeDecoding;
        return options;
    }
}
