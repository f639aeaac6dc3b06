using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Andes.GenAI;

/// <summary>
/// A compiled JSON grammar: tables of value, object, array, string and literal shapes that a
/// <see cref="GrammarMachine"/> runs, plus the root (a value, or a tool-call body). Built by
/// <see cref="JsonSchemaCompiler"/> and <see cref="Finish"/>ed once; immutable and shareable afterwards.
/// </summary>
internal sealed class JsonGrammar
{
    /// <summary>The most digits in a number's integer part (15 keeps every integer exact in a double).</summary>
    public const int MaxIntegerDigits = 15;

    /// <summary>The most digits in a number's fraction.</summary>
    public const int MaxFractionDigits = 15;

    /// <summary>The most digits in a number's exponent (two keep every number finite in a double).</summary>
    public const int MaxExponentDigits = 2;

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Initializes a new grammar.</summary>
    /// <param name="maxWhitespace">The most consecutive whitespace bytes allowed between tokens.</param>
    public JsonGrammar(int maxWhitespace)
    {
        MaxWhitespace = maxWhitespace;
        Strings.Add(new StringShape()); // index 0: unbounded (free-form keys)
    }

    /// <summary>Gets the most consecutive whitespace bytes allowed in one gap.</summary>
    public int MaxWhitespace { get; }

    /// <summary>Gets the value shapes.</summary>
    public List<ValueShape> Values { get; } = [];

    /// <summary>Gets the object shapes.</summary>
    public List<ObjectShape> Objects { get; } = [];

    /// <summary>Gets the array shapes.</summary>
    public List<ArrayShape> Arrays { get; } = [];

    /// <summary>Gets the string shapes (index 0 is unbounded).</summary>
    public List<StringShape> Strings { get; } = [];

    /// <summary>Gets the literal tries.</summary>
    public List<LiteralTrie> Literals { get; } = [];

    /// <summary>Gets or sets the root value shape (plain JSON documents), or -1.</summary>
    public int RootValue { get; set; } = -1;

    /// <summary>Gets or sets the tool-call body (tool-call grammars), or <see langword="null"/>.</summary>
    public TaggedShape? Tagged { get; set; }

    /// <summary>Gets the fewest bytes of a complete document.</summary>
    public int MinBytes { get; private set; }

    /// <summary>Gets the value shape that accepts any JSON value, creating it (and its shapes) on first use; compile time only.</summary>
    public int AnyValue
    {
        get
        {
            if (_anyValue < 0)
            {
                _anyValue = Values.Count;
                var value = new ValueShape();
                Values.Add(value);
                Objects.Add(new ObjectShape { Free = true, AdditionalValue = _anyValue });
                value.Object = Objects.Count - 1;
                Arrays.Add(new ArrayShape { Items = _anyValue });
                value.Array = Arrays.Count - 1;
                value.String = 0;
                value.Number = NumberShapes.Any;
                value.Literal = AddLiteralTrie([Utf8("true"), Utf8("false"), Utf8("null")]);
                ClaimAll(value);
            }

            return _anyValue;
        }
    }

    private int _anyValue = -1;

    /// <summary>Encodes a string as UTF-8.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Gets the quoted JSON text of a property name (minimal escaping, non-ASCII kept as UTF-8).</summary>
    public static byte[] QuotedName(string name)
    {
        ReadOnlySpan<byte> encoded = JsonEncodedText.Encode(name, Encoder).EncodedUtf8Bytes;
        byte[] quoted = new byte[encoded.Length + 2];
        quoted[0] = (byte)'"';
        encoded.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        return quoted;
    }

    /// <summary>Gets the compact canonical JSON text of a value (minimal escaping, non-ASCII kept as UTF-8).</summary>
    public static byte[] CanonicalJson(JsonElement value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Encoder, Indented = false }))
        {
            value.WriteTo(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Adds a literal trie.</summary>
    /// <returns>Its index.</returns>
    public int AddLiteralTrie(IReadOnlyList<byte[]> literals)
    {
        Literals.Add(new LiteralTrie(literals));
        return Literals.Count - 1;
    }

    /// <summary>Lets every alternative of a value claim its first bytes that no earlier alternative claimed.</summary>
    public void ClaimAll(ValueShape value)
    {
        if (value.Object >= 0)
        {
            Claim(value, (byte)'{', ValueAlternative.Object);
        }

        if (value.Array >= 0)
        {
            Claim(value, (byte)'[', ValueAlternative.Array);
        }

        if (value.String >= 0)
        {
            Claim(value, (byte)'"', ValueAlternative.String);
        }

        if (value.Number >= 0)
        {
            Claim(value, (byte)'-', ValueAlternative.Number);
            for (byte b = (byte)'0'; b <= '9'; b++)
            {
                Claim(value, b, ValueAlternative.Number);
            }
        }

        if (value.Literal >= 0)
        {
            foreach (byte b in Literals[value.Literal].FirstBytes)
            {
                Claim(value, b, ValueAlternative.Literal);
            }
        }
    }

    /// <summary>Claims a first byte for an alternative unless another alternative has it.</summary>
    public static void Claim(ValueShape value, byte b, ValueAlternative alternative)
    {
        if (value.Dispatch[b] == ValueAlternative.None)
        {
            value.Dispatch[b] = alternative;
        }
    }

    /// <summary>
    /// Computes every shape's shortest completion (a fixed point, so recursive <c>$ref</c>s work), drops alternatives
    /// that can never complete, and builds the per-object and per-trie cost tables.
    /// </summary>
    /// <returns><see langword="null"/>, or why the document can never be completed (for the caller to wrap in its exception type).</returns>
    public string? Finish()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (ValueShape value in Values)
            {
                int min = ComputeMinBytes(value);
                if (min < value.MinBytes)
                {
                    value.MinBytes = min;
                    changed = true;
                }
            }
        }

        Prune();
        foreach (ObjectShape shape in Objects)
        {
            BuildObjectTables(shape);
        }

        if (Tagged is not null)
        {
            int[] extra = new int[Tagged.Arguments.Length];
            for (int i = 0; i < extra.Length; i++)
            {
                extra[i] = Values[Tagged.Arguments[i]].MinBytes;
                if (extra[i] >= GrammarCost.Infinite)
                {
                    return $"the arguments schema of tool #{i} can never be satisfied";
                }
            }

            Literals[Tagged.PrefixTrie].SetExtraCosts(extra);
            int best = Literals[Tagged.PrefixTrie].Cost(0, 0, int.MaxValue);
            MinBytes = GrammarCost.Add(best, Tagged.Suffix.Length);
        }
        else
        {
            MinBytes = Values[RootValue].MinBytes;
        }

        return MinBytes >= GrammarCost.Infinite ? "the schema can never be satisfied (every alternative needs an infinite value)" : null;
    }

    private int ComputeMinBytes(ValueShape value)
    {
        int best = GrammarCost.Infinite;
        if (value.Object >= 0)
        {
            best = Math.Min(best, GrammarCost.Add(1, ObjectOpenCost(Objects[value.Object])));
        }

        if (value.Array >= 0)
        {
            ArrayShape array = Arrays[value.Array];
            best = Math.Min(best, GrammarCost.Add(1, ArrayOpenCost(array, Values[array.Items].MinBytes)));
        }

        if (value.String >= 0)
        {
            best = Math.Min(best, GrammarCost.Add(2, Strings[value.String].MinLength));
        }

        if (value.Number >= 0)
        {
            best = Math.Min(best, 1);
        }

        if (value.Literal >= 0)
        {
            best = Math.Min(best, Literals[value.Literal].Cost(0, 0, int.MaxValue));
        }

        return best;
    }

    /// <summary>The fewest bytes after <c>[</c> that close an array.</summary>
    public static int ArrayOpenCost(ArrayShape array, int itemCost)
        => array.MinItems == 0 ? 1 : GrammarCost.Multiply(GrammarCost.Add(itemCost, 1), array.MinItems);

    private int ObjectOpenCost(ObjectShape shape)
    {
        if (shape.Free)
        {
            return 1;
        }

        int total = 1;
        int count = 0;
        foreach (GrammarProperty property in shape.Properties)
        {
            if (property.Required)
            {
                total = GrammarCost.Add(total, GrammarCost.Add(QuotedName(property.Name).Length + 1, Values[property.Value].MinBytes));
                count++;
            }
        }

        return GrammarCost.Add(total, Math.Max(0, count - 1));
    }

    private void Prune()
    {
        foreach (ObjectShape shape in Objects)
        {
            if (shape.Free && Values[shape.AdditionalValue].MinBytes >= GrammarCost.Infinite)
            {
                shape.Free = false;
                shape.Properties = [];
            }
            else if (!shape.Free)
            {
                shape.Properties = [.. shape.Properties.Where(p => p.Required || Values[p.Value].MinBytes < GrammarCost.Infinite)];
            }
        }

        foreach (ArrayShape array in Arrays)
        {
            if (Values[array.Items].MinBytes >= GrammarCost.Infinite)
            {
                array.MaxItems = 0;
            }
        }

        foreach (ValueShape value in Values)
        {
            if (value.Object >= 0 && ObjectOpenCost(Objects[value.Object]) >= GrammarCost.Infinite)
            {
                Unclaim(value, ValueAlternative.Object);
            }

            if (value.Array >= 0 && Arrays[value.Array].MinItems > Arrays[value.Array].MaxItems)
            {
                Unclaim(value, ValueAlternative.Array);
            }
        }
    }

    private static void Unclaim(ValueShape value, ValueAlternative alternative)
    {
        for (int b = 0; b < 256; b++)
        {
            if (value.Dispatch[b] == alternative)
            {
                value.Dispatch[b] = ValueAlternative.None;
            }
        }
    }

    private void BuildObjectTables(ObjectShape shape)
    {
        if (shape.Free)
        {
            return;
        }

        GrammarProperty[] properties = shape.Properties;
        int n = properties.Length;
        shape.PropertyCost = new int[n];
        var keys = new byte[n][];
        for (int j = 0; j < n; j++)
        {
            keys[j] = QuotedName(properties[j].Name);
            shape.PropertyCost[j] = GrammarCost.Add(keys[j].Length + 1, Values[properties[j].Value].MinBytes);
        }

        shape.RequiredCostFrom = new int[n + 1];
        shape.RequiredCountFrom = new int[n + 1];
        for (int i = n - 1; i >= 0; i--)
        {
            bool required = properties[i].Required;
            shape.RequiredCostFrom[i] = GrammarCost.Add(shape.RequiredCostFrom[i + 1], required ? GrammarCost.Add(shape.PropertyCost[i], 1) : 0);
            shape.RequiredCountFrom[i] = shape.RequiredCountFrom[i + 1] + (required ? 1 : 0);
        }

        shape.LastCandidateFrom = new int[n];
        shape.NextPropertyCostFrom = new int[n];
        int firstRequired = n - 1;
        for (int i = n - 1; i >= 0; i--)
        {
            if (properties[i].Required)
            {
                firstRequired = i;
            }

            shape.LastCandidateFrom[i] = firstRequired;
        }

        for (int i = 0; i < n; i++)
        {
            int best = GrammarCost.Infinite;
            for (int j = i; j <= shape.LastCandidateFrom[i]; j++)
            {
                best = Math.Min(best, GrammarCost.Add(shape.PropertyCost[j], shape.RequiredCostFrom[j + 1]));
            }

            shape.NextPropertyCostFrom[i] = best;
        }

        shape.KeyTrie = AddLiteralTrie(keys);
        int[] extra = new int[n];
        for (int j = 0; j < n; j++)
        {
            extra[j] = GrammarCost.Add(1 + Values[properties[j].Value].MinBytes, shape.RequiredCostFrom[j + 1]);
        }

        Literals[shape.KeyTrie].SetExtraCosts(extra);
    }
}
