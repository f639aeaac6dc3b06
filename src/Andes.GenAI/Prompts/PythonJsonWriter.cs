using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Andes.GenAI;

/// <summary>
/// Writes values as Python's <c>json.dumps(value, ensure_ascii=False)</c> does (Hugging Face's Jinja <c>tojson</c>
/// filter): separators <c>", "</c> and <c>": "</c>, keys in insertion order, non-ASCII characters verbatim, floats in
/// Python <c>repr</c> form (<c>1.0</c>, <c>1e-05</c>, <c>1e+16</c>).
/// </summary>
/// <remarks>
/// Dictionaries, lists, <see cref="JsonElement"/>, strings, numbers and booleans are written directly (so a
/// <see cref="double"/> keeps its Python form); any other object is first serialized to a <see cref="JsonElement"/>
/// with the given <see cref="JsonSerializerOptions"/>. Lone surrogates are escaped as <c>\uXXXX</c> (Python would
/// write them raw, producing text that is not valid UTF-8).
/// </remarks>
internal static class PythonJsonWriter
{
    private const int MaxDepth = 64;

    /// <summary>Appends <paramref name="value"/> as JSON to <paramref name="builder"/>.</summary>
    public static void Write(StringBuilder builder, object? value, JsonSerializerOptions options) =>
        WriteValue(builder, value, options, 0);

    /// <summary>Returns <paramref name="value"/> as JSON text.</summary>
    public static string ToJson(object? value, JsonSerializerOptions options)
    {
        var builder = new StringBuilder();
        Write(builder, value, options);
        return builder.ToString();
    }

    private static void WriteValue(StringBuilder builder, object? value, JsonSerializerOptions options, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"Cannot write JSON nested deeper than {MaxDepth} levels (is there a reference cycle?).");
        }

        switch (value)
        {
            case null:
                builder.Append("null");
                return;
            case string s:
                WriteString(builder, s);
                return;
            case char c:
                WriteString(builder, c.ToString());
                return;
            case bool b:
                builder.Append(b ? "true" : "false");
                return;
            case JsonElement element:
                WriteElement(builder, element, depth);
                return;
            case double d:
                WriteDouble(builder, d);
                return;
            case float f:
                WriteFloat(builder, f);
                return;
            case Half h:
                WriteFloat(builder, (float)h);
                return;
            case sbyte or byte or short or ushort or int or uint or long or ulong or nint or nuint or decimal or Int128 or UInt128 or System.Numerics.BigInteger:
                builder.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                return;
            case Enum or byte[] or JsonNode or ReadOnlyMemory<byte> or Memory<byte>:
                WriteSerialized(builder, value, options, depth);
                return;
            case IDictionary<string, object?> generic:
                WriteObject(builder, generic, options, depth);
                return;
            case IReadOnlyDictionary<string, object?> readOnly:
                WriteObject(builder, readOnly, options, depth);
                return;
            case IDictionary dictionary:
                WriteDictionary(builder, dictionary, options, depth);
                return;
            case IEnumerable enumerable:
                builder.Append('[');
                bool first = true;
                foreach (object? item in enumerable)
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    WriteValue(builder, item, options, depth + 1);
                }

                builder.Append(']');
                return;
            default:
                WriteSerialized(builder, value, options, depth);
                return;
        }
    }

    private static void WriteSerialized(StringBuilder builder, object value, JsonSerializerOptions options, int depth)
    {
        JsonElement element;
        try
        {
            element = JsonSerializer.SerializeToElement(value, options.GetTypeInfo(value.GetType()));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            throw new NotSupportedException(
                $"Cannot render a value of type '{value.GetType().FullName}' as JSON for the prompt: {e.Message}", e);
        }

        WriteElement(builder, element, depth);
    }

    private static void WriteObject(StringBuilder builder, IEnumerable<KeyValuePair<string, object?>> pairs, JsonSerializerOptions options, int depth)
    {
        builder.Append('{');
        bool first = true;
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            WriteString(builder, pair.Key);
            builder.Append(": ");
            WriteValue(builder, pair.Value, options, depth + 1);
        }

        builder.Append('}');
    }

    private static void WriteDictionary(StringBuilder builder, IDictionary dictionary, JsonSerializerOptions options, int depth)
    {
        builder.Append('{');
        bool first = true;
        foreach (DictionaryEntry entry in dictionary)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            WriteString(builder, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
            builder.Append(": ");
            WriteValue(builder, entry.Value, options, depth + 1);
        }

        builder.Append('}');
    }

    /// <summary>Appends a <see cref="JsonElement"/> in Python form.</summary>
    public static void WriteElement(StringBuilder builder, JsonElement element, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"Cannot write JSON nested deeper than {MaxDepth} levels.");
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                builder.Append('{');
                bool first = true;
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    WriteString(builder, property.Name);
                    builder.Append(": ");
                    WriteElement(builder, property.Value, depth + 1);
                }

                builder.Append('}');
                return;
            }

            case JsonValueKind.Array:
            {
                builder.Append('[');
                bool first = true;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    WriteElement(builder, item, depth + 1);
                }

                builder.Append(']');
                return;
            }

            case JsonValueKind.String:
                WriteString(builder, element.GetString()!);
                return;
            case JsonValueKind.Number:
                WriteNumberText(builder, element.GetRawText());
                return;
            case JsonValueKind.True:
                builder.Append("true");
                return;
            case JsonValueKind.False:
                builder.Append("false");
                return;
            default:
                builder.Append("null");
                return;
        }
    }

    /// <summary>
    /// Writes a JSON number literal as Python would after <c>json.loads</c>: integers keep their digits, anything
    /// with a fraction or exponent becomes a float in <c>repr</c> form.
    /// </summary>
    private static void WriteNumberText(StringBuilder builder, string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
        {
            builder.Append(raw == "-0" ? "0" : raw);
            return;
        }

        WriteDouble(builder, double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Appends <paramref name="value"/> as Python's <c>float.__repr__</c> does.</summary>
    public static void WriteDouble(StringBuilder builder, double value)
    {
        if (double.IsNaN(value))
        {
            builder.Append("NaN");
            return;
        }

        if (double.IsInfinity(value))
        {
            builder.Append(value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        // "R" gives the shortest string that round-trips, the same digits Python's repr chooses.
        WriteShortest(builder, value.ToString("R", CultureInfo.InvariantCulture), value < 0 || (value == 0 && double.IsNegative(value)));
    }

    private static void WriteFloat(StringBuilder builder, float value)
    {
        if (float.IsNaN(value) || float.IsInfinity(value))
        {
            WriteDouble(builder, value);
            return;
        }

        // The float's own shortest digits (1.1f prints as 1.1, not 1.100000023841858).
        WriteShortest(builder, value.ToString("R", CultureInfo.InvariantCulture), value < 0 || (value == 0 && float.IsNegative(value)));
    }

    /// <summary>Re-lays out .NET's shortest round-trip text (e.g. <c>1E+16</c>, <c>-0.0001</c>) the Python way.</summary>
    private static void WriteShortest(StringBuilder builder, string text, bool negative)
    {
        ReadOnlySpan<char> span = text.AsSpan();
        if (span.Length > 0 && span[0] == '-')
        {
            span = span[1..];
        }

        int exponent = 0;
        int e = span.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(span[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            span = span[..e];
        }

        // Collect the significant digits and the position of the decimal point relative to them.
        Span<char> digits = stackalloc char[span.Length];
        int count = 0;
        int pointPosition = -1;
        foreach (char c in span)
        {
            if (c == '.')
            {
                pointPosition = count;
            }
            else
            {
                digits[count++] = c;
            }
        }

        if (pointPosition < 0)
        {
            pointPosition = count;
        }

        int leading = 0;
        while (leading < count - 1 && digits[leading] == '0')
        {
            leading++;
        }

        int trailing = count;
        while (trailing > leading + 1 && digits[trailing - 1] == '0')
        {
            trailing--;
        }

        ReadOnlySpan<char> significant = digits[leading..trailing];
        bool isZero = significant.Length == 1 && significant[0] == '0';

        // value = 0.d1d2d3... x 10^decimalPoint
        int decimalPoint = isZero ? 1 : pointPosition - leading + exponent;

        if (negative)
        {
            builder.Append('-');
        }

        if (!isZero && (decimalPoint > 16 || decimalPoint < -3))
        {
            builder.Append(significant[0]);
            if (significant.Length > 1)
            {
                builder.Append('.').Append(significant[1..]);
            }

            int shown = decimalPoint - 1;
            builder.Append('e').Append(shown < 0 ? '-' : '+');
            int magnitude = Math.Abs(shown);
            if (magnitude < 10)
            {
                builder.Append('0');
            }

            builder.Append(magnitude.ToString(CultureInfo.InvariantCulture));
            return;
        }

        if (decimalPoint <= 0)
        {
            builder.Append("0.").Append('0', -decimalPoint).Append(significant);
        }
        else if (decimalPoint >= significant.Length)
        {
            builder.Append(significant).Append('0', decimalPoint - significant.Length).Append(".0");
        }
        else
        {
            builder.Append(significant[..decimalPoint]).Append('.').Append(significant[decimalPoint..]);
        }
    }

    /// <summary>Appends a quoted JSON string escaped as Python's <c>json.dumps(ensure_ascii=False)</c> does.</summary>
    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        ReadOnlySpan<char> span = value.AsSpan();
        int start = 0;
        for (int i = 0; i < span.Length; i++)
        {
            char c = span[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                _ => null,
            };

            if (escape is null)
            {
                if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
                {
                    i++;
                    continue;
                }

                if (c >= 0x20 && !char.IsSurrogate(c))
                {
                    continue;
                }
            }

            builder.Append(span[start..i]);
            if (escape is not null)
            {
                builder.Append(escape);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }

            start = i + 1;
        }

        builder.Append(span[start..]);
        builder.Append('"');
    }
}
