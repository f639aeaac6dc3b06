using System.Text;
using System.Text.Json;
using Andes.GenAI;
using static Andes.GenAI.Tests.Generation.Constraints.GrammarTestHelpers;

namespace Andes.GenAI.Tests.Generation.Constraints;

/// <summary>The JSON pushdown automaton on its own: RFC 8259 acceptance, limits, and the completion costs.</summary>
public sealed class JsonGrammarMachineTests
{
    public static readonly TheoryData<string> Valid =
    [
        "0", "-0", "1", "-1", "10", "123456789012345", "0.5", "-0.0", "1.25e10", "1E+2", "1e-2", "-12.5E-07", "1.000000000000001",
        "true", "false", "null",
        "\"\"", "\"a\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0000\"", "\"\\u00e9\\u00C9\"", "\"\\ud83d\\ude00\"", "\"\\uD83D\\uDE00x\"",
        "\"\\uffff\"", "\"\\ud7ff\"", "\"\\ue000\"",
        "\"é\"", "\"日本語\"", "\"😀\"", "\"\u007f\"", "\"\u0080\"", "\"\uffff\"", "\"\U0010FFFF\"",
        "[]", "[1]", "[1,2,3]", "[ 1 , 2 ]", "[[]]", "[[[[[]]]]]", "[\"a\",{\"b\":[null,true]}]",
        "{}", "{\"a\":1}", "{\"a\":1,\"b\":2}", "{ \"a\" : { \"b\" : [ ] } }", "{\"\":\"\"}", "{\"a\":{\"a\":{\"a\":{}}}}",
        " 1", "\n\t\r {}", "{\"k\\n\":\"v\\t\"}", "[0,-0,0.0,1e5]", "{\"a\":[{\"b\":\"c\"},{}]}",
    ];

    public static readonly TheoryData<string> Invalid =
    [
        "", " ", "01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "1.5.2", "--1", "-a", "00", "1e1.5", "NaN", "Infinity", "-Infinity",
        "tru", "True", "nul", "nulll", "falsey",
        "\"", "\"abc", "'a'", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ude00\"", "\"\\ud83d\"", "\"\\ud83dx\"", "\"\\ud83d\\u0041\"",
        "\"a\nb\"", "\"\t\"", "\"\u0001\"",
        "[", "]", "[1,]", "[,1]", "[1 2]", "[1,,2]", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{,}", "{a:1}", "{\"a\" 1}",
        "{\"a\":1 \"b\":2}", "[}", "{]", "1 2", "{} {}", "[1]]", "\"a\"\"b\"",
        "1234567890123456", "0.1234567890123456", "1e123",
        "1 ", "{}\n", "[] ", // valid JSON, but the constraint ends right after the value
    ];

    [Theory]
    [MemberData(nameof(Valid))]
    public void AcceptsValidJsonLikeSystemTextJson(string text)
    {
        Assert.True(Accepts(AnyJson(), text), $"should accept {text}");
        using JsonDocument _ = JsonDocument.Parse(text);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsInvalidJson(string text) => Assert.False(Accepts(AnyJson(), text), $"should reject {text}");

    [Fact]
    public void RejectsMalformedUtf8InStrings()
    {
        JsonGrammar grammar = AnyJson();
        byte[][] bad =
        [
            [0x22, 0x80, 0x22],             // lone continuation byte
            [0x22, 0xC0, 0x80, 0x22],       // overlong NUL
            [0x22, 0xC1, 0xBF, 0x22],       // overlong
            [0x22, 0xE0, 0x80, 0x80, 0x22], // overlong 3-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22], // UTF-8 encoded surrogate U+D800
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // above U+10FFFF
            [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
            [0x22, 0xC3, 0x22],             // truncated sequence
            [0x22, 0xFF, 0x22],
        ];
        foreach (byte[] bytes in bad)
        {
            Assert.False(Accepts(grammar, bytes), Convert.ToHexString(bytes));
        }

        Assert.True(Accepts(grammar, [0x22, 0xED, 0x9F, 0xBF, 0x22])); // U+D7FF
        Assert.True(Accepts(grammar, [0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22])); // U+10FFFF
        Assert.True(Accepts(grammar, [0x22, 0xF0, 0x90, 0x80, 0x80, 0x22])); // U+10000
    }

    [Fact]
    public void AcceptsDeepNestingWithoutLimit()
    {
        string deep = new string('[', 2000) + new string(']', 2000);
        Assert.True(Accepts(AnyJson(), deep));
        string objects = string.Concat(Enumerable.Repeat("{\"a\":", 500)) + "1" + new string('}', 500);
        Assert.True(Accepts(AnyJson(), objects));
        Assert.False(Accepts(AnyJson(), new string('[', 100) + new string(']', 99)));
    }

    [Fact]
    public void LimitsConsecutiveWhitespace()
    {
        JsonGrammar grammar = AnyJson(maxWhitespace: 3);
        Assert.True(Accepts(grammar, "[   1   ,   2   ]"));
        Assert.False(Accepts(grammar, "[    1]"));
        Assert.False(Accepts(grammar, "{\"a\"    :1}"));
        Assert.True(Accepts(grammar, "   1"));
        Assert.False(Accepts(grammar, "    1"));
        Assert.True(Accepts(AnyJson(maxWhitespace: 0), "{\"a\":[1,2]}"));
        Assert.False(Accepts(AnyJson(maxWhitespace: 0), "{\"a\": 1}"));
    }

    [Fact]
    public void NumberLimitsKeepDoublesExactAndFinite()
    {
        JsonGrammar grammar = AnyJson();
        Assert.True(Accepts(grammar, "-999999999999999.999999999999999e99"));
        Assert.False(Accepts(grammar, "9999999999999999"));
        Assert.False(Accepts(grammar, "1.0000000000000000"));
        Assert.False(Accepts(grammar, "1e100"));
    }

    [Fact]
    public void RandomMutationsAgreeWithSystemTextJson()
    {
        // Valid seeds, each mutated by inserting, deleting or replacing one byte from a JSON-ish alphabet; the
        // automaton must agree with System.Text.Json except where it is deliberately stricter (checked separately).
        string[] seeds =
        [
            "{\"name\":\"x\",\"tags\":[\"a\",\"b\"],\"n\":-12.5e3,\"ok\":true,\"nil\":null}",
            "[1,2,{\"a\":[]},\"s\\n\",false]",
            "{\"a\":{\"b\":{\"c\":[0.5,1e2,\"\\u00e9\"]}}}",
        ];
        const string alphabet = "{}[]\":,.-+eE0123456789 \\ntrufalsn";
        var random = new Random(5);
        JsonGrammar grammar = AnyJson();
        int compared = 0;
        foreach (string seed in seeds)
        {
            for (int i = 0; i < 1500; i++)
            {
                var text = new StringBuilder(seed);
                int position = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0:
                        text.Insert(position, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1 when position < text.Length:
                        text.Remove(position, 1);
                        break;
                    default:
                        if (position < text.Length)
                        {
                            text[position] = alphabet[random.Next(alphabet.Length)];
                        }

                        break;
                }

                string mutated = text.ToString();
                if (mutated.Contains("\\u", StringComparison.Ordinal) || char.IsWhiteSpace(mutated[^1]))
                {
                    continue;
                }

                bool expected;
                try
                {
                    using JsonDocument _ = JsonDocument.Parse(mutated);
                    expected = true;
                }
                catch (JsonException)
                {
                    expected = false;
                }

                Assert.True(expected == Accepts(grammar, mutated), $"'{mutated}': System.Text.Json says {expected}");
                compared++;
            }
        }

        Assert.True(compared > 3000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":[1,{\"b\":\"x")]
    [InlineData("[\"\\u00")]
    [InlineData("[\"\\ud83d")]
    [InlineData("[\"\\ud83d\\u")]
    [InlineData("{\"k\":-")]
    [InlineData("[1.")]
    [InlineData("[1e")]
    [InlineData("[tr")]
    [InlineData("  [  ")]
    public void ShortestCompletionHasTheCostLengthAndIsValid(string prefix)
    {
        JsonGrammar grammar = AnyJson();
        var machine = new GrammarMachine(grammar);
        int state = machine.Feed(machine.CreateInitial(), Encoding.UTF8.GetBytes(prefix));
        Assert.True(state >= 0);
        byte[] completion = machine.ShortestCompletion(state);
        Assert.Equal(machine.Cost(state), completion.Length);
        string text = prefix + Encoding.UTF8.GetString(completion);
        Assert.True(Accepts(grammar, text), text);
        using JsonDocument _ = JsonDocument.Parse(text);
    }

    [Fact]
    public void CostNeverDropsByMoreThanOnePerByte()
    {
        // A byte can lower the shortest completion by at most one: otherwise the cost would not be the shortest.
        JsonGrammar grammar = AnyJson();
        string text = "{\"a\": [1, 2.5e-3, \"x\\ud83d\\ude00y\", {\"b\": null, \"c\": [true, false]}], \"d\": \"é\"}";
        var machine = new GrammarMachine(grammar);
        int state = machine.CreateInitial();
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            int next = machine.Feed(state, b);
            Assert.True(next >= 0);
            Assert.True(machine.Cost(next) >= machine.Cost(state) - 1, $"cost {machine.Cost(state)} -> {machine.Cost(next)} at byte '{(char)b}'");
            state = next;
        }

        Assert.True(machine.IsComplete(state));
    }
}
