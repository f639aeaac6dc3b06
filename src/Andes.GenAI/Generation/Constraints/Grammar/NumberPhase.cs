namespace Andes.GenAI;

/// <summary>Where a <see cref="FrameKind.Number"/> frame is in the RFC 8259 number grammar (stored in <see cref="GrammarFrame.Phase"/>).</summary>
internal enum NumberPhase : byte
{
    /// <summary>Nothing read: a minus sign or the first digit.</summary>
    Start,

    /// <summary>After a leading minus sign: the first digit.</summary>
    AfterMinus,

    /// <summary>The integer part is <c>0</c>: no more integer digits (no leading zeros), only a fraction, an exponent or the end.</summary>
    AfterLeadingZero,

    /// <summary>In an integer part that starts with 1-9: more digits, a fraction, an exponent or the end.</summary>
    IntegerDigits,

    /// <summary>After the decimal point: a fraction digit is required.</summary>
    AfterDot,

    /// <summary>In the fraction digits: more digits, an exponent or the end.</summary>
    FractionDigits,

    /// <summary>After <c>e</c> or <c>E</c>: a sign or an exponent digit.</summary>
    AfterExponentMark,

    /// <summary>After the exponent's sign: an exponent digit is required.</summary>
    AfterExponentSign,

    /// <summary>In the exponent digits: more digits or the end.</summary>
    ExponentDigits,
}
