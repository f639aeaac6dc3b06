namespace Andes.GenAI;

/// <summary>
/// Finds stop sequences in streamed output text and decides how much of it is safe to show. Text that could still be
/// the start of a stop sequence is held back until the next chunk settles it; the stop sequence and everything after
/// it are never emitted. The concatenation of everything emitted (including <see cref="Flush"/>) is exactly the
/// output text before the first stop sequence, however the text was split into chunks.
/// </summary>
/// <remarks>
/// <para>
/// Feed the chunks a streaming detokenizer produces, in order. "First" means the stop sequence that completes first
/// while reading left to right; when several complete at the same character, the longest (earliest-starting) wins.
/// Comparison is ordinal (UTF-16 code units, no culture or normalisation).
/// </para>
/// <para>
/// Cost: O(chunk length x number of stop sequences) per chunk, using one Knuth-Morris-Pratt automaton per stop
/// sequence (no rescans). At most <c>longest stop sequence - 1</c> characters are held back. Allocates only when its
/// internal buffer grows to fit a larger chunk. One instance per generation; not thread-safe.
/// </para>
/// <example>
/// Stop sequences <c>["&lt;/answer&gt;"]</c>, chunks <c>"Hello &lt;/an"</c> then <c>"swer&gt; more"</c>: the first call
/// returns <see cref="StopMatchResult.Continue"/> emitting <c>"Hello "</c>, the second <see cref="StopMatchResult.Stopped"/>
/// emitting nothing.
/// </example>
/// </remarks>
public sealed class StopSequenceMatcher
{
    private readonly string[] _stops;
    private readonly int[][] _failure;
    private readonly int[] _state;
    private readonly char[] _held;
    private int _heldLength;
    private char[] _buffer;
    private int _matchedIndex = -1;

    /// <summary>Initializes a new instance of the <see cref="StopSequenceMatcher"/> class.</summary>
    /// <param name="stopSequences">The stop sequences (non-empty strings; may be empty, then all text passes through).</param>
    /// <exception cref="ArgumentNullException"><paramref name="stopSequences"/> is null.</exception>
    /// <exception cref="ArgumentException">A stop sequence is null or empty.</exception>
    public StopSequenceMatcher(IEnumerable<string> stopSequences)
    {
        ArgumentNullException.ThrowIfNull(stopSequences);
        _stops = [.. stopSequences];
        _failure = new int[_stops.Length][];
        int longest = 0;
        for (int s = 0; s < _stops.Length; s++)
        {
            string stop = _stops[s];
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException($"Stop sequence [{s}] is null or empty; stop sequences must be non-empty strings.", nameof(stopSequences));
            }

            _failure[s] = BuildFailure(stop);
            longest = Math.Max(longest, stop.Length);
        }

        _state = new int[_stops.Length];
        _held = new char[Math.Max(0, longest - 1)];
        _buffer = new char[Math.Max(256, longest * 2)];
        MaxHeldBack = _held.Length;
    }

    /// <summary>Gets the stop sequences, in the order given.</summary>
    public IReadOnlyList<string> StopSequences => _stops;

    /// <summary>Gets the most characters ever held back: the longest stop sequence's length minus one.</summary>
    public int MaxHeldBack { get; }

    /// <summary>Gets the number of characters currently held back (possibly the start of a stop sequence).</summary>
    public int HeldBackLength => _heldLength;

    /// <summary>Gets a value indicating whether a stop sequence has been found.</summary>
    public bool IsStopped => _matchedIndex >= 0;

    /// <summary>Gets the stop sequence that was found, or <see langword="null"/> while none has.</summary>
    public string? MatchedStopSequence => _matchedIndex >= 0 ? _stops[_matchedIndex] : null;

    /// <summary>Gets the index in <see cref="StopSequences"/> of the stop sequence found, or -1.</summary>
    public int MatchedIndex => _matchedIndex;

    /// <summary>
    /// Appends the next chunk of output text and returns what can be shown now and whether generation must stop.
    /// </summary>
    /// <param name="chunk">The next decoded text (may be empty).</param>
    /// <param name="emit">
    /// Text that is now safe to show: previously held-back text that turned out not to start a stop sequence, then
    /// this chunk up to anything that might. Points into an internal buffer, valid until the next call.
    /// After <see cref="StopMatchResult.Stopped"/> has been returned once, further calls emit nothing.
    /// </param>
    /// <returns><see cref="StopMatchResult.Stopped"/> when a stop sequence completed in this chunk (or earlier).</returns>
    public StopMatchResult Append(ReadOnlySpan<char> chunk, out ReadOnlySpan<char> emit)
    {
        if (_matchedIndex >= 0)
        {
            emit = [];
            return StopMatchResult.Stopped;
        }

        int total = _heldLength + chunk.Length;
        if (_buffer.Length < total)
        {
            _buffer = new char[Math.Max(total, _buffer.Length * 2)];
        }

        Span<char> text = _buffer.AsSpan(0, total);
        _held.AsSpan(0, _heldLength).CopyTo(text);
        chunk.CopyTo(text[_heldLength..]);

        int depth = 0;
        for (int i = 0; i < chunk.Length; i++)
        {
            char c = chunk[i];
            int matched = -1;
            depth = 0;
            for (int s = 0; s < _stops.Length; s++)
            {
                int q = Advance(s, _state[s], c);
                _state[s] = q;
                if (q == _stops[s].Length)
                {
                    if (matched < 0 || q > _stops[matched].Length)
                    {
                        matched = s;
                    }
                }
                else if (q > depth)
                {
                    depth = q;
                }
            }

            if (matched >= 0)
            {
                // The match ends at text[heldLength + i]; the held-back text always covers its start.
                _matchedIndex = matched;
                emit = text[..(_heldLength + i + 1 - _stops[matched].Length)];
                _heldLength = 0;
                return StopMatchResult.Stopped;
            }
        }

        if (chunk.Length == 0)
        {
            depth = _heldLength;
        }

        // Hold back the longest suffix that is still a proper prefix of some stop sequence.
        text[(total - depth)..].CopyTo(_held);
        _heldLength = depth;
        emit = text[..(total - depth)];
        return StopMatchResult.Continue;
    }

    /// <summary>
    /// Ends the stream: returns the held-back text (which no stop sequence followed) and clears it. Call once after the
    /// last chunk when generation ended for another reason (end token, length); returns nothing after a stop.
    /// </summary>
    /// <returns>The remaining text to show; points into an internal buffer, valid until the next call.</returns>
    public ReadOnlySpan<char> Flush()
    {
        if (_matchedIndex >= 0 || _heldLength == 0)
        {
            return [];
        }

        Span<char> rest = _buffer.AsSpan(0, _heldLength);
        _held.AsSpan(0, _heldLength).CopyTo(rest);
        _heldLength = 0;
        Array.Clear(_state);
        return rest;
    }

    /// <summary>Forgets all text and any match, ready for a new stream with the same stop sequences.</summary>
    public void Reset()
    {
        _heldLength = 0;
        _matchedIndex = -1;
        Array.Clear(_state);
    }

    private int Advance(int s, int q, char c)
    {
        string stop = _stops[s];
        int[] failure = _failure[s];
        while (q > 0 && stop[q] != c)
        {
            q = failure[q - 1];
        }

        return stop[q] == c ? q + 1 : 0;
    }

    /// <summary>KMP failure function: entry i is the length of the longest proper border of stop[..(i + 1)].</summary>
    private static int[] BuildFailure(string stop)
    {
        int[] failure = new int[stop.Length];
        int k = 0;
        for (int i = 1; i < stop.Length; i++)
        {
            while (k > 0 && stop[i] != stop[k])
            {
                k = failure[k - 1];
            }

            if (stop[i] == stop[k])
            {
                k++;
            }

            failure[i] = k;
        }

        return failure;
    }
}
