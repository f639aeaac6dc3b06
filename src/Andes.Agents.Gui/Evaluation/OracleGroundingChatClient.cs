using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Andes.Agents.Gui.Geometry;
using Andes.Agents.Gui.Grounding;
using Andes.Agents.Gui.Imaging;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>
/// An <see cref="IChatClient"/> that answers grounding requests from a dataset's ground truth, in AndesVL's box format:
/// it finds the sample by the request's image bytes and instruction, maps the true box into model coordinates with the
/// same geometry the evaluator uses, and rounds it inwards. It checks the whole pipeline (prompt, image, mapping,
/// parsing): an evaluation with it must score 100 %. Unknown requests get "I cannot find it.".
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class OracleGroundingChatClient : IChatClient
{
    private readonly Dictionary<(string Hash, string Instruction), GroundingSample> _samples = [];
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
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (GroundingSample sample in dataset.Samples)
        {
            if (!hashes.TryGetValue(sample.ImagePath, out string? hash))
            {
                hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(sample.ImagePath)));
                hashes[sample.ImagePath] = hash;
            }

            _samples.TryAdd((hash, sample.Instruction), sample);
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
        string hash = Convert.ToHexString(SHA256.HashData(image.Data.Span));
        if (!_samples.TryGetValue((hash, instruction), out GroundingSample? sample))
        {
            return "I cannot find it.";
        }

        ImageInfo info = ImageInfo.Read(image.Data.Span);
        CoordinateMapper mapper = GroundingEvaluator.CreateMapper(info.Width, info.Height, _options);
        ModelBox exact = mapper.ToModel(sample.Box);
        ModelBox rounded = GroundingAnswerWriter.RoundInward(exact);
        if (rounded.X2 - rounded.X1 < 1 || rounded.Y2 - rounded.Y1 < 1)
        {
            // Narrower than one unit: integers cannot hit it reliably, so answer with decimals (the parser takes them).
            return string.Create(CultureInfo.InvariantCulture, $"<|box_start|>({exact.X1 + (exact.X2 - exact.X1) / 4:0.###},{exact.Y1 + (exact.Y2 - exact.Y1) / 4:0.###}),({exact.X2 - (exact.X2 - exact.X1) / 4:0.###},{exact.Y2 - (exact.Y2 - exact.Y1) / 4:0.###})<|box_end|>");
        }

        return GroundingAnswerWriter.WriteBox(rounded, _format);
    }
}
