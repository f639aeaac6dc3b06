using Xunit;
using Xunit.Abstractions;

namespace Andes.Testing.Fuzzing;

/// <summary>The suite's use of a campaign: a bounded run that prints its counts and fails on any undocumented exception.</summary>
public static class FuzzAssert
{
    /// <summary>The seed of the suite's campaigns (issue 14), so a failure replays exactly.</summary>
    public const int SuiteSeed = 14;

    /// <summary>Runs <paramref name="inputs"/> inputs on <paramref name="target"/> (then disposes it) and asserts that every exception was documented.</summary>
    /// <param name="target">The parser under test.</param>
    /// <param name="inputs">How many inputs (a few thousand keep a suite test to seconds).</param>
    /// <param name="output">Where the counts are printed.</param>
    /// <returns>The report.</returns>
    public static FuzzReport OnlyDocumentedExceptions(IFuzzTarget target, int inputs, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(output);
        using (target)
        {
            FuzzReport report = FuzzCampaign.Run(target, inputs, SuiteSeed);
            output.WriteLine(report.ToString());
            Assert.True(report.Undocumented == 0, $"{report.Undocumented} inputs threw what the parser does not document:\n{report}");

            // Mutations that never get past the first check would test nothing: some inputs must be accepted.
            Assert.True(report.Counts.Where(c => !c.Key.Contains("Exception", StringComparison.Ordinal) && !c.Key.StartsWith("rejected", StringComparison.Ordinal)).Sum(c => c.Value) > 0, report.ToString());
            return report;
        }
    }
}
