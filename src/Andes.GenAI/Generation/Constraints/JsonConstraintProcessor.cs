using System.Numerics;
using System.Text;
using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// A logits processor that keeps generation inside a JSON grammar (from <see cref="JsonConstraint"/>) or a tool-call
/// format (from <see cref="ToolCallConstraint"/>): at every step it sets the logit of each token that cannot continue
/// a valid output to negative infinity, and once the output is complete it allows only the end tokens.
/// </summary>
/// <remarks>
/// <para>
/// One processor serves one generation. It follows the generation through
/// <see cref="TokenHistory.GeneratedTokens"/>: at each <see cref="Process"/> call it first advances over the tokens
/// accepted since its previous call (so the usual sampler loop - sample, then <see cref="LogitsSampler.Accept"/> -
/// needs nothing else). A token it would have masked (e.g. one forced by the caller) makes it throw.
/// </para>
/// <para>
/// Masking walks a byte trie of the vocabulary with the grammar's pushdown automaton, pruning every subtree whose
/// prefix is already invalid; inside string content it starts from a precomputed set of the tokens that stay in the
/// string and only walks the tokens containing <c>"</c> or <c>\</c>. With a token budget (<c>maxTokens</c>), a token
/// is allowed only if the shortest completion after it still fits, so the output is always complete within the budget.
/// </para>
/// <para>After the first call (which sizes a bit set to the logits) <see cref="Process"/> allocates nothing. Not thread-safe.</para>
/// </remarks>
public sealed class JsonConstraintProcessor : ILogitsProcessor
{
    private const int CompactThreshold = 4096;

    private readonly ConstraintProgram _program;
    private readonly TokenVocabulary _vocabulary;
    private readonly GrammarMachine _machine;
    private readonly int? _maxTokens;
    private ulong[] _allowed = [];
    private Stage _stage;
    private int _state;
    private int _consumed;
    private int _calls;

    internal JsonConstraintProcessor(ConstraintProgram program, int? maxTokens)
    {
        _program = program;
        _vocabulary = program.Vocabulary;
        _machine = new GrammarMachine(program.Grammar);
        _maxTokens = maxTokens;
        Reset();
    }

    private enum Stage
    {
        Json,
        CallStart,
        AfterCall,
        Finished,
    }

    /// <summary>Gets the token budget this processor keeps the output within, or <see langword="null"/> for none.</summary>
    public int? MaxTokens => _maxTokens;

    /// <summary>Gets the number of generated tokens the processor has advanced over.</summary>
    public int ConsumedTokenCount => _consumed;

    /// <summary>
    /// Gets a value indicating whether the output so far is complete: the JSON value is whole (an end token may come
    /// next), or for tool calls at least one call is closed.
    /// </summary>
    public bool IsComplete => _stage switch
    {
        Stage.Json => !_program.ToolCalls && _machine.IsComplete(_state),
        Stage.AfterCall or Stage.Finished => true,
        _ => false,
    };

    /// <summary>Starts over for a new generation (the next <see cref="Process"/> call must see no generated tokens yet).</summary>
    public void Reset()
    {
        _consumed = 0;
        _calls = 0;
        _machine.Arena.Count = 0;
        _state = _machine.CreateInitial();
        _stage = _program.ToolCalls ? Stage.CallStart : Stage.Json;
    }

    /// <summary>Masks every token that cannot continue a valid output.</summary>
    /// <param name="logits">The next-token logits (any width; ids the tokenizer does not know are always masked).</param>
    /// <param name="history">The generation so far.</param>
    /// <exception cref="InvalidOperationException">
    /// A generated token does not fit the constraint (it was not produced under this processor's mask), or the history
    /// is shorter than what the processor already consumed (a new generation without <see cref="Reset"/>).
    /// </exception>
    public void Process(Span<float> logits, TokenHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        Synchronize(history.GeneratedTokens);
        int words = (logits.Length + 63) >> 6;
        if (_allowed.Length != words)
        {
            if (logits.Length < _vocabulary.VocabularySize)
            {
                throw new ArgumentException(
                    $"The logits have {logits.Length} entries but the tokenizer knows {_vocabulary.VocabularySize} tokens: the constraint was made for another model's tokenizer.",
                    nameof(logits));
            }

            _allowed = new ulong[words];
        }

        int remaining = _maxTokens is int max ? max - _consumed : int.MaxValue;
        switch (_stage)
        {
            case Stage.CallStart:
                ForceToken(logits, _vocabulary.ToolCallStartId);
                return;
            case Stage.Finished:
                AllowOnlyEnd(logits);
                return;
            case Stage.AfterCall:
                Array.Clear(_allowed);
                AllowEnd();
                bool roomForAnother = remaining >= GrammarCost.Add(_program.MinimumTokenBudget, 1);
                if (_calls < _program.MaxCalls && roomForAnother && _vocabulary.NewlineId >= 0 && _vocabulary.NewlineId < logits.Length)
                {
                    Set(_vocabulary.NewlineId);
                }

                ApplyMask(logits, _allowed);
                return;
        }

        if (_program.ToolCalls && _machine.IsComplete(_state))
        {
            ForceToken(logits, _vocabulary.ToolCallEndId);
            return;
        }

        // Tokens after this one must still fit: the shortest completion plus the closing tokens (</tool_call> and the
        // end token, or just the end token).
        int limit = _maxTokens is null ? int.MaxValue : remaining - 1 - (_program.ToolCalls ? 2 : 1);
        BuildMask(limit);
        if (!AnySet() && _maxTokens is not null)
        {
            // The budget was already too small (e.g. tokens forced by the caller): fall back to validity alone.
            BuildMask(int.MaxValue);
        }

        ApplyMask(logits, _allowed);
    }

    internal static void ApplyMask(Span<float> logits, ReadOnlySpan<ulong> allowed)
    {
        int length = logits.Length;
        for (int w = 0; w < allowed.Length; w++)
        {
            ulong bits = allowed[w];
            int start = w << 6;
            int count = Math.Min(64, length - start);
            if (count == 64 && bits == ulong.MaxValue)
            {
                continue;
            }

            if (bits == 0)
            {
                logits.Slice(start, count).Fill(float.NegativeInfinity);
                continue;
            }

            ulong banned = ~bits;
            if (count < 64)
            {
                banned &= (1UL << count) - 1;
            }

            while (banned != 0)
            {
                int bit = BitOperations.TrailingZeroCount(banned);
                banned &= banned - 1;
                logits[start + bit] = float.NegativeInfinity;
            }
        }
    }

    private void BuildMask(int limit)
    {
        Array.Clear(_allowed);
        int mark = _machine.Arena.Count;
        int cost = _machine.Cost(_state);
        if (_machine.IsInStringContent(_state, out StringShape shape, out int utf8State, out int length))
        {
            // Inside string content: a plain token (no quote, backslash or control byte, valid UTF-8 from here) keeps
            // the string open, so the precomputed set is exact; only tokens that can leave the string need the automaton.
            int maxChars = shape.MaxLength == int.MaxValue ? int.MaxValue : shape.MaxLength - length;
            ulong[] plain = _vocabulary.PlainTokens(utf8State, maxChars);
            if (limit == int.MaxValue || GrammarCost.Add(cost, 3) <= limit)
            {
                // A plain token raises the cost by at most 3 (an unfinished character): all of them fit.
                plain.AsSpan().CopyTo(_allowed);
            }
            else
            {
                AddPlainTokensWithinBudget(plain, utf8State, Math.Max(0, shape.MinLength - length), cost, limit);
            }

            Walk(_vocabulary.StringExits, 0, _state, limit);
        }
        else
        {
            Walk(_vocabulary.All, 0, _state, limit);
        }

        _machine.Arena.Count = mark;
        if (!_program.ToolCalls && cost == 0)
        {
            AllowEnd();
        }
    }

    private void AddPlainTokensWithinBudget(ulong[] plain, int utf8State, int missingChars, int cost, int limit)
    {
        // cost after = cost - pending(now) + pending(end state) - characters that count towards minLength.
        byte[] endStates = _vocabulary.PlainEndStates(utf8State);
        byte[] chars = _vocabulary.CharCounts;
        int baseCost = cost - Utf8Automaton.Pending(utf8State);
        for (int w = 0; w < plain.Length; w++)
        {
            ulong bits = plain[w];
            ulong keep = 0;
            while (bits != 0)
            {
                int bit = BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                int id = (w << 6) | bit;
                if (baseCost + Utf8Automaton.Pending(endStates[id]) - Math.Min(missingChars, chars[id]) <= limit)
                {
                    keep |= 1UL << bit;
                }
            }

            _allowed[w] = keep;
        }
    }

    private void Walk(TokenTrie trie, int node, int state, int limit)
    {
        byte[] bytes = trie.Bytes;
        int[] end = trie.End;
        int[] token = trie.Token;
        FrameArena arena = _machine.Arena;
        int stop = end[node];
        for (int child = node + 1; child < stop; child = end[child])
        {
            int mark = arena.Count;
            int next = _machine.Feed(state, bytes[child]);
            if (next >= 0)
            {
                int id = token[child];
                if (id >= 0 && arena[next].Cost <= limit)
                {
                    SetChain(trie, id);
                }

                if (end[child] > child + 1)
                {
                    Walk(trie, child, next, limit);
                }
            }

            arena.Count = mark;
        }
    }

    private void SetChain(TokenTrie trie, int id)
    {
        do
        {
            _allowed[id >> 6] |= 1UL << (id & 63);
            id = trie.SameBytesNext[id];
        }
        while (id >= 0);
    }

    private void Set(int id) => _allowed[id >> 6] |= 1UL << (id & 63);

    private bool AnySet()
    {
        foreach (ulong word in _allowed)
        {
            if (word != 0)
            {
                return true;
            }
        }

        return false;
    }

    private void AllowEnd()
    {
        int limit = _allowed.Length << 6;
        if (_vocabulary.EndOfTurnId >= 0 && _vocabulary.EndOfTurnId < limit)
        {
            Set(_vocabulary.EndOfTurnId);
        }

        if (_vocabulary.EndOfTextId >= 0 && _vocabulary.EndOfTextId < limit)
        {
            Set(_vocabulary.EndOfTextId);
        }
    }

    private void AllowOnlyEnd(Span<float> logits)
    {
        Array.Clear(_allowed);
        AllowEnd();
        ApplyMask(logits, _allowed);
    }

    private static void ForceToken(Span<float> logits, int id)
    {
        if ((uint)id >= (uint)logits.Length)
        {
            throw new InvalidOperationException($"The constraint must force token {id}, which is outside the logits (width {logits.Length}).");
        }

        float value = logits[id];
        logits.Fill(float.NegativeInfinity);
        logits[id] = float.IsFinite(value) ? value : 0f;
    }

    private void Synchronize(ReadOnlySpan<int> generated)
    {
        if (generated.Length < _consumed)
        {
            throw new InvalidOperationException(
                $"The history has {generated.Length} generated tokens but this JSON constraint processor already consumed {_consumed}: use one processor per generation (or call Reset).");
        }

        for (int i = _consumed; i < generated.Length; i++)
        {
            Advance(generated[i], i);
        }

        _consumed = generated.Length;
    }

    private void Advance(int token, int position)
    {
        switch (_stage)
        {
            case Stage.CallStart:
                Expect(token == _vocabulary.ToolCallStartId, token, position, "<tool_call>");
                _machine.Arena.Count = 0;
                _state = _machine.CreateInitial();
                _stage = Stage.Json;
                return;
            case Stage.AfterCall:
                if (_vocabulary.IsEnd(token))
                {
                    _stage = Stage.Finished;
                    return;
                }

                Expect(token == _vocabulary.NewlineId && _calls < _program.MaxCalls, token, position, "an end token or a newline before another call");
                _stage = Stage.CallStart;
                return;
            case Stage.Finished:
                Expect(_vocabulary.IsEnd(token), token, position, "an end token");
                return;
        }

        bool complete = _machine.IsComplete(_state);
        if (_program.ToolCalls ? token == _vocabulary.ToolCallEndId : _vocabulary.IsEnd(token))
        {
            Expect(complete, token, position, "the rest of the JSON value");
            _calls++;
            _stage = _program.ToolCalls ? Stage.AfterCall : Stage.Finished;
            return;
        }

        if (_program.ToolCalls && complete)
        {
            Expect(false, token, position, "</tool_call>");
        }

        if (token < 0 || token >= _vocabulary.VocabularySize || _vocabulary.IsAdded(token))
        {
            Expect(false, token, position, "JSON text");
        }

        int next = _machine.Feed(_state, _vocabulary.Tokenizer.GetTokenBytes(token));
        Expect(next >= 0, token, position, "a token that continues the JSON value");
        _state = next;
        if (_machine.Arena.Count > CompactThreshold)
        {
            _state = _machine.Arena.Compact(_state);
        }
    }

    private void Expect(bool condition, int token, int position, string expected)
    {
        if (condition)
        {
            return;
        }

        string text = (uint)token < (uint)_vocabulary.VocabularySize
            ? Encoding.UTF8.GetString(_vocabulary.Tokenizer.GetTokenBytes(token))
            : string.Empty;
        throw new InvalidOperationException(
            $"Generated token #{position} (id {token}, text \"{text}\") breaks the JSON constraint: expected {expected}. Tokens must be sampled under this processor's mask.");
    }
}
