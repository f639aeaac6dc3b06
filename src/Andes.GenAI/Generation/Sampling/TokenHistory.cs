using System.Buffers;

namespace Andes.GenAI;

/// <summary>
/// The tokens of one generation so far (prompt, then generated), with incrementally maintained statistics that
/// logits processors read instead of rescanning the sequence every step: which distinct tokens occur anywhere, and how
/// often each token occurs in the generated part.
/// </summary>
/// <remarks>
/// <para>
/// Owned and updated by a <see cref="LogitsSampler"/> (<see cref="LogitsSampler.AddPromptTokens(ReadOnlySpan{int})"/>,
/// <see cref="LogitsSampler.Accept(int)"/>); processors get it read-only. Adding a token is O(1) amortised; the
/// per-vocabulary tables are pooled arrays returned when the sampler is disposed.
/// </para>
/// <para>Not thread-safe. The spans it returns are valid until the next token is added.</para>
/// </remarks>
public sealed class TokenHistory
{
    private readonly int _vocabSize;
    private int[] _tokens;
    private int _count;
    private int _promptLength;
    private bool _generationStarted;

    // Per-vocabulary tables (pooled, length >= vocabSize).
    private int[] _generatedCounts;
    private ulong[] _seenBits;

    // Distinct token lists in first-seen order (pooled, length >= vocabSize so they never grow).
    private int[] _distinct;
    private int _distinctCount;
    private int[] _distinctGenerated;
    private int _distinctGeneratedCount;

    private bool _disposed;

    internal TokenHistory(int vocabSize, int initialCapacity)
    {
        _vocabSize = vocabSize;
        _tokens = ArrayPool<int>.Shared.Rent(Math.Max(16, initialCapacity));
        _generatedCounts = ArrayPool<int>.Shared.Rent(vocabSize);
        _seenBits = ArrayPool<ulong>.Shared.Rent((vocabSize + 63) >> 6);
        _distinct = ArrayPool<int>.Shared.Rent(vocabSize);
        _distinctGenerated = ArrayPool<int>.Shared.Rent(vocabSize);

        // Pooled arrays come back dirty: the two lookup tables must start at zero.
        Array.Clear(_generatedCounts, 0, vocabSize);
        Array.Clear(_seenBits, 0, (vocabSize + 63) >> 6);
    }

    /// <summary>Gets the vocabulary size every token id is checked against.</summary>
    public int VocabSize => _vocabSize;

    /// <summary>Gets the total number of tokens (prompt plus generated).</summary>
    public int Count => _count;

    /// <summary>Gets the number of prompt tokens.</summary>
    public int PromptLength => _promptLength;

    /// <summary>Gets the number of generated (accepted) tokens.</summary>
    public int GeneratedCount => _count - _promptLength;

    /// <summary>Gets all tokens, prompt first, then generated tokens in order.</summary>
    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, _count);

    /// <summary>Gets the prompt tokens.</summary>
    public ReadOnlySpan<int> PromptTokens => _tokens.AsSpan(0, _promptLength);

    /// <summary>Gets the generated tokens in order.</summary>
    public ReadOnlySpan<int> GeneratedTokens => _tokens.AsSpan(_promptLength, _count - _promptLength);

    /// <summary>Gets each distinct token of the whole sequence (prompt and generated) once, in first-seen order.</summary>
    public ReadOnlySpan<int> DistinctTokens => _distinct.AsSpan(0, _distinctCount);

    /// <summary>Gets each distinct generated token once, in first-generated order.</summary>
    public ReadOnlySpan<int> DistinctGeneratedTokens => _distinctGenerated.AsSpan(0, _distinctGeneratedCount);

    /// <summary>Returns whether <paramref name="token"/> occurs anywhere in the sequence (prompt or generated).</summary>
    /// <param name="token">A token id in [0, <see cref="VocabSize"/>).</param>
    /// <returns><see langword="true"/> when the token has been seen.</returns>
    public bool Contains(int token)
    {
        ThrowIfDisposed();
        CheckToken(token, nameof(token));
        return (_seenBits[token >> 6] & (1UL << (token & 63))) != 0;
    }

    /// <summary>Returns how many times <paramref name="token"/> occurs in the generated part (prompt not counted).</summary>
    /// <param name="token">A token id in [0, <see cref="VocabSize"/>).</param>
    /// <returns>The number of occurrences among the generated tokens.</returns>
    public int GetGeneratedCount(int token)
    {
        ThrowIfDisposed();
        CheckToken(token, nameof(token));
        return _generatedCounts[token];
    }

    /// <summary>Returns the generated count of a token already known to be in range (hot path for penalties).</summary>
    internal int GetGeneratedCountUnchecked(int token) => _generatedCounts[token];

    internal void AddPrompt(ReadOnlySpan<int> tokens)
    {
        ThrowIfDisposed();
        if (_generationStarted)
        {
            throw new InvalidOperationException("Prompt tokens must be added before the first generated token is accepted.");
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            CheckToken(tokens[i], $"{nameof(tokens)}[{i}]");
        }

        EnsureCapacity(_count + tokens.Length);
        tokens.CopyTo(_tokens.AsSpan(_count));
        _count += tokens.Length;
        _promptLength = _count;
        foreach (int token in tokens)
        {
            MarkSeen(token);
        }
    }

    internal void AddPrompt(ReadOnlySpan<long> tokens)
    {
        ThrowIfDisposed();
        if (_generationStarted)
        {
            throw new InvalidOperationException("Prompt tokens must be added before the first generated token is accepted.");
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            if ((ulong)tokens[i] >= (ulong)_vocabSize)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(tokens), tokens[i], $"Prompt token {nameof(tokens)}[{i}] = {tokens[i]} is outside the vocabulary [0, {_vocabSize}).");
            }
        }

        EnsureCapacity(_count + tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = (int)tokens[i];
            _tokens[_count++] = token;
            MarkSeen(token);
        }

        _promptLength = _count;
    }

    internal void AddGenerated(int token)
    {
        ThrowIfDisposed();
        CheckToken(token, nameof(token));
        _generationStarted = true;
        if (_count == _tokens.Length)
        {
            EnsureCapacity(_count + 1);
        }

        _tokens[_count++] = token;
        MarkSeen(token);
        if (_generatedCounts[token]++ == 0)
        {
            _distinctGenerated[_distinctGeneratedCount++] = token;
        }
    }

    internal void Release()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<int>.Shared.Return(_tokens);
        ArrayPool<int>.Shared.Return(_generatedCounts);
        ArrayPool<ulong>.Shared.Return(_seenBits);
        ArrayPool<int>.Shared.Return(_distinct);
        ArrayPool<int>.Shared.Return(_distinctGenerated);
        _tokens = _generatedCounts = _distinct = _distinctGenerated = [];
        _seenBits = [];
        _count = _promptLength = _distinctCount = _distinctGeneratedCount = 0;
    }

    private void MarkSeen(int token)
    {
        ref ulong word = ref _seenBits[token >> 6];
        ulong bit = 1UL << (token & 63);
        if ((word & bit) == 0)
        {
            word |= bit;
            _distinct[_distinctCount++] = token;
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _tokens.Length)
        {
            return;
        }

        int[] larger = ArrayPool<int>.Shared.Rent(Math.Max(needed, _tokens.Length * 2));
        _tokens.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<int>.Shared.Return(_tokens);
        _tokens = larger;
    }

    private void CheckToken(int token, string name)
    {
        if ((uint)token >= (uint)_vocabSize)
        {
            throw new ArgumentOutOfRangeException(name, token, $"Token id {token} ({name}) is outside the vocabulary [0, {_vocabSize}).");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
