using System.Buffers;
using System.Runtime.InteropServices;
using Andes.GenAI;
using Oga = Microsoft.ML.OnnxRuntimeGenAI;

namespace Andes.GenAI;

/// <summary>
/// One sequence on ONNX Runtime GenAI: its generator runs the graphs and keeps the key/value cache; Andes's
/// <see cref="LogitsSampler"/> chooses each token from the logits it returns (so sampling options, penalties, seeds and
/// constrained decoding are the same as on the Andes engine), and the token is appended back to run the next step.
/// </summary>
/// <remarks>
/// Not thread-safe: one per request. Images are fed as ONNX Runtime GenAI's <c>phi3v</c> contract takes them (measured
/// on 0.20, see <c>shared/spec/onnxruntime-genai.md</c>): every image's patches in one <c>pixel_values</c> tensor,
/// <c>image_grid_thw</c> and the total <c>num_image_tokens</c>, set before the one <c>AppendTokens</c> call that holds
/// every placeholder. That generator only reads images on its first append, so a prompt is always appended whole, on a
/// fresh generator.
/// </remarks>
internal sealed class OnnxRuntimeGenAISequence : ITokenGenerator
{
    private readonly OnnxRuntimeGenAIModel _runtime;
    private readonly LogitsSampler _sampler;
    private Oga.GeneratorParams? _params;
    private Oga.Generator? _generator;
    private readonly StopConditions _stops;
    private readonly string _logitsName;
    private readonly int _vocabSize;
    private float[]? _halfLogits;
    private int _length;
    private bool _logitsReady;
    private volatile bool _terminated;

    public OnnxRuntimeGenAISequence(AndesModel model, OnnxRuntimeGenAIModel runtime, GenerationOptions options, IEnumerable<ILogitsProcessor>? processors)
    {
        options.Validate();
        Model = model;
        _runtime = runtime;
        _vocabSize = model.Config.Model.VocabSize;
        _logitsName = model.Config.Model.Decoder.Outputs.Logits;
        _stops = new StopConditions(model.Config.Model.EosTokenId, options, model.ContextLength);
        _sampler = new LogitsSampler(options, _vocabSize, processors);
    }

    public AndesModel Model { get; }

    public bool IsDone => FinishReason is not null;

    public FinishReason? FinishReason { get; private set; }

    public int PromptTokenCount { get; private set; }

    public int GeneratedTokenCount { get; private set; }

    public int ReusedTokenCount => 0;

    public void AppendTokens(ReadOnlySpan<int> tokens)
    {
        int pad = Model.ImageTokenId;
        if (tokens.Contains(pad))
        {
            throw new ArgumentException($"The tokens hold image placeholders ({pad}); append an encoded prompt with its images instead.", nameof(tokens));
        }

        BeginPrompt(tokens);
        Run(tokens);
    }

    public void AppendPrompt(EncodedPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        BeginPrompt(prompt.Ids.Span);
        if (prompt.Images.Count == 0)
        {
            Run(prompt.Ids.Span);
        }
        else
        {
            AppendWithImages(prompt);
        }
    }

    private void BeginPrompt(ReadOnlySpan<int> ids)
    {
        if (PromptTokenCount > 0 || IsDone)
        {
            throw new InvalidOperationException("An ONNX Runtime GenAI sequence takes its whole prompt in one append.");
        }

        if (ids.Length >= Model.ContextLength)
        {
            throw new PromptTooLongException(ids.Length, Model.ContextLength);
        }

        foreach (int t in ids)
        {
            if ((uint)t >= (uint)_vocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), t, $"Token id {t} is outside the model's vocabulary (0..{_vocabSize - 1}).");
            }
        }

        // The generator is made now that the prompt's length is known: with past_present_share_buffer its key/value
        // cache is allocated at max_length up front (a 1B model at its full 32K context: 7.5 GB, zeroed per request),
        // so max_length is what this request can reach. Andes samples; the generator only runs the model.
        long maxLength = Math.Min(Model.ContextLength, (long)ids.Length + Math.Min(_stops.MaxNewTokens, Model.ContextLength));
        _params = new Oga.GeneratorParams(_runtime.Model);
        _params.SetSearchOption("max_length", maxLength);
        _params.SetSearchOption("do_sample", false);
        _generator = new Oga.Generator(_runtime.Model, _params);
        if (_terminated)
        {
            throw new OperationCanceledException("The request was cancelled.");
        }

        _sampler.AddPromptTokens(ids);
        PromptTokenCount = ids.Length;
        _length = ids.Length;
    }

    public int GenerateNextToken()
    {
        if (IsDone)
        {
            throw new InvalidOperationException($"Generation has finished ({FinishReason}).");
        }

        if (!_logitsReady)
        {
            throw new InvalidOperationException("Append the prompt before generating.");
        }

        int token;
        using (Oga.Tensor logits = _generator!.GetOutput(_logitsName))
        {
            Span<float> last = LastLogits(logits);
            try
            {
                token = _sampler.Sample(last);
            }
            catch (ArgumentException e) when (float.IsNaN(System.Numerics.Tensors.TensorPrimitives.Sum(last)))
            {
                throw Generator.NonFiniteLogits(Model, null, _length, e);
            }
        }

        _logitsReady = false;
        _sampler.Accept(token);
        GeneratedTokenCount++;
        _length++;
        FinishReason = _stops.Check(token, GeneratedTokenCount, _length);
        if (FinishReason is null)
        {
            Span<int> next = [token];
            Run(next);
        }

        return token;
    }

    public void Finish(FinishReason reason) => FinishReason ??= reason;

    public void Terminate()
    {
        _terminated = true;
        _generator?.SetRuntimeOption("terminate_session", "1");
    }

    public void Dispose()
    {
        _generator?.Dispose();
        _params?.Dispose();
        _sampler.Dispose();
        if (_halfLogits is not null)
        {
            ArrayPool<float>.Shared.Return(_halfLogits);
            _halfLogits = null;
        }
    }

    private void Run(ReadOnlySpan<int> tokens)
    {
        try
        {
            _generator!.AppendTokens(tokens);
        }
        catch (Oga.OnnxRuntimeGenAIException) when (_terminated)
        {
            throw new OperationCanceledException("The request was cancelled during a forward pass.");
        }

        // ONNX Runtime GenAI 0.20 does not always stop a pass it has started (terminate_session reaches the session
        // only between runs), so a Terminate that came during the pass still cancels: its result is not wanted.
        if (_terminated)
        {
            throw new OperationCanceledException("The request was cancelled during a forward pass.");
        }

        _logitsReady = true;
    }

    /// <summary>
    /// The last position's logits as a mutable span the sampler may mask in place: <c>GetOutput</c> returns a CPU copy
    /// the caller owns, so writing into it touches nothing of the generator's.
    /// </summary>
    private Span<float> LastLogits(Oga.Tensor logits)
    {
        long count = logits.NumElements();
        if (count < _vocabSize || count % _vocabSize != 0)
        {
            throw new InvalidOperationException($"ONNX Runtime GenAI returned {count} logits, not a multiple of the vocabulary size {_vocabSize}.");
        }

        if (logits.Type() == Oga.ElementType.float16)
        {
            // Models exported with float16 logits: widened into a pooled buffer, the sampler works in float32.
            ReadOnlySpan<Half> half = logits.GetData<Half>()[^_vocabSize..];
            _halfLogits ??= ArrayPool<float>.Shared.Rent(_vocabSize);
            Span<float> widened = _halfLogits.AsSpan(0, _vocabSize);
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(half, widened);
            return widened;
        }

        ReadOnlySpan<float> last = logits.GetData<float>()[^_vocabSize..];
        return MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(last), last.Length);
    }

    private void AppendWithImages(EncodedPrompt prompt)
    {
        var processed = new List<ProcessedImage>(prompt.Images.Count);
        try
        {
            int patchDim = 0;
            long patches = 0, tokens = 0;
            foreach (PromptImage image in prompt.Images)
            {
                ProcessedImage p = image.Preprocess();
                processed.Add(p);
                patchDim = p.PatchDimension;
                patches += p.PatchCount;
                tokens += p.TokenCount;
            }

            float[] pixels = GC.AllocateUninitializedArray<float>(checked((int)(patches * patchDim)), pinned: true);
            long[] grid = GC.AllocateUninitializedArray<long>(processed.Count * 3, pinned: true);
            long[] imageTokens = GC.AllocateArray<long>(1, pinned: true);
            int offset = 0;
            for (int i = 0; i < processed.Count; i++)
            {
                processed[i].PixelValues.Span.CopyTo(pixels.AsSpan(offset));
                offset += processed[i].PixelValues.Length;
                grid[(i * 3) + 0] = 1;
                grid[(i * 3) + 1] = processed[i].GridHeight;
                grid[(i * 3) + 2] = processed[i].GridWidth;
            }

            imageTokens[0] = tokens;
            GenAIVisionInputs names = Model.Config.Model.Vision!.Inputs;

            // The generator keeps pointers to these buffers until AppendTokens has consumed them (they are pinned arrays).
            using var pixelTensor = new Oga.Tensor(Marshal.UnsafeAddrOfPinnedArrayElement(pixels, 0), [patches, patchDim], Oga.ElementType.float32);
            using var gridTensor = new Oga.Tensor(Marshal.UnsafeAddrOfPinnedArrayElement(grid, 0), [processed.Count, 3], Oga.ElementType.int64);
            using var countTensor = new Oga.Tensor(Marshal.UnsafeAddrOfPinnedArrayElement(imageTokens, 0), [1], Oga.ElementType.int64);
            _generator!.SetModelInput(names.PixelValues, pixelTensor);
            _generator.SetModelInput(names.ImageGridThw ?? "image_grid_thw", gridTensor);
            _generator.SetModelInput("num_image_tokens", countTensor);
            foreach (ProcessedImage p in processed)
            {
                p.Dispose(); // the patches are copied; give the pooled buffers back before the long forward pass
            }

            processed.Clear();
            Run(prompt.Ids.Span);
            GC.KeepAlive(pixels);
            GC.KeepAlive(grid);
            GC.KeepAlive(imageTokens);
        }
        finally
        {
            foreach (ProcessedImage p in processed)
            {
                p.Dispose();
            }
        }
    }
}
