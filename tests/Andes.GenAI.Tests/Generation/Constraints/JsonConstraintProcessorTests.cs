using System.Text;
using System.Text.Json;
using Andes.GenAI;
using Andes.GenAI.Tests.Tokenization;
namespace Andes.GenAI.Tests.Generation.Constraints;

/// <summary>The processor's masks against a brute-force check of every token, on the real AndesVL tokenizer.</summary>
public sealed class JsonConstraintProcessorTests
{
    private const int LogitsWidth = 151936;

    private static AndesTokenizer Tokenizer => TokenizerTestAssets.Tokenizer;

    public static readonly TheoryData<string, string> Prefixes = new()
    {
        { "any", string.Empty },
        { "any", "{" },
        { "any", "{\"a\"" },
        { "any", "{\"a\":" },
        { "any", "{\"a\": \"hel" },
        { "any", "{\"a\": \"x\\" },
        { "any", "{\"a\": \"\\u00" },
        { "any", "{\"a\": \"\\ud83d" },
        { "any", "[1" },
        { "any", "[1.5" },
        { "any", "[\"é" },
        { "any", "{\"a\": 12, \"b\": [tr" },
        { "any", "{\"a\": \"x\"}" },
        { "any", "12" },
        { "person", string.Empty },
        { "person", "{\"name\": \"Al" },
        { "person", "{\"name\": \"Alice\", " },
        { "person", "{\"name\": \"Alice\", \"age\": 3" },
        { "person", "{\"name\": \"Alice\", \"age\": 30, \"role\": \"" },
        { "person", "{\"name\": \"Alice\", \"age\": 30, \"role\": \"admin\", \"tags\": [\"ab" },
        { "person", "{\"name\": \"Alice\", \"age\": 30, \"role\": \"admin\", \"tags\": [\"a\", \"b\"]" },
    };

    internal const string PersonSchema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 12 },
            "age": { "type": "integer" },
            "role": { "enum": ["admin", "user", "guest"] },
            "tags": { "type": "array", "items": { "type": "string", "maxLength": 6 }, "minItems": 1, "maxItems": 3 },
            "note": { "type": ["string", "null"], "maxLength": 8 }
          },
          "required": ["name", "age", "role", "tags"]
        }
        """;

    internal static JsonConstraint Constraint(string name, JsonConstraintOptions? options = null)
    {
        if (name == "any")
        {
            return JsonConstraint.ForAnyJson(Tokenizer, options);
        }

        using JsonDocument document = JsonDocument.Parse(PersonSchema);
        return JsonConstraint.ForSchema(Tokenizer, document.RootElement, options);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void MaskEqualsBruteForceAfterPrefix(string schema, string prefix)
    {
        JsonConstraint constraint = Constraint(schema);
        int[] tokens = Tokenizer.EncodeToIds(prefix);
        bool[] actual = Mask(constraint.CreateProcessor(), tokens);
        bool[] expected = BruteForce(constraint, tokens, limit: int.MaxValue);
        AssertSameMask(expected, actual, prefix);
        Assert.Contains(true, actual);
    }

    [Theory]
    [InlineData("any", 3)]
    [InlineData("person", 4)]
    public void MaskEqualsBruteForceAlongRandomWalks(string schema, int seed)
    {
        // Walk by picking uniformly among the allowed tokens; this reaches states a tokenized prefix would not (tokens
        // ending inside a UTF-8 character, odd escapes). With a budget the walk must finish in time.
        JsonConstraint constraint = Constraint(schema, new JsonConstraintOptions { MaxConsecutiveWhitespace = 2 });
        int budget = constraint.MinimumTokenBudget + 12;
        var random = new Random(seed);
        var tokens = new List<int>();
        JsonConstraintProcessor processor = constraint.CreateProcessor(budget);
        using var sampler = new LogitsSampler(new GenerationOptions(), LogitsWidth);
        for (int step = 0; step < budget; step++)
        {
            float[] logits = new float[LogitsWidth];
            processor.Process(logits, sampler.History);
            bool[] actual = logits.Select(l => l == 0f).ToArray();
            if (step % 3 == 0 || step > budget - 6)
            {
                AssertSameMask(BruteForce(constraint, [.. tokens], limit: budget - tokens.Count - 2), actual, Decode(tokens));
            }

            int[] allowed = Enumerable.Range(0, LogitsWidth).Where(i => actual[i]).ToArray();
            int token = allowed[random.Next(allowed.Length)];
            sampler.Accept(token);
            if (token == Tokenizer.EndOfTurnId || token == Tokenizer.EndOfTextId)
            {
                break;
            }

            tokens.Add(token);
        }

        using JsonDocument _ = JsonDocument.Parse(Decode(tokens));
        Assert.True(processor.IsComplete);
    }

    [Fact]
    public void EndTokensOnlyWhenCompleteAndUnknownIdsNeverAllowed()
    {
        JsonConstraint constraint = Constraint("any");
        bool[] open = Mask(constraint.CreateProcessor(), Tokenizer.EncodeToIds("{\"a\": 1"));
        Assert.False(open[Tokenizer.EndOfTurnId]);
        Assert.False(open[Tokenizer.EndOfTextId]);
        bool[] done = Mask(constraint.CreateProcessor(), Tokenizer.EncodeToIds("{\"a\": 1}"));
        Assert.True(done[Tokenizer.EndOfTurnId]);
        Assert.True(done[Tokenizer.EndOfTextId]);
        foreach (bool[] mask in new[] { open, done })
        {
            for (int id = Tokenizer.VocabularySize; id < LogitsWidth; id++)
            {
                Assert.False(mask[id]);
            }

            foreach (AddedToken added in Tokenizer.AddedTokens)
            {
                Assert.Equal(added.Id == Tokenizer.EndOfTurnId || added.Id == Tokenizer.EndOfTextId ? mask == done : false, mask[added.Id]);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void TightBudgetAlwaysEndsInTimeWithValidJson(int seed)
    {
        // After a long open prefix, leave exactly the room the shortest completion needs: whatever allowed tokens are
        // picked, the value closes and the end token comes within the budget.
        JsonConstraint constraint = Constraint("any");
        int[] prefix = Tokenizer.EncodeToIds("{\"a\": [\"x\", {\"b\": [[\"yz");
        var machine = new GrammarMachine(constraint.Program.Grammar);
        int cost = machine.Cost(machine.Feed(machine.CreateInitial(), Encoding.UTF8.GetBytes("{\"a\": [\"x\", {\"b\": [[\"yz")));
        Assert.Equal(6, cost); // "]]}]}
        int budget = prefix.Length + cost + 1;
        JsonConstraintProcessor processor = constraint.CreateProcessor(budget);
        using var sampler = new LogitsSampler(new GenerationOptions(), LogitsWidth);
        var random = new Random(seed);
        var tokens = new List<int>(prefix);
        foreach (int token in prefix)
        {
            sampler.Accept(token);
        }

        int end = -1;
        while (tokens.Count < budget)
        {
            float[] logits = new float[LogitsWidth];
            processor.Process(logits, sampler.History);
            int[] allowed = Enumerable.Range(0, LogitsWidth).Where(i => logits[i] == 0f).ToArray();
            int token = allowed[random.Next(allowed.Length)];
            sampler.Accept(token);
            if (token == Tokenizer.EndOfTurnId || token == Tokenizer.EndOfTextId)
            {
                end = token;
                break;
            }

            tokens.Add(token);
        }

        Assert.True(end >= 0, "the budget ran out before an end token");
        using JsonDocument _ = JsonDocument.Parse(Decode(tokens));
        Assert.Throws<ArgumentOutOfRangeException>(() => constraint.CreateProcessor(1));
        Assert.Equal(2, constraint.MinimumTokenBudget);
    }

    [Fact]
    public void ForeignTokenFailsWithAClearMessage()
    {
        JsonConstraintProcessor processor = Constraint("any").CreateProcessor();
        var e = Assert.Throws<InvalidOperationException>(() => Mask(processor, Tokenizer.EncodeToIds("{\"a\" x")));
        Assert.Contains("breaks the JSON constraint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyMaskHandlesPartialLastWord()
    {
        float[] logits = Enumerable.Range(0, 130).Select(i => (float)i).ToArray();
        ulong[] allowed = [1UL, ulong.MaxValue, 0b11];
        JsonConstraintProcessor.ApplyMask(logits, allowed);
        Assert.Equal(0f, logits[0]);
        Assert.True(float.IsNegativeInfinity(logits[1]));
        Assert.True(logits.Skip(64).Take(64).All(float.IsFinite));
        Assert.Equal(128f, logits[128]);
        Assert.Equal(129f, logits[129]);
    }

    internal static bool[] Mask(JsonConstraintProcessor processor, int[] generated)
    {
        using var sampler = new LogitsSampler(new GenerationOptions(), LogitsWidth);
        sampler.AddPromptTokens([1, 2, 3]);
        foreach (int token in generated)
        {
            sampler.Accept(token);
        }

        float[] logits = new float[LogitsWidth];
        processor.Process(logits, sampler.History);
        return logits.Select(l => l == 0f).ToArray();
    }

    private static bool[] BruteForce(JsonConstraint constraint, int[] generated, int limit)
    {
        var machine = new GrammarMachine(constraint.Program.Grammar);
        int state = machine.CreateInitial();
        foreach (int token in generated)
        {
            state = machine.Feed(state, Tokenizer.GetTokenBytes(token));
            Assert.True(state >= 0);
        }

        bool[] allowed = new bool[LogitsWidth];
        var added = Tokenizer.AddedTokens.Select(t => t.Id).ToHashSet();
        int mark = machine.Arena.Count;
        for (int id = 0; id < Tokenizer.VocabularySize; id++)
        {
            ReadOnlySpan<byte> bytes = Tokenizer.GetTokenBytes(id);
            if (added.Contains(id) || bytes.IsEmpty)
            {
                continue;
            }

            int next = machine.Feed(state, bytes);
            allowed[id] = next >= 0 && machine.Cost(next) <= limit;
            machine.Arena.Count = mark;
        }

        if (machine.IsComplete(state))
        {
            allowed[Tokenizer.EndOfTurnId] = true;
            allowed[Tokenizer.EndOfTextId] = true;
        }

        return allowed;
    }

    private static void AssertSameMask(bool[] expected, bool[] actual, string context)
    {
        for (int id = 0; id < LogitsWidth; id++)
        {
            if (expected[id] != actual[id])
            {
                string text = id < Tokenizer.VocabularySize ? Encoding.UTF8.GetString(Tokenizer.GetTokenBytes(id)) : "?";
                Assert.Fail($"After '{context}': token {id} '{text}' expected {(expected[id] ? "allowed" : "masked")}; {expected.Count(x => x)} expected allowed, {actual.Count(x => x)} actually.");
            }
        }
    }

    private static string Decode(List<int> tokens) => Encoding.UTF8.GetString(tokens.SelectMany(t => Tokenizer.GetTokenBytes(t).ToArray()).ToArray());
}
