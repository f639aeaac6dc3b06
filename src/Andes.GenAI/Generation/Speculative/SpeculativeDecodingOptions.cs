namespace Andes.GenAI;

/// <summary>
/// Speculative decoding: a drafter proposes the next <see cref="DraftTokens"/> tokens, the model checks them all in one
/// decoder pass, and every proposal it would have produced itself is kept. Decoding reads the weights once per pass
/// instead of once per token, which is what limits decode speed on a CPU or a phone. The output is exact: greedy
/// decoding gives the same tokens as without speculation, and sampling keeps the model's distribution (each proposal is
/// accepted or rejected against it, the standard speculative sampling rule).
/// </summary>
/// <remarks>
/// <para>
/// Two drafters: <see cref="PromptLookup(int, int)"/> proposes the tokens that followed the latest earlier occurrence of
/// the sequence's last n-gram (in the prompt or the answer so far); it needs no model and suits answers that copy from
/// their input: GUI grounding, tool calls, extraction, edits. <see cref="WithDraftModel(AndesModel, int)"/> lets a
/// smaller model with the same tokenizer propose (for example AndesVL-0.6B for the 2B or 4B model); it sees the same
/// prompt, images included, encoded by its own vision tower.
/// </para>
/// <para>
/// The gain depends on how many proposals are accepted: a pass over k + 1 tokens costs more than one over a single
/// token, so with a poor drafter speculation is slower (see <c>andes bench --speculative</c>). Runs on the Andes engine
/// only. Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class SpeculativeDecodingOptions
{
    /// <summary>The largest number of tokens a drafter may propose per pass.</summary>
    public const int MaxDraftTokens = 32;

    private SpeculativeDecodingOptions(int draftTokens, int maxNgramSize, AndesModel? draftModel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draftTokens, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(draftTokens, MaxDraftTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNgramSize, 1);
        DraftTokens = draftTokens;
        MaxNgramSize = maxNgramSize;
        DraftModel = draftModel;
    }

    /// <summary>
    /// The most tokens proposed per decoder pass (k); the pass runs k + 1 tokens. Decoding starts at k and adapts: one
    /// fewer after a pass with a rejection, two more after a pass that accepted every proposal (from 1 up to k).
    /// </summary>
    public int DraftTokens { get; }

    /// <summary>Prompt lookup: the longest suffix n-gram it tries to match (it falls back to shorter ones, down to 1).</summary>
    public int MaxNgramSize { get; }

    /// <summary>The draft model, or null for prompt lookup.</summary>
    public AndesModel? DraftModel { get; }

    /// <summary>Creates the drafter instead of the built-in ones (tests: drafters with known proposal distributions).</summary>
    internal Func<AndesModel, GenerationOptions, IDrafter>? DrafterFactory { get; init; }

    /// <summary>Options with a custom drafter (tests).</summary>
    internal static SpeculativeDecodingOptions WithDrafter(Func<AndesModel, GenerationOptions, IDrafter> factory, int draftTokens) =>
        new(draftTokens, 3, null) { DrafterFactory = factory };

    /// <summary>The drafter's name for logs and benchmarks: <c>prompt-lookup</c> or <c>draft:FOLDER</c>.</summary>
    public string DrafterName => DraftModel is null ? "prompt-lookup" : $"draft:{Path.GetFileName(DraftModel.Directory.TrimEnd('/', '\\'))}";

    /// <summary>Proposals from the sequence itself: the tokens after the latest earlier match of its last n-gram.</summary>
    /// <param name="draftTokens">The most tokens proposed per pass (1 to <see cref="MaxDraftTokens"/>).</param>
    /// <param name="maxNgramSize">The longest n-gram matched (at least 1).</param>
    /// <returns>The options.</returns>
    public static SpeculativeDecodingOptions PromptLookup(int draftTokens = 8, int maxNgramSize = 3) => new(draftTokens, maxNgramSize, null);

    /// <summary>Proposals from a smaller model with the same tokenizer, decoding ahead greedily or with the same sampling options.</summary>
    /// <param name="draftModel">The draft model (loaded with the Andes engine; same vocabulary).</param>
    /// <param name="draftTokens">The most tokens proposed per pass (1 to <see cref="MaxDraftTokens"/>).</param>
    /// <returns>The options.</returns>
    public static SpeculativeDecodingOptions WithDraftModel(AndesModel draftModel, int draftTokens = 4)
    {
        ArgumentNullException.ThrowIfNull(draftModel);
        return new(draftTokens, 3, draftModel);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{DrafterName}, {DraftTokens} tokens";
}
