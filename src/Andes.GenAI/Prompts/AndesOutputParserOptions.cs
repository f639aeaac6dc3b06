namespace Andes.GenAI;

/// <summary>Settings of an <see cref="AndesOutputParser"/>.</summary>
public sealed class AndesOutputParserOptions
{
    /// <summary>
    /// Gets a value indicating whether the generation starts inside a thinking block (the prompt ended with
    /// <c>&lt;think&gt;\n</c>, see <see cref="ChatPrompt.EndsInReasoning"/>): text up to <c>&lt;/think&gt;</c> is reasoning.
    /// </summary>
    public bool StartsInReasoning { get; init; }

    /// <summary>
    /// Gets the factory of call ids for parsed tool calls (the model does not produce ids). Defaults to
    /// <c>call_</c> followed by 24 random hexadecimal digits.
    /// </summary>
    public Func<string>? CallIdFactory { get; init; }

    /// <summary>Returns a copy with <see cref="StartsInReasoning"/> set to <paramref name="startsInReasoning"/>.</summary>
    /// <param name="startsInReasoning">The new value.</param>
    /// <returns>The copy.</returns>
    public AndesOutputParserOptions WithStartsInReasoning(bool startsInReasoning) => new()
    {
        StartsInReasoning = startsInReasoning,
        CallIdFactory = CallIdFactory,
    };
}
