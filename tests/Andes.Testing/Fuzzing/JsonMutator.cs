using System.Text;

namespace Andes.Testing.Fuzzing;

/// <summary>
/// Mutations of JSON text that keep most of its structure, so the input gets past the JSON parser to the code that
/// reads the values: a value replaced with an interesting one (null, [], {}, lone surrogate escapes, -2, 2^31, huge
/// numbers, strings with invalid UTF-8, invalid regular expressions ...), a key replaced (lone surrogates, invalid
/// UTF-8, another key of the object), a member deleted or duplicated, an escape or invalid bytes inserted into a
/// string, a value copied over another. Works on UTF-8 bytes, so it can write what no JSON writer would.
/// </summary>
public static class JsonMutator
{
    /// <summary>Values a reader must survive.</summary>
    public static readonly string[] InterestingValues =
    [
        "null", "[]", "{}", "\"\\ud800\"", "\"\\udc00\"", "\"a\\ud800b\"", "\"\\udfff\\ud800\"", "5", "-2", "0", "-1", "1.5", "2147483647", "2147483648",
        "4294967295", "4294967296", "-2147483649", "9223372036854775807", "9223372036854775808", "18446744073709551616", "1e309", "-1e309", "1e-400",
        "NaN", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "true", "false", "\"\"", "\"x\"", "[null]", "[-2]", "[0]", "[[]]", "[2147483648, 4294967296]",
        "{\"__metadata__\":5}", "{\"a\":null}", "\"((\"", "\"[a-\"", "\"*\"", "\"(a+)+$\"", "\"F32\"", "\"BF16\"", "\"I64\"", "\"BOOL\"", "\"F8_E4M3\"",
        "\"LORA\"", "\"\\u0000\"", "\"../../etc/passwd\"", "\"/abs\"", "\"" + new string('a', 5000) + "\"",
        new string('[', 100) + new string(']', 100),
    ];

    private static readonly string[] InterestingKeys =
    [
        "\"\\ud800\"", "\"\\udc00\"", "\"a\\ud800b\"", "\"\"", "\"__metadata__\"", "\"((\"", "\"[\"", "\"\\u0000\"", "\"x\"",
    ];

    private static readonly string[] StringInsertions = ["\\ud800", "\\udc00", "\\u0000", "\\\"", "\\\\", "\\n", "((", "%d"];

    /// <summary>Applies one to three JSON-aware mutations, falling back to byte mutations where the text is no longer JSON.</summary>
    /// <param name="random">The random source.</param>
    /// <param name="json">UTF-8 JSON (not changed).</param>
    /// <returns>The mutated bytes.</returns>
    public static byte[] Mutate(Random random, byte[] json)
    {
        byte[] data = json;
        int rounds = 1 + random.Next(3);
        for (int round = 0; round < rounds; round++)
        {
            data = MutateOnce(random, data);
        }

        return data;
    }

    private static byte[] MutateOnce(Random random, byte[] data)
    {
        var scan = new Scanner(data);
        scan.Run();
        if (scan.Values.Count == 0 || random.Next(12) == 0)
        {
            return ByteMutator.Mutate(random, data);
        }

        switch (random.Next(8))
        {
            case 0:
            case 1:
            {
                (int start, int end) = scan.Values[random.Next(scan.Values.Count)];
                return Splice(data, start, end, Interesting(random));
            }

            case 2 when scan.Members.Count > 0:
            {
                Member m = scan.Members[random.Next(scan.Members.Count)];
                Member other = scan.Members[random.Next(scan.Members.Count)];
                byte[] key = random.Next(3) == 0
                    ? data[other.KeyStart..other.KeyEnd]
                    : random.Next(4) == 0 ? [(byte)'"', .. ByteMutator.InvalidUtf8[random.Next(ByteMutator.InvalidUtf8.Length)], (byte)'"'] : Encoding.UTF8.GetBytes(InterestingKeys[random.Next(InterestingKeys.Length)]);
                return Splice(data, m.KeyStart, m.KeyEnd, key);
            }

            case 3 when scan.Members.Count > 0:
            {
                // Delete a member with its comma, so the rest still parses.
                Member m = scan.Members[random.Next(scan.Members.Count)];
                int start = m.KeyStart, end = m.ValueEnd;
                int after = SkipSpace(data, end);
                if (after < data.Length && data[after] == ',')
                {
                    end = after + 1;
                }
                else
                {
                    int before = start - 1;
                    while (before >= 0 && IsSpace(data[before]))
                    {
                        before--;
                    }

                    if (before >= 0 && data[before] == ',')
                    {
                        start = before;
                    }
                }

                return Splice(data, start, end, []);
            }

            case 4 when scan.Members.Count > 0:
            {
                // Duplicate a member: the same key twice in one object.
                Member m = scan.Members[random.Next(scan.Members.Count)];
                byte[] copy = [(byte)',', .. data[m.KeyStart..m.ValueEnd]];
                if (random.Next(2) == 0)
                {
                    copy = [(byte)',', .. data[m.KeyStart..m.KeyEnd], (byte)':', .. Interesting(random)];
                }

                return Splice(data, m.ValueEnd, m.ValueEnd, copy);
            }

            case 5 when scan.Strings.Count > 0:
            {
                (int start, int end) = scan.Strings[random.Next(scan.Strings.Count)];
                int at = start + 1 + random.Next(Math.Max(1, end - start - 1));
                byte[] insert = random.Next(3) == 0
                    ? ByteMutator.InvalidUtf8[random.Next(ByteMutator.InvalidUtf8.Length)]
                    : Encoding.UTF8.GetBytes(StringInsertions[random.Next(StringInsertions.Length)]);
                return Splice(data, at, at, insert);
            }

            case 6:
            {
                (int fromStart, int fromEnd) = scan.Values[random.Next(scan.Values.Count)];
                (int start, int end) = scan.Values[random.Next(scan.Values.Count)];
                return Splice(data, start, end, data[fromStart..fromEnd]);
            }

            default:
                return ByteMutator.Mutate(random, data);
        }
    }

    private static byte[] Interesting(Random random) => random.Next(8) == 0
        ? [(byte)'"', .. ByteMutator.InvalidUtf8[random.Next(ByteMutator.InvalidUtf8.Length)], (byte)'"']
        : Encoding.UTF8.GetBytes(InterestingValues[random.Next(InterestingValues.Length)]);

    private static byte[] Splice(byte[] data, int start, int end, ReadOnlySpan<byte> replacement) => [.. data.AsSpan(0, start), .. replacement, .. data.AsSpan(end)];

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private static int SkipSpace(byte[] data, int at)
    {
        while (at < data.Length && IsSpace(data[at]))
        {
            at++;
        }

        return at;
    }

    private readonly record struct Member(int KeyStart, int KeyEnd, int ValueEnd);

    /// <summary>A tolerant scan of JSON text that records where values, strings and object members are; it stops at the first syntax error.</summary>
    private sealed class Scanner(byte[] data)
    {
        private int _at;

        public List<(int Start, int End)> Values { get; } = [];

        public List<(int Start, int End)> Strings { get; } = [];

        public List<Member> Members { get; } = [];

        public void Run()
        {
            try
            {
                Value(0);
            }
            catch (FormatException)
            {
                // Not JSON from here on: the spans found so far still serve.
            }
        }

        private void Value(int depth)
        {
            if (depth > 200)
            {
                throw new FormatException();
            }

            _at = SkipSpace(data, _at);
            int start = _at;
            if (_at >= data.Length)
            {
                throw new FormatException();
            }

            switch (data[_at])
            {
                case (byte)'{':
                    _at++;
                    _at = SkipSpace(data, _at);
                    if (Peek() == '}')
                    {
                        _at++;
                        break;
                    }

                    while (true)
                    {
                        _at = SkipSpace(data, _at);
                        int keyStart = _at;
                        String();
                        int keyEnd = _at;
                        _at = SkipSpace(data, _at);
                        Expect(':');
                        Value(depth + 1);
                        Members.Add(new Member(keyStart, keyEnd, _at));
                        _at = SkipSpace(data, _at);
                        if (Peek() == ',')
                        {
                            _at++;
                            continue;
                        }

                        Expect('}');
                        break;
                    }

                    break;
                case (byte)'[':
                    _at++;
                    _at = SkipSpace(data, _at);
                    if (Peek() == ']')
                    {
                        _at++;
                        break;
                    }

                    while (true)
                    {
                        Value(depth + 1);
                        _at = SkipSpace(data, _at);
                        if (Peek() == ',')
                        {
                            _at++;
                            continue;
                        }

                        Expect(']');
                        break;
                    }

                    break;
                case (byte)'"':
                    String();
                    break;
                default:
                    while (_at < data.Length && data[_at] is not ((byte)',' or (byte)'}' or (byte)']') && !IsSpace(data[_at]))
                    {
                        _at++;
                    }

                    if (_at == start)
                    {
                        throw new FormatException();
                    }

                    break;
            }

            Values.Add((start, _at));
        }

        private void String()
        {
            int start = _at;
            Expect('"');
            while (_at < data.Length && data[_at] != '"')
            {
                _at += data[_at] == '\\' ? 2 : 1;
            }

            Expect('"');
            Strings.Add((start, _at));
        }

        private int Peek() => _at < data.Length ? data[_at] : -1;

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException();
            }

            _at++;
        }
    }
}
