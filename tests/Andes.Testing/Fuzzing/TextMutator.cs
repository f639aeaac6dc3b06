using System.Text;

namespace Andes.Testing.Fuzzing;

/// <summary>
/// Mutations of model answers: digits of other scripts (full-width, Arabic-Indic, Devanagari), lone surrogates (raw and
/// as <c>\ud800</c> escapes), huge and non-finite numbers, missing or extra brackets and quotes, special tokens,
/// truncation, duplication and crossover with another answer.
/// </summary>
public static class TextMutator
{
    private static readonly char[] DigitZeros = ['０', '٠', '۰', '०', '০', '๐', '߀'];

    private static readonly string[] Tokens =
    [
        "\\ud800", "\\udc00", "\\udfff\\ud800", "\"", "\\", "'", "(", ")", "[", "]", "{", "}", ",", ":", ";", "\n", "<tool_call>", "</tool_call>", "<think>",
        "</think>", "<|box_start|>", "<|box_end|>", "Action:", "Thought:", "NaN", "Infinity", "-Infinity", "-0", "1e309", "-1e309", "99999999999999999999",
        "2147483648", "-1", "0.5", ".5", "5.", "1e5", "１２３", "٤٥٦", "😀", "\u0000", "bbox_2d", "point_2d", "click(", "start_box=", "（", "）", "，", "```json",
        "\"name\": ", "\"arguments\": ", "null", "{}", "[]",
    ];

    /// <summary>Applies one to four mutations.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="text">The answer.</param>
    /// <param name="others">Other answers, for crossover.</param>
    /// <returns>The mutated answer.</returns>
    public static string Mutate(Random random, string text, IReadOnlyList<string> others)
    {
        var builder = new StringBuilder(text);
        int rounds = 1 + random.Next(4);
        for (int round = 0; round < rounds; round++)
        {
            MutateOnce(random, builder, others);
        }

        return builder.ToString();
    }

    private static void MutateOnce(Random random, StringBuilder text, IReadOnlyList<string> others)
    {
        int At() => random.Next(text.Length + 1);
        switch (random.Next(11))
        {
            case 0:
            case 1:
            {
                // Digits of another script, over the whole answer or one run of digits.
                char zero = DigitZeros[random.Next(DigitZeros.Length)];
                bool all = random.Next(2) == 0;
                int from = all ? 0 : At();
                for (int i = from; i < text.Length; i++)
                {
                    if (char.IsAsciiDigit(text[i]))
                    {
                        text[i] = (char)(zero + (text[i] - '0'));
                    }
                    else if (!all && i > from)
                    {
                        break;
                    }
                }

                break;
            }

            case 2:
                text.Insert(At(), random.Next(2) == 0 ? '\ud800' : '\udc00');
                break;
            case 3:
            case 4:
                text.Insert(At(), Tokens[random.Next(Tokens.Length)]);
                break;
            case 5 when text.Length > 0:
            {
                // Drop one bracket, quote or comma: the usual way a model's answer is malformed.
                var positions = Enumerable.Range(0, text.Length).Where(i => "()[]{}\"',<>".Contains(text[i], StringComparison.Ordinal)).ToList();
                if (positions.Count > 0)
                {
                    text.Remove(positions[random.Next(positions.Count)], 1);
                }

                break;
            }

            case 6 when text.Length > 0:
            {
                // A number replaced by a huge, negative or non-finite one.
                var starts = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i]) && (i == 0 || !char.IsAsciiDigit(text[i - 1]))).ToList();
                if (starts.Count > 0)
                {
                    int start = starts[random.Next(starts.Count)], end = start;
                    while (end < text.Length && char.IsAsciiDigit(text[end]))
                    {
                        end++;
                    }

                    string[] numbers = ["99999999999999999999999999999", "1e309", "-5", "NaN", "0", "2147483648", "1" + new string('0', 400), "4294967296", "0x10", "1_000"];
                    text.Remove(start, end - start).Insert(start, numbers[random.Next(numbers.Length)]);
                }

                break;
            }

            case 7 when text.Length > 0:
            {
                int start = random.Next(text.Length);
                text.Remove(start, Math.Min(text.Length - start, 1 + random.Next(12)));
                break;
            }

            case 8 when text.Length > 0:
                text.Length = random.Next(text.Length);
                break;
            case 9 when text.Length > 0:
            {
                int start = random.Next(text.Length);
                string piece = text.ToString(start, Math.Min(text.Length - start, 1 + random.Next(40)));
                text.Insert(At(), piece);
                break;
            }

            default:
            {
                string other = others[random.Next(others.Count)];
                int cut = random.Next(text.Length + 1), otherCut = random.Next(other.Length + 1);
                text.Length = cut;
                text.Append(other, otherCut, other.Length - otherCut);
                break;
            }
        }
    }
}
