using Andes.GenAI;

namespace Andes.ModelBuilder;

/// <summary>
/// Makes a conversion all-or-nothing: everything is written into a hidden sibling of the output folder (same parent,
/// so the final move is a rename on one file system), the manifest is written last, and only then does the folder
/// take the output's place. Killed midway, a conversion leaves at most a <c>.NAME.andes-partial-*</c> sibling and the
/// output untouched; cancelled or failed, it removes its sibling.
/// </summary>
internal sealed class StagedModelFolder : IDisposable
{
    private const string PartialMarker = ".andes-partial-";
    private const string ReplacedMarker = ".andes-replaced-";

    // Names the converter may write: never carried over from a replaced folder, so a stale decoder_base.onnx or
    // andes_lora.json from an earlier LoRA conversion cannot join a folder converted without LoRA.
    private static readonly HashSet<string> ConverterOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        GenAIConfig.FileName, AndesFolderConfig.FileName, "tokenizer.json", "tokenizer_config.json",
        ModelConverter.DecoderFileName, ModelConverter.DecoderFileName + ".data", ModelConverter.BaseDecoderFileName,
        ModelConverter.EmbeddingFileName, ModelConverter.EmbeddingFileName + ".data",
        ModelConverter.VisionFileName, ModelConverter.VisionFileName + ".data", ModelConverter.ProcessorConfigFileName,
        ModelConverter.ConversionLogFileName, LoraModelManifest.FileName, ModelFolderManifest.FileName,
    };

    private bool _committed;

    private StagedModelFolder(string target, string staging)
    {
        Target = target;
        Staging = staging;
    }

    /// <summary>The output folder.</summary>
    public string Target { get; }

    /// <summary>The hidden sibling written into.</summary>
    public string Staging { get; }

    /// <summary>Checks the output folder and creates the staging sibling.</summary>
    /// <exception cref="ModelFolderExistsException">The output holds files and <paramref name="overwrite"/> is false.</exception>
    public static StagedModelFolder Begin(string outputDirectory, bool overwrite)
    {
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory));
        if (!overwrite && Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new ModelFolderExistsException(target);
        }

        string parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{outputDirectory}' has no parent folder to stage the conversion in.", nameof(outputDirectory));
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, "." + Path.GetFileName(target) + PartialMarker + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(staging);
        return new StagedModelFolder(target, staging);
    }

    /// <summary>Writes the manifest and moves the staged folder into place, carrying over the old folder's own files.</summary>
    public void Commit(string createdBy, CancellationToken cancellationToken)
    {
        ModelFolderManifest.Create(Staging, createdBy, cancellationToken).Save(Staging);
        cancellationToken.ThrowIfCancellationRequested(); // the last point at which a cancellation leaves the old folder alone
        if (!Directory.Exists(Target))
        {
            Directory.Move(Staging, Target);
            _committed = true;
            return;
        }

        if (!Directory.EnumerateFileSystemEntries(Target).Any())
        {
            Directory.Delete(Target);
            Directory.Move(Staging, Target);
            _committed = true;
            return;
        }

        // Two renames: between them the old model sits complete in its replaced sibling and the new one in the staged
        // one, so a kill at that instant loses neither.
        string replaced = Path.Combine(Path.GetDirectoryName(Target)!, "." + Path.GetFileName(Target) + ReplacedMarker + Guid.NewGuid().ToString("N")[..8]);
        HashSet<string> owned = [.. ConverterOwned, .. ListedTopLevelNames(Target)];
        Directory.Move(Target, replaced);
        Directory.Move(Staging, Target);
        _committed = true;
        foreach (string entry in Directory.EnumerateFileSystemEntries(replaced))
        {
            string name = Path.GetFileName(entry);
            string destination = Path.Combine(Target, name);
            if (owned.Contains(name) || File.Exists(destination) || Directory.Exists(destination))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                Directory.Move(entry, destination);
            }
            else
            {
                File.Move(entry, destination);
            }
        }

        Directory.Delete(replaced, recursive: true);
    }

    // What the old folder's manifest lists is the old conversion's: not carried over even if this one no longer writes it.
    private static IEnumerable<string> ListedTopLevelNames(string directory)
    {
        try
        {
            return ModelFolderManifest.TryLoad(directory)?.Files.Select(f => f.Path.Split('/')[0]) ?? [];
        }
        catch (ModelConfigurationException)
        {
            return []; // a damaged manifest is replaced with the rest of the old conversion
        }
    }

    /// <summary>Removes the staged folder unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging))
        {
            try
            {
                Directory.Delete(Staging, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a failed clean-up must not hide the conversion's own error; the sibling is hidden and named.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
