namespace Andes.Benchmarking;

/// <summary>What <see cref="PillowPreprocessBenchmark.Run"/> measured, or why it could not.</summary>
/// <param name="Available">Whether Python with Pillow and NumPy ran the script.</param>
/// <param name="Reason">Why not, when not available.</param>
/// <param name="Versions">Pillow, NumPy and Python versions and the interpreter used.</param>
/// <param name="Steps">The steps by the script's names (decode, resize_pad, normalise_patchify, resize_normalise_patchify, total).</param>
public sealed record PillowPreprocessResult(bool Available, string? Reason, string? Versions, IReadOnlyDictionary<string, StepTiming> Steps)
{
    /// <summary>A result without timings.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The result.</returns>
    public static PillowPreprocessResult Unavailable(string reason) => new(false, reason, null, new Dictionary<string, StepTiming>());
}
