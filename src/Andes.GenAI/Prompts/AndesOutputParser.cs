using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// Incremental parser for AndesVL / Qwen3 output: <c>&lt;think&gt;...&lt;/think&gt;</c> reasoning,
/// answer text and <c>&lt;tool_call&gt;\n{"name": ..., "arguments": {...}}\n&lt;/tool_call&gt;</c> blocks.
/// </summary>
/// <remarks>
/// <para>
/// Tags may arrive split across chunks at any character: a possible tag prefix at the end of a chunk is held back,
/// never emitted as text, and a tool call's JSON is never emitted piecemeal; the call is emitted once its
/// <c>&lt;/tool_call&gt;</c> arrives. The resulting contents do not depend on the chunking (after merging adjacent
/// contents of one kind).
/// </para>
/// <para>Whitespace follows the template, so that rendering the parsed message reproduces the output:</para>
/// <list type="bullet">
/// <item><description>Newlines right after <c>&lt;think&gt;</c> and right before <c>&lt;/think&gt;</c> are not part of
/// the reasoning; newlines right after <c>&lt;/think&gt;</c> are not part of the text.</description></item>
/// <item><description>Newlines right before <c>&lt;tool_call&gt;</c> and right after <c>&lt;/tool_call&gt;</c> are
/// dropped (they separate the calls). Trailing newlines of text are therefore held back until more text
/// arrives.</description></item>
/// <item><description>An empty thinking block (<c>&lt;think&gt;\n\n&lt;/think&gt;\n\n</c>) produces no content.</description></item>
/// </list>
/// <para>
/// Tags are recognised only where they mean something: <c>&lt;think&gt;</c> and <c>&lt;tool_call&gt;</c> in text,
/// <c>&lt;/think&gt;</c> in reasoning (other tags inside reasoning are reasoning text, except a repeated
/// <c>&lt;think&gt;</c> before any reasoning text, which is dropped), <c>&lt;/tool_call&gt;</c> (and a
/// new <c>&lt;tool_call&gt;</c>, which ends an unterminated one) inside a call. A stray <c>&lt;/think&gt;</c> or
/// <c>&lt;/tool_call&gt;</c> in text is dropped.
/// </para>
/// <para>
/// Each call gets an id from <see cref="AndesOutputParserOptions.CallIdFactory"/> and the text between its tags as
/// <see cref="AIContent.RawRepresentation"/>; its arguments are a dictionary of <see cref="JsonElement"/>s. The JSON
/// may carry <c>"arguments"</c> (or <c>"parameters"</c>) as an object or as a string holding an object; missing
/// arguments are an empty dictionary. A call that cannot be parsed (including one holding a string that is not valid
/// Unicode, a lone surrogate raw or as a <c>\ud800</c> escape) still becomes a <see cref="FunctionCallContent"/>
/// (name recovered when possible, arguments <see langword="null"/>) whose <see cref="FunctionCallContent.Exception"/>
/// is a <see cref="ToolCallFormatException"/> saying why, so the model can be told. A call still open when
/// <see cref="Complete(IList{AIContent})"/> is called (the generation stopped before <c>&lt;/tool_call&gt;</c>) is
/// parsed the same way: a complete JSON object is a normal call, anything else a failed call whose exception says
/// the call was cut off. Text after an unfinished tag at the end of the output is flushed as text.
/// </para>
/// <para>Instances are stateful and not thread-safe. <see cref="Complete(IList{AIContent})"/> resets the parser.</para>
/// </remarks>
public sealed class AndesOutputParser : IChatOutputParser
{
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";
    private const string CallOpen = "<tool_call>";
    private const string CallClose = "</tool_call>";

    private readonly AndesOutputParserOptions _options;
    private readonly StringBuilder _call = new();
    private readonly StringBuilder _out = new();
    private char[] _buffer = new char[64];
    private int _length;
    private Mode _mode;
    private bool _dropLeadingNewlines;
    private int _heldNewlines;
    private bool _sawCall;
    private OutKind _outKind;

    /// <summary>Initializes a new instance of the <see cref="AndesOutputParser"/> class.</summary>
    /// <param name="options">Settings; <see langword="null"/> for defaults (starts in text).</param>
    public AndesOutputParser(AndesOutputParserOptions? options = null)
    {
        _options = options ?? new AndesOutputParserOptions();
        Reset();
    }

    private enum Mode
    {
        Text,
        Reasoning,
        ToolCall,
    }

    private enum OutKind
    {
        None,
        Text,
        Reasoning,
    }

    /// <summary>Consumes the next chunk of generated text.</summary>
    /// <param name="chunk">The next decoded text.</param>
    /// <returns>The contents the chunk completes, in order (empty while text is held back).</returns>
    public IReadOnlyList<AIContent> Append(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var updates = new List<AIContent>();
        Append(chunk.AsSpan(), updates);
        return updates.Count == 0 ? [] : updates;
    }

    /// <summary>Flushes held-back text and any open tool call at the end of the generation, then resets the parser.</summary>
    /// <returns>The remaining contents, in order.</returns>
    public IReadOnlyList<AIContent> Complete()
    {
        var updates = new List<AIContent>();
        Complete(updates);
        return updates.Count == 0 ? [] : updates;
    }

    /// <inheritdoc />
    public void Append(ReadOnlySpan<char> text, IList<AIContent> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (text.IsEmpty)
        {
            return;
        }

        EnsureCapacity(_length + text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;

        int consumed = Process(updates, final: false);
        int remaining = _length - consumed;
        if (remaining > 0 && consumed > 0)
        {
            Array.Copy(_buffer, consumed, _buffer, 0, remaining);
        }

        _length = remaining;
        FlushOut(updates);
    }

    /// <inheritdoc />
    public void Complete(IList<AIContent> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        Process(updates, final: true);
        _length = 0;

        switch (_mode)
        {
            case Mode.ToolCall:
                FlushOut(updates);
                updates.Add(ParseCall(_call.ToString(), terminated: false));
                break;
            case Mode.Text when !_sawCall && _heldNewlines > 0:
                EmitRaw(OutKind.Text, '\n', _heldNewlines, updates);
                break;
        }

        FlushOut(updates);
        Reset();
    }

    private void Reset()
    {
        _mode = _options.StartsInReasoning ? Mode.Reasoning : Mode.Text;
        _dropLeadingNewlines = _options.StartsInReasoning;
        _heldNewlines = 0;
        _sawCall = false;
        _call.Clear();
        _out.Clear();
        _outKind = OutKind.None;
        _length = 0;
    }

    /// <summary>Processes the buffer; returns how many characters were consumed (the rest is a possible tag prefix).</summary>
    private int Process(IList<AIContent> updates, bool final)
    {
        ReadOnlySpan<char> buffer = _buffer.AsSpan(0, _length);
        int i = 0;
        while (i < buffer.Length)
        {
            int lt = buffer[i..].IndexOf('<');
            int end = lt < 0 ? buffer.Length : i + lt;
            if (end > i)
            {
                Consume(buffer[i..end], updates);
                i = end;
            }

            if (i == buffer.Length)
            {
                break;
            }

            ReadOnlySpan<char> rest = buffer[i..];
            switch (MatchTag(rest, out int tagLength))
            {
                case TagMatch.Partial when !final:
                    return i;
                case TagMatch.Full:
                    OnTag(rest[..tagLength], updates);
                    i += tagLength;
                    break;
                default:
                    Consume(rest[..1], updates);
                    i++;
                    break;
            }
        }

        return buffer.Length;
    }

    private enum TagMatch
    {
        None,
        Partial,
        Full,
    }

    /// <summary>Matches the tags that mean something in the current mode at the start of <paramref name="text"/>.</summary>
    private TagMatch MatchTag(ReadOnlySpan<char> text, out int length)
    {
        length = 0;
        TagMatch best = TagMatch.None;
        foreach (string tag in TagsFor(_mode))
        {
            if (text.StartsWith(tag, StringComparison.Ordinal))
            {
                length = tag.Length;
                return TagMatch.Full;
            }

            if (text.Length < tag.Length && tag.AsSpan().StartsWith(text, StringComparison.Ordinal))
            {
                best = TagMatch.Partial;
            }
        }

        return best;
    }

    private static readonly string[] TextTags = [ThinkOpen, CallOpen, ThinkClose, CallClose];
    private static readonly string[] ReasoningTags = [ThinkClose];
    private static readonly string[] ReasoningStartTags = [ThinkClose, ThinkOpen];
    private static readonly string[] CallTags = [CallClose, CallOpen];

    private string[] TagsFor(Mode mode) => mode switch
    {
        Mode.Text => TextTags,

        // Before any reasoning text a (repeated) <think> is still recognised and dropped.
        Mode.Reasoning => _dropLeadingNewlines ? ReasoningStartTags : ReasoningTags,
        _ => CallTags,
    };

    private void OnTag(ReadOnlySpan<char> tag, IList<AIContent> updates)
    {
        switch (_mode)
        {
            case Mode.Text when tag.SequenceEqual(ThinkOpen):
                _heldNewlines = 0;
                _mode = Mode.Reasoning;
                _dropLeadingNewlines = true;
                break;
            case Mode.Text when tag.SequenceEqual(CallOpen):
                _heldNewlines = 0;
                _mode = Mode.ToolCall;
                _call.Clear();
                break;
            case Mode.Text:
                // A stray </think> or </tool_call>: a special token with no meaning here.
                _dropLeadingNewlines = true;
                break;
            case Mode.Reasoning when tag.SequenceEqual(ThinkOpen):
                // <think> again before any reasoning (e.g. after a prompt that already opened it): nothing to emit.
                break;
            case Mode.Reasoning:
                _heldNewlines = 0;
                _mode = Mode.Text;
                _dropLeadingNewlines = true;
                break;
            case Mode.ToolCall:
                FlushOut(updates);
                updates.Add(ParseCall(_call.ToString(), terminated: true));
                _call.Clear();
                _sawCall = true;
                if (tag.SequenceEqual(CallClose))
                {
                    _mode = Mode.Text;
                    _dropLeadingNewlines = true;
                }

                break;
        }
    }

    /// <summary>Consumes text that is not a tag in the current mode.</summary>
    private void Consume(ReadOnlySpan<char> text, IList<AIContent> updates)
    {
        if (_mode == Mode.ToolCall)
        {
            _call.Append(text);
            return;
        }

        if (_dropLeadingNewlines)
        {
            text = text.TrimStart('\n');
            if (text.IsEmpty)
            {
                return;
            }

            _dropLeadingNewlines = false;
        }

        ReadOnlySpan<char> body = text.TrimEnd('\n');
        OutKind kind = _mode == Mode.Reasoning ? OutKind.Reasoning : OutKind.Text;
        if (!body.IsEmpty)
        {
            if (_heldNewlines > 0)
            {
                EmitRaw(kind, '\n', _heldNewlines, updates);
                _heldNewlines = 0;
            }

            Emit(kind, body, updates);
        }

        _heldNewlines += text.Length - body.Length;
    }

    private void Emit(OutKind kind, ReadOnlySpan<char> text, IList<AIContent> updates)
    {
        if (_outKind != kind)
        {
            FlushOut(updates);
            _outKind = kind;
        }

        _out.Append(text);
    }

    private void EmitRaw(OutKind kind, char c, int count, IList<AIContent> updates)
    {
        if (_outKind != kind)
        {
            FlushOut(updates);
            _outKind = kind;
        }

        _out.Append(c, count);
    }

    private void FlushOut(IList<AIContent> updates)
    {
        if (_out.Length > 0)
        {
            string text = _out.ToString();
            updates.Add(_outKind == OutKind.Reasoning ? new TextReasoningContent(text) : new TextContent(text));
            _out.Clear();
        }

        _outKind = OutKind.None;
    }

    private void EnsureCapacity(int capacity)
    {
        if (capacity > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(capacity, _buffer.Length * 2));
        }
    }

    private string NewCallId() => _options.CallIdFactory?.Invoke() ?? "call_" + RandomNumberGenerator.GetHexString(24, lowercase: true);

    /// <summary>Parses the text between the tool call tags.</summary>
    private FunctionCallContent ParseCall(string raw, bool terminated)
    {
        string callId = NewCallId();
        string cutOff = terminated ? string.Empty : " The generation ended before </tool_call>.";
        string? name = null;
        int lone = JsonText.IndexOfLoneSurrogate(raw);
        if (lone >= 0)
        {
            // JsonDocument.Parse(string) would throw ArgumentException transcoding it to UTF-8.
            return Failed(string.Create(CultureInfo.InvariantCulture, $"The tool call holds a lone surrogate (U+{(int)raw[lone]:X4}) at character {lone}: it is not valid Unicode text.{cutOff}"), null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(raw);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Failed($"The tool call must be a JSON object with \"name\" and \"arguments\", not a JSON {root.ValueKind.ToString().ToLowerInvariant()}.{cutOff}", null);
            }

            if (JsonText.HasUnreadableName(root, out string? badKey))
            {
                return Failed($"The tool call has a key \"{badKey}\" that is not valid Unicode text (a lone surrogate escape such as \\ud800).{cutOff}", null);
            }

            if (!root.TryGetProperty("name", out JsonElement nameElement) || nameElement.ValueKind != JsonValueKind.String)
            {
                return Failed($"The tool call has no \"name\" string.{cutOff}", null);
            }

            if (!JsonText.TryGetString(nameElement, out string? readName))
            {
                return Failed($"The tool call's \"name\" {JsonText.RawText(nameElement)} is not valid Unicode text (a lone surrogate escape such as \\ud800).{cutOff}", null);
            }

            if (readName.Length == 0)
            {
                return Failed($"The tool call has no \"name\" string.{cutOff}", null);
            }

            name = readName;
            JsonElement arguments = default;
            bool hasArguments = root.TryGetProperty("arguments", out arguments) || root.TryGetProperty("parameters", out arguments);
            Dictionary<string, object?> dictionary;
            if (!hasArguments || arguments.ValueKind == JsonValueKind.Null)
            {
                dictionary = [];
            }
            else if (arguments.ValueKind == JsonValueKind.Object)
            {
                if (Unreadable(arguments) is { } failed)
                {
                    return failed;
                }

                dictionary = ToDictionary(arguments.Clone());
            }
            else if (arguments.ValueKind == JsonValueKind.String)
            {
                if (!JsonText.TryGetString(arguments, out string? text))
                {
                    return Failed($"The \"arguments\" string of tool call '{name}' is not valid Unicode text (a lone surrogate escape such as \\ud800).{cutOff}", null);
                }

                try
                {
                    using JsonDocument inner = JsonDocument.Parse(text);
                    if (inner.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        return Failed($"The \"arguments\" of tool call '{name}' must be a JSON object, not a string holding a JSON {inner.RootElement.ValueKind.ToString().ToLowerInvariant()}.{cutOff}", null);
                    }

                    if (Unreadable(inner.RootElement) is { } failed)
                    {
                        return failed;
                    }

                    dictionary = ToDictionary(inner.RootElement.Clone());
                }
                catch (JsonException e)
                {
                    return Failed($"The \"arguments\" string of tool call '{name}' is not valid JSON: {e.Message}{cutOff}", e);
                }
            }
            else
            {
                return Failed($"The \"arguments\" of tool call '{name}' must be a JSON object, not a JSON {arguments.ValueKind.ToString().ToLowerInvariant()}.{cutOff}", null);
            }

            return new FunctionCallContent(callId, name, dictionary) { RawRepresentation = raw };
        }
        catch (JsonException e)
        {
            name = RecoverName(raw);
            string what = terminated ? "is not valid JSON" : "was cut off before </tool_call>";
            return Failed($"The tool call {what}: {e.Message}", e);
        }

        // The arguments are handed on as JsonElements: a string in them that cannot be read would throw
        // InvalidOperationException in the tool's hands instead of telling the model what was wrong.
        FunctionCallContent? Unreadable(JsonElement arguments) =>
            JsonText.FindUnreadable(arguments, out string path)
                ? Failed($"The \"arguments\" of tool call '{name}' hold a string at '{path}' that is not valid Unicode text (a lone surrogate escape such as \\ud800).{cutOff}", null)
                : null;

        FunctionCallContent Failed(string message, Exception? inner) =>
            new(callId, name ?? RecoverName(raw) ?? string.Empty, null)
            {
                RawRepresentation = raw,
                Exception = new ToolCallFormatException(message, raw, inner),
            };
    }

    private static Dictionary<string, object?> ToDictionary(JsonElement element)
    {
        var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            // Like Python's json.loads, a repeated key keeps its last value.
            dictionary[property.Name] = property.Value;
        }

        return dictionary;
    }

    /// <summary>Finds <c>"name": "..."</c> in malformed call text, so a failed call still says which tool was meant.</summary>
    private static string? RecoverName(string raw)
    {
        int key = raw.IndexOf("\"name\"", StringComparison.Ordinal);
        if (key < 0)
        {
            return null;
        }

        ReadOnlySpan<char> rest = raw.AsSpan(key + 6).TrimStart();
        if (rest.IsEmpty || rest[0] != ':')
        {
            return null;
        }

        rest = rest[1..].TrimStart();
        if (rest.IsEmpty || rest[0] != '"')
        {
            return null;
        }

        rest = rest[1..];
        int close = rest.IndexOfAny('"', '\\');

        // A name with a lone surrogate would break whoever writes it back to the model as JSON.
        return close > 0 && rest[close] == '"' && JsonText.IndexOfLoneSurrogate(rest[..close]) < 0 ? rest[..close].ToString() : null;
    }
}
