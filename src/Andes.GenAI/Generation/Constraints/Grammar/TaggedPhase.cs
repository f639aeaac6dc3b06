namespace Andes.GenAI;

/// <summary>Where a <see cref="FrameKind.Tagged"/> frame (one tool call's body) is (stored in <see cref="GrammarFrame.Phase"/>).</summary>
internal enum TaggedPhase : byte
{
    /// <summary>Nothing read: the first byte of one of the tools' prefixes.</summary>
    Start,

    /// <summary>A prefix (which names the tool) is being read (a literal frame is above this one).</summary>
    InPrefix,

    /// <summary>After the prefix: the first byte of the chosen tool's arguments.</summary>
    AfterPrefix,

    /// <summary>The arguments value is being read (its frame is above this one).</summary>
    InArguments,

    /// <summary>In the fixed suffix after the arguments.</summary>
    InSuffix,

    /// <summary>The call is complete: nothing more may come.</summary>
    Done,
}
