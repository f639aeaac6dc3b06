using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>
/// Scores a vision-language <see cref="IChatClient"/> on a grounding dataset: each image goes to the model as-is (PNG
/// or JPEG bytes, as in AndesVL's published evaluation; with <see cref="GroundingOptions.Transport"/> set to
/// <see cref="ImageTransport.RawPixels"/>, PNG files are decoded here and sent as raw pixels) with AndesVL's grounding prompt; the answer is parsed, range-checked and mapped back to image pixels
/// through the same chain the agent uses; a sample is a hit when the point lies in the true box (edges included),
/// and box answers also get their IoU. Rejected answers count as misses.
/// </summary>
public sealed class GroundingEvaluator
{
    private readonly IChatClient _client;
    private readonly GroundingOptions _options;
    private readonly ScreenGrounder _grounder;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="client">The model.</param>
    /// <param name="options">Grounding settings (coordinate system, sizing, chat options); null for AndesVL's.</param>
    public GroundingEvaluator(IChatClient client, GroundingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options?.Clone() ?? new GroundingOptions();
        _grounder = new ScreenGrounder(client, _options);
    }

    /// <summary>Evaluates the model on a dataset.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="modelName">The name to put in the report; null for the client's metadata or type name.</param>
    /// <param name="limit">Evaluate only the first N samples; null for all.</param>
    /// <param name="progress">Told how many samples are done.</param>
    /// <param name="cancellationToken">Cancels between samples.</param>
    /// <returns>The report.</returns>
    /// <exception cref="GroundingEvaluationException">The client threw on a sample (e.g. the engine does not take images).</exception>
    public async Task<GroundingEvaluationReport> EvaluateAsync(
        GroundingDataset dataset,
        string? modelName = null,
        int? limit = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        IEnumerable<GroundingSample> samples = limit is { } n ? dataset.Samples.Take(n) : dataset.Samples;
        var results = new List<GroundingSampleResult>();
        foreach (GroundingSample sample in samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await EvaluateSampleAsync(sample, cancellationToken).ConfigureAwait(false));
            progress?.Report(results.Count);
        }

        string name = modelName ?? (_client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId ?? _client.GetType().Name;
        return new GroundingEvaluationReport(dataset.Path, name, results);
    }

    /// <summary>Evaluates one sample.</summary>
    /// <param name="sample">The sample.</param>
    /// <param name="cancellationToken">Cancels the model call.</param>
    /// <returns>The result.</returns>
    /// <exception cref="GroundingEvaluationException">The client threw.</exception>
    public async Task<GroundingSampleResult> EvaluateSampleAsync(GroundingSample sample, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        byte[] bytes = await File.ReadAllBytesAsync(sample.ImagePath, cancellationToken).ConfigureAwait(false);
        ImageInfo info = ImageInfo.Read(bytes, sample.ImagePath);
        CoordinateMapper mapper = CreateMapper(info.Width, info.Height, _options);
        DataContent image = _options.Transport == ImageTransport.RawPixels && info.MediaType == PngEncoder.MediaType
            ? RawFrameContent.Create(PngDecoder.Decode(bytes, sample.ImagePath))
            : new DataContent(bytes, info.MediaType);
        List<ChatMessage> messages = GroundingPrompt.CreateMessages(sample.Instruction, image, _options.IncludeSystemPrompt);
        ChatResponse response;
        try
        {
            response = await _client.GetResponseAsync(messages, _options.CreateChatOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new GroundingEvaluationException(sample, e);
        }

        string answer = response.Text;
        try
        {
            GroundingResult result = ScreenGrounder.Resolve(sample.Instruction, answer, mapper);
            ImageBox? box = result.ImageBox;
            return new GroundingSampleResult(
                sample,
                answer,
                result.ImageTarget,
                box,
                sample.Box.Contains(result.ImageTarget),
                box is { } b ? b.IntersectionOverUnion(sample.Box) : null,
                null);
        }
        catch (GroundingAnswerException e)
        {
            return new GroundingSampleResult(sample, answer, null, null, false, null, e.Failure);
        }
    }

    /// <summary>The mapping of an evaluation image (its own pixels are the "screen").</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="options">Grounding settings.</param>
    /// <returns>The mapper.</returns>
    public static CoordinateMapper CreateMapper(int width, int height, GroundingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CoordinateMapper(ImageGeometry.Compute(width, height, options.Sizing), options.Coordinates, new ScreenRectangle(0, 0, width, height));
    }
}
