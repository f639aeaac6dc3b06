using Andes.Testing.Fuzzing;
using Xunit.Abstractions;

namespace Andes.Agents.Gui.Tests.Fuzzing;

/// <summary>
/// Bounded, seeded fuzz campaigns of the answer parsers (issue 14): <see cref="GroundingAnswerParser.TryParse"/> never
/// throws and accepts only in-range points; <see cref="UiTarsActionParser.Parse"/> throws only its two documented
/// types. bench/Andes.Fuzz runs the same targets at 10,000 inputs each.
/// </summary>
public sealed class AnswerParserFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void GroundingAnswers_TryParseNeverThrows() =>
        FuzzAssert.OnlyDocumentedExceptions(GuiFuzzTargets.GroundingAnswers(), 4000, output);

    [Fact]
    public void UiTarsActions_ThrowOnlyDocumentedExceptions() =>
        FuzzAssert.OnlyDocumentedExceptions(GuiFuzzTargets.UiTarsActions(), 4000, output);
}
