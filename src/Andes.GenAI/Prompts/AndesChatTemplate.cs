using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// AndesVL's chat template: the stock Qwen3 ChatML Jinja template of <c>tokenizer_config.json</c>, reproduced byte
/// for byte, plus inline image slots.
/// </summary>
/// <remarks>
/// <para>How Microsoft.Extensions.AI messages map onto the template's messages:</para>
/// <list type="bullet">
/// <item><description>System and user messages: their <see cref="TextContent"/>s concatenated (no separator); each
/// image (<see cref="DataContent"/> or <see cref="UriContent"/> with an <c>image/*</c> media type) becomes an image
/// slot exactly where it appears among the texts (add <c>"\n"</c> text yourself if you want one after an image).</description></item>
/// <item><description>Assistant messages: <see cref="TextContent"/>s are the content, <see cref="TextReasoningContent"/>s
/// (concatenated) the <c>reasoning_content</c>, <see cref="FunctionCallContent"/>s the <c>tool_calls</c>, rendered as
/// <c>&lt;tool_call&gt;\n{"name": "...", "arguments": {...}}\n&lt;/tool_call&gt;</c> with the arguments written as
/// Python's <c>json.dumps</c> (null arguments as <c>{}</c>). Without any <see cref="TextReasoningContent"/> the
/// template's own rule applies: reasoning is split off a <c>&lt;think&gt;...&lt;/think&gt;</c> in the text. As in
/// Qwen3, reasoning is shown only for assistant turns after the last user query.</description></item>
/// <item><description>Each <see cref="FunctionResultContent"/> (in a tool message, or any other) is one tool message:
/// a <c>&lt;tool_response&gt;</c> block; consecutive ones share one user turn. The result is a string (verbatim),
/// a <see cref="JsonElement"/> holding a string (verbatim), <see langword="null"/> (empty), an
/// <see cref="AIContent"/> or list of them (texts and image slots), or anything else as JSON (Python
/// <c>json.dumps</c> form). Text or images that follow a result in a tool message are appended to its block.</description></item>
/// <item><description><see cref="ChatTemplateOptions.Instructions"/> are prepended to the system message (joined by
/// <c>"\n\n"</c>) or become it.</description></item>
/// <item><description>Tools are rendered as <c>{"type": "function", "function": {"name", "description", "parameters"}}</c>
/// (description left out when empty, parameters from <see cref="AIFunctionDeclaration.JsonSchema"/>).</description></item>
/// </list>
/// <para>Other contents (usage, errors, ...) are ignored. Images in assistant messages, non-image files and tool calls
/// outside assistant messages are rejected with <see cref="NotSupportedException"/>. The class is immutable and thread-safe.</para>
/// </remarks>
public sealed class AndesChatTemplate : IChatTemplate
{
    private const string ImStart = "<|im_start|>";
    private const string ImEnd = "<|im_end|>";
    private const string ToolsHeader =
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private const string ToolsFooter =
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within " +
        "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

    private readonly JsonSerializerOptions _serializerOptions;

    /// <summary>Initializes a new instance of the <see cref="AndesChatTemplate"/> class.</summary>
    /// <param name="options">Model-level settings; <see langword="null"/> for the stock (Instruct) template.</param>
    public AndesChatTemplate(AndesChatTemplateOptions? options = null)
    {
        Options = options ?? new AndesChatTemplateOptions();
        _serializerOptions = Options.SerializerOptions ?? AIJsonUtilities.DefaultOptions;
    }

    /// <summary>Gets the stock template (AndesVL-*-Instruct).</summary>
    public static AndesChatTemplate Default { get; } = new();

    /// <summary>Gets the model-level settings.</summary>
    public AndesChatTemplateOptions Options { get; }

    /// <inheritdoc />
    public ChatPrompt Render(IEnumerable<ChatMessage> messages, ChatTemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options ??= new ChatTemplateOptions();

        List<Turn> turns = ToTurns(messages);
        if (!string.IsNullOrEmpty(options.Instructions))
        {
            if (turns.Count > 0 && turns[0].Role == Role.System)
            {
                turns[0].Parts.Insert(0, ChatPromptSegment.FromText(options.Instructions + "\n\n"));
            }
            else
            {
                var system = new Turn(Role.System);
                system.Parts.Add(ChatPromptSegment.FromText(options.Instructions));
                turns.Insert(0, system);
            }
        }

        var output = new PromptBuilder();
        List<AIFunctionDeclaration> tools = options.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        bool firstIsSystem = turns.Count > 0 && turns[0].Role == Role.System;

        if (tools.Count > 0)
        {
            output.Append(ImStart + "system\n");
            if (firstIsSystem)
            {
                output.Append(turns[0].Parts);
                output.Append("\n\n");
            }

            output.Append(ToolsHeader);
            var json = new StringBuilder();
            foreach (AIFunctionDeclaration tool in tools)
            {
                json.Clear();
                json.Append('\n');
                WriteTool(json, tool);
                output.Append(json.ToString());
            }

            output.Append(ToolsFooter + ImEnd + "\n");
        }
        else if (firstIsSystem)
        {
            output.Append(ImStart + "system\n");
            output.Append(turns[0].Parts);
            output.Append(ImEnd + "\n");
        }

        int lastQueryIndex = FindLastQueryIndex(turns);
        var callJson = new StringBuilder();
        for (int index = 0; index < turns.Count; index++)
        {
            Turn turn = turns[index];
            bool isLast = index == turns.Count - 1;
            switch (turn.Role)
            {
                case Role.User:
                case Role.System when index > 0:
                    output.Append(ImStart + (turn.Role == Role.User ? "user" : "system") + "\n");
                    output.Append(turn.Parts);
                    output.Append(ImEnd + "\n");
                    break;

                case Role.Assistant:
                    RenderAssistant(output, turn, index > lastQueryIndex, isLast, callJson);
                    break;

                case Role.Tool:
                    if (index == 0 || turns[index - 1].Role != Role.Tool)
                    {
                        output.Append(ImStart + "user");
                    }

                    output.Append("\n<tool_response>\n");
                    output.Append(turn.Parts);
                    output.Append("\n</tool_response>");
                    if (isLast || turns[index + 1].Role != Role.Tool)
                    {
                        output.Append(ImEnd + "\n");
                    }

                    break;
            }
        }

        bool endsInReasoning = false;
        if (options.AddGenerationPrompt)
        {
            output.Append(ImStart + "assistant\n");
            if (options.EnableThinking == false)
            {
                output.Append("<think>\n\n</think>\n\n");
            }
            else if (Options.OpenThinkingInGenerationPrompt)
            {
                output.Append("<think>\n");
                endsInReasoning = true;
            }
        }

        return output.Build(endsInReasoning);
    }

    /// <inheritdoc />
    public IChatOutputParser CreateOutputParser(ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        AndesOutputParserOptions options = (Options.OutputParserOptions ?? new AndesOutputParserOptions())
            .WithStartsInReasoning(prompt.EndsInReasoning);
        return new AndesOutputParser(options);
    }

    private void RenderAssistant(PromptBuilder output, Turn turn, bool afterLastQuery, bool isLast, StringBuilder callJson)
    {
        string content = turn.Text.ToString();
        string reasoning;
        if (turn.Reasoning is not null)
        {
            reasoning = turn.Reasoning.ToString();
        }
        else if (content.Contains("</think>", StringComparison.Ordinal))
        {
            // content.split('</think>')[-1].lstrip('\n') and
            // content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
            string original = content;
            content = original[(original.LastIndexOf("</think>", StringComparison.Ordinal) + "</think>".Length)..].TrimStart('\n');
            string before = original[..original.IndexOf("</think>", StringComparison.Ordinal)].TrimEnd('\n');
            int open = before.LastIndexOf("<think>", StringComparison.Ordinal);
            reasoning = (open < 0 ? before : before[(open + "<think>".Length)..]).TrimStart('\n');
        }
        else
        {
            reasoning = string.Empty;
        }

        if (afterLastQuery && (isLast || reasoning.Length > 0))
        {
            output.Append(ImStart + "assistant\n<think>\n");
            output.Append(reasoning.Trim('\n'));
            output.Append("\n</think>\n\n");
            output.Append(content.TrimStart('\n'));
        }
        else
        {
            output.Append(ImStart + "assistant\n");
            output.Append(content);
        }

        for (int i = 0; i < turn.Calls.Count; i++)
        {
            FunctionCallContent call = turn.Calls[i];
            callJson.Clear();
            if (i > 0 || content.Length > 0)
            {
                callJson.Append('\n');
            }

            callJson.Append("<tool_call>\n{\"name\": \"").Append(call.Name).Append("\", \"arguments\": ");
            if (call.Arguments is null)
            {
                callJson.Append("{}");
            }
            else
            {
                PythonJsonWriter.Write(callJson, call.Arguments, _serializerOptions);
            }

            callJson.Append("}\n</tool_call>");
            output.Append(callJson.ToString());
        }

        output.Append(ImEnd + "\n");
    }

    private static void WriteTool(StringBuilder json, AIFunctionDeclaration tool)
    {
        json.Append("{\"type\": \"function\", \"function\": {\"name\": ");
        PythonJsonWriter.WriteString(json, tool.Name);
        if (!string.IsNullOrEmpty(tool.Description))
        {
            json.Append(", \"description\": ");
            PythonJsonWriter.WriteString(json, tool.Description);
        }

        json.Append(", \"parameters\": ");
        JsonElement schema = tool.JsonSchema;
        if (schema.ValueKind == JsonValueKind.Undefined)
        {
            json.Append("{\"type\": \"object\", \"properties\": {}}");
        }
        else
        {
            PythonJsonWriter.WriteElement(json, schema);
        }

        json.Append("}}");
    }

    /// <summary>
    /// The template's <c>ns.last_query_index</c>: the last user turn that is not a bare <c>&lt;tool_response&gt;</c>
    /// wrapper, or the last index when there is none.
    /// </summary>
    private static int FindLastQueryIndex(List<Turn> turns)
    {
        for (int index = turns.Count - 1; index >= 0; index--)
        {
            Turn turn = turns[index];
            if (turn.Role != Role.User)
            {
                continue;
            }

            string text = string.Concat(turn.Parts.Select(p => p.ToString()));
            if (!(text.StartsWith("<tool_response>", StringComparison.Ordinal) && text.EndsWith("</tool_response>", StringComparison.Ordinal)))
            {
                return index;
            }
        }

        return turns.Count - 1;
    }

    private List<Turn> ToTurns(IEnumerable<ChatMessage> messages)
    {
        var turns = new List<Turn>();
        int messageIndex = -1;
        foreach (ChatMessage message in messages)
        {
            messageIndex++;
            if (message is null)
            {
                throw new ArgumentException($"Message {messageIndex} is null.", nameof(messages));
            }

            Role role = ToRole(message.Role, messageIndex);
            if (role == Role.Assistant)
            {
                AddAssistant(turns, message, messageIndex);
                continue;
            }

            Turn? current = null;
            bool producedAny = false;
            foreach (AIContent content in message.Contents)
            {
                switch (content)
                {
                    case FunctionResultContent result:
                        current = new Turn(Role.Tool);
                        AppendResult(current.Parts, result, messageIndex);
                        turns.Add(current);
                        producedAny = true;
                        break;

                    case TextContent or DataContent or UriContent:
                        if (current is null || (role != Role.Tool && current.Role == Role.Tool))
                        {
                            current = new Turn(role);
                            turns.Add(current);
                            producedAny = true;
                        }

                        AppendPart(current.Parts, content, messageIndex);
                        break;

                    case FunctionCallContent:
                        throw new NotSupportedException(
                            $"Message {messageIndex} ({message.Role}) contains a FunctionCallContent; tool calls belong in assistant messages.");

                    default:
                        // Reasoning in non-assistant messages, usage, errors, annotations: not part of the prompt.
                        break;
                }
            }

            if (!producedAny)
            {
                turns.Add(new Turn(role));
            }
        }

        return turns;
    }

    private void AddAssistant(List<Turn> turns, ChatMessage message, int messageIndex)
    {
        var turn = new Turn(Role.Assistant);
        List<FunctionResultContent>? results = null;
        foreach (AIContent content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    turn.Text.Append(text.Text);
                    break;
                case TextReasoningContent reasoning:
                    (turn.Reasoning ??= new StringBuilder()).Append(reasoning.Text);
                    break;
                case FunctionCallContent call:
                    turn.Calls.Add(call);
                    break;
                case FunctionResultContent result:
                    (results ??= []).Add(result);
                    break;
                case DataContent or UriContent:
                    throw new NotSupportedException(
                        $"Message {messageIndex} (assistant) contains {ChatPromptSegment.Describe(content)}; AndesVL takes images only in system, user and tool messages.");
                default:
                    break;
            }
        }

        turns.Add(turn);
        foreach (FunctionResultContent result in results ?? [])
        {
            var tool = new Turn(Role.Tool);
            AppendResult(tool.Parts, result, messageIndex);
            turns.Add(tool);
        }
    }

    private void AppendResult(List<ChatPromptSegment> parts, FunctionResultContent result, int messageIndex)
    {
        switch (result.Result)
        {
            case null:
                break;
            case string s:
                AddText(parts, s);
                break;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                AddText(parts, element.GetString()!);
                break;
            case AIContent content:
                AppendResultContent(parts, content, messageIndex);
                break;
            case IEnumerable<AIContent> contents:
                foreach (AIContent content in contents)
                {
                    AppendResultContent(parts, content, messageIndex);
                }

                break;
            default:
                AddText(parts, PythonJsonWriter.ToJson(result.Result, _serializerOptions));
                break;
        }
    }

    private void AppendResultContent(List<ChatPromptSegment> parts, AIContent content, int messageIndex)
    {
        if (content is TextContent or DataContent or UriContent)
        {
            AppendPart(parts, content, messageIndex);
        }
        else
        {
            AddText(parts, PythonJsonWriter.ToJson(content, _serializerOptions));
        }
    }

    private static void AppendPart(List<ChatPromptSegment> parts, AIContent content, int messageIndex)
    {
        if (content is TextContent text)
        {
            AddText(parts, text.Text);
            return;
        }

        if (!ChatPromptSegment.IsImageContent(content))
        {
            throw new NotSupportedException(
                $"Message {messageIndex} contains {ChatPromptSegment.Describe(content)}; AndesVL understands text and images (image/* media types) only.");
        }

        parts.Add(ChatPromptSegment.FromImage(content));
    }

    private static void AddText(List<ChatPromptSegment> parts, string? text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            parts.Add(ChatPromptSegment.FromText(text));
        }
    }

    private static Role ToRole(ChatRole role, int messageIndex)
    {
        if (role == ChatRole.System)
        {
            return Role.System;
        }

        if (role == ChatRole.User)
        {
            return Role.User;
        }

        if (role == ChatRole.Assistant)
        {
            return Role.Assistant;
        }

        if (role == ChatRole.Tool)
        {
            return Role.Tool;
        }

        throw new NotSupportedException(
            $"Message {messageIndex} has role '{role.Value}'; the AndesVL template knows system, user, assistant and tool.");
    }

    private enum Role
    {
        System,
        User,
        Assistant,
        Tool,
    }

    /// <summary>One message as the Jinja template sees it.</summary>
    private sealed class Turn(Role role)
    {
        public Role Role { get; } = role;

        /// <summary>Content of system, user and tool turns.</summary>
        public List<ChatPromptSegment> Parts { get; } = [];

        /// <summary>Content of assistant turns.</summary>
        public StringBuilder Text { get; } = new();

        /// <summary>The assistant's <c>reasoning_content</c>; <see langword="null"/> when undefined.</summary>
        public StringBuilder? Reasoning { get; set; }

        public List<FunctionCallContent> Calls { get; } = [];
    }

    /// <summary>Accumulates text and image slots into a <see cref="ChatPrompt"/>.</summary>
    private sealed class PromptBuilder
    {
        private readonly List<ChatPromptSegment> _segments = [];
        private readonly StringBuilder _text = new();

        public void Append(string text) => _text.Append(text);

        public void Append(List<ChatPromptSegment> parts)
        {
            foreach (ChatPromptSegment part in parts)
            {
                if (part.Text is { } text)
                {
                    _text.Append(text);
                }
                else
                {
                    FlushText();
                    _segments.Add(part);
                }
            }
        }

        public ChatPrompt Build(bool endsInReasoning)
        {
            FlushText();
            return new ChatPrompt(_segments, endsInReasoning);
        }

        private void FlushText()
        {
            if (_text.Length > 0)
            {
                _segments.Add(ChatPromptSegment.FromText(_text.ToString()));
                _text.Clear();
            }
        }
    }
}
