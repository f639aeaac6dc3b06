using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// Proposals from a smaller model with the same tokenizer: it keeps its own key/value cache of the sequence, catches up
/// with the tokens the target decided, then decodes ahead one token per pass (greedily when the target decodes greedily,
/// else sampling with the target's temperature, top-k, top-p and min-p, keeping each distribution for the accept test).
/// Image placeholders are encoded by the draft model's own vision graph.
/// </summary>
internal sealed class DraftModelDrafter : IDrafter
{
    private readonly AndesModel _model;
    private readonly SequenceRunner _runner;
    private readonly LogitsSampler? _sampler;
    private readonly RunOptions _runOptions = new();
    private readonly List<int> _cached = [];
    private readonly List<(int Offset, PromptImage Image)> _images = [];
    private readonly float[] _distributions;
    private readonly int _vocab;
    private int[] _catchUp = new int[64];

    public DraftModelDrafter(AndesModel draftModel, AndesModel target, GenerationOptions options, int draftTokens)
    {
        draftModel.ThrowIfDisposed();
        if (draftModel.Engine != GenerationEngine.Andes)
        {
            throw new EngineFeatureNotSupportedException(draftModel.Engine, "a draft model for speculative decoding", "load the draft model with the Andes engine.");
        }

        if (draftModel.Signature.VocabSize != target.Signature.VocabSize || draftModel.ImageTokenId != target.ImageTokenId
            || !draftModel.Config.Model.EosTokenId.SequenceEqual(target.Config.Model.EosTokenId))
        {
            throw new ArgumentException(
                $"The draft model '{draftModel.Directory}' (vocabulary {draftModel.Signature.VocabSize}, image token {draftModel.ImageTokenId}) does not share the tokenizer of '{target.Directory}' (vocabulary {target.Signature.VocabSize}, image token {target.ImageTokenId}).",
                nameof(draftModel));
        }

        _model = draftModel;
        _vocab = target.Signature.VocabSize;
        _runner = new SequenceRunner(draftModel, Math.Min(draftModel.ContextLength, 512));
        if (!options.IsGreedy && options.TopP != 0f && options.TopK != 1)
        {
            // The draft distribution only has to be known exactly, not to match the target's; penalties would need the
            // history, so they are left out.
            GenerationOptions draft = options.Clone();
            draft.RepetitionPenalty = 1f;
            draft.PresencePenalty = 0f;
            draft.FrequencyPenalty = 0f;
            draft.Seed = options.Seed is { } seed ? unchecked(seed * 31 + 7) : null;
            _sampler = new LogitsSampler(draft, _vocab);
            _distributions = new float[draftTokens * _vocab];
        }
        else
        {
            _distributions = [];
        }
    }

    public bool HasDistributions => _sampler is not null;

    /// <summary>Registers a prompt's images at its position in the sequence, checking the draft model sees them as the same number of tokens.</summary>
    public void AddPrompt(EncodedPrompt prompt, int offset)
    {
        foreach (PromptImage image in prompt.Images)
        {
            ImageGeometry? own = _model.ImageProcessor?.GetGeometry(image.Width, image.Height);
            if (own is null)
            {
                throw new NotSupportedException($"The draft model '{_model.Directory}' has no vision graph, and the prompt holds an image ({image.Name}).");
            }

            if (own.Value.TokenCount != image.TokenCount)
            {
                throw new NotSupportedException(
                    $"The draft model '{_model.Directory}' turns the {image.Name} into {own.Value.TokenCount} image tokens where the model uses {image.TokenCount}; a draft model must preprocess images alike.");
            }

            _images.Add((offset + image.Offset, image));
        }
    }

    public int Draft(IReadOnlyList<int> sequence, Span<int> drafts)
    {
        int length = sequence.Count;
        if (length + drafts.Length >= _model.ContextLength)
        {
            return 0;
        }

        int common = 0;
        int limit = Math.Min(Math.Min(_cached.Count, _runner.Length), length - 1);
        while (common < limit && _cached[common] == sequence[common])
        {
            common++;
        }

        _runner.Rewind(common);
        _cached.RemoveRange(common, _cached.Count - common);
        int count = length - common;
        if (_catchUp.Length < count)
        {
            _catchUp = new int[Math.Max(count, _catchUp.Length * 2)];
        }

        for (int i = 0; i < count; i++)
        {
            _catchUp[i] = sequence[common + i];
            _cached.Add(_catchUp[i]);
        }

        _runner.Forward(_catchUp.AsSpan(0, count), Features(common, length), _runOptions);
        for (int i = 0; i < drafts.Length; i++)
        {
            Span<float> logits = _runner.Logits;
            int token;
            if (_sampler is null)
            {
                token = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
            }
            else
            {
                Span<float> q = _distributions.AsSpan(i * _vocab, _vocab);
                _sampler.TargetDistribution(logits, q);
                token = _sampler.Draw(q);
            }

            drafts[i] = token;
            if (i + 1 < drafts.Length)
            {
                _runner.Forward([token], _runOptions);
                _cached.Add(token);
            }
        }

        return drafts.Length;
    }

    public ReadOnlySpan<float> Distribution(int index) => _distributions.AsSpan(index * _vocab, _vocab);

    public void Dispose()
    {
        _runner.Dispose();
        _sampler?.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>The draft model's feature rows for the image placeholders in positions [from, to) of the sequence.</summary>
    private ReadOnlyMemory<float> Features(int from, int to)
    {
        if (_images.Count == 0)
        {
            return default; // text only: nothing to gather on every pass
        }

        int h = _model.Signature.HiddenSize;
        var parts = new List<ReadOnlyMemory<float>>();
        int length = 0;
        foreach ((int offset, PromptImage image) in _images)
        {
            int start = Math.Max(from, offset), end = Math.Min(to, offset + image.TokenCount);
            if (start < end)
            {
                ReadOnlyMemory<float> values = _model.GetImageFeatures(image, _runOptions).Values;
                parts.Add(values[((start - offset) * h)..((end - offset) * h)]);
                length += (end - start) * h;
            }
        }

        return Generator.JoinFeatureRows(parts, length);
    }
}
