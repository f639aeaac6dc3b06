namespace Andes.GenAI;

/// <summary>
/// Everything a <see cref="JsonConstraintProcessor"/> runs: the compiled grammar, the tokenizer's vocabulary index,
/// and the framing around the JSON text (nothing for plain JSON; <c>&lt;tool_call&gt;</c> ... <c>&lt;/tool_call&gt;</c>
/// tokens for tool calls). Immutable and shared by every processor of one constraint.
/// </summary>
internal sealed class ConstraintProgram
{
    /// <summary>Initializes a program.</summary>
    public ConstraintProgram(JsonGrammar grammar, TokenVocabulary vocabulary, bool toolCalls, int maxCalls)
    {
        Grammar = grammar;
        Vocabulary = vocabulary;
        ToolCalls = toolCalls;
        MaxCalls = maxCalls;
    }

    /// <summary>Gets the grammar of the JSON text.</summary>
    public JsonGrammar Grammar { get; }

    /// <summary>Gets the vocabulary index.</summary>
    public TokenVocabulary Vocabulary { get; }

    /// <summary>Gets a value indicating whether the JSON text is framed by tool-call tokens.</summary>
    public bool ToolCalls { get; }

    /// <summary>Gets the most tool calls in one output.</summary>
    public int MaxCalls { get; }

    /// <summary>Gets the tokens besides the JSON bytes that one complete output needs (end token, call tags).</summary>
    public int FramingTokens => ToolCalls ? 3 : 1;

    /// <summary>Gets the smallest token budget that always allows a complete output.</summary>
    public int MinimumTokenBudget => GrammarCost.Add(Grammar.MinBytes, FramingTokens);
}
