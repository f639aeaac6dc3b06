using System.Text;

namespace Andes.GenAI;

/// <summary>
/// Turns generated token ids into text one id at a time without ever emitting a broken character: each token's UTF-8
/// bytes go through a stateful UTF-8 decoder, so a character split across tokens is emitted once complete. The
/// concatenation of everything returned (including <see cref="Flush()"/>) equals
/// <see cref="AndesTokenizer.Decode(ReadOnlySpan{int}, bool)"/> of all the ids.
/// </summary>
/// <remarks>
/// One instance per generation; not thread-safe. The span overloads allocate nothing; the string overloads allocate
/// only the returned string (none when no text is completed).
/// </remarks>
public sealed class StreamingDetokenizer
{
    private readonly AndesTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly Decoder _decoder;
    private readonly char[] _buffer;

    /// <summary>Creates a streaming detokenizer.</summary>
    /// <param name="tokenizer">The tokenizer whose ids will be appended.</param>
    /// <param name="skipSpecialTokens">Whether special added tokens (e.g. <c>&lt;|im_end|&gt;</c>) produce no text.</param>
    public StreamingDetokenizer(AndesTokenizer tokenizer, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
        _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        MaxCharsPerToken = tokenizer.MaxTokenByteCount + 4;
        _buffer = new char[MaxCharsPerToken];
    }

    /// <summary>Gets the most characters one <see cref="Append(int, Span{char})"/> or <see cref="Flush(Span{char})"/> can write.</summary>
    public int MaxCharsPerToken { get; }

    /// <summary>Appends one token id and returns the text it completes.</summary>
    /// <param name="id">The token id (ids without a token are ignored).</param>
    /// <returns>The newly completed text; <see cref="string.Empty"/> if the token only started a character or was skipped.</returns>
    public string Append(int id)
    {
        int written = Append(id, _buffer);
        return written == 0 ? string.Empty : new string(_buffer, 0, written);
    }

    /// <summary>Appends one token id and writes the text it completes into <paramref name="destination"/>.</summary>
    /// <param name="id">The token id (ids without a token are ignored).</param>
    /// <param name="destination">Where to write; at least <see cref="MaxCharsPerToken"/> characters.</param>
    /// <returns>The number of characters written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxCharsPerToken"/>.</exception>
    public int Append(int id, Span<char> destination)
    {
        CheckDestination(destination);
        ReadOnlySpan<byte> bytes = _tokenizer.GetTokenBytes(id, _skipSpecialTokens);
        return bytes.IsEmpty ? 0 : _decoder.GetChars(bytes, destination, flush: false);
    }

    /// <summary>Ends the sequence: a dangling incomplete character becomes U+FFFD. The detokenizer is then reset.</summary>
    /// <returns>The remaining text, usually <see cref="string.Empty"/>.</returns>
    public string Flush()
    {
        int written = Flush(_buffer);
        return written == 0 ? string.Empty : new string(_buffer, 0, written);
    }

    /// <summary>Ends the sequence, writing any remaining text into <paramref name="destination"/>. The detokenizer is then reset.</summary>
    /// <param name="destination">Where to write; at least <see cref="MaxCharsPerToken"/> characters.</param>
    /// <returns>The number of characters written.</returns>
    public int Flush(Span<char> destination)
    {
        CheckDestination(destination);
        int written = _decoder.GetChars([], destination, flush: true);
        _decoder.Reset();
        return written;
    }

    /// <summary>Discards any pending partial character and starts over.</summary>
    public void Reset() => _decoder.Reset();

    private void CheckDestination(Span<char> destination)
    {
        if (destination.Length < MaxCharsPerToken)
        {
            throw new ArgumentException($"The destination has {destination.Length} characters; at least {MaxCharsPerToken} are needed.", nameof(destination));
        }
    }
}
