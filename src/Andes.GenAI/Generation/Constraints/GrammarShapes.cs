namespace Andes.GenAI;

/// <summary>Which construct a value position starts for a given first byte.</summary>
internal enum ValueAlternative : byte
{
    /// <summary>The byte cannot start the value.</summary>
    None,

    /// <summary><c>{</c> starts the value's object shape.</summary>
    Object,

    /// <summary><c>[</c> starts the value's array shape.</summary>
    Array,

    /// <summary><c>"</c> starts the value's string shape.</summary>
    String,

    /// <summary><c>-</c> or a digit starts the value's number shape.</summary>
    Number,

    /// <summary>The byte starts one of the value's literals.</summary>
    Literal,
}

/// <summary>
/// What may appear at one value position: at most one object, array, string and number shape, plus a set of
/// literals, chosen by the value's first byte (the first alternative of a schema that claims a byte wins).
/// </summary>
internal sealed class ValueShape
{
    /// <summary>Gets the alternative started by each first byte.</summary>
    public ValueAlternative[] Dispatch { get; } = new ValueAlternative[256];

    /// <summary>Gets or sets the object shape index, or -1.</summary>
    public int Object { get; set; } = -1;

    /// <summary>Gets or sets the array shape index, or -1.</summary>
    public int Array { get; set; } = -1;

    /// <summary>Gets or sets the string shape index, or -1.</summary>
    public int String { get; set; } = -1;

    /// <summary>Gets or sets the number shape: one of <see cref="NumberShapes"/>.</summary>
    public int Number { get; set; } = NumberShapes.None;

    /// <summary>Gets or sets the literal trie index, or -1.</summary>
    public int Literal { get; set; } = -1;

    /// <summary>Gets or sets the fewest bytes of any value allowed here.</summary>
    public int MinBytes { get; set; } = GrammarCost.Infinite;

    /// <summary>Gets the literal texts behind <see cref="Literal"/> (kept for merging <c>anyOf</c> alternatives).</summary>
    public List<byte[]> LiteralTexts { get; } = [];

    /// <summary>Gets or sets a value indicating whether the shape is still being compiled (used to detect $ref cycles without structure).</summary>
    public bool Pending { get; set; }

    /// <summary>Copies another shape's alternatives into this one.</summary>
    public void CopyFrom(ValueShape other)
    {
        other.Dispatch.CopyTo(Dispatch, 0);
        Object = other.Object;
        Array = other.Array;
        String = other.String;
        Number = other.Number;
        Literal = other.Literal;
        LiteralTexts.Clear();
        LiteralTexts.AddRange(other.LiteralTexts);
    }
}

/// <summary>One declared property of an object shape.</summary>
internal sealed record GrammarProperty(string Name, int Value, bool Required);

/// <summary>
/// An object: either declared properties emitted in declaration order (required ones always, optional ones may be
/// skipped; no others), or free-form members (any key, values of one value shape).
/// </summary>
internal sealed class ObjectShape
{
    /// <summary>Gets or sets a value indicating whether keys are free-form strings.</summary>
    public bool Free { get; set; }

    /// <summary>Gets or sets the value shape of free-form members.</summary>
    public int AdditionalValue { get; set; } = -1;

    /// <summary>Gets or sets the declared properties in emission order.</summary>
    public GrammarProperty[] Properties { get; set; } = [];

    /// <summary>Gets or sets the literal trie of the quoted, JSON-escaped property names (tag = property index).</summary>
    public int KeyTrie { get; set; } = -1;

    /// <summary>Gets or sets, per start index i (0..n), the cost of every required property from i on, each with a leading comma.</summary>
    public int[] RequiredCostFrom { get; set; } = [0];

    /// <summary>Gets or sets, per start index i (0..n), how many required properties remain from i on.</summary>
    public int[] RequiredCountFrom { get; set; } = [0];

    /// <summary>Gets or sets, per start index i (0..n-1), the last property index that may come next (the first required one at or after i, else n - 1).</summary>
    public int[] LastCandidateFrom { get; set; } = [];

    /// <summary>Gets or sets, per start index i (0..n-1), the cheapest way to emit the next property and all required ones after it (no leading comma).</summary>
    public int[] NextPropertyCostFrom { get; set; } = [];

    /// <summary>Gets or sets the cost of each property: quoted key, colon, shortest value.</summary>
    public int[] PropertyCost { get; set; } = [];
}

/// <summary>An array with one item shape and item-count bounds.</summary>
internal sealed class ArrayShape
{
    /// <summary>Gets or sets the item value shape.</summary>
    public int Items { get; set; } = -1;

    /// <summary>Gets or sets the minimum item count.</summary>
    public int MinItems { get; set; }

    /// <summary>Gets or sets the maximum item count.</summary>
    public int MaxItems { get; set; } = int.MaxValue;
}

/// <summary>A string with length bounds in Unicode code points (an escape or a surrogate pair counts once).</summary>
internal sealed class StringShape
{
    /// <summary>Gets or sets the minimum length.</summary>
    public int MinLength { get; set; }

    /// <summary>Gets or sets the maximum length.</summary>
    public int MaxLength { get; set; } = int.MaxValue;
}

/// <summary>A tool call body: one of several literal prefixes (one per tool), that tool's arguments, a fixed suffix.</summary>
internal sealed class TaggedShape
{
    /// <summary>Gets or sets the literal trie of the prefixes (tag = tool index).</summary>
    public int PrefixTrie { get; set; } = -1;

    /// <summary>Gets or sets the arguments value shape of each tool.</summary>
    public int[] Arguments { get; set; } = [];

    /// <summary>Gets or sets the bytes after the arguments.</summary>
    public byte[] Suffix { get; set; } = [];
}
