using System.Text;
using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// A constraint for a required tool call: the output is exactly
/// <c>&lt;tool_call&gt;\n{"name": "&lt;tool&gt;", "arguments": &lt;JSON valid against that tool's parameter schema&gt;}\n&lt;/tool_call&gt;</c>
/// (the Qwen3 format AndesVL's chat template renders), then the end of the turn. <c>&lt;tool_call&gt;</c> and
/// <c>&lt;/tool_call&gt;</c> are forced as their single added tokens, never spelled out.
/// </summary>
/// <remarks>
/// The arguments follow the same schema rules as <see cref="JsonConstraint.ForSchema"/>. With
/// <see cref="ToolCallConstraintOptions.MaxCalls"/> above 1, further calls may follow, each after a newline. Thread-safe;
/// each generation gets its own <see cref="JsonConstraintProcessor"/> from <see cref="CreateProcessor"/>.
/// </remarks>
public sealed class ToolCallConstraint
{
    private readonly ConstraintProgram _program;

    private ToolCallConstraint(ConstraintProgram program, IReadOnlyList<string> names)
    {
        _program = program;
        FunctionNames = names;
    }

    /// <summary>Gets the names of the functions a call may name.</summary>
    public IReadOnlyList<string> FunctionNames { get; }

    /// <summary>Gets the smallest token budget that always leaves room for one complete call and the end token.</summary>
    public int MinimumTokenBudget => _program.MinimumTokenBudget;

    /// <summary>Creates the constraint for a chat request's tools and required tool mode.</summary>
    /// <param name="tokenizer">The tokenizer of the model.</param>
    /// <param name="tools">The request's tools (<see cref="ChatOptions.Tools"/>); function declarations are used, other tools ignored.</param>
    /// <param name="toolMode">
    /// <see cref="ChatToolMode.RequireAny"/> (a call to any of the functions) or
    /// <see cref="ChatToolMode.RequireSpecific(string)"/> (a call to that function).
    /// </param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">The mode does not require a call, there are no functions, or the required function is not among them.</exception>
    /// <exception cref="JsonSchemaConstraintException">A parameter schema is malformed, unsatisfiable or uses an unsupported assertion.</exception>
    public static ToolCallConstraint Create(AndesTokenizer tokenizer, IEnumerable<AITool> tools, ChatToolMode toolMode, ToolCallConstraintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(toolMode);
        if (toolMode is not RequiredChatToolMode required)
        {
            throw new ArgumentException($"Tool mode {toolMode} does not require a tool call; only required modes are constrained.", nameof(toolMode));
        }

        var functions = tools.OfType<AIFunctionDeclaration>().ToList();
        if (required.RequiredFunctionName is string name)
        {
            functions = functions.Where(f => f.Name == name).Take(1).ToList();
            if (functions.Count == 0)
            {
                throw new ArgumentException($"The required function '{name}' is not among the request's tools.", nameof(toolMode));
            }
        }

        return Create(tokenizer, functions.Select(f => new KeyValuePair<string, JsonElement>(f.Name, f.JsonSchema)), options);
    }

    /// <summary>Creates the constraint for functions given by name and parameter schema.</summary>
    /// <param name="tokenizer">The tokenizer of the model.</param>
    /// <param name="functions">
    /// Each function's name and JSON Schema of its arguments object (an undefined element means no parameters:
    /// the arguments are <c>{}</c>).
    /// </param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="ArgumentException">There are no functions, a name is empty or repeated, or the tokenizer lacks the tool-call tokens.</exception>
    /// <exception cref="JsonSchemaConstraintException">A parameter schema is malformed, unsatisfiable or uses an unsupported assertion.</exception>
    public static ToolCallConstraint Create(AndesTokenizer tokenizer, IEnumerable<KeyValuePair<string, JsonElement>> functions, ToolCallConstraintOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(functions);
        options ??= new ToolCallConstraintOptions();
        if (tokenizer.ToolCallStartId < 0 || tokenizer.ToolCallEndId < 0)
        {
            throw new ArgumentException("The tokenizer has no <tool_call>/</tool_call> tokens.", nameof(tokenizer));
        }

        var grammar = new JsonGrammar(options.MaxConsecutiveWhitespace);
        var names = new List<string>();
        var prefixes = new List<byte[]>();
        var arguments = new List<int>();
        foreach ((string name, JsonElement schema) in functions)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A function name is empty.", nameof(functions));
            }

            if (names.Contains(name))
            {
                throw new ArgumentException($"The function name '{name}' appears twice.", nameof(functions));
            }

            JsonElement parameters = schema.ValueKind == JsonValueKind.Undefined ? EmptyParameters() : schema;
            int value;
            try
            {
                value = new JsonSchemaCompiler(grammar, parameters, options.IgnoreUnsupportedKeywords).CompileRoot();
            }
            catch (JsonSchemaConstraintException e)
            {
                throw new JsonSchemaConstraintException(e.SchemaPath, e.Keyword, $"parameters of function '{name}': {e.Reason}");
            }

            names.Add(name);
            byte[] quoted = JsonGrammar.QuotedName(name);
            prefixes.Add([.. "\n{\"name\": "u8, .. quoted, .. ", \"arguments\": "u8]);
            arguments.Add(value);
        }

        if (names.Count == 0)
        {
            throw new ArgumentException("A tool-call constraint needs at least one function.", nameof(functions));
        }

        grammar.Tagged = new TaggedShape
        {
            PrefixTrie = grammar.AddLiteralTrie(prefixes),
            Arguments = [.. arguments],
            Suffix = Encoding.UTF8.GetBytes("}\n"),
        };
        string? error = grammar.Finish();
        if (error is not null)
        {
            throw new JsonSchemaConstraintException("#", null, error + ".");
        }

        var program = new ConstraintProgram(grammar, TokenVocabulary.Get(tokenizer), toolCalls: true, options.MaxCalls);
        return new ToolCallConstraint(program, names);
    }

    /// <summary>Creates a processor for one generation.</summary>
    /// <param name="maxTokens">
    /// The generation's token budget, or <see langword="null"/>. With a budget, the call (and the end token) always
    /// completes within it.
    /// </param>
    /// <returns>A new processor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is below <see cref="MinimumTokenBudget"/>.</exception>
    public JsonConstraintProcessor CreateProcessor(int? maxTokens = null)
    {
        JsonConstraint.CheckBudget(maxTokens, MinimumTokenBudget);
        return new JsonConstraintProcessor(_program, maxTokens);
    }

    private static JsonElement EmptyParameters()
    {
        using JsonDocument document = JsonDocument.Parse("""{"type":"object","properties":{}}""");
        return document.RootElement.Clone();
    }
}
