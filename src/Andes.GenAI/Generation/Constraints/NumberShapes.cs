namespace Andes.GenAI;

/// <summary>
/// The values of <see cref="ValueShape.Number"/> and of a number frame's <see cref="GrammarFrame.Shape"/>. Numbers need
/// no shape table: the only thing a schema can say about them that the grammar enforces is "integers only".
/// </summary>
internal static class NumberShapes
{
    /// <summary>The value position allows no number.</summary>
    public const int None = -1;

    /// <summary>Any RFC 8259 number.</summary>
    public const int Any = 0;

    /// <summary>Integers only: no fraction and no exponent, so the text parses as an integer (not just as an integral double).</summary>
    public const int IntegerOnly = 1;
}
