using Andes.GenAI;
namespace Andes.Testing;

/// <summary>An xunit fixture holding the tiny float32 model loaded once for a test class.</summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly Lazy<AndesModel> _model = new(() => AndesModel.Load(TestModels.TinyFp32Model));

    /// <summary>The loaded model (shared; safe for concurrent use).</summary>
    public AndesModel Model => _model.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }
}
