using System.Text;
using System.Text.Json;
using Andes.GenAI;
namespace Andes.GenAI.Tests.Generation.Constraints;

/// <summary>Builds grammars and runs text through them byte by byte.</summary>
internal static class GrammarTestHelpers
{
    public static JsonGrammar AnyJson(int maxWhitespace = 255)
    {
        var grammar = new JsonGrammar(maxWhitespace);
        grammar.RootValue = grammar.AnyValue;
        Assert.Null(grammar.Finish());
        return grammar;
    }

    public static JsonGrammar Schema(string schemaJson, int maxWhitespace = 255, bool ignoreUnsupported = false)
    {
        var grammar = new JsonGrammar(maxWhitespace);
        using JsonDocument document = JsonDocument.Parse(schemaJson);
        grammar.RootValue = new JsonSchemaCompiler(grammar, document.RootElement.Clone(), ignoreUnsupported).CompileRoot();
        string? error = grammar.Finish();
        if (error is not null)
        {
            throw new JsonSchemaConstraintException("#", null, error);
        }

        return grammar;
    }

    /// <summary>Whether the whole text is a complete document of the grammar.</summary>
    public static bool Accepts(JsonGrammar grammar, string text) => Accepts(grammar, Encoding.UTF8.GetBytes(text));

    public static bool Accepts(JsonGrammar grammar, byte[] bytes)
    {
        var machine = new GrammarMachine(grammar);
        int state = machine.Feed(machine.CreateInitial(), bytes);
        return state >= 0 && machine.IsComplete(state);
    }

    /// <summary>Whether the text is a prefix of some document (every byte accepted).</summary>
    public static bool AcceptsPrefix(JsonGrammar grammar, string text)
    {
        var machine = new GrammarMachine(grammar);
        return machine.Feed(machine.CreateInitial(), Encoding.UTF8.GetBytes(text)) >= 0;
    }
}
