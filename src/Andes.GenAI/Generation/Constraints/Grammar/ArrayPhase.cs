namespace Andes.GenAI;

/// <summary>Where an <see cref="FrameKind.Array"/> frame is between <c>[</c> and <c>]</c> (stored in <see cref="GrammarFrame.Phase"/>).</summary>
internal enum ArrayPhase : byte
{
    /// <summary>After <c>[</c>: the first item, or <c>]</c> when no item is required.</summary>
    AfterOpen,

    /// <summary>An item is being read (its frame is above this one).</summary>
    InItem,

    /// <summary>After an item: a comma (below the maximum count) or <c>]</c> (at or above the minimum count).</summary>
    AfterItem,

    /// <summary>After a comma: the next item (never <c>]</c>: no trailing commas).</summary>
    AfterComma,
}
