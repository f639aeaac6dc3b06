namespace Andes.Agents.Gui;

/// <summary>
/// A tiny built-in 5x7 bitmap font for printable ASCII (the glyphs of the public-domain X11 "misc-fixed" 5x7 font),
/// used to label synthetic screenshots and trajectory images. Characters outside ASCII 32-126 draw as '?'.
/// </summary>
internal static class BitmapFont
{
    /// <summary>Glyph cell width in pixels (the glyph and one column of spacing).</summary>
    public const int CellWidth = 6;

    /// <summary>Glyph cell height in pixels (the glyph and one row of spacing).</summary>
    public const int CellHeight = 8;

    /// <summary>Glyph width.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Glyph height.</summary>
    public const int GlyphHeight = 7;

    // 95 glyphs (ASCII 32..126), 7 rows each, one byte per row (bit 4 = leftmost column), as hex.
    private const string Data = "00000000000000 04040404000400 0A0A0A00000000 000A1F0A1F0A00 000E140E050E00 10120408120200 00081408140A00 04040400000000 04080808080400 08040404040800 000A040E040A00 0004041F040400 00000000060408 0000001E000000 000000000C0C00 00020408100000 040A0A0A0A0400 040C0404040E00 0C120204081E00 1E020C02120C00 040C141E040400 1E101C02120C00 0C101C12120C00 1E020404080800 0C120C12120C00 0C12120E020C00 000C0C000C0C00 000C0C000C0810 00020408040200 00001E001E0000 00080402040800 040A0204000400 0C121616100C00 0C12121E121200 1C121C12121C00 0C121010120C00 1C121212121C00 1E101C10101E00 1E101C10101000 0C121016120E00 12121E12121200 0E040404040E00 02020202120C00 12141818141200 10101010101E00 121E1E12121200 121A1A16161200 0C121212120C00 1C12121C101000 0C1212121A0C02 1C12121C141200 0C120804120C00 0E040404040400 12121212120C00 121212120C0C00 1212121E1E1200 12120C0C121200 0A0A0A04040400 1E020408101E00 0E080808080E00 00100804020000 0E020202020E00 040A0000000000 00000000001E00 08040000000000 00000E12160A00 10101C12121C00 00000C10100C00 02020E12120E00 00000C16180C00 040A081C080800 00000E120C100E 10101C12121200 04000C04040E00 02000202020A04 10101418141200 0C040404040E00 0000141E121200 00001C12121200 00000C12120C00 00001C12121C10 00000E12120E02 00001C12101000 00000E18061C00 08081C08080600 00001212120E00 00000A0A0A0400 000012121E1E00 0000120C0C1200 000012120A0408 00001E04081E00 02040C04040200 04040404040400 08040604040800 0A140000000000";

    private static readonly byte[] Rows = Decode();

    /// <summary>The 7 row masks of a character's glyph (bit 4 is the leftmost pixel).</summary>
    /// <param name="c">The character.</param>
    /// <returns>The glyph rows.</returns>
    public static ReadOnlySpan<byte> Glyph(char c)
    {
        int index = c is >= ' ' and <= '~' ? c - ' ' : '?' - ' ';
        return Rows.AsSpan(index * GlyphHeight, GlyphHeight);
    }

    private static byte[] Decode()
    {
        string[] glyphs = Data.Split(' ');
        var rows = new byte[glyphs.Length * GlyphHeight];
        for (int g = 0; g < glyphs.Length; g++)
        {
            for (int r = 0; r < GlyphHeight; r++)
            {
                rows[g * GlyphHeight + r] = Convert.ToByte(glyphs[g].Substring(r * 2, 2), 16);
            }
        }

        return rows;
    }
}
