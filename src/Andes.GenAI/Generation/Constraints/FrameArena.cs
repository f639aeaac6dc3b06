namespace Andes.GenAI;

/// <summary>
/// Bump-allocated storage for <see cref="GrammarFrame"/>s. Frames are never modified after being written, so a parser
/// state is the index of its top frame, and every state reached while exploring (e.g. walking the token trie) is
/// discarded by restoring <see cref="Count"/>.
/// </summary>
internal sealed class FrameArena
{
    private GrammarFrame[] _frames = new GrammarFrame[256];

    /// <summary>Gets or sets the number of frames in use; lowering it discards the newest frames.</summary>
    public int Count { get; set; }

    /// <summary>Gets a frame by index (a reference valid until the next <see cref="Add"/>).</summary>
    public ref GrammarFrame this[int index] => ref _frames[index];

    /// <summary>Appends a frame.</summary>
    /// <returns>Its index.</returns>
    public int Add(in GrammarFrame frame)
    {
        if (Count == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _frames[Count] = frame;
        return Count++;
    }

    /// <summary>
    /// Moves the live stack ending at <paramref name="top"/> to the start of the arena (dropping every other frame) and
    /// returns the new index of the top frame.
    /// </summary>
    public int Compact(int top)
    {
        int depth = 0;
        for (int i = top; i >= 0; i = _frames[i].Parent)
        {
            depth++;
        }

        var chain = new GrammarFrame[depth];
        int d = depth;
        for (int i = top; i >= 0; i = _frames[i].Parent)
        {
            chain[--d] = _frames[i];
        }

        for (int k = 0; k < depth; k++)
        {
            chain[k].Parent = k - 1;
            _frames[k] = chain[k];
        }

        Count = depth;
        return depth - 1;
    }
}
