using System.Buffers;
using System.Numerics.Tensors;

namespace Andes.GenAI;

/// <summary>
/// Chooses each next token from the decoder's last-position logits according to <see cref="GenerationOptions"/>:
/// custom <see cref="ILogitsProcessor"/>s, repetition/presence/frequency penalties, then greedy arg-max or
/// temperature, top-k, top-p and min-p sampling with a seeded, platform-independent random generator.
/// </summary>
/// <remarks>
/// <para>
/// Create one sampler per generation and dispose it at the end: it owns pooled scratch buffers (rented from
/// <see cref="ArrayPool{T}.Shared"/>) and the token statistics the penalties use. It is not thread-safe.
/// After construction, <see cref="Sample(Span{float})"/> allocates nothing.
/// </para>
/// <para>Typical loop:</para>
/// <code>
/// using var sampler = new LogitsSampler(options, vocabSize);
/// sampler.AddPromptTokens(promptIds);            // once, before the first step
/// while (...)
/// {
///     int token = sampler.Sample(lastLogits);   // modifies lastLogits in place
///     sampler.Accept(token);                    // record it (also for tokens forced by the caller)
///     if (stop) break;
/// }
/// </code>
/// <para>
/// Pipeline per step (Hugging Face order): processors in list order -> repetition penalty -> presence/frequency
/// penalties -> (greedy: arg-max, ties to the lowest id) or temperature -> top-k -> top-p -> min-p -> one draw.
/// Costs over a vocabulary of V (151936 for Qwen3) with k = top-k:
/// </para>
/// <list type="bullet">
/// <item><description>greedy: a vectorised max and a vectorised search for its first occurrence, O(V);</description></item>
/// <item><description>penalties: O(distinct tokens), from counts kept incrementally by <see cref="Accept(int)"/>;</description></item>
/// <item><description>top-k: one pass with a k-entry heap (SIMD blocks that cannot enter are skipped), then the k
/// candidates are sorted (O(k log k)) and temperature, top-p and min-p work on those k only;</description></item>
/// <item><description>no top-k: one fused vectorised pass computes the softmax numerators and per-chunk sums;
/// plain temperature sampling then skips chunks by their sums and walks one chunk. Top-p builds a mass histogram
/// (sixteen bins per power of two, skipping SIMD blocks below a bound no nucleus token can fall under: weight
/// <c>(1-p) * sum / V</c>), gathers only the tokens of the bin where the nucleus ends and runs a weighted quickselect
/// on them (expected linear) to find the exact last nucleus token; the draw then tests membership in place
/// (vectorised per-chunk sums of the kept prefix). Nothing is sorted and the nucleus, however large, is never
/// gathered: a few O(V) passes plus O(boundary bin). Min-p uses the same in-place draw.</description></item>
/// </list>
/// <para>
/// Ties are broken towards the lower token id everywhere (top-k boundary, nucleus boundary, arg-max), so results
/// are deterministic. The same seed, options, prompt and logits give the same tokens on every run; across CPUs the
/// random stream is identical, though the vectorised exp/sum may differ in the last bit, which can only matter when a
/// draw lands within rounding of a boundary.
/// </para>
/// </remarks>
public sealed class LogitsSampler : IDisposable
{
    private const int ChunkSize = 4096;

    private readonly int _vocabSize;
    private readonly ILogitsProcessor[] _processors;
    private readonly TokenHistory _history;
    private readonly bool _greedy;
    private readonly int _topK;
    private readonly bool _topPEnabled;
    private readonly float _topP;
    private readonly float _minP;
    private readonly float _inverseTemperature;
    private readonly double[] _chunkSums;
    private readonly double[] _prefixSums;
    private readonly double[] _bins;
    private Xoshiro256StarStar _random;

    // Scratch (pooled): candidate keys (k or V), softmax numerators (k or V).
    private ulong[]? _keys;
    private float[]? _weights;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="LogitsSampler"/> class.</summary>
    /// <param name="options">The generation options; validated, and read only here (later changes have no effect).</param>
    /// <param name="vocabSize">The number of logits per step (the decoder's vocabulary dimension).</param>
    /// <param name="processors">
    /// Custom processors (e.g. a grammar mask), run in order at every step before the built-in penalties; the
    /// sequence is copied. May be <see langword="null"/>.
    /// </param>
    /// <param name="expectedTokens">A hint for the total sequence length (prompt plus output) to size the history.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or one of the processors is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vocabSize"/> is not positive, or an option is invalid.</exception>
    public LogitsSampler(GenerationOptions options, int vocabSize, IEnumerable<ILogitsProcessor>? processors = null, int expectedTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        options.Validate();

        _vocabSize = vocabSize;
        var list = new List<ILogitsProcessor>();
        if (processors is not null)
        {
            foreach (ILogitsProcessor processor in processors)
            {
                list.Add(processor ?? throw new ArgumentNullException(nameof(processors), $"LogitsSampler processors[{list.Count}] is null."));
            }
        }

        if (options.RepetitionPenalty != 1f)
        {
            list.Add(new RepetitionPenaltyProcessor(options.RepetitionPenalty));
        }

        if (options.PresencePenalty != 0f || options.FrequencyPenalty != 0f)
        {
            list.Add(new PresenceFrequencyPenaltyProcessor(options.PresencePenalty, options.FrequencyPenalty));
        }

        _processors = [.. list];

        _topK = options.TopK > 0 && options.TopK < vocabSize ? options.TopK : 0;
        _topPEnabled = options.TopP < 1f;
        _topP = options.TopP;
        _minP = options.MinP;
        _inverseTemperature = options.Temperature > 0f ? 1f / options.Temperature : 0f;

        // Top-p 0 and top-k 1 keep only the most likely token: the same result as the arg-max, without a draw.
        _greedy = options.IsGreedy || options.TopP == 0f || options.TopK == 1 || vocabSize == 1;

        Seed = options.Seed ?? Random.Shared.NextInt64();
        _random = new Xoshiro256StarStar(unchecked((ulong)Seed));
        _history = new TokenHistory(vocabSize, expectedTokens);
        bool fullVocabulary = !_greedy && _topK == 0;
        bool filtered = fullVocabulary && (_topPEnabled || _minP > 0f);
        _chunkSums = fullVocabulary ? new double[(vocabSize + ChunkSize - 1) / ChunkSize] : [];
        _prefixSums = filtered ? new double[_chunkSums.Length] : [];
        _bins = filtered && _topPEnabled ? new double[WeightDistribution.BinCount] : [];
        if (!_greedy)
        {
            int scratch = _topK > 0 ? _topK : vocabSize;
            _keys = ArrayPool<ulong>.Shared.Rent(scratch);
            _weights = ArrayPool<float>.Shared.Rent(scratch);
        }
    }

    /// <summary>Gets the number of logits expected per step.</summary>
    public int VocabSize => _vocabSize;

    /// <summary>
    /// Gets the seed of the random generator: <see cref="GenerationOptions.Seed"/> when set, otherwise the random
    /// seed chosen at construction (log it to reproduce a run).
    /// </summary>
    public long Seed { get; }

    /// <summary>Gets a value indicating whether every step takes the arg-max (no random draw).</summary>
    public bool IsGreedy => _greedy;

    /// <summary>Gets the prompt and the accepted tokens, with the statistics the penalties use.</summary>
    public TokenHistory History => _history;

    /// <summary>
    /// Records the prompt tokens (all of them, including image placeholders) for the repetition penalty. Call before
    /// the first <see cref="Accept(int)"/>; may be called several times to append.
    /// </summary>
    /// <param name="tokens">Token ids in [0, <see cref="VocabSize"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary.</exception>
    /// <exception cref="InvalidOperationException">A generated token was already accepted.</exception>
    public void AddPromptTokens(ReadOnlySpan<int> tokens) => _history.AddPrompt(tokens);

    /// <summary>Records the prompt tokens given as 64-bit ids (the decoder's <c>input_ids</c> type).</summary>
    /// <param name="tokens">Token ids in [0, <see cref="VocabSize"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A token id is outside the vocabulary.</exception>
    /// <exception cref="InvalidOperationException">A generated token was already accepted.</exception>
    public void AddPromptTokens(ReadOnlySpan<long> tokens) => _history.AddPrompt(tokens);

    /// <summary>
    /// Records a generated token, updating the penalty statistics in O(1). Call once per step with the token that is
    /// actually appended to the sequence (the sampled one, or one forced by the caller).
    /// </summary>
    /// <param name="token">A token id in [0, <see cref="VocabSize"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">The token id is outside the vocabulary.</exception>
    public void Accept(int token) => _history.AddGenerated(token);

    /// <summary>
    /// Chooses the next token. The logits are modified in place (processors and penalties); the token is not
    /// recorded - call <see cref="Accept(int)"/> with it.
    /// </summary>
    /// <param name="logits">The last position's logits, length <see cref="VocabSize"/>.</param>
    /// <returns>The chosen token id.</returns>
    /// <exception cref="ArgumentException">The length is not <see cref="VocabSize"/>, or the logits contain NaN.</exception>
    /// <exception cref="InvalidOperationException">Every token has a logit of negative infinity (all masked).</exception>
    public int Sample(Span<float> logits)
    {
        float max = Prepare(logits);
        if (_greedy || max == float.PositiveInfinity)
        {
            return SoftmaxKernels.IndexOfFirstEqual(logits, max);
        }

        return _topK > 0 ? SampleTopK(logits, max) : SampleFull(logits, max);
    }

    /// <summary>
    /// Writes the distribution <see cref="Sample(Span{float})"/> draws from for these logits: the processors and
    /// penalties applied (in place, as <see cref="Sample(Span{float})"/> does), then temperature, top-k, top-p and min-p;
    /// one-hot at the arg-max when greedy. Speculative decoding accepts or rejects drafted tokens against it.
    /// </summary>
    /// <param name="logits">The logits, length <see cref="VocabSize"/>; modified in place.</param>
    /// <param name="probabilities">Receives one probability per token (zero outside the kept set), summing to 1.</param>
    internal void TargetDistribution(Span<float> logits, Span<float> probabilities)
    {
        float max = Prepare(logits);
        probabilities = probabilities[.._vocabSize];
        if (_greedy || max == float.PositiveInfinity)
        {
            probabilities.Clear();
            probabilities[SoftmaxKernels.IndexOfFirstEqual(logits, max)] = 1f;
            return;
        }

        if (_topK > 0)
        {
            int kept = KeptTopK(logits, max);
            Span<ulong> keys = _keys.AsSpan(0, kept);
            Span<float> weights = _weights.AsSpan(0, kept);
            double sum = SumInOrder(weights);
            probabilities.Clear();
            for (int i = 0; i < weights.Length; i++)
            {
                probabilities[CandidateKey.Token(keys[i])] = (float)(weights[i] / sum);
            }

            return;
        }

        double total = SoftmaxKernels.ExpScaled(logits, max, _inverseTemperature, probabilities, _chunkSums, ChunkSize);
        if (_topPEnabled || _minP > 0f)
        {
            float thresholdWeight = _minP;
            int thresholdToken = int.MaxValue;
            if (_topPEnabled)
            {
                (thresholdWeight, thresholdToken) = FindNucleusEnd(probabilities, total);
            }

            total = 0;
            for (int i = 0; i < probabilities.Length; i++)
            {
                float w = probabilities[i];
                if (w > thresholdWeight || (w == thresholdWeight && i <= thresholdToken))
                {
                    total += w;
                }
                else
                {
                    probabilities[i] = 0f;
                }
            }
        }

        TensorPrimitives.Multiply(probabilities, (float)(1.0 / total), probabilities);
    }

    /// <summary>A uniform draw in [0, 1) from the sampler's seeded generator (speculative decoding's accept tests).</summary>
    internal double NextUniform() => _random.NextDouble();

    /// <summary>Draws a token with probability proportional to <paramref name="weights"/> (non-negative, not all zero).</summary>
    internal int Draw(ReadOnlySpan<float> weights)
    {
        double total = 0;
        foreach (float w in weights)
        {
            total += w;
        }

        double target = _random.NextDouble() * total, sum = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] > 0f)
            {
                sum += weights[i];
                last = i;
                if (target < sum)
                {
                    return i;
                }
            }
        }

        return last;
    }

    /// <summary>Runs the processors and penalties over the logits and checks them; returns their maximum.</summary>
    private float Prepare(Span<float> logits)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (logits.Length != _vocabSize)
        {
            throw new ArgumentException(
                $"LogitsSampler expects {_vocabSize} logits (its vocabulary size) but got {logits.Length}.", nameof(logits));
        }

        foreach (ILogitsProcessor processor in _processors)
        {
            processor.Process(logits, _history);
        }

        // Max is a fast vector reduction and NaN-propagating (one check covers the whole vocabulary).
        float max = TensorPrimitives.Max(logits);
        CheckMaximum(logits, max);
        return max;
    }

    /// <summary>Returns the pooled buffers. The sampler cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _history.Release();
        if (_keys is not null)
        {
            ArrayPool<ulong>.Shared.Return(_keys);
            _keys = null;
        }

        if (_weights is not null)
        {
            ArrayPool<float>.Shared.Return(_weights);
            _weights = null;
        }
    }

    private static void CheckMaximum(ReadOnlySpan<float> logits, float max)
    {
        if (float.IsNaN(max))
        {
            throw new ArgumentException(
                $"The logits contain NaN (first at index {TensorPrimitives.IndexOfMax(logits)}); the decoder output or a logits processor is broken.",
                nameof(logits));
        }

        if (max == float.NegativeInfinity)
        {
            throw new InvalidOperationException(
                "Every token's logit is negative infinity: the logits processors masked the whole vocabulary.");
        }
    }

    private int SampleTopK(ReadOnlySpan<float> logits, float max)
    {
        int keep = KeptTopK(logits, max);
        Span<ulong> keys = _keys.AsSpan(0, keep);
        Span<float> weights = _weights.AsSpan(0, keep);
        double u = _random.NextDouble() * SumInOrder(weights);
        double sum = 0;
        for (int i = 0; i < keep; i++)
        {
            sum += weights[i];
            if (u < sum)
            {
                return CandidateKey.Token(keys[i]);
            }
        }

        return CandidateKey.Token(keys[keep - 1]);
    }

    /// <summary>
    /// Selects the top-k candidates into the pooled keys (sorted best first) with their temperature softmax numerators
    /// in the pooled weights (relative to the maximum: the best has weight exactly 1), and returns how many of them
    /// top-p and min-p keep: the first that many entries of both buffers.
    /// </summary>
    private int KeptTopK(ReadOnlySpan<float> logits, float max)
    {
        Span<ulong> keys = _keys.AsSpan(0, _topK);
        CandidateSelection.TopK(logits, _topK, keys);

        // Sorted best first; drop masked (-inf) candidates at the tail. The first is the maximum, finite.
        int count = _topK;
        while (CandidateKey.Score(keys[count - 1]) == float.NegativeInfinity)
        {
            count--;
        }

        Span<float> weights = _weights.AsSpan(0, count);
        for (int i = 0; i < count; i++)
        {
            weights[i] = CandidateKey.Score(keys[i]);
        }

        TensorPrimitives.Subtract(weights, max, weights);
        TensorPrimitives.Multiply(weights, _inverseTemperature, weights);
        TensorPrimitives.Exp(weights, weights);

        int keep = count;
        if (_topPEnabled)
        {
            double target = _topP * SumInOrder(weights);
            double before = 0;
            keep = 0;
            while (keep < count && (keep == 0 || before < target))
            {
                before += weights[keep++];
            }
        }

        // Min-p: probability below minP times the top probability, i.e. weight below minP (the top weight is 1).
        while (keep > 1 && weights[keep - 1] < _minP)
        {
            keep--;
        }

        return keep;
    }

    private int SampleFull(ReadOnlySpan<float> logits, float max)
    {
        Span<float> weights = _weights.AsSpan(0, _vocabSize);
        double total = SoftmaxKernels.ExpScaled(logits, max, _inverseTemperature, weights, _chunkSums, ChunkSize);
        if (!_topPEnabled && _minP == 0f)
        {
            return WeightDistribution.Draw(weights, _chunkSums, ChunkSize, total, _random.NextDouble(), -1f, int.MaxValue);
        }

        // The kept tokens are a best-first prefix; find its last member (thresholdWeight, thresholdToken).
        // Min-p alone: every weight >= minP (the top weight is 1, so this is probability >= minP * top probability).
        float thresholdWeight = _minP;
        int thresholdToken = int.MaxValue;
        if (_topPEnabled)
        {
            (thresholdWeight, thresholdToken) = FindNucleusEnd(weights, total);
        }

        double kept = WeightDistribution.PrefixChunkSums(weights, thresholdWeight, thresholdToken, _prefixSums, ChunkSize);
        return WeightDistribution.Draw(weights, _prefixSums, ChunkSize, kept, _random.NextDouble(), thresholdWeight, thresholdToken);
    }

    /// <summary>
    /// Finds the last token of the top-p nucleus (intersected with min-p) without sorting the vocabulary:
    /// a mass histogram over bins sixteen to a power of two locates the bin where the cumulative mass (best first) reaches
    /// <c>p * total</c>; only that bin's tokens are gathered, and a weighted quickselect finds the exact end among them.
    /// </summary>
    private (float Weight, int Token) FindNucleusEnd(ReadOnlySpan<float> weights, double total)
    {
        // A nucleus token never weighs less than (1-p) * total / V: otherwise it and every lighter token (fewer than V,
        // each lighter than it) would hold more than the (1-p) share the nucleus leaves out. The margin covers
        // rounding. Min-p removes weights below minP; both bounds only skip work in the histogram pass.
        float cutoff = Math.Max(_minP, (float)((1.0 - _topP) * total / _vocabSize * 0.99));

        Span<double> bins = _bins;
        bins.Clear();
        WeightDistribution.AccumulateHistogram(weights, cutoff, bins);

        double target = _topP * total;
        double above = 0;
        for (int bin = bins.Length - 1; bin >= 0; bin--)
        {
            if (above + bins[bin] < target)
            {
                above += bins[bin];
                continue;
            }

            // The nucleus ends inside this bin (it has mass, so members): every heavier bin is wholly inside.
            float lower = Math.Max(WeightDistribution.BinLowerBound(bin), cutoff);
            float upper = bin + 1 < WeightDistribution.BinCount ? WeightDistribution.BinLowerBound(bin + 1) : float.PositiveInfinity;
            Span<ulong> keys = _keys.AsSpan(0, _vocabSize);
            int count = CandidateSelection.Compact(weights, lower, upper, keys);
            if (count == 0)
            {
                break; // unreachable: the bin's mass came from members
            }

            int kept = CandidateSelection.SelectNucleus(keys[..count], target - above);
            ulong last = 0;
            foreach (ulong key in keys[..kept])
            {
                last = Math.Max(last, key);
            }

            return (CandidateKey.Score(last), CandidateKey.Token(last));
        }

        // The candidates' mass fell short of the target (rounding): keep them all.
        return (cutoff, int.MaxValue);
    }

    private static double SumInOrder(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += v;
        }

        return sum;
    }
}
