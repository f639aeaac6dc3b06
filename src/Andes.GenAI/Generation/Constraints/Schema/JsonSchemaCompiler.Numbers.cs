namespace Andes.GenAI;

/// <summary>
/// <c>number</c> and <c>integer</c>. Numbers need no shape table: "integers only" is all the grammar enforces.
/// </summary>
/// <remarks>
/// <c>minimum</c>, <c>maximum</c> and <c>multipleOf</c> are refused (see <c>UnsupportedKeywords</c>): the grammar must
/// decide byte by byte, and a number frame tracks only its phase and digit count, not the value written so far.
/// </remarks>
internal sealed partial class JsonSchemaCompiler
{
    /// <summary>Gets the number shape of the allowed types (at least one of number and integer).</summary>
    private static int NumberShape(JsonSchemaTypes types)
        => (types & JsonSchemaTypes.Number) != 0 ? NumberShapes.Any : NumberShapes.IntegerOnly; // "number" includes the integers
}
