using System.Diagnostics.CodeAnalysis;
using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// The adapters resident for one base model, by name: load each once, use them from any number of concurrent
/// requests, unload them at any time. Unloading an adapter that requests are using never fails: the name is freed at
/// once (it may be loaded again), and the adapter's memory is released when its last request ends.
/// </summary>
/// <remarks>Thread-safe. Disposing the registry unloads every adapter (with the same deferral).</remarks>
public sealed class AdapterRegistry : IDisposable
{
    private readonly Dictionary<string, LoraAdapter> _adapters = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Creates an empty registry for <paramref name="model"/>.</summary>
    /// <param name="model">The base model every adapter is checked against.</param>
    public AdapterRegistry(AndesModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
    }

    /// <summary>The base model.</summary>
    public AndesModel Model { get; }

    /// <summary>The names of the loaded adapters, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _adapters.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>How many adapters are loaded.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _adapters.Count;
            }
        }
    }

    /// <summary>Loads an adapter (see <see cref="LoraAdapter.Load"/>) under <paramref name="name"/>.</summary>
    /// <param name="name">The name requests use.</param>
    /// <param name="path">An <c>.onnx_adapter</c> file or a PEFT adapter folder.</param>
    /// <returns>The adapter (owned by the registry).</returns>
    /// <exception cref="LoraAdapterException">It cannot be read or does not fit the model (the tensor is named).</exception>
    /// <exception cref="InvalidOperationException">An adapter of that name is already loaded.</exception>
    public LoraAdapter Load(string name, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfNameTaken(name);
        LoraAdapter adapter = LoraAdapter.Load(Model, path, name);
        try
        {
            Add(adapter);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }

        return adapter;
    }

    /// <summary>Registers an adapter loaded for this model under its <see cref="LoraAdapter.Name"/>; the registry takes ownership.</summary>
    /// <param name="adapter">The adapter.</param>
    /// <exception cref="ArgumentException">The adapter was loaded for a model with other LoRA inputs.</exception>
    /// <exception cref="InvalidOperationException">An adapter of that name is already loaded.</exception>
    public void Add(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (!adapter.FitsModel(Model))
        {
            throw new ArgumentException($"Adapter '{adapter.Name}' was loaded for another model than '{Model.Directory}'.", nameof(adapter));
        }

        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_adapters.TryAdd(adapter.Name, adapter))
            {
                throw new InvalidOperationException($"An adapter named '{adapter.Name}' is already loaded; unload it first.");
            }
        }
    }

    /// <summary>Finds a loaded adapter.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="adapter">The adapter when found.</param>
    /// <returns>Whether it is loaded.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out LoraAdapter? adapter)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return _adapters.TryGetValue(name, out adapter);
        }
    }

    /// <summary>Gets a loaded adapter.</summary>
    /// <param name="name">Its name.</param>
    /// <exception cref="KeyNotFoundException">No adapter of that name (the message lists the loaded ones).</exception>
    public LoraAdapter Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return _adapters.TryGetValue(name, out LoraAdapter? adapter) ? adapter : throw NotFound(name);
        }
    }

    /// <summary>
    /// Takes a reference to a loaded adapter for one request, atomically with the look-up, so an unload racing with the
    /// request cannot release the adapter under it. Dispose the lease when the request ends.
    /// </summary>
    /// <param name="name">The adapter's name.</param>
    /// <exception cref="KeyNotFoundException">No adapter of that name.</exception>
    public LoraAdapterLease Acquire(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (!_adapters.TryGetValue(name, out LoraAdapter? adapter))
            {
                throw NotFound(name);
            }

            adapter.AddReference();
            return new LoraAdapterLease(adapter);
        }
    }

    /// <summary>
    /// Unloads an adapter: the name is free at once; requests already using the adapter finish with it, and its memory
    /// is released when the last of them ends.
    /// </summary>
    /// <param name="name">The adapter's name.</param>
    /// <returns>Whether an adapter of that name was loaded.</returns>
    public bool Unload(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        LoraAdapter? adapter;
        lock (_lock)
        {
            if (!_adapters.Remove(name, out adapter))
            {
                return false;
            }
        }

        adapter.Dispose();
        return true;
    }

    /// <summary>Unloads every adapter (each is released when its last request ends).</summary>
    public void Dispose()
    {
        List<LoraAdapter> all;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = [.. _adapters.Values];
            _adapters.Clear();
        }

        foreach (LoraAdapter adapter in all)
        {
            adapter.Dispose();
        }
    }

    private void ThrowIfNameTaken(string name)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_adapters.ContainsKey(name))
            {
                throw new InvalidOperationException($"An adapter named '{name}' is already loaded; unload it first.");
            }
        }
    }

    private KeyNotFoundException NotFound(string name)
    {
        string known = _adapters.Count == 0 ? "none is loaded" : "loaded: " + string.Join(", ", _adapters.Keys.Order(StringComparer.Ordinal));
        return new KeyNotFoundException($"No LoRA adapter named '{name}' ({known}).");
    }
}
