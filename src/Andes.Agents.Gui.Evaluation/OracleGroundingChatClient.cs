using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>
/// An <see cref="IChatClient"/> that answers grounding requests from a dataset's ground truth, in AndesVL's box format:
/// it finds the sample by the request's image and instruction, maps the true box into model coordinates with the
/// same geometry the evaluator uses, and rounds it inwards. It checks the whole pipeline (prompt, image, mapping,
/// parsing): an evaluation with it must score 100 %. Unknown requests get "I cannot find it.".
/// The image may come encoded (matched by the file's bytes) or as raw pixels (<see cref="RawFrameContent"/>, matched
/// by its pixels against the dataset's PNG images of the same size, decoded on first use).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class OracleGroundingChatClient : IChatClient
{
    private readonly Dictionary<(string Hash, string Instruction), GroundingSample> _samples = [];
    private readonly Dictionary<(int Width, int Height, string Instruction), List<GroundingSample>> _bySize = [];
    private readonly ConcurrentDictionary<string, UInt128?> _pixelHashes = new(StringComparer.Ordinal);
    private readonly GroundingOptions _options;
    private readonly GroundingAnswerFormat _format;
    private readonly ChatClientMetadata _metadata = new("andes-oracle", defaultModelId: "oracle");

    /// <summary>Creates the oracle.</summary>
    /// <param name="dataset">The dataset whose answers it knows.</param>
    /// <param name="options">The grounding settings the evaluator uses (coordinate system and sizing must match).</param>
    /// <param name="format">How it writes boxes.</param>
    public OracleGroundingChatClient(GroundingDataset dataset, GroundingOptions? options = null, GroundingAnswerFormat format = GroundingAnswerFormat.BoxTokens)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _options = options?.Clone() ?? new GroundingOptions();
        _format = format;
        var hashes = new Dictionary<string, (string Hash, ImageInfo Info)>(StringComparer.Ordinal);
        foreach (GroundingSample sample in dataset.Samples)
        {
            if (!hashes.TryGetValue(sample.ImagePath, out (string Hash, ImageInfo Info) file))
            {
                byte[] bytes = File.ReadAllBytes(sample.ImagePath);
                file = (Convert.ToHexString(SHA256.HashData(bytes)), ImageInfo.Read(bytes, sample.ImagePath));
                hashes[sample.ImagePath] = file;
            }

            _samples.TryAdd((file.Hash, sample.Instruction), sample);
            var key = (file.Info.Width, file.Info.Height, sample.Instruction);
            if (!_bySize.TryGetValue(key, out List<GroundingSample>? list))
            {
                _bySize[key] = list = [];
            }

            list.Add(sample);
        }
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(messages))) { ModelId = "oracle" });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private string Answer(IEnumerable<ChatMessage> messages)
    {
        ChatMessage? user = messages.LastOrDefault(m => m.Role == ChatRole.User);
        DataContent? image = user?.Contents.OfType<DataContent>().LastOrDefault();
        string text = user?.Text ?? string.Empty;
        int start = text.IndexOf("<|object_ref_start|>", StringComparison.Ordinal);
        int end = text.IndexOf("<|object_ref_end|>", StringComparison.Ordinal);
        if (image is null || start < 0 || end < start)
        {
            return "I cannot find it.";
        }

        string instruction = text[(start + "<|object_ref_start|>".Length)..end];
        GroundingSample? sample;
        int width, height;
        if (RawFrameContent.IsRawFrame(image))
        {
            BgraImage? pixels;
            try
            {
                RawFrameContent.TryRead(image, out pixels);
            }
            catch (InvalidDataException)
            {
                return "I cannot read the image.";
            }

            (width, height) = (pixels!.Width, pixels.Height);
            sample = FindByPixels(pixels, instruction);
        }
        else
        {
            string hash = Convert.ToHexString(SHA256.HashData(image.Data.Span));
            _samples.TryGetValue((hash, instruction), out sample);
            ImageInfo info;
            try
            {
                info = ImageInfo.Read(image.Data.Span);
            }
            catch (InvalidDataException)
            {
                return "I cannot read the image.";
            }

            (width, height) = (info.Width, info.Height);
        }

        if (sample is null)
        {
            return "I cannot find it.";
        }

        CoordinateMapper mapper = GroundingEvaluator.CreateMapper(width, height, _options);
        ModelBox exact = mapper.ToModel(sample.Box);
        ModelBox rounded = GroundingAnswerWriter.RoundInward(exact);
        if (rounded.X2 - rounded.X1 < 1 || rounded.Y2 - rounded.Y1 < 1)
        {
            // Narrower than one unit: integers cannot hit it reliably, so answer with decimals (the parser takes them).
            return string.Create(CultureInfo.InvariantCulture, $"<|box_start|>({exact.X1 + (exact.X2 - exact.X1) / 4:0.###},{exact.Y1 + (exact.Y2 - exact.Y1) / 4:0.###}),({exact.X2 - (exact.X2 - exact.X1) / 4:0.###},{exact.Y2 - (exact.Y2 - exact.Y1) / 4:0.###})<|box_end|>");
        }

        return GroundingAnswerWriter.WriteBox(rounded, _format);
    }

    /// <summary>The sample with this instruction whose image (a PNG of the same size) has these pixels (RGB compared, alpha ignored).</summary>
    private GroundingSample? FindByPixels(BgraImage pixels, string instruction)
    {
        if (!_bySize.TryGetValue((pixels.Width, pixels.Height, instruction), out List<GroundingSample>? candidates))
        {
            return null;
        }

        UInt128 hash = PixelHash(pixels);
        foreach (GroundingSample candidate in candidates)
        {
            UInt128? known = _pixelHashes.GetOrAdd(candidate.ImagePath, static path =>
            {
                byte[] bytes = File.ReadAllBytes(path);
                return ImageInfo.Read(bytes, path).MediaType == PngEncoder.MediaType ? PixelHash(PngDecoder.Decode(bytes, path)) : null;
            });
            if (known == hash)
            {
                return candidate;
            }
        }

        return null;
    }

    private static UInt128 PixelHash(BgraImage image)
    {
        var hasher = new XxHash128();
        byte[] rgb = new byte[image.Width * 3];
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            for (int x = 0; x < image.Width; x++)
            {
                rgb[3 * x] = row[4 * x + 2];
                rgb[3 * x + 1] = row[4 * x + 1];
                rgb[3 * x + 2] = row[4 * x];
            }

            hasher.Append(rgb);
        }

        return hasher.GetCurrentHashAsUInt128();
    }
}
