using Andes.Agents.Gui;
using Microsoft.Extensions.AI;

namespace Andes.Agents.Gui;

/// <summary>
/// Locates a described element on a screenshot with a vision-language <see cref="IChatClient"/>: sends AndesVL's
/// grounding prompt with the screenshot (raw pixels to the Andes engine, PNG to other clients), parses the answer, checks its range and maps it to screenshot pixels
/// and desktop coordinates. Rejected answers throw <see cref="GroundingAnswerException"/> and are never acted on.
/// </summary>
/// <remarks>Thread-safe when the client is.</remarks>
public sealed class ScreenGrounder
{
    private readonly IChatClient _client;
    private readonly GroundingOptions _options;
    private readonly ImageTransport _transport;

    /// <summary>Creates a grounder.</summary>
    /// <param name="client">The model.</param>
    /// <param name="options">Settings; null for AndesVL's defaults.</param>
    public ScreenGrounder(IChatClient client, GroundingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options?.Clone() ?? new GroundingOptions();
        _transport = _options.Transport.Resolve(client);
    }

    /// <summary>How this grounder sends frames to its client (<see cref="GroundingOptions.Transport"/> resolved).</summary>
    public ImageTransport Transport => _transport;

    /// <summary>The settings in use.</summary>
    public GroundingOptions Options => _options.Clone();

    /// <summary>The mapper for a frame under these settings.</summary>
    /// <param name="frame">The screenshot.</param>
    /// <returns>The mapper.</returns>
    public CoordinateMapper CreateMapper(ScreenFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new CoordinateMapper(ImageGeometry.Compute(frame.Width, frame.Height, _options.Sizing), _options.Coordinates, frame.Bounds);
    }

    /// <summary>Locates an element on a captured frame.</summary>
    /// <param name="frame">The screenshot.</param>
    /// <param name="instruction">What to locate.</param>
    /// <param name="cancellationToken">Cancels the model call.</param>
    /// <returns>The grounded target.</returns>
    /// <exception cref="GroundingAnswerException">The answer is malformed, out of range or off the screenshot.</exception>
    public async Task<GroundingResult> LocateAsync(ScreenFrame frame, string instruction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentException.ThrowIfNullOrWhiteSpace(instruction);
        DataContent image = frame.ToDataContent(_transport, _options.Png);
        return await LocateAsync(image, CreateMapper(frame), instruction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locates an element on an image whose mapping is known.</summary>
    /// <param name="image">The image: encoded (PNG or JPEG bytes with their media type) or raw pixels (<see cref="RawFrameContent"/>).</param>
    /// <param name="mapper">The mapping for that image (its geometry's source size must be the image's).</param>
    /// <param name="instruction">What to locate.</param>
    /// <param name="cancellationToken">Cancels the model call.</param>
    /// <returns>The grounded target.</returns>
    /// <exception cref="GroundingAnswerException">The answer is malformed, out of range or off the image.</exception>
    public async Task<GroundingResult> LocateAsync(DataContent image, CoordinateMapper mapper, string instruction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mapper);
        List<ChatMessage> messages = GroundingPrompt.CreateMessages(instruction, image, _options.IncludeSystemPrompt);
        ChatResponse response = await _client.GetResponseAsync(messages, _options.CreateChatOptions(), cancellationToken).ConfigureAwait(false);
        return Resolve(instruction, response.Text, mapper);
    }

    /// <summary>Parses, checks and maps a grounding answer (no model call).</summary>
    /// <param name="instruction">What was located.</param>
    /// <param name="answerText">The model's answer.</param>
    /// <param name="mapper">The mapping for the image the model saw.</param>
    /// <returns>The grounded target.</returns>
    /// <exception cref="GroundingAnswerException">The answer is malformed, out of range or off the image.</exception>
    public static GroundingResult Resolve(string instruction, string answerText, CoordinateMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(answerText);
        ArgumentNullException.ThrowIfNull(mapper);
        GroundingAnswer answer = GroundingAnswerParser.Parse(answerText, mapper.Coordinates);
        if (!mapper.TryMapToScreen(answer.Target, out ScreenPoint screen, out GroundingFailure? failure))
        {
            throw new GroundingAnswerException(failure!, answerText);
        }

        ImagePoint image = mapper.ToImage(screen);
        return new GroundingResult(
            instruction,
            answer,
            mapper,
            image,
            screen,
            answer.Box is { } b ? mapper.ToImage(b) : null,
            answer.Box is { } s ? mapper.ToScreen(s) : null);
    }
}
