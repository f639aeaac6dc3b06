namespace Andes.GenAI;

/// <summary>Where a <see cref="FrameKind.Root"/> frame is in a plain JSON document (stored in <see cref="GrammarFrame.Phase"/>).</summary>
internal enum RootPhase : byte
{
    /// <summary>Before the value: whitespace or the value's first byte may come.</summary>
    BeforeValue,

    /// <summary>The value is being read (its frame is above this one).</summary>
    InValue,

    /// <summary>The value is complete: nothing more may come (the output ends).</summary>
    AfterValue,
}
