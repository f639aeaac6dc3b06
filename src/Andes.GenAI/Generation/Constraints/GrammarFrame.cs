using System.Runtime.InteropServices;

namespace Andes.GenAI;

/// <summary>What a <see cref="GrammarFrame"/> parses.</summary>
internal enum FrameKind : byte
{
    /// <summary>The bottom frame of a plain JSON document: optional whitespace, one value, optional whitespace.</summary>
    Root,

    /// <summary>An object (declared properties in order, or free-form keys).</summary>
    Object,

    /// <summary>An array.</summary>
    Array,

    /// <summary>A string (a value, or a free-form object key).</summary>
    String,

    /// <summary>A number (RFC 8259 grammar; integers only when the shape says so).</summary>
    Number,

    /// <summary>One of a fixed set of byte strings (enum/const values, true/false/null, declared keys, tool-call prefixes).</summary>
    Literal,

    /// <summary>The bottom frame of a tool call: a literal prefix chosen among the tools, that tool's arguments, a fixed suffix.</summary>
    Tagged,
}

/// <summary>
/// One level of the pushdown automaton's stack. Frames are immutable once written to a <see cref="FrameArena"/>: a
/// step that changes a frame writes a changed copy whose <see cref="Parent"/> is the unchanged frame below, so a state
/// is just the index of its top frame and undoing steps is resetting the arena length.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GrammarFrame
{
    /// <summary>The arena index of the frame below, or -1 for the bottom frame.</summary>
    public int Parent;

    /// <summary>The shape index in the table of <see cref="Kind"/> (object, array, string, literal trie; a <see cref="NumberShapes"/> value for numbers; the root value for roots).</summary>
    public int Shape;

    /// <summary>First counter: next property index, item count, character count, digit count, trie node, suffix position.</summary>
    public int A;

    /// <summary>Second counter: the chosen property or tool, or the lowest allowed literal tag.</summary>
    public int B;

    /// <summary>Third counter: the highest allowed literal tag.</summary>
    public int C;

    /// <summary>The fewest bytes that complete this frame and every frame below it (no whitespace).</summary>
    public int Cost;

    /// <summary>The frame kind.</summary>
    public FrameKind Kind;

    /// <summary>
    /// The position inside the construct: a <see cref="RootPhase"/>, <see cref="ObjectPhase"/>, <see cref="ArrayPhase"/>,
    /// <see cref="StringPhase"/>, <see cref="NumberPhase"/> or <see cref="TaggedPhase"/> according to <see cref="Kind"/>
    /// (literal frames keep their position in <see cref="A"/>). One byte for all kinds keeps the frame small, since
    /// frames are copied on every step.
    /// </summary>
    public byte Phase;

    /// <summary>Consecutive whitespace bytes in the current gap.</summary>
    public byte Whitespace;

    /// <summary>Kind-specific flags (<see cref="KeyFlag"/>).</summary>
    public byte Flags;

    /// <summary>Set on a string or literal frame that is an object key (its completion moves the object to after-key).</summary>
    public const byte KeyFlag = 1;
}
