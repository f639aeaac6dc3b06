using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Andes.Agents.Gui;

/// <summary>One key of a hotkey: a <see cref="SpecialKey"/> or a character key (letters are kept lower case).</summary>
public readonly record struct Key
{
    private static readonly Dictionary<string, SpecialKey> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["enter"] = SpecialKey.Enter, ["return"] = SpecialKey.Enter, ["tab"] = SpecialKey.Tab,
        ["esc"] = SpecialKey.Escape, ["escape"] = SpecialKey.Escape, ["backspace"] = SpecialKey.Backspace,
        ["delete"] = SpecialKey.Delete, ["del"] = SpecialKey.Delete, ["insert"] = SpecialKey.Insert, ["ins"] = SpecialKey.Insert,
        ["home"] = SpecialKey.Home, ["end"] = SpecialKey.End,
        ["pageup"] = SpecialKey.PageUp, ["page_up"] = SpecialKey.PageUp, ["pgup"] = SpecialKey.PageUp, ["prior"] = SpecialKey.PageUp,
        ["pagedown"] = SpecialKey.PageDown, ["page_down"] = SpecialKey.PageDown, ["pgdn"] = SpecialKey.PageDown, ["next"] = SpecialKey.PageDown,
        ["left"] = SpecialKey.Left, ["arrowleft"] = SpecialKey.Left, ["up"] = SpecialKey.Up, ["arrowup"] = SpecialKey.Up,
        ["right"] = SpecialKey.Right, ["arrowright"] = SpecialKey.Right, ["down"] = SpecialKey.Down, ["arrowdown"] = SpecialKey.Down,
        ["space"] = SpecialKey.Space, ["spacebar"] = SpecialKey.Space,
        ["ctrl"] = SpecialKey.Control, ["control"] = SpecialKey.Control, ["shift"] = SpecialKey.Shift,
        ["alt"] = SpecialKey.Alt, ["option"] = SpecialKey.Alt,
        ["meta"] = SpecialKey.Meta, ["super"] = SpecialKey.Meta, ["win"] = SpecialKey.Meta, ["windows"] = SpecialKey.Meta,
        ["cmd"] = SpecialKey.Meta, ["command"] = SpecialKey.Meta,
        ["capslock"] = SpecialKey.CapsLock, ["caps_lock"] = SpecialKey.CapsLock,
        ["printscreen"] = SpecialKey.PrintScreen, ["print"] = SpecialKey.PrintScreen, ["prtsc"] = SpecialKey.PrintScreen,
        ["menu"] = SpecialKey.Menu, ["apps"] = SpecialKey.Menu,
        ["f1"] = SpecialKey.F1, ["f2"] = SpecialKey.F2, ["f3"] = SpecialKey.F3, ["f4"] = SpecialKey.F4, ["f5"] = SpecialKey.F5,
        ["f6"] = SpecialKey.F6, ["f7"] = SpecialKey.F7, ["f8"] = SpecialKey.F8, ["f9"] = SpecialKey.F9, ["f10"] = SpecialKey.F10,
        ["f11"] = SpecialKey.F11, ["f12"] = SpecialKey.F12,
    };

    private Key(SpecialKey special, char character)
    {
        Special = special;
        Character = character;
    }

    /// <summary>The special key, or <see cref="SpecialKey.None"/> for a character key.</summary>
    public SpecialKey Special { get; }

    /// <summary>The character of a character key ('\0' for a special key).</summary>
    public char Character { get; }

    /// <summary>Whether this is a modifier (Control, Shift, Alt, Meta).</summary>
    public bool IsModifier => Special is SpecialKey.Control or SpecialKey.Shift or SpecialKey.Alt or SpecialKey.Meta;

    /// <summary>A special key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The key.</returns>
    public static Key Of(SpecialKey key)
        => key == SpecialKey.None ? throw new ArgumentOutOfRangeException(nameof(key), key, "SpecialKey.None is not a key.") : new Key(key, '\0');

    /// <summary>A character key (ASCII letters are lower-cased: Shift is a separate key in a hotkey).</summary>
    /// <param name="character">A printable character.</param>
    /// <returns>The key.</returns>
    public static Key Of(char character)
    {
        if (char.IsControl(character) || char.IsWhiteSpace(character) || char.IsSurrogate(character))
        {
            throw new ArgumentOutOfRangeException(nameof(character), $"U+{(int)character:X4} is not a printable key character.");
        }

        return new Key(SpecialKey.None, character is >= 'A' and <= 'Z' ? (char)(character + 32) : character);
    }

    /// <summary>Parses a key name (<c>ctrl</c>, <c>Enter</c>, <c>pgdn</c>, <c>f5</c>, <c>c</c>, <c>+</c>, ...).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The name is not a key.</exception>
    public static Key Parse(string name)
        => TryParse(name, out Key key) ? key : throw new FormatException($"'{name}' is not a key name (e.g. ctrl, shift, alt, meta, enter, tab, esc, f5, a single character).");

    /// <summary>Parses a key name without throwing.</summary>
    /// <param name="name">The name.</param>
    /// <param name="key">The key.</param>
    /// <returns>True when parsed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? name, out Key key)
    {
        key = default;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        string trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            if (name.Contains(' ', StringComparison.Ordinal))
            {
                key = Of(SpecialKey.Space);
                return true;
            }

            return false;
        }

        if (Names.TryGetValue(trimmed, out SpecialKey special))
        {
            key = Of(special);
            return true;
        }

        if (trimmed.Length == 1 && !char.IsControl(trimmed[0]))
        {
            key = Of(trimmed[0]);
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Special switch
    {
        SpecialKey.None => Character.ToString(CultureInfo.InvariantCulture),
        SpecialKey.Control => "ctrl",
        SpecialKey.Escape => "esc",
        SpecialKey.PageUp => "pageup",
        SpecialKey.PageDown => "pagedown",
        _ => Special.ToString().ToLowerInvariant(),
    };
}
