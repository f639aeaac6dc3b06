namespace Andes.GenAI;

/// <summary>Proposes the next tokens of a sequence for speculative decoding. One per generation; not thread-safe.</summary>
internal interface IDrafter : IDisposable
{
    /// <summary>Whether <see cref="Draft"/> writes the distributions it drew from (a sampling draft model); else proposals are certain.</summary>
    bool HasDistributions { get; }

    /// <summary>Registers a prompt appended at <paramref name="offset"/> of the sequence (its images, which the ids alone do not carry).</summary>
    void AddPrompt(EncodedPrompt prompt, int offset);

    /// <summary>
    /// Writes up to <c>drafts.Length</c> proposed tokens to follow <paramref name="sequence"/> (prompt and generated, its
    /// last token included) and returns how many; 0 when it has none.
    /// </summary>
    /// <param name="sequence">The whole sequence so far.</param>
    /// <param name="drafts">Receives the proposals.</param>
    int Draft(IReadOnlyList<int> sequence, Span<int> drafts);

    /// <summary>The distribution the <paramref name="index"/>-th proposal of the last <see cref="Draft"/> was drawn from (only with <see cref="HasDistributions"/>).</summary>
    ReadOnlySpan<float> Distribution(int index);
}
