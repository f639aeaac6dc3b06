namespace Andes.Testing.Fuzzing;

/// <summary>A parser under fuzzing: makes one mutated input from a seeded random source and runs the parser on it.</summary>
public interface IFuzzTarget : IDisposable
{
    /// <summary>The name printed in reports (e.g. <c>safetensors file</c>).</summary>
    string Name { get; }

    /// <summary>
    /// The exception types the parser documents (subclasses included). Any other exception is a finding; so is a
    /// <see cref="FuzzInvariantException"/>, which the target throws when a parser accepted what it should not have.
    /// </summary>
    IReadOnlyList<Type> Documented { get; }

    /// <summary>Makes the seeds (and whatever the target loads, e.g. a model), so that the campaign's timing is the parser's alone.</summary>
    void Prepare();

    /// <summary>Makes input number <paramref name="index"/> of a campaign and runs the parser on it.</summary>
    /// <param name="random">The campaign's random source (the only source of randomness, so a seed replays a campaign).</param>
    /// <param name="index">The input's number.</param>
    /// <returns>What happened, and a printable form of the input for reports.</returns>
    FuzzOutcome RunOne(Random random, int index);
}

/// <summary>What one input did.</summary>
/// <param name="Label">The outcome when the parser returned (e.g. <c>accepted</c>, <c>rejected: Malformed</c>); null when it threw.</param>
/// <param name="Exception">What the parser threw, if it did.</param>
/// <param name="Input">The input, printable (truncated), for reports of findings.</param>
public sealed record FuzzOutcome(string? Label, Exception? Exception, string Input);

/// <summary>
/// A target over inputs of type <typeparamref name="T"/>: seeds made once (real, valid inputs, written with the
/// project's own writers), a mutator, and the call under test.
/// </summary>
/// <typeparam name="T">The input type (a string of model output, the bytes of a file, ...).</typeparam>
public sealed class FuzzTarget<T> : IFuzzTarget
{
    private readonly Lazy<IReadOnlyList<T>> _seeds;
    private readonly Func<Random, T, IReadOnlyList<T>, T> _mutate;
    private readonly Func<T, string> _run;
    private readonly Func<T, string> _describe;
    private readonly Action? _dispose;

    /// <summary>Creates a target.</summary>
    /// <param name="name">The name in reports.</param>
    /// <param name="documented">The exception types the parser documents.</param>
    /// <param name="seeds">Makes the valid inputs that mutations start from (called once, on first use).</param>
    /// <param name="mutate">Mutates a seed (the list is all seeds, for crossover).</param>
    /// <param name="run">Runs the parser on an input; returns the outcome label, throws what the parser throws.</param>
    /// <param name="describe">Prints an input for reports.</param>
    /// <param name="dispose">Releases what the target holds (temporary folders, a loaded model).</param>
    public FuzzTarget(string name, IReadOnlyList<Type> documented, Func<IReadOnlyList<T>> seeds, Func<Random, T, IReadOnlyList<T>, T> mutate, Func<T, string> run, Func<T, string> describe, Action? dispose = null)
    {
        Name = name;
        Documented = documented;
        _seeds = new Lazy<IReadOnlyList<T>>(seeds);
        _mutate = mutate;
        _run = run;
        _describe = describe;
        _dispose = dispose;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<Type> Documented { get; }

    /// <summary>The seeds (made on first use).</summary>
    public IReadOnlyList<T> Seeds => _seeds.Value;

    /// <inheritdoc />
    public void Prepare() => _ = _seeds.Value;

    /// <inheritdoc />
    public FuzzOutcome RunOne(Random random, int index)
    {
        IReadOnlyList<T> seeds = _seeds.Value;
        T seed = seeds[random.Next(seeds.Count)];

        // A few unmutated seeds keep the campaign honest: a target whose valid inputs fail is broken, not fuzzed.
        T input = index < seeds.Count ? seeds[index] : _mutate(random, seed, seeds);
        try
        {
            return new FuzzOutcome(_run(input), null, Preview(input));
        }
        catch (Exception ex)
        {
            return new FuzzOutcome(null, ex, Preview(input));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _dispose?.Invoke();

    private string Preview(T input)
    {
        string text = _describe(input);
        return text.Length <= 600 ? text : text[..600] + $"... ({text.Length} characters)";
    }
}

/// <summary>A parser accepted an input it must refuse, or returned something its contract rules out.</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong with the result.</param>
    public FuzzInvariantException(string message)
        : base(message)
    {
    }
}
