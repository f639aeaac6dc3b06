using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Prompts;

public class AndesOutputParserTests
{
    private const string WeatherCalls =
        "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n" +
        "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"上海\", \"unit\": \"celsius\"}}\n</tool_call>";

    /// <summary>Scripted model outputs and what they parse to, as "R:" reasoning, "T:" text, "C:" call, "E:" failed call lines.</summary>
    public static TheoryData<string, bool, string, string[]> Streams => new()
    {
        { "thinking_then_answer", false, "<think>\nLet me think.\n\nTwo plus two.\n</think>\n\nThe answer is 4.", ["R:Let me think.\n\nTwo plus two.", "T:The answer is 4."] },
        { "empty_thinking", false, "<think>\n\n</think>\n\nHello!", ["T:Hello!"] },
        { "no_thinking", false, "Plain answer.", ["T:Plain answer."] },
        { "text_newlines_kept", false, "Line1\n\nLine2\n", ["T:Line1\n\nLine2\n"] },
        {
            "reasoning_text_and_two_calls", false,
            "<think>\nNeed weather.\n</think>\n\nLet me check.\n" + WeatherCalls,
            ["R:Need weather.", "T:Let me check.", "C:get_weather {\"city\": \"Paris\"}", "C:get_weather {\"city\": \"上海\", \"unit\": \"celsius\"}"]
        },
        { "calls_only", false, WeatherCalls + "\n", ["C:get_weather {\"city\": \"Paris\"}", "C:get_weather {\"city\": \"上海\", \"unit\": \"celsius\"}"] },
        { "text_after_call", false, "<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>\n\nDone.", ["C:f {}", "T:Done."] },
        { "starts_in_reasoning", true, "I should greet.\n</think>\n\nHi there", ["R:I should greet.", "T:Hi there"] },
        { "starts_in_reasoning_repeated_think", true, "<think>\nHi.\n</think>\n\nHello", ["R:Hi.", "T:Hello"] },
        { "think_tag_after_reasoning_started", false, "<think>\nA <think> B\n</think>\n\nC", ["R:A <think> B", "T:C"] },
        { "starts_in_reasoning_unfinished", true, "\nStill thinking <tool_call> about it\n", ["R:Still thinking <tool_call> about it"] },
        { "literal_angle_brackets", false, "a < b, <thin k> <tool_ x<y</b> <think", ["T:a < b, <thin k> <tool_ x<y</b> <think"] },
        { "tags_inside_reasoning_are_text", false, "<think>\nMaybe <tool_call> or <think> here\n</think>\n\nOK", ["R:Maybe <tool_call> or <think> here", "T:OK"] },
        { "stray_closers_dropped", false, "Hello</tool_call> world</think>\n!", ["T:Hello world!"] },
        {
            "json_with_tag_like_strings", false,
            "<tool_call>\n{\"name\": \"html\", \"arguments\": {\"s\": \"<b>x</b> </tool_call <tool_ca\", \"n\": [1, 2.5]}}\n</tool_call>",
            ["C:html {\"s\": \"<b>x</b> </tool_call <tool_ca\", \"n\": [1, 2.5]}"]
        },
        { "string_arguments", false, "<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": 1}\"}\n</tool_call>", ["C:f {\"a\": 1}"] },
        { "parameters_key_and_missing_arguments", false, "<tool_call>{\"name\": \"f\", \"parameters\": {\"a\": true}}</tool_call><tool_call>{\"name\": \"g\"}</tool_call>", ["C:f {\"a\": true}", "C:g {}"] },
        { "malformed_json", false, "Hmm\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": }\n</tool_call>", ["T:Hmm", "E:f not valid JSON"] },
        { "not_an_object", false, "<tool_call>\n[1, 2]\n</tool_call>", ["E: not a JSON array"] },
        { "missing_name", false, "<tool_call>\n{\"arguments\": {}}\n</tool_call>", ["E: no \"name\""] },
        { "arguments_not_object", false, "<tool_call>\n{\"name\": \"f\", \"arguments\": [1]}\n</tool_call>", ["E:f not a JSON array"] },
        { "unterminated_but_complete", false, "<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": 1}}\n", ["C:f {\"a\": 1}"] },
        { "unterminated_truncated", false, "Sure.\n<tool_call>\n{\"name\": \"f\", \"argu", ["T:Sure.", "E:f cut off"] },
        { "unclosed_call_followed_by_call", false, "<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n<tool_call>\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>", ["C:a {}", "C:b {}"] },
        { "unicode", false, "<think>\n用户问天气。😀\n</think>\n\n今天晴朗，𠮷 25°C。", ["R:用户问天气。😀", "T:今天晴朗，𠮷 25°C。"] },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Parse_WholeOutput(string name, bool startsInReasoning, string output, string[] expected)
    {
        Assert.NotNull(name);
        AssertParsed(expected, Parse(output, startsInReasoning, [output.Length]));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Parse_IsIndependentOfChunking(string name, bool startsInReasoning, string output, string[] expected)
    {
        Assert.NotNull(name);

        // Two chunks split at every position.
        for (int split = 0; split <= output.Length; split++)
        {
            AssertParsed(expected, Parse(output, startsInReasoning, [split, output.Length - split]));
        }

        // One character at a time.
        AssertParsed(expected, Parse(output, startsInReasoning, [.. Enumerable.Repeat(1, output.Length)]));

        // Random chunkings.
        var random = new Random(1234);
        for (int trial = 0; trial < 50; trial++)
        {
            var sizes = new List<int>();
            for (int left = output.Length; left > 0;)
            {
                int size = Math.Min(left, random.Next(0, 9));
                sizes.Add(size);
                left -= size;
            }

            AssertParsed(expected, Parse(output, startsInReasoning, sizes));
        }
    }

    [Fact]
    public void Append_NeverEmitsPartialTagsOrCallFragments()
    {
        string output = "<think>\nA\n</think>\n\nB\n" + WeatherCalls;
        for (int split = 1; split < output.Length; split++)
        {
            var parser = new AndesOutputParser();
            foreach (AIContent content in parser.Append(output[..split]))
            {
                string text = content switch
                {
                    TextContent t => t.Text,
                    TextReasoningContent r => r.Text,
                    _ => string.Empty,
                };

                Assert.DoesNotContain("<", text);
                Assert.DoesNotContain("{", text);
                Assert.DoesNotContain("\n", text);
            }
        }
    }

    [Fact]
    public void Calls_HaveIdsRawTextAndJsonElementArguments()
    {
        int next = 0;
        var parser = new AndesOutputParser(new AndesOutputParserOptions { CallIdFactory = () => $"id{next++}" });
        var calls = parser.Append(WeatherCalls).Concat(parser.Complete()).Cast<FunctionCallContent>().ToList();

        Assert.Equal(["id0", "id1"], calls.Select(c => c.CallId));
        Assert.Equal("\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n", calls[0].RawRepresentation);
        Assert.Equal("上海", Assert.IsType<JsonElement>(calls[1].Arguments!["city"]).GetString());
        Assert.All(calls, c => Assert.Null(c.Exception));

        var defaults = new AndesOutputParser();
        var ids = defaults.Append(WeatherCalls).Concat(defaults.Complete()).Cast<FunctionCallContent>().Select(c => c.CallId).ToList();
        Assert.All(ids, id => Assert.Matches("^call_[0-9a-f]{24}$", id));
        Assert.NotEqual(ids[0], ids[1]);
    }

    [Fact]
    public void FailedCall_CarriesAToolCallFormatException()
    {
        var parser = new AndesOutputParser();
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(parser.Append("<tool_call>\n{\"name\": \"f\", \"arguments\": {\"a\": }\n</tool_call>")));

        var exception = Assert.IsType<ToolCallFormatException>(call.Exception);
        Assert.Equal("f", call.Name);
        Assert.Null(call.Arguments);
        Assert.Equal("\n{\"name\": \"f\", \"arguments\": {\"a\": }\n", exception.RawText);
        Assert.IsAssignableFrom<JsonException>(exception.InnerException);
    }

    [Fact]
    public void Complete_ResetsForTheNextResponse()
    {
        var parser = new AndesOutputParser(new AndesOutputParserOptions { StartsInReasoning = true });
        Assert.Equal(["R:a", "T:b"], Describe(parser.Append("a</think>b").Concat(parser.Complete()).ToList()));
        Assert.Equal(["R:c", "T:d"], Describe(parser.Append("c</think>d").Concat(parser.Complete()).ToList()));
        Assert.Empty(parser.Complete());
    }

    [Fact]
    public void SpanOverload_AddsToTheGivenList()
    {
        IChatOutputParser parser = new AndesOutputParser();
        var updates = new List<AIContent>();
        parser.Append("<think>\nx\n</think>\n\ny".AsSpan(), updates);
        parser.Complete(updates);
        Assert.Equal(["R:x", "T:y"], Describe(updates));
    }

    public static TheoryData<string, bool?, bool, string> RoundTrips => new()
    {
        {
            "hybrid thinking, text and calls", null, false,
            "<think>\nThe user wants two cities.\n\nI will call the tool twice.\n</think>\n\nLet me check both.\n" +
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"上海\", \"days\": 2.5, \"hours\": 1.0, \"flags\": [true, null, {}], \"q\": \"a \\\"b\\\"\\n\"}}\n</tool_call>"
        },
        { "hybrid, chose not to think", null, false, "<think>\n\n</think>\n\nHello! How can I help?" },
        { "hybrid, calls only", true, false, "<think>\nJust call it.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>" },
        { "thinking disabled", false, false, "Sure.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Rome\"}}\n</tool_call>" },
        { "thinking disabled, plain", false, false, "Plain answer\nwith two lines." },
        { "thinking model", null, true, "Reasoning first.\n</think>\n\nFinal answer." },
        { "thinking model with call", null, true, "Need a tool.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {}}\n</tool_call>" },
    };

    /// <summary>Rendering the parsed assistant message continues the prompt with exactly the model's output.</summary>
    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void RenderParsedOutput_ReproducesTheModelOutput(string name, bool? enableThinking, bool thinkingModel, string output)
    {
        Assert.NotNull(name);
        var template = new AndesChatTemplate(new AndesChatTemplateOptions { OpenThinkingInGenerationPrompt = thinkingModel });
        var weather = AIFunctionFactory.CreateDeclaration(
            "get_weather", "Get the weather.", JsonDocument.Parse("{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}").RootElement);
        List<ChatMessage> history =
        [
            new(ChatRole.System, "You are helpful."),
            new(ChatRole.User, "Weather in Paris and 上海?"),
            new(ChatRole.Assistant, [new TextReasoningContent("Earlier thought."), new TextContent("Earlier answer.")]),
            new(ChatRole.User, "And now?"),
        ];
        var options = new ChatTemplateOptions { Tools = [weather], EnableThinking = enableThinking };

        ChatPrompt prompt = template.Render(history, options);
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var parser = template.CreateOutputParser(prompt);
            var contents = new List<AIContent>();
            for (int i = 0; i < output.Length;)
            {
                int size = Math.Min(output.Length - i, trial == 0 ? 1 : random.Next(1, 12));
                parser.Append(output.AsSpan(i, size), contents);
                i += size;
            }

            parser.Complete(contents);
            Assert.All(contents.OfType<FunctionCallContent>(), c => Assert.Null(c.Exception));

            options.AddGenerationPrompt = false;
            string rendered = template.Render([.. history, new ChatMessage(ChatRole.Assistant, contents)], options).ToString();
            options.AddGenerationPrompt = true;

            Assert.Equal(prompt.ToString() + output + "<|im_end|>\n", rendered);
        }
    }

    [Fact]
    public void RenderParsedOutput_MultiStepToolLoopReproducesEachGeneration()
    {
        var template = AndesChatTemplate.Default;
        var options = new ChatTemplateOptions
        {
            Tools = [AIFunctionFactory.CreateDeclaration("f", null, JsonDocument.Parse("{\"type\": \"object\"}").RootElement)],
        };
        List<ChatMessage> history = [new(ChatRole.User, "Go")];
        string[] outputs =
        [
            "<think>\nStep one.\n</think>\n\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"step\": 1}}\n</tool_call>",
            "<think>\nStep two.\n</think>\n\nOne more.\n<tool_call>\n{\"name\": \"f\", \"arguments\": {\"step\": 2}}\n</tool_call>",
            "<think>\nDone now.\n</think>\n\nAll done.",
        ];

        foreach (string output in outputs)
        {
            ChatPrompt prompt = template.Render(history, options);
            var parser = (AndesOutputParser)template.CreateOutputParser(prompt);
            var contents = parser.Append(output).Concat(parser.Complete()).ToList();
            history.Add(new ChatMessage(ChatRole.Assistant, contents));

            options.AddGenerationPrompt = false;
            Assert.Equal(prompt.ToString() + output + "<|im_end|>\n", template.Render(history, options).ToString());
            options.AddGenerationPrompt = true;

            var results = contents.OfType<FunctionCallContent>().Select(c => (AIContent)new FunctionResultContent(c.CallId, "ok")).ToList();
            if (results.Count > 0)
            {
                history.Add(new ChatMessage(ChatRole.Tool, results));
            }
        }
    }

    /// <summary>Issue 14: strings that are not valid Unicode make a failed call, never an exception out of the parser.</summary>
    [Theory]
    [InlineData("{\"name\": \"\\ud800\", \"arguments\": {}}", "", "\"name\"")]
    [InlineData("{\"name\": \"f\", \"arguments\": \"\\udc00\"}", "f", "\"arguments\" string")]
    [InlineData("{\"name\": \"f\", \"arguments\": {\"\\ud800\": 1}}", "f", "at '\\ud800'")]
    [InlineData("{\"name\": \"f\", \"arguments\": {\"a\": [1, \"x\\udc00\"]}}", "f", "at 'a[1]'")]
    [InlineData("{\"name\": \"f\", \"arguments\": \"{\\\"a\\\": \\\"\\\\ud800\\\"}\"}", "f", "at 'a'")]
    [InlineData("{\"na\\udc00me\": \"f\", \"arguments\": {}}", "", "key \"na\\udc00me\"")]
    public void LoneSurrogateEscape_MakesAFailedCall(string json, string name, string where)
    {
        FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(Parse($"<tool_call>\n{json}\n</tool_call>", false, [json.Length + 25])));
        ToolCallFormatException error = Assert.IsType<ToolCallFormatException>(call.Exception);
        Assert.Equal(name, call.Name);
        Assert.Null(call.Arguments);
        Assert.Contains("not valid Unicode", error.Message, StringComparison.Ordinal);
        Assert.Contains(where, error.Message, StringComparison.Ordinal);
        Assert.Equal(json, error.RawText.Trim('\n'));
    }

    [Fact]
    public void RawLoneSurrogate_MakesAFailedCall_InAnyChunking()
    {
        foreach (string text in new[] { "{\"name\": \"f\ud800\", \"arguments\": {}}", "{\"name\": \"f\", \"arguments\": {\"a\": \"\udc00\"}}" })
        {
            string output = $"<tool_call>\n{text}\n</tool_call>";
            foreach (int[] sizes in new[] { new[] { output.Length }, [.. Enumerable.Repeat(1, output.Length)] })
            {
                FunctionCallContent call = Assert.IsType<FunctionCallContent>(Assert.Single(Parse(output, false, sizes)));
                ToolCallFormatException error = Assert.IsType<ToolCallFormatException>(call.Exception);
                Assert.Contains("lone surrogate", error.Message, StringComparison.Ordinal);

                // The name is not recovered from text that is not valid Unicode: it would break whoever writes it back.
                Assert.True(call.Name is "" or "f", call.Name);
            }
        }
    }

    private static List<AIContent> Parse(string output, bool startsInReasoning, IEnumerable<int> chunkSizes)
    {
        var parser = new AndesOutputParser(new AndesOutputParserOptions { StartsInReasoning = startsInReasoning });
        var contents = new List<AIContent>();
        int offset = 0;
        foreach (int size in chunkSizes)
        {
            contents.AddRange(parser.Append(output.Substring(offset, size)));
            offset += size;
        }

        Assert.Equal(output.Length, offset);
        contents.AddRange(parser.Complete());
        return contents;
    }

    /// <summary>Adjacent text of one kind merged, calls as "C:name args" (Python JSON) or "E:name message".</summary>
    private static string[] Describe(IEnumerable<AIContent> contents)
    {
        var lines = new List<string>();
        foreach (AIContent content in contents)
        {
            string line = content switch
            {
                TextReasoningContent r => "R:" + r.Text,
                TextContent t => "T:" + t.Text,
                FunctionCallContent { Exception: null } c => $"C:{c.Name} {PythonJsonWriter.ToJson(c.Arguments, AIJsonUtilities.DefaultOptions)}",
                FunctionCallContent c => $"E:{c.Name} {c.Exception!.Message}",
                _ => throw new InvalidOperationException($"unexpected {content.GetType().Name}"),
            };

            Assert.False(line.Length == 2 && line[0] is 'R' or 'T', $"empty content: {line}");
            if (lines.Count > 0 && line[0] is 'R' or 'T' && lines[^1][0] == line[0])
            {
                lines[^1] += line[2..];
            }
            else
            {
                lines.Add(line);
            }
        }

        return [.. lines];
    }

    /// <summary>Compares described contents; an expected failed call "E:name fragment" matches when the name is equal and the message contains the fragment.</summary>
    private static void AssertParsed(string[] expected, IEnumerable<AIContent> contents)
    {
        string[] actual = Describe(contents);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i].StartsWith("E:", StringComparison.Ordinal))
            {
                int space = expected[i].IndexOf(' ');
                Assert.StartsWith(expected[i][..(space + 1)], actual[i]);
                Assert.Contains(expected[i][(space + 1)..], actual[i]);
            }
            else
            {
                Assert.Equal(expected[i], actual[i]);
            }
        }
    }
}
