using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Andes.Cli.Commands;

/// <summary>
/// The rules every option value meets before a command runs (so a bad value fails before any model loads): numbers
/// parsed with messages a person can act on, ranges, and flags that contradict each other. One home for them, so every
/// command words its errors the same way.
/// </summary>
internal static class OptionRules
{
    /// <summary>
    /// Gives every numeric option under <paramref name="command"/> (its subcommands included) a parser whose error names
    /// the option and the value in words (System.CommandLine's own names the CLR type, e.g. <c>System.Nullable`1[System.Single]</c>).
    /// </summary>
    public static void UseReadableNumberParsers(Command command)
    {
        foreach (Option option in command.Options)
        {
            switch (option)
            {
                case Option<int> o when o.CustomParser is null:
                    o.CustomParser = r => ParseNumber<int>(r, o.Name);
                    break;
                case Option<int?> o when o.CustomParser is null:
                    o.CustomParser = r => r.Tokens.Count == 0 ? null : ParseNumber<int>(r, o.Name);
                    break;
                case Option<long> o when o.CustomParser is null:
                    o.CustomParser = r => ParseNumber<long>(r, o.Name);
                    break;
                case Option<long?> o when o.CustomParser is null:
                    o.CustomParser = r => r.Tokens.Count == 0 ? null : ParseNumber<long>(r, o.Name);
                    break;
                case Option<ulong> o when o.CustomParser is null:
                    o.CustomParser = r => ParseNumber<ulong>(r, o.Name);
                    break;
                case Option<float> o when o.CustomParser is null:
                    o.CustomParser = r => ParseNumber<float>(r, o.Name);
                    break;
                case Option<float?> o when o.CustomParser is null:
                    o.CustomParser = r => r.Tokens.Count == 0 ? null : ParseNumber<float>(r, o.Name);
                    break;
                case Option<double> o when o.CustomParser is null:
                    o.CustomParser = r => ParseNumber<double>(r, o.Name);
                    break;
                case Option<double?> o when o.CustomParser is null:
                    o.CustomParser = r => r.Tokens.Count == 0 ? null : ParseNumber<double>(r, o.Name);
                    break;
                default:
                    break;
            }
        }

        foreach (Command sub in command.Subcommands)
        {
            UseReadableNumberParsers(sub);
        }
    }

    /// <summary>Requires the value, when given, to be within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T> Between<T>(this Option<T> option, T min, T max, string? meaning = null)
        where T : struct, INumber<T> => option.Limit(min, max, meaning);

    /// <inheritdoc cref="Between{T}(Option{T}, T, T, string?)"/>
    public static Option<T?> Between<T>(this Option<T?> option, T min, T max, string? meaning = null)
        where T : struct, INumber<T> => option.Limit(min, max, meaning);

    /// <summary>Requires the value, when given, to be at least <paramref name="min"/>.</summary>
    public static Option<T> AtLeast<T>(this Option<T> option, T min, string? meaning = null)
        where T : struct, INumber<T> => option.Limit(min, null, meaning);

    /// <inheritdoc cref="AtLeast{T}(Option{T}, T, string?)"/>
    public static Option<T?> AtLeast<T>(this Option<T?> option, T min, string? meaning = null)
        where T : struct, INumber<T> => option.Limit(min, null, meaning);

    /// <summary>Requires the value, when given, to be greater than zero (and finite).</summary>
    public static Option<T?> Positive<T>(this Option<T?> option, string? meaning = null)
        where T : struct, IFloatingPoint<T>
    {
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out T? given) && given is T value && !(value > T.Zero && T.IsFinite(value)))
            {
                r.AddError($"{option.Name} {Format(value)}: give a number greater than 0{Meaning(meaning)}.");
            }
        });
        return option;
    }

    /// <summary>Rejects <paramref name="flag"/> given together with any of <paramref name="others"/>, naming both.</summary>
    public static void Excludes(this Command command, Option<bool> flag, string why, params Option[] others)
    {
        command.Validators.Add(r =>
        {
            if (r.GetResult(flag) is not { Implicit: false } || !r.GetValue(flag))
            {
                return;
            }

            foreach (Option other in others)
            {
                if (r.GetResult(other) is { Implicit: false })
                {
                    r.AddError($"{flag.Name} and {other.Name} contradict each other: {why}; give one of them.");
                }
            }
        });
    }

    private static T ParseNumber<T>(ArgumentResult result, string optionName)
        where T : struct, INumber<T>
    {
        if (result.Tokens.Count == 0)
        {
            return default;
        }

        string text = result.Tokens[^1].Value;
        bool whole = typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(ulong);
        NumberStyles style = whole ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out T value) && (whole || IsFinite(value)))
        {
            return value;
        }

        string kind = whole ? "a whole number" : "a number";
        if (typeof(T) == typeof(ulong))
        {
            kind = "a whole number, 0 or more";
        }

        result.AddError($"{optionName}: '{text}' is not {kind}.");
        return default;
    }

    private static bool IsFinite<T>(T value)
        where T : struct, INumber<T> => T.IsFinite(value);

    private static Option<TValue> Limit<TValue, T>(this Option<TValue> option, T min, T? max, string? meaning)
        where T : struct, INumber<T>
    {
        option.Validators.Add(r =>
        {
            if (!TryGetValue(r, out TValue? given) || given is not T value || (value >= min && (max is null || value <= max.Value)))
            {
                return;
            }

            string range = max is null ? $"of at least {Format(min)}" : $"from {Format(min)} to {Format(max.Value)}";
            r.AddError($"{option.Name} {Format(value)}: give a value {range}{Meaning(meaning)}.");
        });
        return option;
    }

    /// <summary>
    /// The option's value, or false when it did not parse (its parser has reported that, and System.CommandLine
    /// throws from GetValueOrDefault on such a result rather than returning a default).
    /// </summary>
    public static bool TryGetValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    private static string Meaning(string? meaning) => meaning is null ? string.Empty : $" ({meaning})";

    private static string Format<T>(T value)
        where T : INumber<T> => value.ToString(null, CultureInfo.InvariantCulture);
}
