using Microsoft.Extensions.AI;
namespace Andes.GenAI;

/// <summary>
/// Resolved decoding parameters for one generation: how long to generate, how the next token is chosen from the
/// logits, and when to stop early.
/// </summary>
/// <remarks>
/// <para>
/// The defaults mirror the <c>search</c> section of <c>genai_config.json</c> (do_sample false, top_k 50, top_p off,
/// temperature 1, repetition_penalty 1) so an options object with nothing set decodes greedily. The generator fills
/// an instance from the model's search defaults first and then from <c>Microsoft.Extensions.AI.ChatOptions</c>
/// (<c>Temperature</c>, <c>TopP</c>, <c>TopK</c>, <c>Seed</c>, <c>FrequencyPenalty</c>, <c>PresencePenalty</c>,
/// <c>StopSequences</c>, <c>MaxOutputTokens</c>).
/// </para>
/// <para>
/// When sampling, the logits go through this pipeline, in the same order as Hugging Face transformers:
/// custom logits processors (e.g. a grammar mask) -> <see cref="RepetitionPenalty"/> ->
/// <see cref="PresencePenalty"/>/<see cref="FrequencyPenalty"/> -> <see cref="Temperature"/> -> <see cref="TopK"/> ->
/// <see cref="TopP"/> -> <see cref="MinP"/> -> a draw from the renormalised distribution.
/// Greedy decoding (<see cref="IsGreedy"/>) applies the processors and penalties, then takes the arg-max.
/// </para>
/// <para>Instances are plain mutable option bags and are not thread-safe; use <see cref="Clone"/> to derive variants.</para>
/// </remarks>
public sealed class GenerationOptions
{
    /// <summary>
    /// Gets or sets the maximum number of tokens to generate, or <see langword="null"/> to generate until an end token,
    /// a stop sequence or the model's context length is reached. Must be positive when set.
    /// </summary>
    /// <remarks>Maps from <c>ChatOptions.MaxOutputTokens</c>; <c>genai_config.json</c>'s <c>max_length</c> counts the prompt too.</remarks>
    public int? MaxNewTokens { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the next token is drawn at random from the processed distribution
    /// (<see langword="true"/>) or taken as the arg-max (<see langword="false"/>, the default, like <c>do_sample</c>).
    /// </summary>
    public bool DoSample { get; set; }

    /// <summary>
    /// Gets or sets the softmax temperature (default 1). Must be finite and non-negative; 0 means greedy decoding
    /// whatever <see cref="DoSample"/> says. Values below 1 sharpen the distribution, above 1 flatten it.
    /// </summary>
    public float Temperature { get; set; } = 1f;

    /// <summary>
    /// Gets or sets how many of the most likely tokens are kept before top-p/min-p and the draw (default 50, like
    /// <c>genai_config.json</c>). 0 disables the filter, as does any value at least the vocabulary size. Must be
    /// non-negative. Exactly <c>TopK</c> tokens are kept; ties at the boundary go to the lower token id.
    /// </summary>
    public int TopK { get; set; } = 50;

    /// <summary>
    /// Gets or sets the nucleus (top-p) mass in [0, 1] (default 1 = off). After temperature and top-k, only the
    /// smallest set of most likely tokens whose probability mass reaches <c>TopP</c> is kept (at least one token, so 0
    /// keeps only the most likely token, like Hugging Face and OpenAI).
    /// </summary>
    /// <remarks><c>genai_config.json</c> writes <c>top_p: 0</c> to mean "off": map that to 1.</remarks>
    public float TopP { get; set; } = 1f;

    /// <summary>
    /// Gets or sets the min-p ratio in [0, 1] (default 0 = off): after temperature, top-k and top-p, tokens whose
    /// probability is below <c>MinP</c> times the probability of the most likely token are removed.
    /// </summary>
    public float MinP { get; set; }

    /// <summary>
    /// Gets or sets the Hugging Face (CTRL-style) repetition penalty (default 1 = off); must be finite and positive.
    /// For every distinct token already present in the prompt or the output, a positive logit is divided by the
    /// penalty and a negative logit is multiplied by it (so a penalty above 1 always makes the token less likely).
    /// </summary>
    public float RepetitionPenalty { get; set; } = 1f;

    /// <summary>
    /// Gets or sets the OpenAI-style presence penalty (default 0 = off); must be finite. The penalty is subtracted once
    /// from the logit of every token that already occurs in the generated output. Prompt tokens are not counted.
    /// </summary>
    public float PresencePenalty { get; set; }

    /// <summary>
    /// Gets or sets the OpenAI-style frequency penalty (default 0 = off); must be finite. The penalty times the number
    /// of times a token already occurs in the generated output is subtracted from its logit. Prompt tokens are not
    /// counted. Together: <c>logit -= presence * (count &gt; 0 ? 1 : 0) + frequency * count</c>.
    /// </summary>
    public float FrequencyPenalty { get; set; }

    /// <summary>
    /// Gets or sets the seed of the sampler's random generator, or <see langword="null"/> for a fresh random seed.
    /// The same seed, options and logits give the same tokens on every run (the generator is our own xoshiro256**,
    /// not <see cref="Random"/>).
    /// </summary>
    /// <remarks><c>genai_config.json</c>'s <c>random_seed: -1</c> means "random": map it to <see langword="null"/>.</remarks>
    public long? Seed { get; set; }

    /// <summary>
    /// Gets or sets strings that end generation when they appear in the decoded output, even across several tokens.
    /// The stop sequence itself and anything after it are not returned. Each must be non-empty.
    /// </summary>
    public IList<string>? StopSequences { get; set; }

    /// <summary>
    /// Gets or sets extra token ids that end generation, in addition to the model's end-of-sequence ids.
    /// Each must be non-negative. The stop token is not part of the returned text.
    /// </summary>
    public IList<int>? StopTokenIds { get; set; }

    /// <summary>
    /// Gets a value indicating whether these options select greedy (arg-max) decoding: <see cref="DoSample"/> is
    /// <see langword="false"/> or <see cref="Temperature"/> is 0.
    /// </summary>
    public bool IsGreedy => !DoSample || Temperature == 0f;

    /// <summary>
    /// Gets or sets speculative decoding (a drafter proposes tokens, one decoder pass checks them), or
    /// <see langword="null"/> (the default) to decode one token per pass. The output is the same either way (greedy) or
    /// has the same distribution (sampling); only the speed differs. Andes engine only.
    /// </summary>
    public SpeculativeDecodingOptions? SpeculativeDecoding { get; set; }

    /// <summary>
    /// A copy of these options with what <paramref name="chatOptions"/> sets laid over them, as
    /// <see cref="AndesChatClient"/> does for each request (temperature, top-p, top-k, seed, penalties, stop sequences,
    /// maximum output tokens and the Andes keys); what it leaves unset keeps these values.
    /// </summary>
    /// <param name="chatOptions">The chat options, or null for an unchanged copy.</param>
    /// <returns>The copy.</returns>
    public GenerationOptions WithChatOptions(ChatOptions? chatOptions) => GenerationOptionsMapper.Map(this, chatOptions);

    /// <summary>The generation defaults of a model folder: the <c>search</c> section of its <c>genai_config.json</c>.</summary>
    /// <param name="search">The section.</param>
    public static GenerationOptions FromSearch(GenAISearchConfig search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return new GenerationOptions
        {
            DoSample = search.DoSample,
            Temperature = search.Temperature,
            TopK = search.TopK,
            TopP = search.TopP is > 0 and <= 1 ? search.TopP : 1f,
            RepetitionPenalty = search.RepetitionPenalty,
            Seed = search.RandomSeed >= 0 ? search.RandomSeed : null,
        };
    }

    /// <summary>Creates a deep copy of these options (the stop lists are copied, not shared).</summary>
    /// <returns>A new <see cref="GenerationOptions"/> with the same values.</returns>
    public GenerationOptions Clone() => new()
    {
        MaxNewTokens = MaxNewTokens,
        DoSample = DoSample,
        Temperature = Temperature,
        TopK = TopK,
        TopP = TopP,
        MinP = MinP,
        RepetitionPenalty = RepetitionPenalty,
        PresencePenalty = PresencePenalty,
        FrequencyPenalty = FrequencyPenalty,
        Seed = Seed,
        StopSequences = StopSequences is null ? null : new List<string>(StopSequences),
        StopTokenIds = StopTokenIds is null ? null : new List<int>(StopTokenIds),
        SpeculativeDecoding = SpeculativeDecoding,
    };

    /// <summary>Checks every option and throws on the first invalid one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    /// <exception cref="ArgumentException">A stop sequence is null or empty.</exception>
    public void Validate()
    {
        if (MaxNewTokens is int max && max <= 0)
        {
            throw OutOfRange(nameof(MaxNewTokens), max, "must be positive (or null for no limit)");
        }

        if (!float.IsFinite(Temperature) || Temperature < 0f)
        {
            throw OutOfRange(nameof(Temperature), Temperature, "must be finite and >= 0 (0 = greedy)");
        }

        if (TopK < 0)
        {
            throw OutOfRange(nameof(TopK), TopK, "must be >= 0 (0 = off)");
        }

        if (!(TopP >= 0f && TopP <= 1f))
        {
            throw OutOfRange(nameof(TopP), TopP, "must be in [0, 1] (1 = off)");
        }

        if (!(MinP >= 0f && MinP <= 1f))
        {
            throw OutOfRange(nameof(MinP), MinP, "must be in [0, 1] (0 = off)");
        }

        if (!float.IsFinite(RepetitionPenalty) || RepetitionPenalty <= 0f)
        {
            throw OutOfRange(nameof(RepetitionPenalty), RepetitionPenalty, "must be finite and > 0 (1 = off)");
        }

        if (!float.IsFinite(PresencePenalty))
        {
            throw OutOfRange(nameof(PresencePenalty), PresencePenalty, "must be finite (0 = off)");
        }

        if (!float.IsFinite(FrequencyPenalty))
        {
            throw OutOfRange(nameof(FrequencyPenalty), FrequencyPenalty, "must be finite (0 = off)");
        }

        if (StopSequences is not null)
        {
            for (int i = 0; i < StopSequences.Count; i++)
            {
                if (string.IsNullOrEmpty(StopSequences[i]))
                {
                    throw new ArgumentException(
                        $"GenerationOptions.{nameof(StopSequences)}[{i}] is null or empty; stop sequences must be non-empty strings.",
                        nameof(StopSequences));
                }
            }
        }

        if (StopTokenIds is not null)
        {
            for (int i = 0; i < StopTokenIds.Count; i++)
            {
                if (StopTokenIds[i] < 0)
                {
                    throw OutOfRange($"{nameof(StopTokenIds)}[{i}]", StopTokenIds[i], "token ids must be >= 0");
                }
            }
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(string option, object value, string rule) =>
        new(option, value, $"GenerationOptions.{option} = {FormatValue(value)} is invalid: it {rule}.");

    private static string FormatValue(object value) => value switch
    {
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
