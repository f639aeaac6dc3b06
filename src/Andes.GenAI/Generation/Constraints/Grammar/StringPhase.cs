namespace Andes.GenAI;

/// <summary>
/// Where a <see cref="FrameKind.String"/> frame is after its opening quote (stored in <see cref="GrammarFrame.Phase"/>).
/// The values 1 to <see cref="Utf8Automaton.StateCount"/> - 1 are not named here: they are <see cref="Utf8Automaton"/>'s
/// states inside a multi-byte character, stored as they are so that raw content needs no translation on the hot path
/// (and <see cref="GrammarMachine.IsInStringContent"/> can hand them to the token-mask fast path).
/// </summary>
internal enum StringPhase : byte
{
    /// <summary>Content at a character boundary: a character, a backslash, or the closing quote.</summary>
    Boundary = Utf8Automaton.Boundary,

    /// <summary>After a backslash: the escape letter.</summary>
    Escape = Utf8Automaton.StateCount,

    /// <summary>After <c>\u</c>: the first of four hex digits.</summary>
    UnicodeDigit1,

    /// <summary>The second hex digit of an escape whose first digit is not D (never a surrogate).</summary>
    UnicodeDigit2,

    /// <summary>The third hex digit of an escape that is not a surrogate.</summary>
    UnicodeDigit3,

    /// <summary>The fourth hex digit of an escape that is not a surrogate.</summary>
    UnicodeDigit4,

    /// <summary>After <c>\uD</c>: the second digit decides (0-7 ordinary, 8-B high surrogate, C-F a lone low surrogate, refused).</summary>
    UnicodeDigit2AfterD,

    /// <summary>The third hex digit of a high surrogate (<c>\uD8</c> to <c>\uDB</c> read).</summary>
    HighSurrogateDigit3,

    /// <summary>The fourth hex digit of a high surrogate.</summary>
    HighSurrogateDigit4,

    /// <summary>After a whole high surrogate: the backslash of the low surrogate that must follow.</summary>
    LowSurrogateBackslash,

    /// <summary>The <c>u</c> of the low surrogate.</summary>
    LowSurrogateU,

    /// <summary>The first hex digit of the low surrogate, which must be D.</summary>
    LowSurrogateD,

    /// <summary>The second hex digit of the low surrogate, which must be C-F.</summary>
    LowSurrogateDigit2,

    /// <summary>The third hex digit of the low surrogate.</summary>
    LowSurrogateDigit3,

    /// <summary>The fourth hex digit of the low surrogate.</summary>
    LowSurrogateDigit4,
}
