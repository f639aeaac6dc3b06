namespace Andes.GenAI;

/// <summary>What <see cref="StopSequenceMatcher.Append(ReadOnlySpan{char}, out ReadOnlySpan{char})"/> decided.</summary>
public enum StopMatchResult
{
    /// <summary>No stop sequence has completed: keep generating (some text may be held back).</summary>
    Continue = 0,

    /// <summary>A stop sequence completed: stop generating; the emitted text ends just before it.</summary>
    Stopped = 1,
}
