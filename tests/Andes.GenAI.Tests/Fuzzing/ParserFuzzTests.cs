using Andes.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Fuzzing;

/// <summary>
/// Bounded, seeded fuzz campaigns of the engine's parsers (issue 14): each fails on any exception its parser does not
/// document. bench/Andes.Fuzz runs the same targets at 10,000 inputs each.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void ToolCallText_NeverThrows_MalformedCallsCarryToolCallFormatException() =>
        FuzzAssert.OnlyDocumentedExceptions(GenAIFuzzTargets.ToolCalls(), 3000, output);

    [Fact]
    public void PeftAdapterFolders_ThrowOnlyLoraAdapterException() =>
        FuzzAssert.OnlyDocumentedExceptions(GenAIFuzzTargets.PeftAdapterFolders(), 2000, output);

    [Fact]
    public void OnnxAdapterFiles_ThrowOnlyLoraAdapterException() =>
        FuzzAssert.OnlyDocumentedExceptions(GenAIFuzzTargets.OnnxAdapterFiles(), 2000, output);

    [Fact]
    public void GenAIConfigFiles_ThrowOnlyModelConfigurationException() =>
        FuzzAssert.OnlyDocumentedExceptions(GenAIFuzzTargets.GenAIConfigFiles(), 3000, output);

    [Fact]
    public void TokenizerFiles_ThrowOnlyInvalidDataOrNotSupportedException() =>
        FuzzAssert.OnlyDocumentedExceptions(GenAIFuzzTargets.TokenizerFiles(), 2000, output);

    [Fact]
    public void Images_ThrowOnlyInvalidImageException() =>
        FuzzAssert.OnlyDocumentedExceptions(GenAIFuzzTargets.Images(), 2000, output);
}
