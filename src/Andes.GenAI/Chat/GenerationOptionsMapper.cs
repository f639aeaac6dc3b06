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
        }

        return g;
    }
}
