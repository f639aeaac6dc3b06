using System.Text.Json;
using System.Text.Json.Serialization;

namespace Andes.Agents.Gui;

/// <summary>
/// A hotkey: keys pressed in order and released in reverse (e.g. <c>ctrl+shift+t</c>). Parses the forms models write:
/// <c>ctrl c</c>, <c>ctrl+c</c>, <c>Ctrl+Shift+T</c>, <c>ctrl++</c>.
/// </summary>
[JsonConverter(typeof(KeyChordJsonConverter))]
public sealed class KeyChord : IEquatable<KeyChord>
{
    /// <summary>Creates a chord.</summary>
    /// <param name="keys">The keys, in press order (at least one).</param>
    public KeyChord(IEnumerable<Key> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = [.. keys];
        if (Keys.Count == 0)
        {
            throw new ArgumentException("A hotkey needs at least one key.", nameof(keys));
        }
    }

    /// <summary>The keys, in press order.</summary>
    public IReadOnlyList<Key> Keys { get; }

    /// <summary>Parses a hotkey (keys separated by spaces or '+').</summary>
    /// <param name="text">The hotkey text.</param>
    /// <returns>The chord.</returns>
    /// <exception cref="FormatException">A part is not a key name, or the text is empty.</exception>
    public static KeyChord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new FormatException("The hotkey is empty.");
        }

        List<string> parts = trimmed.Contains(' ', StringComparison.Ordinal)
            ? [.. trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)]
            : SplitOnPlus(trimmed);
        var keys = new List<Key>(parts.Count);
        foreach (string part in parts)
        {
            if (!Key.TryParse(part, out Key key))
            {
                throw new FormatException($"The hotkey '{text}' has '{part}', which is not a key name (e.g. ctrl, shift, alt, meta, enter, tab, esc, f5, a single character).");
            }

            keys.Add(key);
        }

        return new KeyChord(keys);
    }

    /// <inheritdoc />
    public bool Equals(KeyChord? other) => other is not null && Keys.SequenceEqual(other.Keys);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as KeyChord);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (Key key in Keys)
        {
            hash.Add(key);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('+', Keys);

    private static List<string> SplitOnPlus(string text)
    {
        // "ctrl++" is ctrl and '+'; "+" alone is the '+' key.
        var parts = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '+' && i > start)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            parts.Add(text[start..]);
        }

        return parts;
    }

    // Internal, not private: the source-generated JSON context instantiates it.
    internal sealed class KeyChordJsonConverter : JsonConverter<KeyChord>
    {
        public override KeyChord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => Parse(reader.GetString() ?? throw new JsonException("A hotkey must be a string such as \"ctrl+c\"."));

        public override void Write(Utf8JsonWriter writer, KeyChord value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
