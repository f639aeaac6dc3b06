using Andes.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Andes.ModelBuilder.Tests.Fuzzing;

/// <summary>
/// Bounded, seeded fuzz campaigns of the checkpoint readers (issue 14): only <see cref="CheckpointException"/> may come
/// out. bench/Andes.Fuzz runs the same targets at 10,000 inputs each.
/// </summary>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void SafeTensorsFiles_ThrowOnlyCheckpointException() =>
        FuzzAssert.OnlyDocumentedExceptions(ModelBuilderFuzzTargets.SafeTensorsFiles(), 3000, output);

    [Fact]
    public void ShardedIndexes_ThrowOnlyCheckpointException() =>
        FuzzAssert.OnlyDocumentedExceptions(ModelBuilderFuzzTargets.ShardedIndexes(), 2000, output);
}
