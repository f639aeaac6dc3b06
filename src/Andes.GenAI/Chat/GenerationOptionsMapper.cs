using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>Maps <see cref="ChatOptions"/> over the generation defaults.</summary>
internal static class GenerationOptionsMapper
{
    public static GenerationOptions Map(GenerationOptions defaults, ChatOptions? options)
    {
        GenerationOptions g = defaults.Clone();
        if (options is null)
        {
            return g;
        }

        if (options.Temperature is float t)
        {
            g.Temperature = t;
            g.DoSample = t > 0;
        }

        if (options.TopP is float p)
        {
            g.TopP = p;
        }

        if (options.TopK is int k)
        {
            g.TopK = k;
        }

        if (options.MaxOutputTokens is int max)
        {
            g.MaxNewTokens = max;
        }

        if (options.Seed is long seed)
        {
            g.Seed = seed;
        }

        if (options.FrequencyPenalty is float f)
        {
            g.FrequencyPenalty = f;
        }

        if (options.PresencePenalty is float pp)
        {
            g.PresencePenalty = pp;
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            g.StopSequences = [.. g.StopSequences ?? [], .. stops];
        }

        if (options.AdditionalProperties is { } extra)
        {
            if (extra.TryGetValue(AndesChatOptionKeys.MinP, out float minP))
            {
                g.MinP = minP;
            }

            if (extra.TryGetValue(AndesChatOptionKeys.RepetitionPenalty, out float rp))
            {
                g.RepetitionPenalty = rp;
            }

            if (extra.TryGetValue(AndesChatOptionKeys.DoSample, out bool doSample))
            {
                g.DoSample = doSample;
            }

            if (extra.TryGetValue(AndesChatOptionKeys.SpeculativeDecoding, out object? speculative) && speculative is not null)
            {
                g.SpeculativeDecoding = SpeculativeDecodingOf(speculative, extra);
            }
        }

        return g;
    }

    /// <summary>The request's <c>andes.speculative_decoding</c> entry: an options object, "prompt-lookup" or "off".</summary>
    private static SpeculativeDecodingOptions? SpeculativeDecodingOf(object value, AdditionalPropertiesDictionary extra)
    {
        switch (value)
        {
            case SpeculativeDecodingOptions options:
                return options;
            case string text when text.Equals("off", StringComparison.OrdinalIgnoreCase) || text.Equals("none", StringComparison.OrdinalIgnoreCase):
                return null;
            case string text when text.Equals("prompt-lookup", StringComparison.OrdinalIgnoreCase):
                int draftTokens = 8;
                if (extra.TryGetValue(AndesChatOptionKeys.DraftTokens, out object? k) && k is not null)
                {
                    draftTokens = k switch
                    {
                        int i => i,
                        long l when l is >= 1 and <= SpeculativeDecodingOptions.MaxDraftTokens => (int)l,
                        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e when e.TryGetInt32(out int n) => n,
                        _ => throw new ArgumentException($"ChatOptions.AdditionalProperties['{AndesChatOptionKeys.DraftTokens}'] must be an integer from 1 to {SpeculativeDecodingOptions.MaxDraftTokens}, not '{k}'."),
                    };
                    if (draftTokens is < 1 or > SpeculativeDecodingOptions.MaxDraftTokens)
                    {
                        throw new ArgumentException($"ChatOptions.AdditionalProperties['{AndesChatOptionKeys.DraftTokens}'] must be from 1 to {SpeculativeDecodingOptions.MaxDraftTokens}, not {draftTokens}.");
                    }
                }

                return SpeculativeDecodingOptions.PromptLookup(draftTokens);
            default:
                throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties['{AndesChatOptionKeys.SpeculativeDecoding}'] must be \"prompt-lookup\", \"off\" or a SpeculativeDecodingOptions, not '{value}'.");
        }
    }
}
