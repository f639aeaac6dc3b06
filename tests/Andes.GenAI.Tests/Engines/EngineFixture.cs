using System.Collections.Concurrent;
using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Engines;

/// <summary>The tiny fp32 and int4 folders, each loaded once per engine and shared by the conformance tests.</summary>
public sealed class EngineFixture : IDisposable
{
    private readonly ConcurrentDictionary<(string, GenerationEngine), Lazy<AndesModel>> _models = new();

    /// <summary>The folder of a tiny model kind (<c>fp32</c> or <c>int4</c>).</summary>
    public static string Folder(string kind) => kind switch
    {
        "fp32" => TestModels.TinyFp32Model,
        "int4" => TestModels.TinyInt4Model,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "fp32 or int4"),
    };

    /// <summary>The model of that kind loaded for the engine (shared; safe for concurrent use).</summary>
    public AndesModel Model(string kind, GenerationEngine engine) =>
        _models.GetOrAdd((kind, engine), key => new Lazy<AndesModel>(() => AndesModel.Load(Folder(key.Item1), new AndesModelOptions { Engine = key.Item2 }))).Value;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Lazy<AndesModel> model in _models.Values.Where(m => m.IsValueCreated))
        {
            model.Value.Dispose();
        }
    }
}
