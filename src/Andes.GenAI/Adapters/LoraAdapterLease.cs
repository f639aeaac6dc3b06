namespace Andes.GenAI;

/// <summary>
/// A reference to a registered adapter taken by <see cref="AdapterRegistry.Acquire"/>: while it is held the adapter
/// stays resident even if it is unloaded meanwhile. Dispose it when the request ends.
/// </summary>
public sealed class LoraAdapterLease : IDisposable
{
    private int _disposed;

    internal LoraAdapterLease(LoraAdapter adapter) => Adapter = adapter;

    /// <summary>The adapter.</summary>
    public LoraAdapter Adapter { get; }

    /// <summary>Releases the reference.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Adapter.Release();
        }
    }
}
