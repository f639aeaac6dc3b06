using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// Per-tokenizer data for constrained decoding, built once per <see cref="AndesTokenizer"/> and shared (thread-safe):
/// a byte trie over every ordinary token (added tokens such as <c>&lt;|im_end|&gt;</c> or <c>&lt;tool_call&gt;</c> are
/// left out: they are never JSON text), a second trie over the tokens that can leave a string (they contain <c>"</c>
/// or <c>\</c>), and for each UTF-8 state the set of "plain" tokens that stay inside a string's content.
/// </summary>
internal sealed class TokenVocabulary
{
    private static readonly ConditionalWeakTable<AndesTokenizer, TokenVocabulary> Cache = [];

    private readonly ulong[][] _plain;
    private readonly byte[][] _plainEnd;
    private readonly int[] _maxPlainChars;
    private readonly byte[] _charCounts;
    private readonly bool[] _isAdded;
    private readonly ConcurrentDictionary<int, ulong[]> _plainUpTo = new();
    private readonly Func<int, ulong[]> _buildPlainUpTo;

    private TokenVocabulary(AndesTokenizer tokenizer)
    {
        Tokenizer = tokenizer;
        VocabularySize = tokenizer.VocabularySize;
        Words = (VocabularySize + 63) >> 6;
        _isAdded = new bool[VocabularySize];
        _buildPlainUpTo = BuildPlainUpTo;
        foreach (AddedToken added in tokenizer.AddedTokens)
        {
            _isAdded[added.Id] = true;
        }

        var ordinary = new List<int>(VocabularySize);
        var exits = new List<int>();
        _charCounts = new byte[VocabularySize];
        for (int id = 0; id < VocabularySize; id++)
        {
            ReadOnlySpan<byte> bytes = tokenizer.GetTokenBytes(id);
            if (_isAdded[id] || bytes.IsEmpty)
            {
                continue;
            }

            ordinary.Add(id);
            if (bytes.IndexOfAny((byte)'"', (byte)'\\') >= 0)
            {
                exits.Add(id);
            }

            int chars = 0;
            foreach (byte b in bytes)
            {
                if ((b & 0xC0) != 0x80)
                {
                    chars++;
                }
            }

            _charCounts[id] = (byte)Math.Min(chars, 255);
        }

        byte[] BytesOf(int id) => tokenizer.GetTokenBytes(id).ToArray();
        All = TokenTrie.Build(ordinary, BytesOf, VocabularySize);
        StringExits = TokenTrie.Build(exits, BytesOf, VocabularySize);

        _plain = new ulong[Utf8Automaton.StateCount][];
        _plainEnd = new byte[Utf8Automaton.StateCount][];
        _maxPlainChars = new int[Utf8Automaton.StateCount];
        for (int state = 0; state < Utf8Automaton.StateCount; state++)
        {
            _plain[state] = new ulong[Words];
            _plainEnd[state] = new byte[VocabularySize];
        }

        foreach (int id in ordinary)
        {
            ReadOnlySpan<byte> bytes = tokenizer.GetTokenBytes(id);
            for (int state = 0; state < Utf8Automaton.StateCount; state++)
            {
                int end = StaysInString(state, bytes);
                if (end >= 0)
                {
                    _plain[state][id >> 6] |= 1UL << (id & 63);
                    _plainEnd[state][id] = (byte)end;
                    _maxPlainChars[state] = Math.Max(_maxPlainChars[state], _charCounts[id]);
                }
            }
        }

        EndOfTurnId = tokenizer.EndOfTurnId;
        EndOfTextId = tokenizer.EndOfTextId;
        ToolCallStartId = tokenizer.ToolCallStartId;
        ToolCallEndId = tokenizer.ToolCallEndId;
        int[] newline = tokenizer.EncodeToIds("\n");
        NewlineId = newline.Length == 1 ? newline[0] : -1;
    }

    /// <summary>Gets the tokenizer.</summary>
    public AndesTokenizer Tokenizer { get; }

    /// <summary>Gets the number of token ids the tokenizer knows (logits beyond it are always masked).</summary>
    public int VocabularySize { get; }

    /// <summary>Gets the number of 64-bit words of a bit set over <see cref="VocabularySize"/> tokens.</summary>
    public int Words { get; }

    /// <summary>Gets the trie of every ordinary token.</summary>
    public TokenTrie All { get; }

    /// <summary>Gets the trie of the ordinary tokens that contain <c>"</c> or <c>\</c>.</summary>
    public TokenTrie StringExits { get; }

    /// <summary>Gets the end-of-turn token id (<c>&lt;|im_end|&gt;</c>), or -1.</summary>
    public int EndOfTurnId { get; }

    /// <summary>Gets the end-of-text token id (<c>&lt;|endoftext|&gt;</c>), or -1.</summary>
    public int EndOfTextId { get; }

    /// <summary>Gets the <c>&lt;tool_call&gt;</c> token id, or -1.</summary>
    public int ToolCallStartId { get; }

    /// <summary>Gets the <c>&lt;/tool_call&gt;</c> token id, or -1.</summary>
    public int ToolCallEndId { get; }

    /// <summary>Gets the id of the token whose text is exactly a newline, or -1.</summary>
    public int NewlineId { get; }

    /// <summary>Gets the shared instance for a tokenizer (built on first use, which takes a fraction of a second).</summary>
    public static TokenVocabulary Get(AndesTokenizer tokenizer) => Cache.GetValue(tokenizer, t => new TokenVocabulary(t));

    /// <summary>Gets whether a token id is an added token (special or not).</summary>
    public bool IsAdded(int id) => (uint)id < (uint)VocabularySize && _isAdded[id];

    /// <summary>Gets whether an id is an end token (end of turn or end of text).</summary>
    public bool IsEnd(int id) => id >= 0 && (id == EndOfTurnId || id == EndOfTextId);

    /// <summary>
    /// Gets the tokens that stay in a string's content from a UTF-8 state and add at most <paramref name="maxChars"/>
    /// characters (a shared, read-only bit set over <see cref="VocabularySize"/>).
    /// </summary>
    public ulong[] PlainTokens(int utf8State, int maxChars)
    {
        if (maxChars >= _maxPlainChars[utf8State])
        {
            return _plain[utf8State];
        }

        return _plainUpTo.GetOrAdd((utf8State << 16) | maxChars, _buildPlainUpTo);
    }

    private ulong[] BuildPlainUpTo(int key)
    {
        int state = key >> 16;
        int limit = key & 0xFFFF;
        ulong[] all = _plain[state];
        ulong[] subset = new ulong[Words];
        for (int w = 0; w < Words; w++)
        {
            ulong bits = all[w];
            while (bits != 0)
            {
                int bit = System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (_charCounts[(w << 6) | bit] <= limit)
                {
                    subset[w] |= 1UL << bit;
                }
            }
        }

        return subset;
    }

    /// <summary>Gets, per token, the UTF-8 state a plain token (see <see cref="PlainTokens"/>) ends in from a start state.</summary>
    public byte[] PlainEndStates(int utf8State) => _plainEnd[utf8State];

    /// <summary>Gets, per token, its character count (UTF-8 lead bytes, at most 255).</summary>
    public byte[] CharCounts => _charCounts;

    /// <summary>Runs a token through string content; returns the UTF-8 state it ends in, or -1 if it leaves or breaks the string.</summary>
    private static int StaysInString(int state, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (state == Utf8Automaton.Boundary)
            {
                if (b < 0x20 || b == '"' || b == '\\')
                {
                    return -1;
                }

                state = Utf8Automaton.Lead(b);
            }
            else
            {
                state = Utf8Automaton.Continue(state, b);
            }

            if (state < 0)
            {
                return -1;
            }
        }

        return state;
    }
}
