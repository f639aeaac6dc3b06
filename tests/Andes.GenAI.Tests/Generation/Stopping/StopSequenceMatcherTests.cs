using System.Text;
using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Generation.Stopping;

public sealed class StopSequenceMatcherTests
{
    public static TheoryData<string, string[]> Scripts => new()
    {
        { "Hello </answer> more text", ["</answer>"] },
        { "Hello </an", ["</answer>"] }, // partial stop at the end, no stop
        { "no stop here at all", ["</answer>", "STOP"] },
        { "</answer>everything after", ["</answer>"] }, // stop at the very start
        { "xabcd", ["ab", "abc", "bcd"] },
        { "xbcdab", ["ab", "abc", "bcd"] },
        { "aabcab", ["abc", "ab"] },
        { "zzabd abc", ["abc", "abd"] },
        { "aaab", ["aab"] }, // KMP fallback inside the held text
        { "abababac", ["ababac"] },
        { "<<</think> done", ["</think>"] },
        { "line one\nline two\n\nUser:", ["\n\nUser:", "\nUser:"] },
        { "émoji 😀 stop😀 here", ["stop😀"] },
        { "abc", ["abc"] },
        { "a", ["a"] },
        { "ba", ["a"] },
        { "", ["x"] },
        { "plain text, no stop sequences", [] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public void EveryTwoChunkSplit_EmitsTheTextBeforeTheFirstStop(string text, string[] stops)
    {
        (string expected, string? expectedStop) = Reference(text, stops);
        for (int split = 0; split <= text.Length; split++)
        {
            AssertStream(stops, [text[..split], text[split..]], expected, expectedStop);
        }
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void EveryThreeChunkSplit_AndCharByChar_AgreeWithTheReference(string text, string[] stops)
    {
        (string expected, string? expectedStop) = Reference(text, stops);
        for (int a = 0; a <= text.Length; a++)
        {
            for (int b = a; b <= text.Length; b++)
            {
                AssertStream(stops, [text[..a], text[a..b], text[b..]], expected, expectedStop);
            }
        }

        AssertStream(stops, text.Select(c => c.ToString()).ToArray(), expected, expectedStop);
    }

    [Fact]
    public void AnswerExample_EmitsHelloThenStops()
    {
        var matcher = new StopSequenceMatcher(["</answer>"]);

        Assert.Equal(StopMatchResult.Continue, matcher.Append("Hello </an", out ReadOnlySpan<char> first));
        Assert.Equal("Hello ", first.ToString());
        Assert.Equal(4, matcher.HeldBackLength);

        Assert.Equal(StopMatchResult.Stopped, matcher.Append("swer> more", out ReadOnlySpan<char> second));
        Assert.Equal("", second.ToString());
        Assert.True(matcher.IsStopped);
        Assert.Equal("</answer>", matcher.MatchedStopSequence);
        Assert.Equal(0, matcher.MatchedIndex);

        Assert.Equal(StopMatchResult.Stopped, matcher.Append("later", out ReadOnlySpan<char> third));
        Assert.True(third.IsEmpty);
        Assert.True(matcher.Flush().IsEmpty);
    }

    [Fact]
    public void HeldBackText_IsReleasedOnceDisambiguated_OrFlushed()
    {
        var matcher = new StopSequenceMatcher(["</answer>"]);
        Assert.Equal(StopMatchResult.Continue, matcher.Append("a </", out ReadOnlySpan<char> one));
        Assert.Equal("a ", one.ToString());
        Assert.Equal(StopMatchResult.Continue, matcher.Append("b>", out ReadOnlySpan<char> two));
        Assert.Equal("</b>", two.ToString());
        Assert.Equal(StopMatchResult.Continue, matcher.Append(" </answ", out ReadOnlySpan<char> three));
        Assert.Equal(" ", three.ToString());
        Assert.Equal("</answ", matcher.Flush().ToString());
        Assert.True(matcher.Flush().IsEmpty);
    }

    [Fact]
    public void OverlappingStops_TheFirstToCompleteWins_LongestOnATie()
    {
        var matcher = new StopSequenceMatcher(["bcd", "ab", "abc"]);
        Assert.Equal(StopMatchResult.Stopped, matcher.Append("xabcd", out ReadOnlySpan<char> emit));
        Assert.Equal("x", emit.ToString());
        Assert.Equal("ab", matcher.MatchedStopSequence);

        var tie = new StopSequenceMatcher(["c", "abc", "bc"]);
        Assert.Equal(StopMatchResult.Stopped, tie.Append("zabc", out ReadOnlySpan<char> tieEmit));
        Assert.Equal("z", tieEmit.ToString());
        Assert.Equal("abc", tie.MatchedStopSequence);
        Assert.Equal(1, tie.MatchedIndex);
    }

    [Fact]
    public void NoStopSequences_PassesEverythingThrough()
    {
        var matcher = new StopSequenceMatcher([]);
        Assert.Equal(0, matcher.MaxHeldBack);
        Assert.Equal(StopMatchResult.Continue, matcher.Append("anything </answer>", out ReadOnlySpan<char> emit));
        Assert.Equal("anything </answer>", emit.ToString());
        Assert.True(matcher.Flush().IsEmpty);
    }

    [Fact]
    public void Reset_StartsANewStream()
    {
        var matcher = new StopSequenceMatcher(["END"]);
        matcher.Append("xxEND", out _);
        Assert.True(matcher.IsStopped);
        matcher.Reset();
        Assert.False(matcher.IsStopped);
        Assert.Null(matcher.MatchedStopSequence);
        Assert.Equal(StopMatchResult.Continue, matcher.Append("yyEN", out ReadOnlySpan<char> emit));
        Assert.Equal("yy", emit.ToString());
    }

    [Fact]
    public void InvalidStopSequences_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new StopSequenceMatcher(null!));
        var ex = Assert.Throws<ArgumentException>(() => new StopSequenceMatcher(["ok", ""]));
        Assert.Contains("[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomTexts_AgreeWithTheReference_AndHoldBackLittle()
    {
        var random = new Random(123);
        for (int trial = 0; trial < 400; trial++)
        {
            string[] stops = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => RandomText(random, 1 + random.Next(5))).ToArray();
            string text = RandomText(random, random.Next(40));
            (string expected, string? expectedStop) = Reference(text, stops);

            var chunks = new List<string>();
            for (int i = 0; i < text.Length;)
            {
                int length = Math.Min(text.Length - i, random.Next(0, 6));
                chunks.Add(text.Substring(i, length));
                i += length;
            }

            AssertStream(stops, chunks, expected, expectedStop);
        }
    }

    [Fact]
    public void LongStream_IsLinear_AndAllocatesNothingPerChunk()
    {
        var matcher = new StopSequenceMatcher(["<|im_end|>", "</answer>", "\n\nUser:"]);
        string chunk = "some <|im_ text </ans with \n\nUse partial stops </an";
        matcher.Append(chunk, out ReadOnlySpan<char> warm);
        int emitted = warm.Length;
        bool allContinued = true;
        int maxHeld = 0;
        int steps = 0;
        AllocationAssert.NothingPerStep(
            () =>
            {
                allContinued &= matcher.Append(chunk, out ReadOnlySpan<char> emit) == StopMatchResult.Continue;
                emitted += emit.Length;
                maxHeld = Math.Max(maxHeld, matcher.HeldBackLength);
                steps++;
            },
            iterations: 10000);

        Assert.True(allContinued);
        Assert.InRange(maxHeld, 1, matcher.MaxHeldBack);
        Assert.Equal((steps + 1) * chunk.Length, emitted + matcher.HeldBackLength);
    }

    private static void AssertStream(string[] stops, IReadOnlyList<string> chunks, string expected, string? expectedStop)
    {
        var matcher = new StopSequenceMatcher(stops);
        var emitted = new StringBuilder();
        bool stopped = false;
        foreach (string chunk in chunks)
        {
            StopMatchResult result = matcher.Append(chunk, out ReadOnlySpan<char> emit);
            emitted.Append(emit);
            Assert.True(matcher.HeldBackLength <= matcher.MaxHeldBack);
            if (result == StopMatchResult.Stopped)
            {
                stopped = true;
                break;
            }
        }

        if (!stopped)
        {
            emitted.Append(matcher.Flush());
        }

        string description = $"chunks [{string.Join("|", chunks)}], stops [{string.Join(",", stops)}]";
        Assert.True(expected == emitted.ToString(), $"{description}: emitted '{emitted}', expected '{expected}'");
        Assert.Equal(expectedStop is not null, stopped);
        Assert.Equal(expectedStop, matcher.MatchedStopSequence);
    }

    /// <summary>Brute force: the first end position where some stop ends; the longest such stop.</summary>
    private static (string Emitted, string? Stop) Reference(string text, string[] stops)
    {
        for (int end = 1; end <= text.Length; end++)
        {
            string? best = null;
            foreach (string stop in stops)
            {
                if (end >= stop.Length && string.CompareOrdinal(text, end - stop.Length, stop, 0, stop.Length) == 0
                    && (best is null || stop.Length > best.Length))
                {
                    best = stop;
                }
            }

            if (best is not null)
            {
                return (text[..(end - best.Length)], best);
            }
        }

        return (text, null);
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)('a' + random.Next(3));
        }

        return new string(chars);
    }
}
