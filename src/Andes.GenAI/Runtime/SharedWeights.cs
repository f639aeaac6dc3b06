using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Andes.GenAI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI;

/// <summary>
/// One read-only memory mapping of a weights file given to several sessions as shared initializers, with one
/// pre-packed weights container: ONNX Runtime then pre-packs each weight once for all of them (the base decoder and the
/// LoRA decoder of a model folder cost one copy of the weights, not two).
/// </summary>
/// <remarks>
/// After the sessions are created, <see cref="ReleaseResidentPages"/> drops the mapping's pages from memory (the
/// weights ONNX Runtime pre-packed are not read again; the others fault back in from the file when used), so the
/// footprint stays that of one session. Dispose after every session using it.
/// </remarks>
internal sealed unsafe class SharedWeights : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _length;
    private readonly List<(string Name, OrtValue Value)> _values = [];
    private int _disposed;

    private SharedWeights(MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        _map = map;
        _view = view;
        _length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>The container the sessions share.</summary>
    public PrePackedWeightsContainer Container { get; } = new();

    /// <summary>Maps the section's file and wraps each tensor (checked against the file) as an ONNX Runtime value.</summary>
    /// <exception cref="ModelConfigurationException">A missing file or a tensor outside it or of an unknown type.</exception>
    public static SharedWeights Map(string directory, SharedWeightsSection section, string manifestFile)
    {
        string file = Path.Combine(directory, section.File);
        if (!File.Exists(file))
        {
            throw new ModelConfigurationException($"'{manifestFile}': field 'shared_weights.file' names '{section.File}', which is not in '{directory}'.", manifestFile, "shared_weights.file");
        }

        long length = FileLengths.Of(file);
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(file, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        SharedWeights? shared = null;
        try
        {
            shared = new SharedWeights(map, map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read), length);
            foreach (SharedWeightTensor t in section.Tensors)
            {
                int size = ElementSize(t.DataType);
                long count = t.Dims.Aggregate(1L, (a, b) => a * b);
                if (size == 0 || t.Offset < 0 || t.Length != count * size || t.Offset + t.Length > length)
                {
                    throw new ModelConfigurationException(
                        $"'{manifestFile}': shared tensor '{t.Name}' (type {t.DataType}, dims [{string.Join(", ", t.Dims)}], bytes {t.Offset}..{t.Offset + t.Length}) does not fit '{section.File}' ({length} bytes).",
                        manifestFile,
                        "shared_weights.tensors");
                }

                OrtValue value = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (TensorElementType)t.DataType, t.Dims, (IntPtr)(shared._base + t.Offset), t.Length);
                shared._values.Add((t.Name, value));
            }

            return shared;
        }
        catch
        {
            if (shared is null)
            {
                map.Dispose();
            }
            else
            {
                shared.Dispose();
            }

            throw;
        }
    }

    /// <summary>Registers every tensor as a shared initializer of a session about to be created.</summary>
    public void AddTo(SessionOptions options)
    {
        foreach ((string name, OrtValue value) in _values)
        {
            options.AddInitializer(name, value);
        }
    }

    /// <summary>Best effort: drops the mapping's resident pages (they are re-read from the file if touched again).</summary>
    public void ReleaseResidentPages()
    {
        if (_length == 0)
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                _ = VirtualUnlock((IntPtr)_base, (UIntPtr)_length); // unlocking unlocked pages takes them out of the working set
            }
            else if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                _ = madvise((IntPtr)_base, (UIntPtr)_length, MadviseDontNeed);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Only the footprint is affected.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach ((_, OrtValue value) in _values)
        {
            value.Dispose();
        }

        Container.Dispose();
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    private const int MadviseDontNeed = 4;

    [DllImport("libc", SetLastError = true)]
    [SupportedOSPlatform("linux")]
    [SupportedOSPlatform("macos")]
    private static extern int madvise(IntPtr address, UIntPtr length, int advice);

    [DllImport("kernel32", SetLastError = true)]
    [SupportedOSPlatform("windows")]
    private static extern bool VirtualUnlock(IntPtr address, UIntPtr size);

    /// <summary>Bytes per element of an ONNX data type (0 for types not stored as fixed-size elements here).</summary>
    private static int ElementSize(int dataType) => dataType switch
    {
        1 or 6 or 12 => 4, // float, int32, uint32
        2 or 3 or 9 => 1, // uint8, int8, bool
        4 or 5 or 10 or 16 => 2, // uint16, int16, float16, bfloat16
        7 or 11 or 13 => 8, // int64, double, uint64
        _ => 0,
    };
}
