using System.Text.Json;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Prompts;

public class AndesChatTemplateTests
{
    public static TheoryData<string> FixtureCases => [.. ChatTemplateFixture.CaseNames];

    private static string Render(IEnumerable<ChatMessage> messages, ChatTemplateOptions? options = null, AndesChatTemplate? template = null) =>
        (template ?? AndesChatTemplate.Default).Render(messages, options).ToString(ChatTemplateFixture.ImageMarker);

    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void Render_MatchesJinjaTemplateByteForByte(string name)
    {
        string actual = Render(ChatTemplateFixture.Messages(name), ChatTemplateFixture.Options(name));

        Assert.Equal(ChatTemplateFixture.Expected(name), actual);
    }

    [Fact]
    public void Fixture_CoversTheTemplateFeatures()
    {
        var names = ChatTemplateFixture.CaseNames.ToList();
        Assert.True(names.Count >= 20, $"only {names.Count} cases");
        string all = string.Concat(names.Select(ChatTemplateFixture.Expected));
        Assert.Contains("<tools>\n{\"type\": \"function\"", all);
        Assert.Contains("</tool_response>\n<tool_response>", all);
        Assert.Contains("<|im_start|>assistant\n<think>\n\n</think>\n\n", all);
        Assert.Contains("\\u0001", all);
        Assert.Contains("上海", all);
    }

    [Fact]
    public void Render_ImagesBecomeSlotsInPlace()
    {
        List<ChatMessage> messages = ChatTemplateFixture.Messages("images_inline");
        var images = messages[0].Contents.OfType<DataContent>().ToList();

        ChatPrompt prompt = AndesChatTemplate.Default.Render(messages);

        Assert.Equal(2, prompt.ImageCount);
        Assert.Equal(5, prompt.Segments.Count);
        Assert.Equal("<|im_start|>user\n", prompt.Segments[0].Text);
        Assert.Same(images[0], prompt.Segments[1].Image);
        Assert.Equal("\nWhat is in this picture? Compare with ", prompt.Segments[2].Text);
        Assert.Same(images[1], prompt.Segments[3].Image);
        Assert.Equal(" please.<|im_end|>\n<|im_start|>assistant\n", prompt.Segments[4].Text);
        Assert.Equal(images, prompt.Images);
        Assert.False(prompt.EndsInReasoning);
    }

    [Fact]
    public void Render_UriImageIsASlot()
    {
        var image = new UriContent("https://example.com/a.jpg", "image/jpeg");
        ChatPrompt prompt = AndesChatTemplate.Default.Render([new ChatMessage(ChatRole.User, [image, new TextContent("Hi")])]);

        Assert.Same(image, prompt.Segments[1].Image);
        Assert.Equal("<|im_start|>user\n<image>Hi<|im_end|>\n<|im_start|>assistant\n", prompt.ToString());
    }

    [Fact]
    public void Render_InstructionsArePrependedToTheSystemMessage()
    {
        const string Name = "instructions_merged_with_system_and_tools";
        List<ChatMessage> messages = ChatTemplateFixture.Messages(Name);
        messages[0] = new ChatMessage(ChatRole.System, "You are an agent.");
        ChatTemplateOptions options = ChatTemplateFixture.Options(Name);
        options.Instructions = "Per-request instructions.";

        Assert.Equal(ChatTemplateFixture.Expected(Name), Render(messages, options));
    }

    [Fact]
    public void Render_InstructionsWithoutSystemMessageBecomeIt()
    {
        List<ChatMessage> messages = ChatTemplateFixture.Messages("system_user");
        messages.RemoveAt(0);
        var options = new ChatTemplateOptions { Instructions = "You are a helpful assistant." };

        Assert.Equal(ChatTemplateFixture.Expected("system_user"), Render(messages, options));
    }

    [Fact]
    public void Render_ObjectToolResultsAreWrittenAsPythonJson()
    {
        const string Name = "tool_call_object_arguments_and_results";
        string expected = ChatTemplateFixture.Expected(Name);

        foreach (object result in new object[]
                 {
                     new Dictionary<string, object?> { ["temperature"] = 18, ["sky"] = "cloudy" },
                     JsonDocument.Parse("{\"temperature\":18,\"sky\":\"cloudy\"}").RootElement,
                     new WeatherResult(18, "cloudy"),
                 })
        {
            List<ChatMessage> messages = ChatTemplateFixture.Messages(Name);
            var first = (FunctionResultContent)messages[^1].Contents[0];
            messages[^1].Contents[0] = new FunctionResultContent(first.CallId, result);

            Assert.Equal(expected, Render(messages, ChatTemplateFixture.Options(Name)));
        }
    }

    [Fact]
    public void Render_JsonStringToolResultIsVerbatim()
    {
        const string Name = "tool_call_object_arguments_and_results";
        List<ChatMessage> messages = ChatTemplateFixture.Messages(Name);
        var second = (FunctionResultContent)messages[^1].Contents[1];
        messages[^1].Contents[1] = new FunctionResultContent(second.CallId, JsonSerializer.SerializeToElement("24°C, sunny"));

        Assert.Equal(ChatTemplateFixture.Expected(Name), Render(messages, ChatTemplateFixture.Options(Name)));
    }

    [Fact]
    public void Render_NativeArgumentValuesAreWrittenAsPythonJson()
    {
        const string Name = "tool_calls_with_content_multi_step";
        List<ChatMessage> messages = ChatTemplateFixture.Messages(Name);
        int index = messages.FindLastIndex(m => m.Role == ChatRole.Assistant);
        var call = (FunctionCallContent)messages[index].Contents.Single(c => c is FunctionCallContent);
        var arguments = new Dictionary<string, object?>
        {
            ["query"] = "weather \"Tokyo\" vs 上海\n\tback\\slash \u0001 ctrl",
            ["max_results"] = 3,
            ["filters"] = new Dictionary<string, object?> { ["site"] = "example.com", ["safe"] = true },
            ["tags"] = new[] { "news", "天气", "emoji 🌦️" },
            ["threshold"] = 0.25,
            ["offset"] = -7L,
            ["cursor"] = null,
            ["nested"] = new object[] { Array.Empty<int>(), new Dictionary<string, object?>(), new object[] { 1, new object[] { 2.5f, 'x' } } },
        };
        messages[index].Contents[messages[index].Contents.IndexOf(call)] = new FunctionCallContent(call.CallId, call.Name, arguments);

        Assert.Equal(ChatTemplateFixture.Expected(Name), Render(messages, ChatTemplateFixture.Options(Name)));
    }

    [Fact]
    public void Render_NullArgumentsAreAnEmptyObject()
    {
        const string Name = "tool_call_only_then_final_answer_no_generation_prompt";
        List<ChatMessage> messages = ChatTemplateFixture.Messages(Name);
        messages[1] = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("s1", "take_screenshot")]);

        Assert.Equal(ChatTemplateFixture.Expected(Name), Render(messages, ChatTemplateFixture.Options(Name)));
    }

    [Fact]
    public void Render_SeparateToolMessagesMergeLikeOneMessageWithSeveralResults()
    {
        const string Name = "tool_call_object_arguments_and_results";
        List<ChatMessage> messages = ChatTemplateFixture.Messages(Name);
        ChatMessage tool = messages[^1];
        messages[^1] = new ChatMessage(ChatRole.Tool, [tool.Contents[0]]);
        messages.Add(new ChatMessage(ChatRole.Tool, [tool.Contents[1]]));

        Assert.Equal(ChatTemplateFixture.Expected(Name), Render(messages, ChatTemplateFixture.Options(Name)));
    }

    [Fact]
    public void Render_ToolResultImageIsASlotInsideTheResponse()
    {
        const string Name = "tool_result_with_image";
        ChatPrompt prompt = AndesChatTemplate.Default.Render(ChatTemplateFixture.Messages(Name), ChatTemplateFixture.Options(Name));

        Assert.Equal(1, prompt.ImageCount);
        Assert.EndsWith("<tool_response>\n", prompt.Segments[0].Text);
        Assert.StartsWith("\nscreenshot 1080x2400\n</tool_response>", prompt.Segments[2].Text);
    }

    [Fact]
    public void Render_ThinkingModelOpensThinkingInTheGenerationPrompt()
    {
        var template = new AndesChatTemplate(new AndesChatTemplateOptions { OpenThinkingInGenerationPrompt = true });

        ChatPrompt prompt = template.Render(ChatTemplateFixture.Messages("plain_user"));
        Assert.Equal(ChatTemplateFixture.Expected("plain_user") + "<think>\n", prompt.ToString());
        Assert.True(prompt.EndsInReasoning);

        ChatPrompt off = template.Render(ChatTemplateFixture.Messages("enable_thinking_false"), new ChatTemplateOptions { EnableThinking = false });
        Assert.Equal(ChatTemplateFixture.Expected("enable_thinking_false"), off.ToString());
        Assert.False(off.EndsInReasoning);

        ChatPrompt noPrompt = template.Render(ChatTemplateFixture.Messages("no_generation_prompt"), new ChatTemplateOptions { AddGenerationPrompt = false });
        Assert.Equal(ChatTemplateFixture.Expected("no_generation_prompt"), noPrompt.ToString());
        Assert.False(noPrompt.EndsInReasoning);
    }

    [Fact]
    public void CreateOutputParser_StartsInReasoningWhenThePromptDoes()
    {
        var template = new AndesChatTemplate(new AndesChatTemplateOptions
        {
            OpenThinkingInGenerationPrompt = true,
            OutputParserOptions = new AndesOutputParserOptions { CallIdFactory = () => "fixed" },
        });
        var parser = (AndesOutputParser)template.CreateOutputParser(template.Render([new ChatMessage(ChatRole.User, "Hi")]));

        var contents = parser.Append("Hmm.\n</think>\n\nHello<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>").Concat(parser.Complete()).ToList();

        Assert.Equal("Hmm.", Assert.IsType<TextReasoningContent>(contents[0]).Text);
        Assert.Equal("Hello", Assert.IsType<TextContent>(contents[1]).Text);
        Assert.Equal("fixed", Assert.IsType<FunctionCallContent>(contents[2]).CallId);
    }

    [Fact]
    public void Render_EmptyConversationIsTheGenerationPrompt()
    {
        Assert.Equal("<|im_start|>assistant\n", Render([]));
        Assert.Equal("<|im_start|>system\nBe nice.<|im_end|>\n<|im_start|>assistant\n", Render([], new ChatTemplateOptions { Instructions = "Be nice." }));
    }

    [Fact]
    public void Render_IgnoresHostedToolsAndNonPromptContents()
    {
        var options = new ChatTemplateOptions { Tools = [new HostedWebSearchTool()] };
        var message = new ChatMessage(ChatRole.User, [new TextContent("Hello! Who are you?"), new UsageContent(new UsageDetails())]);

        Assert.Equal(ChatTemplateFixture.Expected("plain_user"), Render([message], options));
    }

    [Fact]
    public void Render_RejectsWhatTheModelCannotTake()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Render([new ChatMessage(new ChatRole("developer"), "x")]));
        Assert.Contains("developer", ex.Message);

        ex = Assert.Throws<NotSupportedException>(() => Render([new ChatMessage(ChatRole.Assistant, [ChatTemplateFixture.Image()])]));
        Assert.Contains("image/png", ex.Message);

        ex = Assert.Throws<NotSupportedException>(() => Render([new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, "audio/wav")])]));
        Assert.Contains("audio/wav", ex.Message);

        ex = Assert.Throws<NotSupportedException>(() => Render([new ChatMessage(ChatRole.User, [new FunctionCallContent("1", "f")])]));
        Assert.Contains("FunctionCallContent", ex.Message);
    }

    [Fact]
    public void FromChatOptions_MapsInstructionsToolsAndThinking()
    {
        AIFunctionDeclaration tool = AIFunctionFactory.Create(() => 1, "one");
        var chat = new ChatOptions { Instructions = "I", Tools = [tool], Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } };

        ChatTemplateOptions options = ChatTemplateOptions.FromChatOptions(chat);
        Assert.Equal("I", options.Instructions);
        Assert.Same(tool, Assert.Single(options.Tools!));
        Assert.False(options.EnableThinking);
        Assert.True(options.AddGenerationPrompt);

        chat.Reasoning.Effort = ReasoningEffort.High;
        Assert.True(ChatTemplateOptions.FromChatOptions(chat).EnableThinking);
        chat.Reasoning = null;
        Assert.Null(ChatTemplateOptions.FromChatOptions(chat).EnableThinking);

        chat.AdditionalProperties = new() { ["enable_thinking"] = false };
        Assert.False(ChatTemplateOptions.FromChatOptions(chat).EnableThinking);
        chat.AdditionalProperties["enable_thinking"] = JsonSerializer.SerializeToElement(true);
        Assert.True(ChatTemplateOptions.FromChatOptions(chat).EnableThinking);
        chat.AdditionalProperties["enable_thinking"] = "yes";
        Assert.Throws<ArgumentException>(() => ChatTemplateOptions.FromChatOptions(chat));

        chat.AdditionalProperties = null;
        chat.ToolMode = ChatToolMode.None;
        Assert.Null(ChatTemplateOptions.FromChatOptions(chat).Tools);
        Assert.Null(ChatTemplateOptions.FromChatOptions(null).Instructions);
    }

    [Fact]
    public void Render_AIFunctionSchemaIsTheParameters()
    {
        AIFunction function = AIFunctionFactory.Create((string city, int days) => $"{city}{days}", "forecast", "Forecast for a city.");
        string prompt = Render([new ChatMessage(ChatRole.User, "x")], new ChatTemplateOptions { Tools = [function] });

        string expectedSchema = PythonJson(function.JsonSchema);
        Assert.Contains(
            "\n{\"type\": \"function\", \"function\": {\"name\": \"forecast\", \"description\": \"Forecast for a city.\", \"parameters\": " + expectedSchema + "}}\n</tools>",
            prompt);
        Assert.Contains("\"city\": {\"type\": \"string\"}", prompt);
    }

    private static string PythonJson(JsonElement element)
    {
        // Independent of the writer: re-lay out System.Text.Json's compact form with Python's separators
        // (safe here: the schema's strings hold no ',' or ':').
        return JsonSerializer.Serialize(element).Replace(",", ", ").Replace(":", ": ");
    }

    private sealed record WeatherResult(int temperature, string sky);
}
