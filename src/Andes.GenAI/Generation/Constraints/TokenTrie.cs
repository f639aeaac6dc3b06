namespace Andes.GenAI;

/// <summary>
/// A byte trie over token byte strings in preorder: node <c>n</c>'s subtree is the index range
/// <c>[n, End(n))</c>, its first child (if any) is <c>n + 1</c> and the next sibling of a child <c>c</c> is
/// <c>End(c)</c>. Walking it depth-first with the grammar automaton prunes every token that shares an invalid prefix.
/// Node 0 is the root (no byte).
/// </summary>
internal sealed class TokenTrie
{
    private readonly byte[] _bytes;
    private readonly int[] _end;
    private readonly int[] _token;
    private readonly int[] _sameBytesNext;

    private TokenTrie(byte[] bytes, int[] end, int[] token, int[] sameBytesNext, int tokenCount)
    {
        _bytes = bytes;
        _end = end;
        _token = token;
        _sameBytesNext = sameBytesNext;
        TokenCount = tokenCount;
    }

    /// <summary>Gets the number of nodes.</summary>
    public int NodeCount => _end.Length;

    /// <summary>Gets the number of tokens in the trie.</summary>
    public int TokenCount { get; }

    /// <summary>Gets the byte on the edge into each node.</summary>
    public byte[] Bytes => _bytes;

    /// <summary>Gets the end (exclusive) of each node's subtree.</summary>
    public int[] End => _end;

    /// <summary>Gets the token ending at each node, or -1.</summary>
    public int[] Token => _token;

    /// <summary>Gets, per token id, the next token with the same bytes, or -1 (rarely used).</summary>
    public int[] SameBytesNext => _sameBytesNext;

    /// <summary>Builds a trie over the given tokens.</summary>
    /// <param name="tokenIds">The token ids to include (tokens with no bytes are skipped).</param>
    /// <param name="bytesOf">Gets a token's bytes.</param>
    /// <param name="idLimit">One more than the largest token id (sizes <see cref="SameBytesNext"/>).</param>
    public static TokenTrie Build(IEnumerable<int> tokenIds, Func<int, byte[]> bytesOf, int idLimit)
    {
        var entries = new List<(byte[] Bytes, int Id)>();
        foreach (int id in tokenIds)
        {
            byte[] bytes = bytesOf(id);
            if (bytes.Length > 0)
            {
                entries.Add((bytes, id));
            }
        }

        entries.Sort((x, y) =>
        {
            int c = x.Bytes.AsSpan().SequenceCompareTo(y.Bytes);
            return c != 0 ? c : x.Id.CompareTo(y.Id);
        });

        var nodeBytes = new List<byte> { 0 };
        var nodeEnd = new List<int> { 0 };
        var nodeToken = new List<int> { -1 };
        int[] sameNext = new int[idLimit];
        Array.Fill(sameNext, -1);

        // The path from the root to the node of the previous token: path[d] = node at depth d.
        var path = new List<int> { 0 };
        byte[] previous = [];
        foreach ((byte[] bytes, int id) in entries)
        {
            int common = 0;
            int limit = Math.Min(previous.Length, bytes.Length);
            while (common < limit && previous[common] == bytes[common])
            {
                common++;
            }

            // Close the nodes deeper than the common prefix.
            while (path.Count - 1 > common)
            {
                nodeEnd[path[^1]] = nodeBytes.Count;
                path.RemoveAt(path.Count - 1);
            }

            for (int d = common; d < bytes.Length; d++)
            {
                path.Add(nodeBytes.Count);
                nodeBytes.Add(bytes[d]);
                nodeEnd.Add(0);
                nodeToken.Add(-1);
            }

            int node = path[^1];
            if (nodeToken[node] < 0)
            {
                nodeToken[node] = id;
            }
            else
            {
                // Same bytes as an earlier token: chain it behind the node's token.
                int last = nodeToken[node];
                while (sameNext[last] >= 0)
                {
                    last = sameNext[last];
                }

                sameNext[last] = id;
            }

            previous = bytes;
        }

        while (path.Count > 0)
        {
            nodeEnd[path[^1]] = nodeBytes.Count;
            path.RemoveAt(path.Count - 1);
        }

        return new TokenTrie([.. nodeBytes], [.. nodeEnd], [.. nodeToken], sameNext, entries.Count);
    }
}
