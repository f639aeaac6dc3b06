namespace Andes.GenAI;

/// <summary>
/// Prompt lookup decoding: finds the latest earlier occurrence of the sequence's last n tokens (n from the largest size
/// down to 1) and proposes the tokens that followed it. No model; O(sequence length x n) per call. Never proposes an
/// image placeholder (a run of them is never generated).
/// </summary>
internal sealed class PromptLookupDrafter(int maxNgramSize, int imageTokenId) : IDrafter
{
    public bool HasDistributions => false;

    public void AddPrompt(EncodedPrompt prompt, int offset)
    {
    }

    public int Draft(IReadOnlyList<int> sequence, Span<int> drafts)
    {
        int length = sequence.Count;
        for (int n = Math.Min(maxNgramSize, length - 1); n >= 1; n--)
        {
            // Latest match first: the nearest context is the likeliest to be copied next.
            for (int start = length - n - 1; start >= 0; start--)
            {
                if (!Matches(sequence, start, length - n, n))
                {
                    continue;
                }

                int count = 0;
                for (int i = start + n; i < length && count < drafts.Length; i++)
                {
                    int token = sequence[i];
                    if (token == imageTokenId)
                    {
                        break;
                    }

                    drafts[count++] = token;
                }

                if (count > 0)
                {
                    return count;
                }
            }
        }

        return 0;
    }

    public ReadOnlySpan<float> Distribution(int index) => throw new InvalidOperationException("Prompt lookup proposes tokens with certainty.");

    public void Dispose()
    {
    }

    private static bool Matches(IReadOnlyList<int> sequence, int a, int b, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (sequence[a + i] != sequence[b + i])
            {
                return false;
            }
        }

        return true;
    }
}
