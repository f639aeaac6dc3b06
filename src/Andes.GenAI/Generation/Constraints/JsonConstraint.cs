using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// A compiled JSON output constraint for one tokenizer: any JSON value (<see cref="ForAnyJson"/>) or JSON matching a
/// JSON Schema (<see cref="ForSchema"/>). Create one per schema and reuse it; each generation gets its own
/// <see cref="JsonConstraintProcessor"/> from <see cref="CreateProcessor"/>.
/// </summary>
/// <remarks>
/// <para>
/// The constraint produces RFC 8259 JSON in UTF-8: strings are well-formed (escapes including <c>\uXXXX</c>, surrogate
/// escapes only in valid pairs, no raw control characters, valid UTF-8), numbers follow the JSON grammar with at most
/// 15 integer digits, 15 fraction digits and 2 exponent digits (so they parse exactly and finitely as doubles), and at
/// most <see cref="JsonConstraintOptions.MaxConsecutiveWhitespace"/> whitespace bytes in a row. Once the value is
/// complete only the end tokens (<c>&lt;|im_end|&gt;</c>, <c>&lt;|endoftext|&gt;</c>) are allowed - no trailing
/// whitespace (a top-level number may still take more digits, as it cannot know it has ended).
/// </para>
/// <para>Schema support (the output is always valid against the schema; some choices narrow what is valid):</para>
/// <list type="bullet">
/// <item><description><c>type</c> (one or an array of object, array, string, number, integer, boolean, null; integers
/// are written without fraction or exponent), <c>nullable</c> (OpenAPI); without <c>type</c>, object keywords imply an
/// object, array keywords an array, length keywords a string, otherwise any value.</description></item>
/// <item><description><c>properties</c> and <c>required</c>: properties are written in declaration order, required
/// ones always, optional ones may be skipped. <c>additionalProperties</c> is treated as <see langword="false"/>
/// whenever <c>properties</c> or <c>required</c> is present (no undeclared members are ever written); on an object
/// schema without them, <c>additionalProperties</c> (default any) gives the type of free-form members.</description></item>
/// <item><description><c>enum</c> and <c>const</c> (written in compact canonical form), <c>items</c>,
/// <c>minItems</c>/<c>maxItems</c>, <c>minLength</c>/<c>maxLength</c> (in Unicode code points).</description></item>
/// <item><description><c>anyOf</c>/<c>oneOf</c>: the alternative is chosen by the value's first byte; when several
/// alternatives start alike (two object schemas, say) the first one listed is used. <c>oneOf</c> is treated as
/// <c>anyOf</c>. Single-schema <c>allOf</c>.</description></item>
/// <item><description><c>$ref</c> to local definitions (<c>#</c>, <c>#/$defs/...</c>, <c>#/definitions/...</c>), recursion included.</description></item>
/// <item><description>Annotations (<c>title</c>, <c>description</c>, <c>default</c>, <c>format</c>, ...) and unknown
/// keywords are ignored. Other assertions (<c>pattern</c>, <c>minimum</c>, <c>multipleOf</c>, ...) throw
/// <see cref="JsonSchemaConstraintException"/> unless <see cref="JsonConstraintOptions.IgnoreUnsupportedKeywords"/>.</description></item>
/// </list>
/// <para>Thread-safe; the per-tokenizer vocabulary index it uses is built once and shared.</para>
/// </remarks>
public sealed class JsonConstraint
{
    private readonly ConstraintProgram _program;

    private JsonConstraint(ConstraintProgram program, AndesTokenizer tokenizer)
    {
        _program = program;
        Tokenizer = tokenizer;
    }

    /// <summary>Gets the tokenizer the constraint masks tokens of.</summary>
    public AndesTokenizer Tokenizer { get; }

    /// <summary>
    /// Gets the smallest token budget (<c>maxTokens</c> of <see cref="CreateProcessor"/>) that always leaves room for a
    /// complete value and the end token: the bytes of the shortest valid value plus one.
    /// </summary>
    public int MinimumTokenBudget => _program.MinimumTokenBudget;

    internal ConstraintProgram Program => _program;

    /// <summary>Creates a constraint that accepts any single JSON value.</summary>
    /// <param name="tokenizer">The tokenizer of the model.</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The constraint.</returns>
    public static JsonConstraint ForAnyJson(AndesTokenizer tokenizer, JsonConstraintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new JsonConstraintOptions();
        var grammar = new JsonGrammar(options.MaxConsecutiveWhitespace);
        grammar.RootValue = grammar.AnyValue;
        string? error = grammar.Finish();
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }

        return new JsonConstraint(new ConstraintProgram(grammar, TokenVocabulary.Get(tokenizer), toolCalls: false, maxCalls: 1), tokenizer);
    }

    /// <summary>Creates a constraint that accepts JSON valid against a JSON Schema (see the remarks for what is supported).</summary>
    /// <param name="tokenizer">The tokenizer of the model.</param>
    /// <param name="schema">The schema (e.g. <see cref="ChatResponseFormatJson.Schema"/>).</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="JsonSchemaConstraintException">The schema is malformed, unsatisfiable or uses an unsupported assertion.</exception>
    public static JsonConstraint ForSchema(AndesTokenizer tokenizer, JsonElement schema, JsonConstraintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new JsonConstraintOptions();
        var grammar = new JsonGrammar(options.MaxConsecutiveWhitespace);
        grammar.RootValue = new JsonSchemaCompiler(grammar, schema, options.IgnoreUnsupportedKeywords).CompileRoot();
        string? error = grammar.Finish();
        if (error is not null)
        {
            throw new JsonSchemaConstraintException("#", null, error + ".");
        }

        return new JsonConstraint(new ConstraintProgram(grammar, TokenVocabulary.Get(tokenizer), toolCalls: false, maxCalls: 1), tokenizer);
    }

    /// <summary>
    /// Creates the constraint a chat response format asks for: <see langword="null"/> for text (or no format), any JSON
    /// for <see cref="ChatResponseFormat.Json"/> without a schema, schema-valid JSON otherwise.
    /// </summary>
    /// <param name="tokenizer">The tokenizer of the model.</param>
    /// <param name="format">The response format.</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The constraint, or <see langword="null"/> when the output is unconstrained text.</returns>
    /// <exception cref="JsonSchemaConstraintException">The schema is malformed, unsatisfiable or uses an unsupported assertion.</exception>
    public static JsonConstraint? ForResponseFormat(AndesTokenizer tokenizer, ChatResponseFormat? format, JsonConstraintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return format switch
        {
            ChatResponseFormatJson { Schema: JsonElement schema } => ForSchema(tokenizer, schema, options),
            ChatResponseFormatJson => ForAnyJson(tokenizer, options),
            _ => null,
        };
    }

    /// <summary>Creates a processor for one generation.</summary>
    /// <param name="maxTokens">
    /// The generation's token budget (its maximum new tokens), or <see langword="null"/>. With a budget, a token is
    /// allowed only if the shortest completion after it (and the end token) still fits, so the value is always complete
    /// when the budget runs out; as the budget nears, only the shortest closing path remains.
    /// </param>
    /// <returns>A new processor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is below <see cref="MinimumTokenBudget"/>.</exception>
    public JsonConstraintProcessor CreateProcessor(int? maxTokens = null)
    {
        CheckBudget(maxTokens, MinimumTokenBudget);
        return new JsonConstraintProcessor(_program, maxTokens);
    }

    internal static void CheckBudget(int? maxTokens, int minimum)
    {
        if (maxTokens is int max && max < minimum)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxTokens), max, $"A token budget of {max} cannot fit the shortest valid output, which needs {minimum} tokens.");
        }
    }
}
