using Andes.GenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// An AndesVL model folder loaded for inference: its <c>genai_config.json</c>, tokenizer and ONNX Runtime sessions
/// (embedding and decoder). Load once and share: it is safe for concurrent use by any number of generations, each of
/// which keeps its own key/value cache. A folder with a vision graph also takes images: see
/// <see cref="Encode(ChatPrompt, PromptEncodingOptions?)"/> and <see cref="EncodeImage"/>.
/// </summary>
public sealed class AndesModel : IDisposable
{
    private readonly InferenceSession? _decoder;
    private readonly OnnxRuntimeGenAIModel? _genai;
    private readonly DecoderSignature? _signature;
    private readonly InferenceSession? _embedding;
    private readonly Lazy<InferenceSession>? _loraDecoder;
    private readonly SharedWeights? _sharedWeights;
    private readonly Lazy<LoraModelInputs> _loraInputs;
    private readonly VisionEncoder? _vision;
    private readonly ImageFeatureCache _imageFeatures;
    private int _disposed;

    internal AndesModel(
        string directory, GenAIConfig config, AndesTokenizer tokenizer, InferenceSession? decoder, InferenceSession? embedding, AndesModelOptions options,
        Func<InferenceSession>? openLoraDecoder, SharedWeights? sharedWeights, VisionEncoder? vision, ImageProcessor? imageProcessor, ILogger logger, OnnxRuntimeGenAIModel? genai = null)
    {
        _genai = genai;
        Logger = logger;
        FolderConfig = AndesFolderConfig.TryLoad(directory);
        _vision = vision;
        ImageProcessor = imageProcessor;
        _imageFeatures = new ImageFeatureCache(options.ImageFeatureCacheBytes);
        Directory = directory;
        Config = config;
        Tokenizer = tokenizer;
        _decoder = decoder;
        _embedding = embedding;
        _sharedWeights = sharedWeights;
        Options = options;
        _signature = decoder is null ? null : DecoderSignature.Create(config, decoder, embedding, Path.Combine(directory, GenAIConfig.FileName));
        _loraDecoder = openLoraDecoder is null ? null : new Lazy<InferenceSession>(openLoraDecoder, LazyThreadSafetyMode.ExecutionAndPublication);
        _loraInputs = new Lazy<LoraModelInputs>(() => LoraModelInputs.FromSession(LoraDecoder, directory));
    }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>The model's logger (<see cref="AndesModelOptions.LoggerFactory"/>'s, category <c>Andes.GenAI.AndesModel</c>; a null logger without one).</summary>
    internal ILogger Logger { get; }

    /// <summary>The folder's <c>genai_config.json</c>.</summary>
    public GenAIConfig Config { get; }

    /// <summary>The tokenizer (<c>tokenizer.json</c>).</summary>
    public AndesTokenizer Tokenizer { get; }

    /// <summary>The options the sessions were created with.</summary>
    public AndesModelOptions Options { get; }

    /// <summary>The runtime that runs the graphs (<see cref="AndesModelOptions.Engine"/>).</summary>
    public GenerationEngine Engine => _genai is null ? GenerationEngine.Andes : GenerationEngine.OnnxRuntimeGenAI;

    /// <summary>The folder's <c>andes_config.json</c> (what the GenAI schema has no field for), or null when it has none.</summary>
    public AndesFolderConfig? FolderConfig { get; }

    /// <summary>The ONNX Runtime GenAI model when <see cref="Engine"/> is <see cref="GenerationEngine.OnnxRuntimeGenAI"/>, else null.</summary>
    internal OnnxRuntimeGenAIModel? GenAIRuntime => _genai;

    /// <summary>
    /// The intra-op thread count the decoder runs with (the options', else <c>genai_config.json</c>'s session options',
    /// else the physical cores this process may use on Linux), or null where ONNX Runtime picks its default.
    /// </summary>
    public int? IntraOpThreadCount => _genai is { } genai ? genai.IntraOpThreads : SessionOptionsFactory.ResolveIntraOpThreads(Options, Config.Model.Decoder.SessionOptions);

    /// <summary>The image placeholder token id (<c>&lt;|vision_pad|&gt;</c>): the config's, else AndesVL's 151654.</summary>
    public int ImageTokenId => Config.Model.ImageTokenId ?? DefaultImageTokenId;

    /// <summary>The maximum total tokens of a sequence (prompt + generated).</summary>
    public int ContextLength => Config.Model.ContextLength;

    /// <summary>The decoder run when no LoRA adapter is active.</summary>
    internal InferenceSession Decoder => _decoder ?? throw AndesEngineOnly();

    /// <summary>
    /// The decoder with LoRA inputs, run when an adapter is active: the folder's <c>genai_config.json</c> decoder. When
    /// <c>andes_lora.json</c> names a base decoder (the same graph without LoRA branches, which <see cref="Decoder"/>
    /// runs), this one is opened on first use, sharing the base decoder's pre-packed weights.
    /// </summary>
    internal InferenceSession LoraDecoder
    {
        get
        {
            ThrowIfDisposed();
            return _loraDecoder?.Value ?? Decoder;
        }
    }

    internal InferenceSession? Embedding => _embedding;

    /// <summary>Whether the folder has a vision graph, so prompts may hold images.</summary>
    public bool SupportsImages => ImageProcessor is not null;

    /// <summary>The image processor configured by the folder's processor config, or null when the model takes no images.</summary>
    public ImageProcessor? ImageProcessor { get; }

    /// <summary>Stopwatch ticks spent in the vision graph's Run, summed over all images encoded.</summary>
    internal long VisionRunTicks => _vision?.RunTicks ?? 0;

    /// <summary>The feature cache (for tests and statistics).</summary>
    internal ImageFeatureCache ImageFeatureCache => _imageFeatures;

    internal DecoderSignature Signature => _signature ?? throw AndesEngineOnly();

    /// <summary>The decoder's LoRA inputs (empty for a model converted without LoRA targets).</summary>
    internal LoraModelInputs LoraInputs => _loraInputs.Value;

    /// <summary>Opens a model folder on the calling thread (<see cref="LoadAsync"/> does the same work off it, with progress and cancellation).</summary>
    /// <param name="directory">The folder with <c>genai_config.json</c>, <c>tokenizer.json</c> and the ONNX graphs.</param>
    /// <param name="options">Session options overriding the config's, the engine and the logger factory; null for the config's.</param>
    /// <returns>The loaded model; dispose it to release the sessions.</returns>
    /// <exception cref="ModelConfigurationException">The configuration is missing or invalid, a graph's inputs do not match it, or the folder's <c>andes_manifest.json</c> lists a file that is missing or has another size (an incomplete or mixed conversion).</exception>
    /// <exception cref="ExecutionProviderNotAvailableException">A requested provider is missing and fall-back was not allowed.</exception>
    public static AndesModel Load(string directory, AndesModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return ModelLoader.Load(directory, options?.Clone() ?? new AndesModelOptions(), progress: null, CancellationToken.None);
    }

    /// <summary>
    /// Opens a model folder off the caller's thread (a UI stays responsive), reporting each step and stopping between
    /// steps when cancelled.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Reports come in order, on the loading thread: <see cref="ModelLoadStage.ManifestChecked"/> (folders with an
    /// <c>andes_manifest.json</c>), <see cref="ModelLoadStage.ConfigRead"/>, <see cref="ModelLoadStage.TokenizerLoaded"/>,
    /// <see cref="ModelLoadStage.ImageProcessorLoaded"/> (vision folders), then for each graph
    /// <see cref="ModelLoadStage.CreatingSession"/> and <see cref="ModelLoadStage.SessionCreated"/> with its file and bytes
    /// (on <see cref="GenerationEngine.OnnxRuntimeGenAI"/> one <see cref="ModelLoadStage.CreatingOnnxRuntimeGenAIModel"/>
    /// and <see cref="ModelLoadStage.OnnxRuntimeGenAIModelCreated"/> for all graphs), and last
    /// <see cref="ModelLoadStage.Completed"/> with <see cref="ModelLoadProgress.Fraction"/> 1. The fraction counts the
    /// bytes of the files each finished step read. <see cref="Progress{T}"/> posts reports to the context it was created
    /// on (a UI thread); without one it may deliver them out of order, so a caller that needs the order implements
    /// <see cref="IProgress{T}"/> itself.
    /// </para>
    /// <para>
    /// The token is checked before the load starts, after every report, and so before each session is created.
    /// Creating an ONNX Runtime session (or ONNX Runtime GenAI's model) is one native call that cannot be
    /// interrupted: a cancellation requested during it takes effect when it returns. A cancelled or failed load
    /// disposes every session and mapping it created before the exception reaches the caller. Cancelling after the
    /// <see cref="ModelLoadStage.Completed"/> report has no effect: the model is returned.
    /// </para>
    /// </remarks>
    /// <param name="directory">The folder with <c>genai_config.json</c>, <c>tokenizer.json</c> and the ONNX graphs.</param>
    /// <param name="options">Session options overriding the config's, the engine and the logger factory; null for the config's. Copied when the call is made.</param>
    /// <param name="progress">Receives a report per step; null for none.</param>
    /// <param name="cancellationToken">Stops the load between steps.</param>
    /// <returns>The loaded model; dispose it to release the sessions.</returns>
    /// <exception cref="ModelConfigurationException">The configuration is missing or invalid, a graph's inputs do not match it, or the folder's <c>andes_manifest.json</c> lists a file that is missing or has another size (an incomplete or mixed conversion).</exception>
    /// <exception cref="ExecutionProviderNotAvailableException">A requested provider is missing and fall-back was not allowed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled before the load completed.</exception>
    public static Task<AndesModel> LoadAsync(string directory, AndesModelOptions? options = null, IProgress<ModelLoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        AndesModelOptions copy = options?.Clone() ?? new AndesModelOptions(); // the caller may change its options while the load runs
        return Task.Run(() => ModelLoader.Load(directory, copy, progress, cancellationToken), cancellationToken);
    }

    /// <summary>Tokenises a rendered chat prompt (added tokens such as <c>&lt;|im_start|&gt;</c> are recognised), expanding images to their placeholder tokens.</summary>
    /// <param name="prompt">The rendered prompt.</param>
    /// <returns>The token ids.</returns>
    /// <exception cref="NotSupportedException">The prompt has images and this model has no vision graph.</exception>
    /// <exception cref="InvalidImageException">An image is empty, unsupported, truncated, corrupt or too large.</exception>
    /// <exception cref="PromptTooLongException">The prompt does not fit the context.</exception>
    public int[] EncodePrompt(ChatPrompt prompt) => Encode(prompt).IdArray;

    /// <summary>
    /// Tokenises a rendered chat prompt and expands each image slot to <c>&lt;img&gt;</c>, one <c>&lt;|vision_pad|&gt;</c>
    /// per image token and <c>&lt;/img&gt;</c>. Images are only measured here (from their headers): pixels are decoded and
    /// encoded by the vision graph when the placeholders are run, and not at all when a cached prefix already covers them.
    /// </summary>
    /// <param name="prompt">The rendered prompt.</param>
    /// <param name="options">Image size and budget options; null for the defaults.</param>
    /// <returns>The encoded prompt.</returns>
    /// <exception cref="NotSupportedException">The prompt has images and this model has no vision graph.</exception>
    /// <exception cref="InvalidImageException">An image is empty, unsupported, truncated, corrupt or too large (checked before any pixel memory is allocated).</exception>
    /// <exception cref="PromptTooLongException">The prompt does not fit the context (the message names each image and its token count).</exception>
    public EncodedPrompt Encode(ChatPrompt prompt, PromptEncodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ThrowIfDisposed();
        options ??= DefaultEncodingOptions;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReservedTokens, 1, nameof(options));
        if (prompt.ImageCount > 0 && !SupportsImages)
        {
            throw new NotSupportedException($"Model '{Directory}' has no vision graph, so it cannot take image input.");
        }

        var textIds = new List<int[]>();
        var inputs = new List<ImageInput>();
        var scratch = new List<int>();
        int textTokens = 0;
        foreach (ChatPromptSegment segment in prompt.Segments)
        {
            if (segment.IsImage)
            {
                inputs.Add(ImageInput.Resolve(segment.Image!, inputs.Count, ImageProcessor!.Options.Decoder));
                continue;
            }

            scratch.Clear();
            Tokenizer.EncodeToIds(segment.Text!, scratch);
            textIds.Add([.. scratch]);
            textTokens += scratch.Count;
        }

        int limit = ContextLength - options.ReservedTokens;
        ImageProcessor? processor = inputs.Count == 0 ? null : ProcessorFor(options.ImageMaxSize);
        ImageGeometry[] geometries = Measure(inputs, processor);
        int total = textTokens + ImageTokens(geometries);
        if (total > limit && inputs.Count > 0 && options.DownscaleImagesToFit)
        {
            int step = processor!.Options.PatchSize * processor.Options.MergeSize;
            for (int maxSize = (int)(processor.Options.MaxSize * 0.9); total > limit && maxSize >= step; maxSize = (int)(maxSize * 0.9))
            {
                ImageProcessor smaller = ProcessorFor(maxSize);
                ImageGeometry[] candidate = Measure(inputs, smaller);
                int candidateTotal = textTokens + ImageTokens(candidate);
                if (candidateTotal >= total)
                {
                    continue; // the minimum token count holds these images up; smaller steps will not help either
                }

                (processor, geometries, total) = (smaller, candidate, candidateTotal);
            }
        }

        int vocabImage = ImageTokenId;
        int start = Config.Model.VisionStartTokenId ?? DefaultVisionStartTokenId;
        int end = FolderConfig?.VisionEndTokenId ?? Config.Model.VisionEndTokenId ?? AndesFolderConfig.DefaultVisionEndTokenId;
        int[] ids = new int[total];
        int[] key = new int[total];
        var images = new PromptImage[inputs.Count];
        int position = 0, text = 0, image = 0;
        foreach (ChatPromptSegment segment in prompt.Segments)
        {
            if (!segment.IsImage)
            {
                int[] part = textIds[text++];
                part.CopyTo(ids, position);
                part.CopyTo(key, position);
                position += part.Length;
                continue;
            }

            ImageGeometry g = geometries[image];
            ids[position] = key[position] = start;
            position++;
            images[image] = new PromptImage(image, inputs[image], processor!, g, position);
            for (int k = 0; k < g.TokenCount; k++, position++)
            {
                ids[position] = vocabImage;
                key[position] = ImageCacheKey(inputs[image], g, k);
            }

            ids[position] = key[position] = end;
            position++;
            image++;
        }

        if (total > limit)
        {
            throw new PromptTooLongException(total, ContextLength, images);
        }

        return new EncodedPrompt(ids, key, images);
    }

    /// <summary>
    /// Builds a prompt from token ids that already hold the chat template, filling each run of image placeholder ids
    /// (<see cref="ImageTokenId"/>) with the next image: a run of one placeholder is expanded to the image's token count,
    /// a longer run must equal it. The ids around each run (<c>&lt;img&gt;</c>, <c>&lt;/img&gt;</c>) are the caller's.
    /// Images are only measured here; they are decoded and encoded when a generator runs the prompt.
    /// </summary>
    /// <param name="tokenIds">The prompt's ids.</param>
    /// <param name="images">One image per placeholder run, in order (<see cref="DataContent"/>, a file <see cref="UriContent"/> or <see cref="RawPixelContent"/>).</param>
    /// <param name="options">Image size options (<see cref="PromptEncodingOptions.ImageMaxSize"/>); null for the defaults.</param>
    /// <returns>The encoded prompt.</returns>
    /// <exception cref="ArgumentException">The runs and the images do not pair up, or a run's length fits neither rule (the message names the position).</exception>
    /// <exception cref="NotSupportedException">There are images and this model has no vision graph.</exception>
    /// <exception cref="InvalidImageException">An image is empty, unsupported, truncated, corrupt or too large.</exception>
    /// <exception cref="PromptTooLongException">The prompt does not fit the context.</exception>
    public EncodedPrompt Encode(ReadOnlySpan<int> tokenIds, IReadOnlyList<AIContent> images, PromptEncodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ThrowIfDisposed();
        options ??= DefaultEncodingOptions;
        if (images.Count > 0 && !SupportsImages)
        {
            throw new NotSupportedException($"Model '{Directory}' has no vision graph, so it cannot take image input.");
        }

        int pad = ImageTokenId;
        ImageProcessor? processor = images.Count == 0 ? null : ProcessorFor(options.ImageMaxSize);
        var ids = new List<int>(tokenIds.Length);
        var key = new List<int>(tokenIds.Length);
        var prompt = new List<PromptImage>(images.Count);
        for (int i = 0; i < tokenIds.Length;)
        {
            if (tokenIds[i] != pad)
            {
                ids.Add(tokenIds[i]);
                key.Add(tokenIds[i++]);
                continue;
            }

            int run = 1;
            while (i + run < tokenIds.Length && tokenIds[i + run] == pad)
            {
                run++;
            }

            if (prompt.Count >= images.Count)
            {
                throw new ArgumentException($"The image placeholder run at position {i} ({run} x {pad}) has no image: give one image per run ({images.Count} given).", nameof(images));
            }

            ImageInput input = ImageInput.Resolve(images[prompt.Count], prompt.Count, processor!.Options.Decoder);
            ImageGeometry g = processor.GetGeometry(input.Width, input.Height);
            if (run != 1 && run != g.TokenCount)
            {
                throw new ArgumentException(
                    $"The image placeholder run at position {i} has {run} placeholders but image {prompt.Count + 1} takes {g.TokenCount} ({g}): give 1 (expanded) or exactly {g.TokenCount}.", nameof(tokenIds));
            }

            prompt.Add(new PromptImage(prompt.Count, input, processor, g, ids.Count));
            AppendImagePlaceholders(ids, key, input, g, pad);
            i += run;
        }

        if (prompt.Count != images.Count)
        {
            throw new ArgumentException($"{images.Count} image(s) given but the ids have {prompt.Count} image placeholder run(s) ({pad}).", nameof(images));
        }

        if (ids.Count > ContextLength - options.ReservedTokens)
        {
            throw new PromptTooLongException(ids.Count, ContextLength, [.. prompt]);
        }

        return new EncodedPrompt([.. ids], [.. key], [.. prompt]);
    }

    /// <summary>
    /// Creates a generator on whichever engine this model was loaded for: a <see cref="Generator"/> on the Andes
    /// engine, ONNX Runtime GenAI's generator (sampled by Andes) on the other.
    /// </summary>
    /// <param name="options">Sampling and stopping options.</param>
    /// <param name="adapter">A LoRA adapter to run with, or null for the base model.</param>
    /// <param name="processors">Logits processors (such as a <see cref="JsonConstraintProcessor"/>), or null.</param>
    /// <returns>The generator; append a prompt, then generate.</returns>
    /// <exception cref="EngineFeatureNotSupportedException">An adapter was given and the engine cannot run it.</exception>
    public ITokenGenerator CreateGenerator(GenerationOptions options, LoraAdapter? adapter = null, IEnumerable<ILogitsProcessor>? processors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfDisposed();
        return TokenSequences.Create(this, options, processors, adapter);
    }

    /// <summary>
    /// Opens the decoder that takes LoRA inputs now instead of on the first adapter load, to keep that cost out of a
    /// request. Nothing to do when the folder has one decoder for both (no base decoder in <c>andes_lora.json</c>).
    /// </summary>
    /// <exception cref="EngineFeatureNotSupportedException">The model runs on ONNX Runtime GenAI, which takes no Andes adapter.</exception>
    public void PrepareLoraDecoder()
    {
        ThrowIfDisposed();
        if (_genai is not null)
        {
            throw TokenSequences.AdapterNotSupported(this, null);
        }

        _ = LoraDecoder;
    }

    /// <summary>Runs the vision graph on a preprocessed image (no caching).</summary>
    /// <param name="image">The image, preprocessed by <see cref="ImageProcessor"/> (or a processor with the same patch size).</param>
    /// <returns>One feature row of the hidden size per image token.</returns>
    /// <exception cref="NotSupportedException">The model has no vision graph.</exception>
    public ImageFeatures EncodeImage(ProcessedImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ThrowIfDisposed();
        if (_genai is not null)
        {
            throw new EngineFeatureNotSupportedException(GenerationEngine.OnnxRuntimeGenAI, "encoding an image alone", "ONNX Runtime GenAI runs the vision graph inside a generator; load the model with the Andes engine.");
        }

        VisionEncoder vision = _vision ?? throw new NotSupportedException($"Model '{Directory}' has no vision graph, so it cannot take image input.");
        return vision.Encode(image);
    }

    /// <summary>The features of a prompt image: from the cache, or decoded, preprocessed and encoded (then cached).</summary>
    internal ImageFeatures GetImageFeatures(PromptImage image, RunOptions? runOptions = null)
    {
        ThrowIfDisposed();
        if (_imageFeatures.TryGet(image.ContentHash, image.Geometry, out ImageFeatures cached))
        {
            return cached;
        }

        ImageFeatures features;
        using (ProcessedImage processed = image.Preprocess())
        {
            features = _vision!.Encode(processed, runOptions);
        }

        _imageFeatures.Add(image.ContentHash, image.Geometry, features);
        return features;
    }

    private static readonly PromptEncodingOptions DefaultEncodingOptions = new();

    // The cache key of an image's k-th placeholder: negative (never a token id) and derived from the pixels and the
    // geometry, so a cached prefix is reused only for the same image at the same size, never for another image.
    private static int ImageCacheKey(ImageInput input, ImageGeometry geometry, int k)
    {
        UInt128 hash = input.ContentHash ^ (UInt128)(uint)geometry.GetHashCode();
        return ~(int)((uint)(hash >> (32 * (k % 4))) & 0x7FFF_FFFF);
    }

    private static void AppendImagePlaceholders(List<int> ids, List<int> key, ImageInput input, ImageGeometry geometry, int pad)
    {
        for (int k = 0; k < geometry.TokenCount; k++)
        {
            ids.Add(pad);
            key.Add(ImageCacheKey(input, geometry, k));
        }
    }

    private const int DefaultImageTokenId = 151654;
    private const int DefaultVisionStartTokenId = 151652;

    private static ImageGeometry[] Measure(List<ImageInput> inputs, ImageProcessor? processor) =>
        [.. inputs.Select(i => processor!.GetGeometry(i.Width, i.Height))];

    private static int ImageTokens(ImageGeometry[] geometries) => geometries.Sum(g => g.TokenCount + 2);

    private ImageProcessor ProcessorFor(int? maxSize)
    {
        ImageProcessor processor = ImageProcessor!;
        if (maxSize is not { } size || size == processor.Options.MaxSize)
        {
            return processor;
        }

        ImageProcessorOptions options = processor.Options;
        options.MaxSize = size;
        return new ImageProcessor(options);
    }

    internal static ImageProcessor LoadImageProcessor(string directory, GenAIVisionConfig vision, string configFile)
    {
        if (vision.ConfigFilename is not { } name)
        {
            throw new ModelConfigurationException($"'{configFile}': field 'model.vision.config_filename' is missing; the image processor needs it.", configFile, "model.vision.config_filename");
        }

        string path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            throw new ModelConfigurationException($"'{configFile}': field 'model.vision.config_filename' names '{name}', which is not in '{directory}'.", configFile, "model.vision.config_filename");
        }

        ImageProcessorOptions options = ImageProcessorOptions.FromPreprocessorConfig(path);
        if (vision.PatchSize is { } patch && patch != options.PatchSize)
        {
            throw new ModelConfigurationException(
                $"'{configFile}': field 'model.vision.patch_size' is {patch} but '{path}' says patch size {options.PatchSize}.", configFile, "model.vision.patch_size");
        }

        return new ImageProcessor(options);
    }

    /// <summary>Releases the ONNX Runtime sessions. Generations in flight must have finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _decoder?.Dispose();
            _genai?.Dispose();
            if (_loraDecoder is { IsValueCreated: true } lora)
            {
                lora.Value.Dispose();
            }

            _embedding?.Dispose();
            _vision?.Dispose();
            _sharedWeights?.Dispose();
        }
    }

    private InvalidOperationException AndesEngineOnly() =>
        new($"Model '{Directory}' was loaded for the {EngineFeatureNotSupportedException.EngineName(Engine)} engine; this needs the Andes engine's sessions.");

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
