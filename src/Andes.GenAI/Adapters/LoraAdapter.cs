using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;

namespace Andes.GenAI;

/// <summary>
/// A LoRA adapter loaded for one model: checked against the model's LoRA inputs at load (names, shapes, ranks, base
/// model), then kept resident and activated per request (<see cref="Generator"/> takes it) with no session
/// reload. Load from an ONNX Runtime <c>.onnx_adapter</c> file (memory-mapped) or directly from a PEFT folder
/// (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>, converted in memory).
/// </summary>
/// <remarks>
/// Thread-safe; any number of concurrent generations may use one adapter. Each generation (and each
/// <see cref="LoraAdapterLease"/>) holds a reference, so <see cref="Dispose"/> or <see cref="AdapterRegistry.Unload"/>
/// while they run never fails: the native memory is released when the last of them ends, after which the adapter
/// cannot be used (<see cref="IsReleased"/>).
/// </remarks>
public sealed class LoraAdapter : IDisposable
{
    private static long s_nextId;

    private readonly OrtLoraAdapter _handle;
    private int _references = 1; // the owner's
    private int _ownerReleased;

    private LoraAdapter(string name, string sourcePath, OrtLoraAdapter handle, IReadOnlyList<LoraParameterInfo> parameters, int rank, LoraTargets targets, long parameterBytes, long fileBytes, LoraModelInputs model)
    {
        Name = name;
        SourcePath = sourcePath;
        _handle = handle;
        Parameters = parameters;
        Rank = rank;
        Targets = targets;
        ParameterBytes = parameterBytes;
        FileBytes = fileBytes;
        ModelInputs = model;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The adapter's name (by default the file or folder name without extension).</summary>
    public string Name { get; }

    /// <summary>The file or folder it was loaded from (or a description for in-memory adapters).</summary>
    public string SourcePath { get; }

    /// <summary>The largest rank r of its projections.</summary>
    public int Rank { get; }

    /// <summary>The projections it adapts (on at least one layer).</summary>
    public LoraTargets Targets { get; }

    /// <summary>Its parameters (graph inputs) with their shapes.</summary>
    public IReadOnlyList<LoraParameterInfo> Parameters { get; }

    /// <summary>The bytes of parameter data held resident (float32).</summary>
    public long ParameterBytes { get; }

    /// <summary>The size on disk of the file it was loaded from (the <c>.onnx_adapter</c> or <c>adapter_model.safetensors</c>).</summary>
    public long FileBytes { get; }

    /// <summary>
    /// The key in a PEFT adapter's <c>adapter_model.safetensors</c> metadata that names the base model the adapter was
    /// made for (the fingerprint in the model folder's <c>andes_lora.json</c>). When present, <see cref="Load"/> refuses
    /// an adapter made for another base model; adapters trained elsewhere simply lack it.
    /// </summary>
    public const string BaseModelFingerprintMetadataKey = "andes.base_model_fingerprint";

    /// <summary>Whether the native adapter has been released (unloaded and no generation uses it any more).</summary>
    public bool IsReleased => Volatile.Read(ref _references) == 0;

    /// <summary>A process-unique id (keys caches: keys/values computed under one adapter are never reused under another).</summary>
    internal long Id { get; }

    internal OrtLoraAdapter Handle => _handle;

    internal LoraModelInputs ModelInputs { get; }

    /// <summary>Generations currently holding the adapter (for diagnostics and tests).</summary>
    internal int ActiveReferences => Math.Max(0, Volatile.Read(ref _references) - (Volatile.Read(ref _ownerReleased) == 0 ? 1 : 0));

    /// <summary>Loads an adapter and checks it against <paramref name="model"/>.</summary>
    /// <param name="model">The model the adapter will run on.</param>
    /// <param name="path">An <c>.onnx_adapter</c> file or a PEFT adapter folder.</param>
    /// <param name="name">The adapter's name; null: the file or folder name without extension.</param>
    /// <returns>The resident adapter; dispose it (or unload it from its registry) to release it.</returns>
    /// <exception cref="LoraAdapterException">Unreadable, or it does not fit the model: the message names the tensor.</exception>
    /// <exception cref="EngineFeatureNotSupportedException">The model runs on ONNX Runtime GenAI, which takes no Andes adapter.</exception>
    public static LoraAdapter Load(AndesModel model, string path, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        model.ThrowIfDisposed();
        string full = Path.GetFullPath(path);
        name ??= Path.GetFileNameWithoutExtension(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (model.Engine != GenerationEngine.Andes)
        {
            throw TokenSequences.AdapterNotSupported(model, name); // before reading anything
        }

        LoraModelInputs inputs = model.LoraInputs;
        if (PeftAdapterConverter.IsPeftFolder(full))
        {
            PeftAdapterConverter.Result peft = PeftAdapterConverter.Convert(full);
            return FromParameters(inputs, name, full, peft.Parameters, 0, peft.BaseModelFingerprint, peft.FileBytes);
        }

        if (Directory.Exists(full))
        {
            throw new LoraAdapterException($"'{full}' is a folder without {PeftAdapterConfig.FileName}: give a PEFT adapter folder or an {OnnxAdapterFormat.Extension} file.", full, null);
        }

        if (!File.Exists(full))
        {
            throw new LoraAdapterException($"Adapter not found: '{full}'.", full, null);
        }

        return FromOnnxAdapterFile(inputs, name, full);
    }

    /// <summary>Releases the owner's reference; the native memory goes when the last generation or lease using the adapter ends.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ownerReleased, 1) == 0)
        {
            Release();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (rank {Rank}, {Parameters.Count} parameters, {SourcePath})";

    /// <summary>Creates an adapter from converted parameters, one A/B pair per projection (PEFT in memory, or tests), laid out as the decoder's inputs.</summary>
    internal static LoraAdapter FromParameters(LoraModelInputs inputs, string name, string source, IReadOnlyList<LoraParameter> parameters, int modelVersion, string? fingerprint, long fileBytes)
    {
        (int rank, LoraTargets targets) = inputs.Validate(parameters.Select(p => (p.Name, p.Dims, OnnxAdapterFormat.Float)).ToList(), source, modelVersion, fingerprint);
        parameters = inputs.Arrange(parameters);
        byte[] bytes = OnnxAdapterFormat.Write(parameters, adapterVersion: 0, modelVersion);
        OrtLoraAdapter handle = Create(() => OrtLoraAdapter.Create(bytes, null), source);
        var infos = parameters.Select(p => new LoraParameterInfo(p.Name, p.Dims)).ToList();
        long parameterBytes = parameters.Sum(p => (long)p.Data.Length * sizeof(float));
        return new LoraAdapter(name, source, handle, infos, rank, targets, parameterBytes, fileBytes, inputs);
    }

    /// <summary>Whether this adapter was checked against inputs equal to <paramref name="model"/>'s.</summary>
    internal bool FitsModel(AndesModel model) => ReferenceEquals(ModelInputs, model.LoraInputs) || ModelInputs.Signature == model.LoraInputs.Signature;

    /// <summary>
    /// Takes a reference for a generation. Succeeds while anyone still holds one (a registry, a lease, a running
    /// generation), even after the owner's <see cref="Dispose"/>: only a released adapter is refused.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The adapter was released.</exception>
    internal void AddReference()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current == 0)
            {
                throw new ObjectDisposedException(nameof(LoraAdapter), $"LoRA adapter '{Name}' was unloaded.");
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Drops a reference; the last one releases the native adapter.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _handle.Dispose();
        }
    }

    private static unsafe LoraAdapter FromOnnxAdapterFile(LoraModelInputs inputs, string name, string file)
    {
        OnnxAdapterFormat.Contents contents;
        long length = FileLengths.Of(file);
        if (length < 8)
        {
            throw new LoraAdapterException($"'{file}' is too short to be an ONNX Runtime adapter file.", file, null);
        }

        if (length > int.MaxValue)
        {
            throw new LoraAdapterException($"'{file}' has {length} bytes; an ONNX Runtime adapter file (a FlatBuffer) holds at most 2 GB.", file, null);
        }

        using (var map = MemoryMappedFile.CreateFromFile(file, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
        using (MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read))
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try
            {
                var bytes = new ReadOnlySpan<byte>(pointer + view.PointerOffset, (int)length);
                contents = OnnxAdapterFormat.Read(bytes, file);
                foreach (OnnxAdapterFormat.ParameterEntry p in contents.Parameters)
                {
                    if (p.DataType == OnnxAdapterFormat.Float && p.DataLength % sizeof(float) == 0 && (long)p.DataOffset + p.DataLength <= bytes.Length)
                    {
                        FiniteWeights.Require(MemoryMarshal.Cast<byte, float>(bytes.Slice(p.DataOffset, p.DataLength)), file, p.Name);
                    }
                }
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }

        (int rank, LoraTargets targets) = inputs.Validate(contents.Parameters.Select(p => (p.Name, p.Dims, p.DataType)).ToList(), file, contents.ModelVersion, null, physical: true);
        foreach (OnnxAdapterFormat.ParameterEntry p in contents.Parameters)
        {
            // Saturating: dims whose product wraps around 2^64 must not match a small data length by accident.
            long expected = sizeof(float);
            foreach (long d in p.Dims)
            {
                expected = d != 0 && expected > long.MaxValue / d ? long.MaxValue : expected * d;
            }

            if (p.DataLength != expected)
            {
                string needs = expected == long.MaxValue ? "more than fits in a file" : expected.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new LoraAdapterException($"'{file}': tensor '{p.Name}' holds {p.DataLength} bytes; its shape [{string.Join(", ", p.Dims)}] needs {needs}.", file, p.Name);
            }
        }

        OrtLoraAdapter handle = Create(() => OrtLoraAdapter.Create(file, null), file);
        var infos = contents.Parameters.Select(p => new LoraParameterInfo(p.Name, p.Dims)).ToList();
        long parameterBytes = contents.Parameters.Sum(p => (long)p.DataLength);
        return new LoraAdapter(name, file, handle, infos, rank, targets, parameterBytes, length, inputs);
    }

    private static OrtLoraAdapter Create(Func<OrtLoraAdapter> create, string source)
    {
        try
        {
            return create();
        }
        catch (OnnxRuntimeException ex)
        {
            throw new LoraAdapterException($"ONNX Runtime rejected adapter '{source}': {ex.Message}", source, null, ex);
        }
    }
}
