namespace Andes.GenAI;

/// <summary>
/// A byte trie over a fixed set of literals (canonical JSON texts of enum/const values, <c>true</c>/<c>false</c>/<c>null</c>,
/// quoted property names, tool-call prefixes). Each literal carries a tag (its index); a terminal node holds its
/// literal's tag. Tags may carry an extra completion cost (what must follow the literal), and a frame may restrict the
/// allowed tags to a range (declared properties: only those not yet passed and not beyond the next required one).
/// </summary>
internal sealed class LiteralTrie
{
    private readonly int[] _childStart;
    private readonly int[] _childCount;
    private readonly byte[] _childBytes;
    private readonly int[] _childNodes;
    private readonly int[] _tag;
    private readonly int[] _depth;
    private readonly int[][] _subtreeTags;
    private readonly int[] _tagLength;
    private int[] _extra;
    private int[] _minCost;

    /// <summary>Builds the trie. Literals with equal bytes share a terminal (the first one's tag).</summary>
    /// <param name="literals">The literals; the tag of each is its index.</param>
    public LiteralTrie(IReadOnlyList<byte[]> literals)
    {
        var children = new List<SortedDictionary<byte, int>> { new() };
        var tags = new List<int> { -1 };
        var depth = new List<int> { 0 };
        _tagLength = new int[literals.Count];
        for (int t = 0; t < literals.Count; t++)
        {
            byte[] literal = literals[t];
            _tagLength[t] = literal.Length;
            int node = 0;
            foreach (byte b in literal)
            {
                if (!children[node].TryGetValue(b, out int next))
                {
                    next = children.Count;
                    children[node].Add(b, next);
                    children.Add([]);
                    tags.Add(-1);
                    depth.Add(depth[node] + 1);
                }

                node = next;
            }

            if (tags[node] < 0)
            {
                tags[node] = t;
            }
        }

        int count = children.Count;
        _childStart = new int[count];
        _childCount = new int[count];
        _tag = [.. tags];
        _depth = [.. depth];
        var childBytes = new List<byte>();
        var childNodes = new List<int>();
        for (int n = 0; n < count; n++)
        {
            _childStart[n] = childBytes.Count;
            _childCount[n] = children[n].Count;
            foreach (KeyValuePair<byte, int> edge in children[n])
            {
                childBytes.Add(edge.Key);
                childNodes.Add(edge.Value);
            }
        }

        _childBytes = [.. childBytes];
        _childNodes = [.. childNodes];

        // Tags reachable below each node (sorted), for range checks and range-restricted costs.
        var below = new SortedSet<int>[count];
        for (int n = count - 1; n >= 0; n--)
        {
            // Children always have larger indices than their parent, so they are done already.
            below[n] = [];
            if (_tag[n] >= 0)
            {
                below[n].Add(_tag[n]);
            }

            for (int k = 0; k < _childCount[n]; k++)
            {
                below[n].UnionWith(below[_childNodes[_childStart[n] + k]]);
            }
        }

        _subtreeTags = new int[count][];
        for (int n = 0; n < count; n++)
        {
            _subtreeTags[n] = [.. below[n]];
        }

        _extra = new int[literals.Count];
        _minCost = new int[count];
        SetExtraCosts(_extra);
    }

    /// <summary>Gets the number of nodes (node 0 is the root).</summary>
    public int NodeCount => _tag.Length;

    /// <summary>Gets the number of literals (tags).</summary>
    public int LiteralCount => _tagLength.Length;

    /// <summary>Gets the bytes that can start a literal.</summary>
    public ReadOnlySpan<byte> FirstBytes => _childBytes.AsSpan(_childStart[0], _childCount[0]);

    /// <summary>Sets the cost that follows each literal (e.g. colon, value and remaining required properties after a key) and recomputes the static node costs.</summary>
    public void SetExtraCosts(int[] extra)
    {
        _extra = extra;
        for (int n = 0; n < NodeCount; n++)
        {
            int best = GrammarCost.Infinite;
            foreach (int t in _subtreeTags[n])
            {
                best = Math.Min(best, GrammarCost.Add(_tagLength[t] - _depth[n], _extra[t]));
            }

            _minCost[n] = best;
        }
    }

    /// <summary>Gets the child of a node along a byte, or -1.</summary>
    public int Child(int node, byte b)
    {
        int start = _childStart[node];
        int end = start + _childCount[node];
        for (int i = start; i < end; i++)
        {
            if (_childBytes[i] == b)
            {
                return _childNodes[i];
            }
        }

        return -1;
    }

    /// <summary>Gets whether a node has children.</summary>
    public bool HasChildren(int node) => _childCount[node] > 0;

    /// <summary>Gets the tag of the literal ending at a node, or -1.</summary>
    public int Tag(int node) => _tag[node];

    /// <summary>Gets whether some literal below (or at) a node has a tag in [lo, hi].</summary>
    public bool HasTagInRange(int node, int lo, int hi)
    {
        int[] tags = _subtreeTags[node];
        int i = Array.BinarySearch(tags, lo);
        if (i < 0)
        {
            i = ~i;
        }

        return i < tags.Length && tags[i] <= hi;
    }

    /// <summary>Gets the fewest bytes that finish a literal with a tag in [lo, hi] from a node, plus that literal's extra cost.</summary>
    public int Cost(int node, int lo, int hi)
    {
        if (lo <= 0 && hi >= LiteralCount - 1)
        {
            return _minCost[node];
        }

        int best = GrammarCost.Infinite;
        foreach (int t in _subtreeTags[node])
        {
            if (t >= lo && t <= hi)
            {
                best = Math.Min(best, GrammarCost.Add(_tagLength[t] - _depth[node], _extra[t]));
            }
        }

        return best;
    }
}
