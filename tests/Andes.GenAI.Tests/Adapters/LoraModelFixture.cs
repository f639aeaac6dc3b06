using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Adapters;

/// <summary>The tiny float32 model with LoRA inputs on all seven projections, and the same model without, loaded once per class.</summary>
public sealed class LoraModelFixture : IDisposable
{
    private readonly Lazy<AndesModel> _lora = new(() => AndesModel.Load(TestModels.TinyFp32LoraModel));
    private readonly Lazy<AndesModel> _base = new(() => AndesModel.Load(TestModels.TinyFp32Model));

    /// <summary>The model with LoRA inputs.</summary>
    public AndesModel Model => _lora.Value;

    /// <summary>The model converted without LoRA targets.</summary>
    public AndesModel BaseModel => _base.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_lora.IsValueCreated)
        {
            _lora.Value.Dispose();
        }

        if (_base.IsValueCreated)
        {
            _base.Value.Dispose();
        }
    }
}
