using System.CommandLine;
using Andes.GenAI;
namespace Andes.Cli.Commands;

/// <summary>The sampling options shared by <c>generate</c> and <c>chat</c>.</summary>
internal sealed class SamplingOptions
{
    public Option<int?> MaxTokens { get; } = new Option<int?>("--max-tokens") { Description = "Maximum tokens to generate." }.AtLeast(1);

    public Option<bool> Greedy { get; } = new("--greedy") { Description = "Decode greedily (argmax); not with --temperature, --top-k, --top-p or --min-p." };

    public Option<float?> Temperature { get; } = new Option<float?>("--temperature") { Description = "Sampling temperature (0 = greedy)." }.Between(0f, 100f, "0 = greedy");

    public Option<int?> TopK { get; } = new Option<int?>("--top-k") { Description = "Keep the k most likely tokens (0 = off)." }.AtLeast(0, "0 = off");

    public Option<float?> TopP { get; } = new Option<float?>("--top-p") { Description = "Nucleus sampling mass (1 = off)." }.Between(0f, 1f, "the probability mass kept; 1 = off");

    public Option<float?> MinP { get; } = new Option<float?>("--min-p") { Description = "Drop tokens below min-p times the top probability (0 = off)." }.Between(0f, 1f, "0 = off");

    public Option<float?> RepetitionPenalty { get; } = new Option<float?>("--repetition-penalty") { Description = "Repetition penalty (1 = off)." }.Positive("1 = off");

    public Option<long?> Seed { get; } = new("--seed") { Description = "Random seed (same seed, same tokens)." };

    public Option<string[]> Stop { get; } = new("--stop") { Description = "Stop sequence (repeatable); not printed.", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { MaxTokens, Greedy, Temperature, TopK, TopP, MinP, RepetitionPenalty, Seed, Stop })
        {
            command.Options.Add(o);
        }

        command.Excludes(Greedy, "--greedy always takes the most likely token, so there is nothing to sample", Temperature, TopK, TopP, MinP);
    }

    /// <summary>Applies the given options over <paramref name="defaults"/>.</summary>
    public GenerationOptions Apply(ParseResult parse, GenerationOptions defaults)
    {
        GenerationOptions g = defaults.Clone();
        if (parse.GetValue(MaxTokens) is int max)
        {
            g.MaxNewTokens = max;
        }

        if (parse.GetValue(Temperature) is float t)
        {
            g.Temperature = t;
            g.DoSample = t > 0;
        }

        if (parse.GetValue(TopK) is int k)
        {
            g.TopK = k;
        }

        if (parse.GetValue(TopP) is float p)
        {
            g.TopP = p;
        }

        if (parse.GetValue(MinP) is float minP)
        {
            g.MinP = minP;
        }

        if (parse.GetValue(RepetitionPenalty) is float rp)
        {
            g.RepetitionPenalty = rp;
        }

        if (parse.GetValue(Seed) is long seed)
        {
            g.Seed = seed;
        }

        if (parse.GetValue(Stop) is { Length: > 0 } stops)
        {
            g.StopSequences = stops;
        }

        if (parse.GetValue(Greedy))
        {
            g.DoSample = false;
        }

        return g;
    }
}
