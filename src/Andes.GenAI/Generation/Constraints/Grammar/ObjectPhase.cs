namespace Andes.GenAI;

/// <summary>Where an <see cref="FrameKind.Object"/> frame is between <c>{</c> and <c>}</c> (stored in <see cref="GrammarFrame.Phase"/>).</summary>
internal enum ObjectPhase : byte
{
    /// <summary>After <c>{</c>: the first key, or <c>}</c> when nothing is required.</summary>
    AfterOpen,

    /// <summary>A key is being read (a string frame for free-form keys, a literal frame for declared ones).</summary>
    InKey,

    /// <summary>After a key: the colon.</summary>
    AfterKey,

    /// <summary>After the colon: the member's value.</summary>
    AfterColon,

    /// <summary>The member's value is being read (its frame is above this one).</summary>
    InValue,

    /// <summary>After a member: a comma, or <c>}</c> when no required property is left.</summary>
    AfterValue,

    /// <summary>After a comma: the next key (never <c>}</c>: no trailing commas).</summary>
    AfterComma,
}
