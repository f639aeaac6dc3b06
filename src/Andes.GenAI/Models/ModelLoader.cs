using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// The one implementation behind <see cref="AndesModel.Load"/> and <see cref="AndesModel.LoadAsync"/>: reads the folder
/// step by step, reports each step (bytes done out of the bytes every step reads), checks the cancellation token
/// between steps, and owns every runtime object it creates until the model takes them over, so a cancelled or failed
/// load disposes them all (in reverse order: sessions before the shared weights they use).
/// </summary>
internal sealed class ModelLoader
{
    private readonly string _directory;
    private readonly string _configFile;
    private readonly AndesModelOptions _options;
    private readonly IProgress<ModelLoadProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly ILogger _logger;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<IDisposable> _created = [];
    private readonly List<(string File, long Bytes)> _files = [];
    private readonly List<ExecutionProvider> _providers = [];
    private long _bytesDone;
    private long _totalBytes;

    private ModelLoader(string directory, AndesModelOptions options, IProgress<ModelLoadProgress>? progress, CancellationToken cancellationToken)
    {
        _directory = directory;
        _configFile = Path.Combine(directory, GenAIConfig.FileName);
        _options = options;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _logger = CreateLogger(options);
    }

    /// <summary>The model's logger: the options' factory's, else a logger that drops everything.</summary>
    public static ILogger CreateLogger(AndesModelOptions options) =>
        options.LoggerFactory?.CreateLogger(AndesLog.ModelCategory) ?? NullLogger.Instance;

    /// <summary>Loads a folder; <paramref name="options"/> is the caller's copy, kept by the model.</summary>
    public static AndesModel Load(string directory, AndesModelOptions options, IProgress<ModelLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var loader = new ModelLoader(directory, options, progress, cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            AndesModel model = loader.LoadModel();
            loader.Completed(model);
            return model;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            int count = loader.DisposeCreated();
            loader._logger.ModelLoadCancelled(directory, loader.ElapsedMs, count);
            throw;
        }
        catch (Exception e)
        {
            int count = loader.DisposeCreated();
            loader._logger.ModelLoadFailed(e, directory, loader.ElapsedMs, count);
            throw;
        }
    }

    private long ElapsedMs => (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    private AndesModel LoadModel()
    {
        ModelFolderManifest? manifest = ModelFolderManifest.TryLoad(_directory);
        manifest?.CheckComplete(_directory); // an incomplete or mixed conversion, refused cheaply
        GenAIConfig config = GenAIConfig.Load(_directory);
        bool genai = _options.Engine == GenerationEngine.OnnxRuntimeGenAI;
        LoraModelManifest? lora = genai ? null : LoraModelManifest.TryLoad(_directory);
        SharedWeightsSection? shared = lora?.BaseDecoder is not null ? lora.SharedWeights : null;

        // Every step's bytes are known once the config names the graphs, so the fraction is by bytes from the first
        // report on. The manifest is checked before the config is read (a mixed folder is named as such, not as a bad
        // config), and both are reported here, in that order.
        _totalBytes = SizeOf(ModelFolderManifest.FileName) + SizeOf(GenAIConfig.FileName) + SizeOf(TokenizerFile)
            + (config.Model.Vision?.ConfigFilename is { } processorFile ? SizeOf(processorFile) : 0)
            + (genai ? OnnxRuntimeGenAIBytes(config) : AndesEngineBytes(config, lora, shared));
        if (manifest is not null)
        {
            Step(ModelLoadStage.ManifestChecked, ModelFolderManifest.FileName, SizeOf(ModelFolderManifest.FileName));
        }

        Step(ModelLoadStage.ConfigRead, GenAIConfig.FileName, SizeOf(GenAIConfig.FileName));
        _logger.ModelConfiguration(_directory, config.Model.Type, config.Model.ContextLength, config.Model.VocabSize, config.Model.Decoder.NumHiddenLayers,
            config.Model.Vision is not null, config.Model.Embedding is not null);

        AndesTokenizer tokenizer = LoadTokenizer();
        Step(ModelLoadStage.TokenizerLoaded, TokenizerFile, SizeOf(TokenizerFile));

        ImageProcessor? imageProcessor = null;
        if (config.Model.Vision is { } visionConfig)
        {
            imageProcessor = AndesModel.LoadImageProcessor(_directory, visionConfig, _configFile);
            Step(ModelLoadStage.ImageProcessorLoaded, visionConfig.ConfigFilename, SizeOf(visionConfig.ConfigFilename!));
        }

        string fullPath = Path.GetFullPath(_directory);
        if (genai)
        {
            long bytes = OnnxRuntimeGenAIBytes(config);
            Begin(ModelLoadStage.CreatingOnnxRuntimeGenAIModel, GenAIConfig.FileName, bytes);
            long started = Stopwatch.GetTimestamp();
            OnnxRuntimeGenAIModel runtime = Track(OnnxRuntimeGenAIModel.Load(_directory, config, _options, _configFile, _logger));
            _providers.AddRange(runtime.Providers);
            foreach (string graph in GraphFiles(config))
            {
                _files.Add((graph, GraphBytes(graph)));
            }

            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.SessionCreated(_directory, "onnxruntime-genai", string.Join(", ", GraphFiles(config)), bytes, MillisecondsSince(started),
                    SessionOptionsFactory.Describe(runtime.Providers), Threads(runtime.IntraOpThreads));
            }
            Step(ModelLoadStage.OnnxRuntimeGenAIModelCreated, GenAIConfig.FileName, bytes);
            return Adopt(new AndesModel(fullPath, config, tokenizer, null, null, _options, null, null, null, imageProcessor, _logger, runtime));
        }

        InferenceSession? embedding = null;
        if (config.Model.Embedding is { } e)
        {
            embedding = CreateSession(e.Filename, e.SessionOptions, _configFile, "model.embedding", GraphBytes(e.Filename));
        }

        VisionEncoder? vision = null;
        if (config.Model.Vision is { } v)
        {
            InferenceSession session = CreateSession(v.Filename, v.SessionOptions, _configFile, "model.vision", GraphBytes(v.Filename));
            int hiddenSize = DecoderSignature.ResolveHiddenSize(
                config.Model.Decoder.HiddenSize,
                (embedding?.OutputMetadata, config.Model.Embedding?.Outputs.InputsEmbeds ?? DecoderSignature.DefaultInputsEmbeds),
                (session.OutputMetadata, v.Outputs.ImageFeatures));
            if (hiddenSize == 0)
            {
                throw new ModelConfigurationException(
                    $"'{_configFile}': field 'model.decoder.hidden_size' is missing or 0, and neither the embedding nor the vision graph fixes the feature width.", _configFile, "model.decoder.hidden_size");
            }

            vision = new VisionEncoder(session, v, hiddenSize, _configFile);
            _created[_created.IndexOf(session)] = vision; // the encoder owns (and disposes) the session from here
        }

        if (lora?.BaseDecoder is { } baseFile && shared is not null)
        {
            // Two graphs on one copy of the weights: the base decoder now, the LoRA decoder when an adapter needs it.
            string manifestFile = Path.Combine(_directory, LoraModelManifest.FileName);
            string loraFile = config.Model.Decoder.Filename;
            if (!File.Exists(Path.Combine(_directory, loraFile)))
            {
                throw new ModelConfigurationException($"'{_configFile}': field 'model.decoder.filename' names '{loraFile}', which is not in '{_directory}'.", _configFile, "model.decoder.filename");
            }

            SharedWeights weights = Track(SharedWeights.Map(_directory, shared, manifestFile));
            InferenceSession baseDecoder = CreateSession(baseFile, config.Model.Decoder.SessionOptions, manifestFile, "base_decoder", SizeOf(baseFile) + SizeOf(shared.File), weights);
            weights.ReleaseResidentPages();
            string directory = _directory;
            string configFile = _configFile;
            AndesModelOptions options = _options;
            ILogger logger = _logger;
            InferenceSession OpenLoraDecoder()
            {
                long started = Stopwatch.GetTimestamp();
                InferenceSession session = OpenSession(directory, loraFile, config.Model.Decoder.SessionOptions, options, configFile, "model.decoder", logger, weights, out _);
                weights.ReleaseResidentPages();
                logger.LoraDecoderOpened(directory, loraFile, SizeOf(directory, loraFile), MillisecondsSince(started));
                return session;
            }

            return Adopt(new AndesModel(fullPath, config, tokenizer, baseDecoder, embedding, _options, OpenLoraDecoder, weights, vision, imageProcessor, _logger));
        }

        InferenceSession decoder = CreateSession(config.Model.Decoder.Filename, config.Model.Decoder.SessionOptions, _configFile, "model.decoder", GraphBytes(config.Model.Decoder.Filename));
        return Adopt(new AndesModel(fullPath, config, tokenizer, decoder, embedding, _options, null, null, vision, imageProcessor, _logger));
    }

    private const string TokenizerFile = "tokenizer.json";

    private AndesTokenizer LoadTokenizer()
    {
        string tokenizerPath = Path.Combine(_directory, TokenizerFile);
        if (!File.Exists(tokenizerPath))
        {
            throw new ModelConfigurationException($"Model folder '{_directory}' has no tokenizer.json.", tokenizerPath, null);
        }

        try
        {
            return AndesTokenizer.Create(tokenizerPath);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException)
        {
            throw new ModelConfigurationException($"Model folder '{_directory}': {e.Message}", tokenizerPath, null, e);
        }
    }

    /// <summary>Creates one ONNX Runtime session, reporting before (it cannot be interrupted) and after.</summary>
    private InferenceSession CreateSession(string fileName, GenAISessionOptions? sessionConfig, string configFile, string section, long bytes, SharedWeights? shared = null)
    {
        Begin(ModelLoadStage.CreatingSession, fileName, bytes);
        long started = Stopwatch.GetTimestamp();
        InferenceSession session = Track(OpenSession(_directory, fileName, sessionConfig, _options, configFile, section, _logger, shared, out List<ExecutionProvider> providers));
        _providers.AddRange(providers);
        _files.Add((fileName, bytes));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.SessionCreated(_directory, section, fileName, bytes, MillisecondsSince(started), SessionOptionsFactory.Describe(providers),
                Threads(SessionOptionsFactory.ResolveIntraOpThreads(_options, sessionConfig)));
        }

        Step(ModelLoadStage.SessionCreated, fileName, bytes);
        return session;
    }

    /// <summary>Opens a graph of the folder with the session options its config section and the caller's options give.</summary>
    internal static InferenceSession OpenSession(
        string directory, string fileName, GenAISessionOptions? sessionConfig, AndesModelOptions options, string configFile, string section, ILogger logger, SharedWeights? shared, out List<ExecutionProvider> providers)
    {
        string path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            string field = section == "base_decoder" ? section : section + ".filename";
            throw new ModelConfigurationException($"'{configFile}': field '{field}' names '{fileName}', which is not in '{directory}'.", configFile, field);
        }

        using SessionOptions so = SessionOptionsFactory.Create(sessionConfig, options, configFile, section, logger, out providers);
        try
        {
            if (shared is null)
            {
                return new InferenceSession(path, so);
            }

            shared.AddTo(so);
            return new InferenceSession(path, so, shared.Container);
        }
        catch (OnnxRuntimeException e)
        {
            // ONNX Runtime names the tensor it could not read, not the file: a truncated .onnx.data reads as a broken
            // tensor. Say which graph (and which external data file) failed.
            string data = path + ".data";
            string detail = File.Exists(data) ? $"'{fileName}' (weights in '{Path.GetFileName(data)}', {FileLengths.Of(data):N0} bytes)" : $"'{fileName}'";
            throw new ModelConfigurationException(
                $"Model folder '{directory}': ONNX Runtime could not open graph {detail} ({section}): {e.Message.Trim()} A truncated or damaged file reads this way; convert the model again.",
                path,
                null,
                e);
        }
    }

    /// <summary>A finished step: its bytes count as done; then the token is checked (a cancellation requested by this very report takes effect here).</summary>
    private void Step(ModelLoadStage stage, string? file, long bytes)
    {
        _bytesDone += bytes;
        if (file is not null && stage is ModelLoadStage.ManifestChecked or ModelLoadStage.ConfigRead or ModelLoadStage.TokenizerLoaded or ModelLoadStage.ImageProcessorLoaded)
        {
            _files.Add((file, bytes)); // graphs are listed where their sessions are created
        }

        Report(stage, file, bytes);
        _cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>A step about to start that cannot be interrupted once it has: the last chance to cancel before it.</summary>
    private void Begin(ModelLoadStage stage, string file, long bytes)
    {
        Report(stage, file, bytes);
        _cancellationToken.ThrowIfCancellationRequested();
    }

    private void Report(ModelLoadStage stage, string? file, long bytes)
    {
        _logger.ModelLoadStep(_directory, stage, file, bytes, ElapsedMs);
        _progress?.Report(new ModelLoadProgress(stage, file, bytes, _bytesDone, _totalBytes, Stopwatch.GetElapsedTime(_started)));
    }

    /// <summary>The model now owns what was created; the completed report and log line follow.</summary>
    private AndesModel Adopt(AndesModel model)
    {
        _created.Clear();
        _created.Add(model);
        return model;
    }

    private void Completed(AndesModel model)
    {
        _bytesDone = _totalBytes;
        Report(ModelLoadStage.Completed, null, 0);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            string files = string.Join(", ", _files.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.File} ({f.Bytes} bytes)")));
            _logger.ModelLoaded(model.Directory, EngineFeatureNotSupportedException.EngineName(model.Engine), ElapsedMs, files, _totalBytes,
                SessionOptionsFactory.Describe(_providers), Threads(model.IntraOpThreadCount));
        }
    }

    private T Track<T>(T created)
        where T : IDisposable
    {
        _created.Add(created);
        return created;
    }

    private int DisposeCreated()
    {
        int count = _created.Count;
        for (int i = _created.Count - 1; i >= 0; i--)
        {
            _created[i].Dispose();
        }

        _created.Clear();
        return count;
    }

    private long AndesEngineBytes(GenAIConfig config, LoraModelManifest? lora, SharedWeightsSection? shared)
    {
        long bytes = (config.Model.Embedding is { } e ? GraphBytes(e.Filename) : 0) + (config.Model.Vision is { } v ? GraphBytes(v.Filename) : 0);
        return bytes + (lora?.BaseDecoder is { } baseFile && shared is not null
            ? SizeOf(baseFile) + SizeOf(shared.File)
            : GraphBytes(config.Model.Decoder.Filename));
    }

    private long OnnxRuntimeGenAIBytes(GenAIConfig config) => GraphFiles(config).Sum(GraphBytes);

    private static IEnumerable<string> GraphFiles(GenAIConfig config)
    {
        if (config.Model.Vision is { } v)
        {
            yield return v.Filename;
        }

        if (config.Model.Embedding is { } e)
        {
            yield return e.Filename;
        }

        yield return config.Model.Decoder.Filename;
    }

    /// <summary>A graph's bytes with its external weights (<c>&lt;file&gt;.data</c>, the layout both converters write).</summary>
    private long GraphBytes(string fileName) => SizeOf(fileName) + SizeOf(fileName + ".data");

    private long SizeOf(string fileName) => SizeOf(_directory, fileName);

    // A missing file counts 0 bytes here: the step that needs it fails with the error naming it.
    private static long SizeOf(string directory, string fileName)
    {
        string path = Path.Combine(directory, fileName);
        return File.Exists(path) ? FileLengths.Of(path) : 0;
    }

    private static long MillisecondsSince(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string Threads(int? threads) => threads?.ToString(CultureInfo.InvariantCulture) ?? "ONNX Runtime's default";
}
