namespace Andes.GenAI;

/// <summary>
/// GPT-2's reversible byte-to-character table ("bytes_to_unicode"): printable bytes map to themselves, the other 68
/// bytes to U+0100 and up, so every byte-level vocabulary entry is a string of these 256 characters.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>Character for each byte value.</summary>
    public static readonly char[] ByteToChar = BuildByteToChar();

    /// <summary>Byte for each character below U+0144 (the highest mapped character), -1 for unmapped characters.</summary>
    private static readonly short[] CharToByte = BuildCharToByte();

    /// <summary>Maps a byte-level character back to its byte.</summary>
    /// <param name="c">The character.</param>
    /// <param name="value">The byte.</param>
    /// <returns><see langword="true"/> if the character belongs to the alphabet.</returns>
    public static bool TryGetByte(char c, out byte value)
    {
        if (c < CharToByte.Length && CharToByte[c] >= 0)
        {
            value = (byte)CharToByte[c];
            return true;
        }

        value = 0;
        return false;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)(256 + next++);
        }

        return table;
    }

    private static short[] BuildCharToByte()
    {
        var table = new short[256 + 68];
        Array.Fill(table, (short)-1);
        for (int b = 0; b < 256; b++)
        {
            table[ByteToChar[b]] = (short)b;
        }

        return table;
    }
}
