namespace Andes.GenAI;

/// <summary>
/// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF) as a small automaton. State 0 is
/// "at a character boundary"; states 1-7 wait for continuation bytes with the ranges the lead byte allows. The same
/// numbers are the content phases of a string frame.
/// </summary>
internal static class Utf8Automaton
{
    /// <summary>At a character boundary.</summary>
    public const int Boundary = 0;

    /// <summary>Number of states.</summary>
    public const int StateCount = 8;

    private const int Cont1 = 1;
    private const int Cont2 = 2;
    private const int Cont3 = 3;
    private const int AfterE0 = 4;
    private const int AfterED = 5;
    private const int AfterF0 = 6;
    private const int AfterF4 = 7;

    /// <summary>Gets the state after a byte that starts a character (0x00-0x7F stay at the boundary), or -1 if no character starts with it.</summary>
    public static int Lead(byte b) => b switch
    {
        < 0x80 => Boundary,
        >= 0xC2 and <= 0xDF => Cont1,
        0xE0 => AfterE0,
        0xED => AfterED,
        >= 0xE1 and <= 0xEF => Cont2,
        0xF0 => AfterF0,
        >= 0xF1 and <= 0xF3 => Cont3,
        0xF4 => AfterF4,
        _ => -1,
    };

    /// <summary>Gets the state after a continuation byte in a waiting state, or -1 if the byte is not allowed there.</summary>
    public static int Continue(int state, byte b) => state switch
    {
        Cont1 when b is >= 0x80 and <= 0xBF => Boundary,
        Cont2 when b is >= 0x80 and <= 0xBF => Cont1,
        Cont3 when b is >= 0x80 and <= 0xBF => Cont2,
        AfterE0 when b is >= 0xA0 and <= 0xBF => Cont1,
        AfterED when b is >= 0x80 and <= 0x9F => Cont1,
        AfterF0 when b is >= 0x90 and <= 0xBF => Cont2,
        AfterF4 when b is >= 0x80 and <= 0x8F => Cont2,
        _ => -1,
    };

    /// <summary>Gets how many continuation bytes a state still needs.</summary>
    public static int Pending(int state) => state switch
    {
        Cont1 => 1,
        Cont2 or AfterE0 or AfterED => 2,
        Cont3 or AfterF0 or AfterF4 => 3,
        _ => 0,
    };
}
