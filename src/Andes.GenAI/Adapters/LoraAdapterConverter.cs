namespace Andes.GenAI;

/// <summary>
/// Converts a PEFT LoRA adapter (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>) into ONNX Runtime's
/// <c>.onnx_adapter</c> format for a model folder converted with LoRA targets: A [r, in] becomes lora_A [in, r], B
/// [out, r] times the scale (alpha/r, or alpha/sqrt(r) for rsLoRA) becomes lora_B [r, out], named as the decoder's
/// inputs (<see cref="LoraParameterNames"/>; the A of projections the decoder fuses go side by side, see
/// <see cref="LoraModelManifest.FusedLoraA"/>), and the base model's identity is written as the file's
/// <c>model_version</c>. The adapter is checked against the folder's <c>andes_lora.json</c> first.
/// </summary>
/// <remarks>
/// This lives in the engine, not in Andes.ModelBuilder, because the engine converts the same way in memory whenever
/// <see cref="LoraAdapter.Load"/> is given a PEFT folder: one converter, used ahead of time (this class, and
/// <c>andes convert-adapter</c>) or at load time. Converting ahead saves that work at load time and lets ONNX Runtime
/// memory-map the file; ONNX Runtime GenAI's engine only reads converted files.
/// </remarks>
public static class LoraAdapterConverter
{
    /// <summary>Converts <paramref name="peftDirectory"/> for the model in <paramref name="modelDirectory"/>.</summary>
    /// <param name="peftDirectory">The PEFT adapter folder.</param>
    /// <param name="modelDirectory">The model folder (with <c>andes_lora.json</c>).</param>
    /// <param name="outputFile">The <c>.onnx_adapter</c> file to write (replaced if present).</param>
    /// <param name="adapterVersion">The adapter's own version number, written into the file.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="LoraAdapterException">
    /// The model takes no LoRA inputs, or the adapter does not fit it (a module it lacks, a wrong shape, ranks that
    /// disagree, another base model): the message names the tensor.
    /// </exception>
    public static LoraAdapterConversionResult Convert(string peftDirectory, string modelDirectory, string outputFile, int adapterVersion = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(peftDirectory);
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputFile);
        LoraModelManifest manifest = LoraModelManifest.TryLoad(modelDirectory)
            ?? throw new LoraAdapterException(
                $"Model folder '{modelDirectory}' has no {LoraModelManifest.FileName}: it was converted without LoRA targets, so no adapter fits it (convert with --lora-targets).",
                peftDirectory,
                null);
        if (!PeftAdapterConverter.IsPeftFolder(peftDirectory))
        {
            throw new LoraAdapterException($"'{peftDirectory}' is not a PEFT adapter folder (no {PeftAdapterConfig.FileName}).", peftDirectory, null);
        }

        PeftAdapterConverter.Result peft = PeftAdapterConverter.Convert(peftDirectory);
        LoraModelInputs inputs = LoraModelInputs.FromManifest(manifest, Path.GetFullPath(modelDirectory));
        (int rank, LoraTargets targets) = inputs.Validate(
            peft.Parameters.Select(p => (p.Name, p.Dims, OnnxAdapterFormat.Float)).ToList(), Path.GetFullPath(peftDirectory), 0, peft.BaseModelFingerprint);
        IReadOnlyList<LoraParameter> parameters = inputs.Arrange(peft.Parameters);
        byte[] bytes = OnnxAdapterFormat.Write(parameters, adapterVersion, manifest.ModelVersion);
        string full = Path.GetFullPath(outputFile);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return new LoraAdapterConversionResult(full, parameters.Count, rank, targets, bytes.Length, manifest.ModelVersion);
    }
}
