using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Andes.SemanticKernel;

/// <summary>
/// Lenient, checked conversion of loosely typed setting values (CLR values, strings from configuration files,
/// <see cref="JsonElement"/>s from JSON round trips) to the types the engine wants.
/// </summary>
internal static class ExecutionSettingValue
{
    /// <summary>Finds <paramref name="key"/> in <paramref name="values"/>, ignoring case.</summary>
    public static bool TryFind<TValue>(IEnumerable<KeyValuePair<string, TValue>>? values, string key, out string foundKey, out object? value)
    {
        if (values is not null)
        {
            foreach (KeyValuePair<string, TValue> pair in values)
            {
                if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    foundKey = pair.Key;
                    value = pair.Value;
                    return true;
                }
            }
        }

        foundKey = key;
        value = null;
        return false;
    }

    public static float? ToSingle(object? value, string key, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case float f:
                return f;
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return null;
            case JsonElement { ValueKind: JsonValueKind.Number } json:
                return (float)json.GetDouble();
            case JsonElement { ValueKind: JsonValueKind.String } json:
                return ParseSingle(json.GetString()!, value, key, source);
            case string s:
                return ParseSingle(s, value, key, source);
            case double or decimal or int or long or short or byte or sbyte or ushort or uint or ulong:
                return Convert.ToSingle(value, CultureInfo.InvariantCulture);
            default:
                throw Invalid(value, key, source, "a number");
        }
    }

    public static int? ToInt32(object? value, string key, string source)
    {
        long? wide = ToInt64(value, key, source, "an integer");
        if (wide is null)
        {
            return null;
        }

        if (wide < int.MinValue || wide > int.MaxValue)
        {
            throw Invalid(value, key, source, "a 32-bit integer");
        }

        return (int)wide.Value;
    }

    public static long? ToInt64(object? value, string key, string source) => ToInt64(value, key, source, "an integer");

    public static bool? ToBoolean(object? value, string key, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case bool b:
                return b;
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return null;
            case JsonElement { ValueKind: JsonValueKind.True }:
                return true;
            case JsonElement { ValueKind: JsonValueKind.False }:
                return false;
            case JsonElement { ValueKind: JsonValueKind.String } json when bool.TryParse(json.GetString(), out bool parsed):
                return parsed;
            case string s when bool.TryParse(s.Trim(), out bool parsed):
                return parsed;
            default:
                throw Invalid(value, key, source, "true or false");
        }
    }

    public static string? ToText(object? value, string key, string source) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        _ => throw Invalid(value, key, source, "a string"),
    };

    public static List<string>? ToStringList(object? value, string key, string source)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return [s];
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return null;
            case JsonElement { ValueKind: JsonValueKind.String } json:
                return [json.GetString()!];
            case JsonElement { ValueKind: JsonValueKind.Array } json:
                var fromJson = new List<string>();
                foreach (JsonElement item in json.EnumerateArray())
                {
                    fromJson.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(value, key, source, "a list of strings"));
                }

                return fromJson;
            case IEnumerable items:
                var list = new List<string>();
                foreach (object? item in items)
                {
                    list.Add(item switch
                    {
                        string text => text,
                        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString()!,
                        _ => throw Invalid(value, key, source, "a list of strings"),
                    });
                }

                return list;
            default:
                throw Invalid(value, key, source, "a list of strings");
        }
    }

    private static long? ToInt64(object? value, string key, string source, string expected)
    {
        switch (value)
        {
            case null:
                return null;
            case int i:
                return i;
            case long l:
                return l;
            case short or byte or sbyte or ushort or uint:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong u when u <= long.MaxValue:
                return (long)u;
            case double or float or decimal:
                decimal d;
                try
                {
                    d = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                }
                catch (OverflowException)
                {
                    throw Invalid(value, key, source, expected);
                }

                return d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue ? (long)d : throw Invalid(value, key, source, expected);
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return null;
            case JsonElement { ValueKind: JsonValueKind.Number } json:
                if (json.TryGetInt64(out long n))
                {
                    return n;
                }

                return json.TryGetDecimal(out decimal dj) && dj == decimal.Truncate(dj) && dj >= long.MinValue && dj <= long.MaxValue
                    ? (long)dj
                    : throw Invalid(value, key, source, expected);
            case JsonElement { ValueKind: JsonValueKind.String } json:
                return long.TryParse(json.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long fromJsonString) ? fromJsonString : throw Invalid(value, key, source, expected);
            case string s:
                return long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) ? parsed : throw Invalid(value, key, source, expected);
            default:
                throw Invalid(value, key, source, expected);
        }
    }

    private static float ParseSingle(string text, object value, string key, string source) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float parsed) ? parsed : throw Invalid(value, key, source, "a number");

    private static ArgumentException Invalid(object? value, string key, string source, string expected)
    {
        string shown = value switch
        {
            JsonElement json => $"{json.GetRawText()} (JSON {json.ValueKind})",
            _ => $"'{value}' ({value?.GetType().Name ?? "null"})",
        };
        return new ArgumentException($"{source}[\"{key}\"] must be {expected}, not {shown}.", key);
    }
}
