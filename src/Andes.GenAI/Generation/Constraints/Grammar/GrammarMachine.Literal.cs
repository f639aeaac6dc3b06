using System.Runtime.CompilerServices;

namespace Andes.GenAI;

/// <summary>
/// Literals: one of a fixed set of byte strings walked in a <see cref="LiteralTrie"/> (enum and const values,
/// <c>true</c>/<c>false</c>/<c>null</c>, declared keys, tool-call prefixes). <see cref="GrammarFrame.A"/> is the trie
/// node; only literals whose tag lies in [<see cref="GrammarFrame.B"/>, <see cref="GrammarFrame.C"/>] may be
/// completed (declared keys narrow it to the properties that may come next; everything else allows every tag).
/// </summary>
internal sealed partial class GrammarMachine
{
    /// <summary>Starts a literal frame with its first byte.</summary>
    private int StartLiteral(GrammarFrame literal, byte b)
    {
        // Refeed would mean the literal ended before its first byte, i.e. the empty literal, which no trie holds:
        // the byte simply starts nothing here.
        int result = FeedLiteral(literal, b);
        return result == Refeed ? -1 : result;
    }

    private int FeedLiteral(GrammarFrame frame, byte b)
    {
        LiteralTrie trie = _grammar.Literals[frame.Shape];
        int child = trie.Child(frame.A, b);

        // Going on wins over stopping: with literals 1 and 12, "1" followed by "2" is 12, not 1 then a stray byte.
        if (child >= 0 && trie.HasTagInRange(child, frame.B, frame.C))
        {
            int tag = trie.Tag(child);
            if (tag >= 0 && !trie.HasChildren(child) && tag >= frame.B && tag <= frame.C)
            {
                // A leaf: no byte can extend it, so it ends now rather than on the next byte. This keeps the parent
                // (e.g. the object waiting for ":" after a key) as the top frame, which is what the next byte needs.
                return Complete(frame.Parent, tag);
            }

            frame.A = child;
            return Emit(frame);
        }

        // The byte cannot continue any allowed literal: it ends one here (the parent takes the byte) or it is refused.
        int here = trie.Tag(frame.A);
        return here >= 0 && here >= frame.B && here <= frame.C ? Refeed : -1;
    }

    /// <summary>The rest of the cheapest allowed literal, plus what its tag says must follow it (see <see cref="LiteralTrie.SetExtraCosts"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LiteralCost(in GrammarFrame frame) => _grammar.Literals[frame.Shape].Cost(frame.A, frame.B, frame.C);
}
