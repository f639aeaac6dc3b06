namespace Andes.GenAI;

/// <summary>Saturating arithmetic for completion costs (byte counts), so that huge or unsatisfiable schemas cannot overflow.</summary>
internal static class GrammarCost
{
    /// <summary>The cost of something that cannot be completed.</summary>
    public const int Infinite = 1 << 29;

    /// <summary>Adds two costs, saturating at <see cref="Infinite"/>.</summary>
    public static int Add(int a, int b) => (int)Math.Min((long)a + b, Infinite);

    /// <summary>Multiplies a cost by a count, saturating at <see cref="Infinite"/>.</summary>
    public static int Multiply(int a, int count) => (int)Math.Min((long)a * count, Infinite);
}
