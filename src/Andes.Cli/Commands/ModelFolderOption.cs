using System.CommandLine;
using Andes.ModelBuilder;

namespace Andes.Cli.Commands;

/// <summary>
/// The <c>--model</c> option of every command that loads a model: a folder path, or the name of a folder in
/// <c>$ANDES_HOME/models</c> (where <c>andes pull</c> puts them). One resolver, so every command finds a model the
/// same way and explains a wrong value the same way.
/// </summary>
internal static class ModelFolderOption
{
    /// <summary>Creates the option.</summary>
    /// <param name="description">What the model is for; the name rule is appended.</param>
    /// <param name="required">Whether the option must be given.</param>
    /// <param name="name">The option's name, <c>--model</c> unless another option also takes a model.</param>
    public static Option<string> Create(string description = "The model folder", bool required = true, string name = "--model") =>
        new(name) { Description = $"{description}: a folder, or the name of one in $ANDES_HOME/models (see andes pull).", Required = required };

    /// <summary>
    /// The model folder <paramref name="value"/> names: an existing folder as it is, else <c>$ANDES_HOME/models/VALUE</c>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Neither exists, or the folder is a Hugging Face checkpoint that has not been converted (the message says how).
    /// </exception>
    public static string Resolve(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("--model is empty: give a model folder or the name of one in $ANDES_HOME/models.");
        }

        string folder = Locate(value);
        if (!Directory.Exists(folder))
        {
            string models = AndesHome.Models;
            throw new ArgumentException($"no model folder '{value}' (not a folder, and not in $ANDES_HOME/models: {models}); {Hint(value, models)}");
        }

        if (IsUnconvertedCheckpoint(folder))
        {
            throw new ArgumentException(
                $"'{folder}' is a Hugging Face checkpoint (config.json and safetensors), not a model folder: convert it with " +
                $"andes convert --checkpoint {Quote(folder)} --output OUT (or download and convert in one step with andes pull OWNER/NAME).");
        }

        return folder;
    }

    /// <summary>
    /// The folder <paramref name="value"/> would name, whether or not it exists (the full path of an existing folder,
    /// else <c>$ANDES_HOME/models/VALUE</c>, else the value as a path): for checks of other options that read the
    /// model folder if it is there, made before <see cref="Resolve"/> so their errors come first.
    /// </summary>
    public static string Locate(string value)
    {
        if (Directory.Exists(value))
        {
            return Path.GetFullPath(value);
        }

        return AndesHome.IsFolderName(value) && Directory.Exists(Path.Combine(AndesHome.Models, value))
            ? Path.Combine(AndesHome.Models, value)
            : Path.GetFullPath(value);
    }

    /// <summary><see cref="Resolve"/> for an optional option: null stays null.</summary>
    public static string? ResolveOptional(string? value) => value is null ? null : Resolve(value);

    /// <summary>A folder with config.json and safetensors but no genai_config.json: what andes download writes, before andes convert.</summary>
    internal static bool IsUnconvertedCheckpoint(string folder) =>
        File.Exists(Path.Combine(folder, "config.json")) && !File.Exists(Path.Combine(folder, "genai_config.json"))
        && Directory.EnumerateFiles(folder, "*.safetensors").Any();

    private static string Hint(string value, string models)
    {
        if (HubDownloader.IsValidRepoId(value))
        {
            return $"to download and convert that hub repository: andes pull {value}";
        }

        string[] names = Directory.Exists(models)
            ? [.. Directory.EnumerateDirectories(models).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];
        return names.Length == 0
            ? "there are no models there yet (andes pull OWNER/NAME downloads and converts one)"
            : $"models there: {string.Join(", ", names)}";
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
