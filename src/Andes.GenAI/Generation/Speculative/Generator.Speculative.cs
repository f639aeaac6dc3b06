namespace Andes.GenAI;

/// <summary>Speculative decoding inside <see cref="Generator"/> (see <see cref="SpeculativeDecodingOptions"/>).</summary>
public sealed partial class Generator
{
    private readonly Speculation? _speculation;

    /// <summary>What speculative decoding did so far, or null when it is off.</summary>
    public SpeculativeDecodingStatistics? SpeculativeDecoding => _speculation?.Statistics;

    /// <summary>
    /// Returns the next decided token, deciding more when none is pending. The cache then holds every decided token but
    /// the last one, which opens the next verification pass: [last, d1..dk] in one pass gives the logits that check
    /// d1..dk and choose the token after the last accepted one.
    /// </summary>
    private int NextSpeculativeToken(Speculation s)
    {
        if (s.Pending.Count == 0)
        {
            if (!_logitsReady && !s.LastUnforwarded)
            {
                throw new InvalidOperationException("Append prompt tokens before generating.");
            }

            Speculate(s);
        }

        int token = s.Pending.Dequeue();
        _tokens.Add(token);
        _cacheTokens.Add(token);
        GeneratedTokenCount++;
        FinishReason = _stops.Check(token, GeneratedTokenCount, _tokens.Count);
        return token;
    }

    private void Speculate(Speculation s)
    {
        if (!s.LastUnforwarded)
        {
            // The prompt pass left the logits of the first new token: nothing to verify yet.
            Decide(s, SampleChecked(_runner.Logits));
            _logitsReady = false;
            s.LastUnforwarded = true;
            return;
        }

        int budget = _stops.MaxNewTokens - GeneratedTokenCount;
        int room = _model.ContextLength - _tokens.Count;
        int k = Math.Min(s.DraftLength, Math.Min(budget, room) - 1);
        int drafted = k > 0 ? s.Drafter.Draft(_tokens, s.Drafts.AsSpan(0, k)) : 0;
        int cached = _runner.Length;
        s.Pass[0] = _tokens[^1];
        s.Drafts.AsSpan(0, drafted).CopyTo(s.Pass.AsSpan(1));
        try
        {
            _runner.Forward(s.Pass.AsSpan(0, drafted + 1), default, _runOptions, _decoderRunOptions, drafted + 1);
        }
        catch (Exception e) when (_terminated && e is not OperationCanceledException)
        {
            throw Terminated(e);
        }

        s.Count(drafted);
        int accepted = 0;
        for (int i = 0; i <= drafted; i++)
        {
            Span<float> row = _runner.LogitsRow(i);
            bool keep = false;
            int token = i == drafted ? SampleChecked(row) : Verify(s, row, i, out keep);
            Decide(s, token);
            if (!keep || _stops.IsStopToken(token))
            {
                break;
            }

            accepted++;
        }

        s.Accepted += accepted;
        s.Adapt(drafted, accepted);

        // Keep the opening token and the accepted proposals; the rest of the pass is forgotten.
        _runner.Rewind(cached + 1 + accepted);
    }

    private void Decide(Speculation s, int token)
    {
        _sampler.Accept(token);
        s.Pending.Enqueue(token);
    }

    /// <summary>Accepts or replaces the <paramref name="index"/>-th proposal given the logits after the tokens before it.</summary>
    private int Verify(Speculation s, Span<float> row, int index, out bool accepted)
    {
        int draft = s.Drafts[index];
        if (_sampler.IsGreedy)
        {
            int best = SampleChecked(row);
            accepted = best == draft;
            return best;
        }

        Span<float> p = s.Target;
        try
        {
            _sampler.TargetDistribution(row, p);
        }
        catch (ArgumentException e) when (float.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum(row)))
        {
            throw NonFiniteLogits(_model, Adapter, _tokens.Count, e);
        }

        // Speculative sampling: keep the proposal with probability min(1, p/q), else draw from the normalised
        // max(0, p - q). Either way the token is distributed as p. A certain proposal has q = 1 at it.
        float pd = p[draft];
        float qd = s.Drafter.HasDistributions ? s.Drafter.Distribution(index)[draft] : 1f;
        if (_sampler.NextUniform() * qd < pd)
        {
            accepted = true;
            return draft;
        }

        accepted = false;
        if (s.Drafter.HasDistributions)
        {
            ReadOnlySpan<float> q = s.Drafter.Distribution(index);
            System.Numerics.Tensors.TensorPrimitives.Subtract(p, q, p);
            System.Numerics.Tensors.TensorPrimitives.Max(p, 0f, p);
        }
        else
        {
            p[draft] = 0f;
        }

        return _sampler.Draw(p);
    }

    /// <summary>The state of speculative decoding for one generation.</summary>
    private sealed class Speculation : IDisposable
    {
        private int _drafted;
        private int _passes;
        private int _plain;

        private Speculation(IDrafter drafter, int draftTokens, int vocab)
        {
            Drafter = drafter;
            Drafts = new int[draftTokens];
            DraftLength = draftTokens;
            Pass = new int[draftTokens + 1];
            Target = new float[vocab];
        }

        public IDrafter Drafter { get; }

        public int[] Drafts { get; }

        public int[] Pass { get; }

        public float[] Target { get; }

        public Queue<int> Pending { get; } = new();

        /// <summary>How many tokens to ask the drafter for next (at most <see cref="Drafts"/>' length).</summary>
        public int DraftLength { get; private set; }

        /// <summary>Whether the last decided token still waits to open the next pass (false only before the first token).</summary>
        public bool LastUnforwarded { get; set; }

        public int Accepted { get; set; }

        public SpeculativeDecodingStatistics Statistics => new(_drafted, Accepted, _passes, _plain);

        public static Speculation Create(SpeculativeDecodingOptions options, AndesModel model, GenerationOptions generation, SequenceRunner runner)
        {
            if (model.Engine != GenerationEngine.Andes)
            {
                throw new EngineFeatureNotSupportedException(model.Engine, "speculative decoding", "it needs the decoder's logits for several positions per pass; load the model with the Andes engine.");
            }

            if (!runner.CanKeepSeveralLogits)
            {
                throw new NotSupportedException(
                    $"Speculative decoding needs a decoder that returns the logits of several positions ('{DecoderSignature.NumLogitsToKeepName}'); the decoder of '{model.Directory}' returns the last position's only. Convert the model again with this version of Andes.ModelBuilder.");
            }

            IDrafter drafter = options.DrafterFactory is { } factory ? factory(model, generation)
                : options.DraftModel is { } draftModel
                ? new DraftModelDrafter(draftModel, model, generation, options.DraftTokens)
                : new PromptLookupDrafter(options.MaxNgramSize, model.ImageTokenId);
            return new Speculation(drafter, options.DraftTokens, model.Signature.VocabSize);
        }

        public void Count(int drafted)
        {
            _drafted += drafted;
            if (drafted > 0)
            {
                _passes++;
            }
            else
            {
                _plain++;
            }
        }

        /// <summary>
        /// Adapts the draft length to the drafter's success (the heuristic schedule of Hugging Face's assisted
        /// generation): two more after a pass that accepted every proposal, one fewer after a rejection, from 1 to the
        /// configured most. A drafter that is rarely right then costs a pass over two tokens, not over k + 1, while one
        /// that is right keeps drafting long runs. The output does not depend on it.
        /// </summary>
        public void Adapt(int drafted, int accepted)
        {
            if (drafted == 0)
            {
                return;
            }

            DraftLength = accepted == drafted ? Math.Min(Drafts.Length, DraftLength + 2) : Math.Max(1, DraftLength - 1);
        }

        public void Dispose() => Drafter.Dispose();
    }
}
