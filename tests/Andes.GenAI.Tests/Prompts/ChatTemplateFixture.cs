using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Prompts;

/// <summary>
/// The committed renderings of AndesVL's real Jinja chat template (tools/template/generate-fixtures.mjs,
/// @huggingface/jinja) and the mapping of their Hugging Face style conversations onto M.E.AI types.
/// </summary>
internal static class ChatTemplateFixture
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(FixturePath())));

    /// <summary>A tiny stand-in image (the template only needs the media type).</summary>
    public static DataContent Image() => new(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png");

    public static string ImageMarker => Document.Value.RootElement.GetProperty("image_marker").GetString()!;

    public static IEnumerable<string> CaseNames =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    public static JsonElement Case(string name) =>
        Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static string Expected(string name) => Case(name).GetProperty("expected").GetString()!;

    /// <summary>The case's messages as M.E.AI messages; consecutive tool messages become one tool message, as FunctionInvokingChatClient produces.</summary>
    public static List<ChatMessage> Messages(string name)
    {
        var messages = new List<ChatMessage>();
        foreach (JsonElement m in Case(name).GetProperty("messages").EnumerateArray())
        {
            string role = m.GetProperty("role").GetString()!;
            switch (role)
            {
                case "system":
                case "user":
                    messages.Add(new ChatMessage(new ChatRole(role), Parts(m.GetProperty("content"))));
                    break;
                case "assistant":
                {
                    var contents = new List<AIContent>();
                    if (m.TryGetProperty("reasoning_content", out JsonElement reasoning))
                    {
                        contents.Add(new TextReasoningContent(reasoning.GetString()));
                    }

                    if (m.TryGetProperty("content", out JsonElement content) && content.GetString() is { Length: > 0 } text)
                    {
                        contents.Add(new TextContent(text));
                    }

                    if (m.TryGetProperty("tool_calls", out JsonElement calls))
                    {
                        foreach (JsonElement call in calls.EnumerateArray())
                        {
                            JsonElement function = call.GetProperty("function");
                            JsonElement arguments = function.GetProperty("arguments");
                            if (arguments.ValueKind == JsonValueKind.String)
                            {
                                arguments = JsonDocument.Parse(arguments.GetString()!).RootElement;
                            }

                            contents.Add(new FunctionCallContent(
                                call.GetProperty("id").GetString()!,
                                function.GetProperty("name").GetString()!,
                                arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())));
                        }
                    }

                    messages.Add(new ChatMessage(ChatRole.Assistant, contents));
                    break;
                }

                case "tool":
                {
                    JsonElement content = m.GetProperty("content");
                    object? value = content.ValueKind == JsonValueKind.String ? content.GetString() : Parts(content);
                    var result = new FunctionResultContent(m.GetProperty("tool_call_id").GetString()!, value);
                    if (messages.Count > 0 && messages[^1].Role == ChatRole.Tool)
                    {
                        messages[^1].Contents.Add(result);
                    }
                    else
                    {
                        messages.Add(new ChatMessage(ChatRole.Tool, [result]));
                    }

                    break;
                }

                default:
                    throw new InvalidOperationException($"Fixture case '{name}' has unknown role '{role}'.");
            }
        }

        return messages;
    }

    /// <summary>The case's options: tools as declarations with the fixture's schemas, thinking switch, generation prompt.</summary>
    public static Andes.GenAI.ChatTemplateOptions Options(string name)
    {
        JsonElement c = Case(name);
        var options = new Andes.GenAI.ChatTemplateOptions
        {
            AddGenerationPrompt = c.GetProperty("add_generation_prompt").GetBoolean(),
            EnableThinking = c.TryGetProperty("enable_thinking", out JsonElement thinking) ? thinking.GetBoolean() : null,
        };

        if (c.TryGetProperty("tools", out JsonElement tools))
        {
            options.Tools = [.. tools.EnumerateArray().Select(Tool)];
        }

        return options;
    }

    public static AIFunctionDeclaration Tool(JsonElement tool)
    {
        JsonElement function = tool.GetProperty("function");
        return AIFunctionFactory.CreateDeclaration(
            function.GetProperty("name").GetString()!,
            function.TryGetProperty("description", out JsonElement description) ? description.GetString() : null,
            function.GetProperty("parameters").Clone());
    }

    private static List<AIContent> Parts(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextContent(content.GetString())];
        }

        return
        [
            .. content.EnumerateArray().Select(part => part.GetProperty("type").GetString() == "image"
                ? (AIContent)Image()
                : new TextContent(part.GetProperty("text").GetString())),
        ];
    }

    /// <summary>Next to this source file, or (when source paths are mapped) found above the test output folder.</summary>
    private static string FixturePath([CallerFilePath] string sourceFile = "")
    {
        const string FileName = "andes-chat-template.json";
        string besideSource = Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", "Fixtures", FileName);
        if (File.Exists(besideSource))
        {
            return besideSource;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Andes.GenAI.Tests", "Prompts", "Fixtures", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Cannot find the chat template fixture {FileName} (looked at {besideSource} and above {AppContext.BaseDirectory}).");
    }
}
