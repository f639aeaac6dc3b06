using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// Drives a <see cref="Generator"/> token by token and turns its tokens into text that is safe to show: never a broken
/// UTF-8 character, never a stop sequence (text that might start one is held back until it is known not to), nothing
/// after a stop sequence. Special tokens (<c>&lt;|im_end|&gt;</c>, ...) are dropped; other added tokens
/// (<c>&lt;think&gt;</c>, <c>&lt;tool_call&gt;</c>) are kept for the output parser.
/// </summary>
/// <remarks>Not thread-safe: one per generation.</remarks>
public sealed class TextStreamer
{
    private readonly ITokenGenerator _generator;
    private readonly StreamingDetokenizer _detokenizer;
    private readonly StopSequenceMatcher? _stops;
    private bool _completed;

    /// <summary>Creates a streamer over a generator (of either engine) whose prompt has been appended.</summary>
    /// <param name="generator">The generator.</param>
    /// <param name="stopSequences">Stop sequences (may span tokens); null or empty for none.</param>
    public TextStreamer(ITokenGenerator generator, IEnumerable<string>? stopSequences)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _detokenizer = generator.Model.Tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: true);
        string[] stops = stopSequences?.Where(s => s.Length > 0).ToArray() ?? [];
        _stops = stops.Length > 0 ? new StopSequenceMatcher(stops) : null;
    }

    /// <summary>Whether generation has finished; then call <see cref="Complete"/> for any held-back text.</summary>
    public bool IsDone => _generator.IsDone;

    /// <summary>The last token generated.</summary>
    public int LastToken { get; private set; } = -1;

    /// <summary>Generates one token and returns the text that became safe to show (often empty).</summary>
    public string Step()
    {
        LastToken = _generator.GenerateNextToken();
        return Filter(_detokenizer.Append(LastToken));
    }

    /// <summary>Returns the text still held back once generation is done (empty after a stop sequence).</summary>
    public string Complete()
    {
        if (_completed)
        {
            return string.Empty;
        }

        _completed = true;
        string tail = Filter(_detokenizer.Flush());
        if (_stops is null || _stops.IsStopped)
        {
            return tail;
        }

        return tail + _stops.Flush().ToString();
    }

    private string Filter(string piece)
    {
        if (piece.Length == 0 || _stops is null)
        {
            return piece;
        }

        if (_stops.IsStopped)
        {
            return string.Empty;
        }

        StopMatchResult result = _stops.Append(piece, out ReadOnlySpan<char> emit);
        string text = emit.ToString();
        if (result == StopMatchResult.Stopped)
        {
            _generator.Finish(FinishReason.StopSequence);
        }

        return text;
    }
}
