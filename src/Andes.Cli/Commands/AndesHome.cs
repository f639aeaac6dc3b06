namespace Andes.Cli.Commands;

/// <summary>
/// The andes tool's own folder: <c>$ANDES_HOME</c>, or <c>~/.andes</c> when it is not set. Checkpoints downloaded by
/// <c>andes download</c> and <c>andes pull</c> go to <c>checkpoints/</c>, converted models to <c>models/</c> (where
/// <c>--model NAME</c> finds them), and <c>andes demo</c> keeps its tiny model there too (and its pictures in <c>demo/</c>).
/// </summary>
internal static class AndesHome
{
    /// <summary>The environment variable that moves the folder.</summary>
    public const string Variable = "ANDES_HOME";

    /// <summary>The folder (full path; not created here).</summary>
    public static string Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } home
        ? Path.GetFullPath(home)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".andes");

    /// <summary>Where converted model folders live, one sub-folder per name.</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>Where downloaded (and generated) Hugging Face checkpoints live, one sub-folder per repository name.</summary>
    public static string Checkpoints => Path.Combine(Root, "checkpoints");

    /// <summary>Whether <paramref name="name"/> can be a folder name under <see cref="Models"/> or <see cref="Checkpoints"/>: one path segment.</summary>
    public static bool IsFolderName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
        && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('\\', StringComparison.Ordinal);
}
