namespace Andes.GenAI;

/// <summary>
/// Image features by content hash and geometry, least recently used first out, bounded in bytes: a follow-up turn
/// that repeats an image (or a prompt that shows the same image twice) does not run the vision tower again. Thread-safe.
/// </summary>
internal sealed class ImageFeatureCache
{
    private readonly long _capacityBytes;
    private readonly LinkedList<(Key Key, ImageFeatures Features)> _order = new();
    private readonly Dictionary<Key, LinkedListNode<(Key Key, ImageFeatures Features)>> _map = [];
    private readonly Lock _lock = new();
    private long _bytes;

    public ImageFeatureCache(long capacityBytes) => _capacityBytes = Math.Max(0, capacityBytes);

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits { get; private set; }

    /// <summary>Lookups that had to encode.</summary>
    public long Misses { get; private set; }

    public bool TryGet(UInt128 hash, ImageGeometry geometry, out ImageFeatures features)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(new Key(hash, geometry), out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                features = node.Value.Features;
                Hits++;
                return true;
            }

            Misses++;
            features = null!;
            return false;
        }
    }

    public void Add(UInt128 hash, ImageGeometry geometry, ImageFeatures features)
    {
        if (features.SizeInBytes > _capacityBytes)
        {
            return;
        }

        var key = new Key(hash, geometry);
        lock (_lock)
        {
            if (_map.ContainsKey(key))
            {
                return;
            }

            _map[key] = _order.AddFirst((key, features));
            _bytes += features.SizeInBytes;
            while (_bytes > _capacityBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Key);
                _bytes -= last.Value.Features.SizeInBytes;
            }
        }
    }

    private readonly record struct Key(UInt128 Hash, ImageGeometry Geometry);
}
