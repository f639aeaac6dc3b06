using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Andes;

/// <summary>
/// Reads strings out of a parsed <see cref="JsonDocument"/> without its <see cref="InvalidOperationException"/>s.
/// System.Text.Json accepts a string holding a lone surrogate escape (<c>"\ud800"</c>) or invalid UTF-8 bytes when it
/// parses, and throws only later, when the string (<see cref="JsonElement.GetString"/>), a property's name
/// (<see cref="JsonProperty.Name"/>) or even its raw text (<see cref="JsonElement.GetRawText"/>) is read. Readers of
/// untrusted files and model output go through here so that such a string becomes their own typed error. One source
/// file compiled into Andes.GenAI and Andes.ModelBuilder, like <see cref="Xoshiro256StarStar"/>.
/// </summary>
internal static class JsonText
{
    /// <summary>Reads a string value; false when it is not a string or is not valid Unicode.</summary>
    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            value = element.GetString();
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape or invalid UTF-8: the only failures left once the kind is String.
            return false;
        }

        return value is not null;
    }

    /// <summary>Reads a property's name; false when it is not valid Unicode.</summary>
    public static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    /// <summary>
    /// Finds a property of <paramref name="obj"/> whose name cannot be read. Check an object with this before
    /// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>, which unescapes every name it compares and so
    /// throws on such a name too.
    /// </summary>
    /// <param name="obj">A JSON object.</param>
    /// <param name="rawName">The unreadable name as the file spells it.</param>
    /// <returns>True when one was found.</returns>
    public static bool HasUnreadableName(JsonElement obj, [NotNullWhen(true)] out string? rawName)
    {
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (!TryGetName(property, out _))
            {
                rawName = RawName(property);
                return true;
            }
        }

        rawName = null;
        return false;
    }

    /// <summary>A property's name as the file spells it (escapes kept, invalid UTF-8 shown as U+FFFD), for messages.</summary>
    public static string RawName(JsonProperty property) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8PropertyName(property));

    /// <summary>A value's JSON text as the file spells it (escapes kept, invalid UTF-8 shown as U+FFFD), for messages.</summary>
    public static string RawText(JsonElement element) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));

    /// <summary>
    /// Finds the first string or property name under <paramref name="element"/> that cannot be read as text, so a
    /// value handed on (e.g. tool call arguments) never throws in its consumer's hands.
    /// </summary>
    /// <param name="element">The value to walk.</param>
    /// <param name="path">Where the unreadable string is (<c>a.b[2]</c>; empty for <paramref name="element"/> itself).</param>
    /// <returns>True when one was found.</returns>
    public static bool FindUnreadable(JsonElement element, out string path)
    {
        var builder = new StringBuilder();
        bool found = Walk(element, builder);
        path = builder.ToString();
        return found;

        static bool Walk(JsonElement element, StringBuilder path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return !TryGetString(element, out _);
                case JsonValueKind.Array:
                    int index = 0;
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        int mark = path.Length;
                        path.Append('[').Append(index++).Append(']');
                        if (Walk(item, path))
                        {
                            return true;
                        }

                        path.Length = mark;
                    }

                    return false;
                case JsonValueKind.Object:
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        int mark = path.Length;
                        if (path.Length > 0)
                        {
                            path.Append('.');
                        }

                        path.Append(RawName(property));
                        if (!TryGetName(property, out _) || Walk(property.Value, path))
                        {
                            return true;
                        }

                        path.Length = mark;
                    }

                    return false;
                default:
                    return false;
            }
        }
    }

    /// <summary>The index of the first lone surrogate in <paramref name="text"/>, or -1 when it is valid UTF-16.</summary>
    public static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
