using System.Text;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Keysym values (X11/keysymdef.h) for special keys and characters.</summary>
internal static class X11Keysyms
{
    public const nuint ShiftL = 0xFFE1;

    /// <summary>The keysym of a special key.</summary>
    public static nuint Of(SpecialKey key) => key switch
    {
        SpecialKey.Enter => 0xFF0D,
        SpecialKey.Tab => 0xFF09,
        SpecialKey.Escape => 0xFF1B,
        SpecialKey.Backspace => 0xFF08,
        SpecialKey.Delete => 0xFFFF,
        SpecialKey.Insert => 0xFF63,
        SpecialKey.Home => 0xFF50,
        SpecialKey.End => 0xFF57,
        SpecialKey.PageUp => 0xFF55,
        SpecialKey.PageDown => 0xFF56,
        SpecialKey.Left => 0xFF51,
        SpecialKey.Up => 0xFF52,
        SpecialKey.Right => 0xFF53,
        SpecialKey.Down => 0xFF54,
        SpecialKey.Space => 0x20,
        SpecialKey.Control => 0xFFE3,
        SpecialKey.Shift => ShiftL,
        SpecialKey.Alt => 0xFFE9,
        SpecialKey.Meta => 0xFFEB,
        SpecialKey.CapsLock => 0xFFE5,
        SpecialKey.PrintScreen => 0xFF61,
        SpecialKey.Menu => 0xFF67,
        >= SpecialKey.F1 and <= SpecialKey.F12 => (nuint)(0xFFBE + (key - SpecialKey.F1)),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "No keysym for this key."),
    };

    /// <summary>The keysym of a key.</summary>
    public static nuint Of(Key key) => key.Special == SpecialKey.None ? Of(new Rune(key.Character)) : Of(key.Special);

    /// <summary>The keysym of a character: Latin-1 maps directly, other code points to 0x01000000 + code point.</summary>
    public static nuint Of(Rune rune) => rune.Value switch
    {
        '\n' or '\r' => 0xFF0D,
        '\t' => 0xFF09,
        '\b' => 0xFF08,
        0x1B => 0xFF1B,
        >= 0x20 and <= 0x7E => (nuint)rune.Value,
        >= 0xA0 and <= 0xFF => (nuint)rune.Value,
        _ => (nuint)(0x01000000 + rune.Value),
    };
}
