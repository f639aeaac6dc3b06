using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// Keeps the key/value caches of recently finished sequences so that a follow-up turn, whose prompt starts with the
/// previous turn's tokens, reuses the cached keys/values of the common prefix instead of recomputing them. A cache is
/// lent to one request at a time; concurrent requests get their own. Caches are keyed on the LoRA adapter too (0 for
/// the base model): keys/values computed under one adapter are never reused under another.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ConversationCache : IDisposable
{
    private readonly AndesModel _model;
    private readonly int _capacity;
    private readonly LinkedList<Entry> _idle = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    public ConversationCache(AndesModel model, int capacity)
    {
        _model = model;
        _capacity = Math.Max(0, capacity);
    }

    /// <summary>
    /// Takes the idle cache of the same adapter sharing the longest prefix with <paramref name="prompt"/>, or a new one.
    /// A cache is only taken when at least half of what it holds is reused: a new conversation that merely starts like a
    /// cached one (the same <c>&lt;|im_start|&gt;user</c>, say) gets a fresh cache and leaves the cached conversation for
    /// its own follow-up.
    /// </summary>
    public (SequenceRunner Runner, IReadOnlyList<int> CachedTokens) Rent(ReadOnlySpan<int> prompt, long adapterId = 0)
    {
        lock (_lock)
        {
            LinkedListNode<Entry>? best = null;
            int bestLength = 0;
            for (LinkedListNode<Entry>? node = _idle.First; node is not null; node = node.Next)
            {
                if (node.Value.AdapterId != adapterId)
                {
                    continue;
                }

                int common = CommonPrefix(node.Value.Tokens, prompt);
                if (common > bestLength && 2 * common >= node.Value.Tokens.Length)
                {
                    best = node;
                    bestLength = common;
                }
            }

            if (best is not null)
            {
                _idle.Remove(best);
                return (best.Value.Runner, best.Value.Tokens);
            }
        }

        return (new SequenceRunner(_model, Math.Min(_model.ContextLength, Math.Max(512, prompt.Length + 256))), []);
    }

    /// <summary>Gives back a cache holding the keys/values of <paramref name="tokens"/> (its first runner.Length tokens), computed under adapter <paramref name="adapterId"/>.</summary>
    public void Return(SequenceRunner runner, IReadOnlyList<int> tokens, long adapterId = 0)
    {
        int valid = Math.Min(runner.Length, tokens.Count);
        int[] kept = tokens.Take(valid).ToArray();
        runner.Rewind(valid);
        SequenceRunner? evicted = null;
        lock (_lock)
        {
            if (_disposed || _capacity == 0)
            {
                evicted = runner;
            }
            else
            {
                _idle.AddFirst(new Entry(runner, kept, adapterId));
                if (_idle.Count > _capacity)
                {
                    evicted = _idle.Last!.Value.Runner;
                    _idle.RemoveLast();
                }
            }
        }

        evicted?.Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (Entry e in _idle)
            {
                e.Runner.Dispose();
            }

            _idle.Clear();
        }
    }

    private static int CommonPrefix(int[] cached, ReadOnlySpan<int> prompt) => cached.AsSpan().CommonPrefixLength(prompt);

    private sealed record Entry(SequenceRunner Runner, int[] Tokens, long AdapterId);
}
