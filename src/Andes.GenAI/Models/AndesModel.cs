using Andes.GenAI.Adapters;
using Andes.GenAI.Runtime;
using Andes.GenAI.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI.Models;

/// <summary>
/// An AndesVL model folder loaded for inference: its <c>genai_config.json</c>, tokenizer and ONNX Runtime sessions
/// (embedding and decoder). Load once and share: it is safe for concurrent use by any number of generations, each of
/// which keeps its own key/value cache.
/// </summary>
public sealed class AndesModel : IDisposable
{
    private readonly InferenceSession _decoder;
    private readonly InferenceSession? _embedding;
    private readonly Lazy<InferenceSession>? _loraDecoder;
    private readonly SharedWeights? _sharedWeights;
    private readonly Lazy<LoraModelInputs> _loraInputs;
    private int _disposed;

    private AndesModel(string directory, GenAIConfig config, AndesTokenizer tokenizer, InferenceSession decoder, InferenceSession? embedding, AndesModelOptions options, Func<InferenceSession>? openLoraDecoder, SharedWeights? sharedWeights)
    {
        Directory = directory;
        Config = config;
        Tokenizer = tokenizer;
        _decoder = decoder;
        _embedding = embedding;
        _sharedWeights = sharedWeights;
        Options = options;
        Signature = DecoderSignature.Create(config, decoder, embedding, Path.Combine(directory, GenAIConfig.FileName));
        _loraDecoder = openLoraDecoder is null ? null : new Lazy<InferenceSession>(openLoraDecoder, LazyThreadSafetyMode.ExecutionAndPublication);
        _loraInputs = new Lazy<LoraModelInputs>(() => LoraModelInputs.FromSession(LoraDecoder, directory));
    }

    /// <summary>The model folder.</summary>
    public string Directory { get; }

    /// <summary>The folder's <c>genai_config.json</c>.</summary>
    public GenAIConfig Config { get; }

    /// <summary>The tokenizer (<c>tokenizer.json</c>).</summary>
    public AndesTokenizer Tokenizer { get; }

    /// <summary>The options the sessions were created with.</summary>
    public AndesModelOptions Options { get; }

    /// <summary>The maximum total tokens of a sequence (prompt + generated).</summary>
    public int ContextLength => Config.Model.ContextLength;

    /// <summary>The decoder run when no LoRA adapter is active.</summary>
    internal InferenceSession Decoder => _decoder;

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
            return _loraDecoder?.Value ?? _decoder;
        }
    }

    internal InferenceSession? Embedding => _embedding;

    internal DecoderSignature Signature { get; }

    /// <summary>The decoder's LoRA inputs (empty for a model converted without LoRA targets).</summary>
    internal LoraModelInputs LoraInputs => _loraInputs.Value;

    /// <summary>Opens a model folder.</summary>
    /// <param name="directory">The folder with <c>genai_config.json</c>, <c>tokenizer.json</c> and the ONNX graphs.</param>
    /// <param name="options">Session options overriding the config's; null for the config's.</param>
    /// <returns>The loaded model; dispose it to release the sessions.</returns>
    /// <exception cref="ModelConfigurationException">The configuration is missing or invalid, or a graph's inputs do not match it.</exception>
    /// <exception cref="ExecutionProviderNotAvailableException">A requested provider is missing and fall-back was not allowed.</exception>
    public static AndesModel Load(string directory, AndesModelOptions? options = null)
    {
        options = options?.Clone() ?? new AndesModelOptions();
        string configFile = Path.Combine(directory, GenAIConfig.FileName);
        GenAIConfig config = GenAIConfig.Load(directory);
        string tokenizerPath = Path.Combine(directory, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new ModelConfigurationException($"Model folder '{directory}' has no tokenizer.json.", tokenizerPath, null);
        }

        AndesTokenizer tokenizer = AndesTokenizer.Create(tokenizerPath);
        InferenceSession? embedding = null;
        InferenceSession? decoder = null;
        SharedWeights? shared = null;
        try
        {
            if (config.Model.Embedding is { } e)
            {
                embedding = OpenSession(directory, e.Filename, e.SessionOptions, options, configFile, "model.embedding");
            }

            LoraModelManifest? lora = LoraModelManifest.TryLoad(directory);
            if (lora?.BaseDecoder is { } baseFile && lora.SharedWeights is { } section)
            {
                // Two graphs on one copy of the weights: the base decoder now, the LoRA decoder when an adapter needs it.
                string manifestFile = Path.Combine(directory, LoraModelManifest.FileName);
                string loraFile = config.Model.Decoder.Filename;
                if (!File.Exists(Path.Combine(directory, loraFile)))
                {
                    throw new ModelConfigurationException($"'{configFile}': field 'model.decoder.filename' names '{loraFile}', which is not in '{directory}'.", configFile, "model.decoder.filename");
                }

                shared = SharedWeights.Map(directory, section, manifestFile);
                decoder = OpenSession(directory, baseFile, config.Model.Decoder.SessionOptions, options, manifestFile, "base_decoder", shared);
                shared.ReleaseResidentPages();
                SharedWeights weights = shared;
                InferenceSession OpenLoraDecoder()
                {
                    InferenceSession session = OpenSession(directory, loraFile, config.Model.Decoder.SessionOptions, options, configFile, "model.decoder", weights);
                    weights.ReleaseResidentPages();
                    return session;
                }

                return new AndesModel(Path.GetFullPath(directory), config, tokenizer, decoder, embedding, options, OpenLoraDecoder, shared);
            }

            decoder = OpenSession(directory, config.Model.Decoder.Filename, config.Model.Decoder.SessionOptions, options, configFile, "model.decoder");
            return new AndesModel(Path.GetFullPath(directory), config, tokenizer, decoder, embedding, options, null, null);
        }
        catch
        {
            embedding?.Dispose();
            decoder?.Dispose();
            shared?.Dispose();
            throw;
        }
    }

    /// <summary>Tokenises a rendered chat prompt (added tokens such as <c>&lt;|im_start|&gt;</c> are recognised).</summary>
    /// <param name="prompt">The rendered prompt.</param>
    /// <returns>The token ids.</returns>
    /// <exception cref="NotSupportedException">The prompt has images and this model has no vision graph.</exception>
    public int[] EncodePrompt(Prompts.ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = new List<int>();
        foreach (Prompts.ChatPromptSegment segment in prompt.Segments)
        {
            if (segment.IsImage)
            {
                throw new NotSupportedException($"Model '{Directory}' has no vision graph, so it cannot take image input.");
            }

            Tokenizer.EncodeToIds(segment.Text!, ids);
        }

        return [.. ids];
    }

    /// <summary>Releases the ONNX Runtime sessions. Generations in flight must have finished.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _decoder.Dispose();
            if (_loraDecoder is { IsValueCreated: true } lora)
            {
                lora.Value.Dispose();
            }

            _embedding?.Dispose();
            _sharedWeights?.Dispose();
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static InferenceSession OpenSession(string directory, string fileName, GenAISessionOptions? sessionConfig, AndesModelOptions options, string configFile, string section, SharedWeights? shared = null)
    {
        string path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            string field = section == "base_decoder" ? section : section + ".filename";
            throw new ModelConfigurationException($"'{configFile}': field '{field}' names '{fileName}', which is not in '{directory}'.", configFile, field);
        }

        using SessionOptions so = SessionOptionsFactory.Create(sessionConfig, options, configFile, section);
        if (shared is null)
        {
            return new InferenceSession(path, so);
        }

        shared.AddTo(so);
        return new InferenceSession(path, so, shared.Container);
    }
}
