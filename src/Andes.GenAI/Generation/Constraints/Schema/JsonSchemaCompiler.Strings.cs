using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// <c>minLength</c> and <c>maxLength</c>: a <see cref="StringShape"/>, whose lengths the machine counts in code points
/// as JSON Schema does.
/// </summary>
/// <remarks>
/// <c>pattern</c> is refused (see <c>UnsupportedKeywords</c>): it would need a regular-expression automaton run over
/// the decoded characters, and a string frame tracks only its phase and length. <c>format</c> is an annotation by
/// default in JSON Schema 2020-12, so it is ignored rather than refused.
/// </remarks>
internal sealed partial class JsonSchemaCompiler
{
    private int CompileString(JsonElement schema, string path)
    {
        int min = ReadCount(schema, path, "minLength", 0);
        int max = ReadCount(schema, path, "maxLength", int.MaxValue);
        if (max < min)
        {
            throw Error(path, "maxLength", $"{max} is below minLength {min}.");
        }

        // Unbounded strings share string shape 0, which every grammar has (free-form keys use it too).
        if (min == 0 && max == int.MaxValue)
        {
            return 0;
        }

        _grammar.Strings.Add(new StringShape { MinLength = min, MaxLength = max });
        return _grammar.Strings.Count - 1;
    }
}
