using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI.Adapters;

/// <summary>
/// The LoRA inputs a decoder takes (its overridable float initializers, or those <c>andes_lora.json</c> describes) and
/// the base model's identity; checks an adapter's parameters against them before ONNX Runtime ever sees the adapter.
/// </summary>
internal sealed class LoraModelInputs
{
    private readonly Dictionary<string, long[]> _inputs; // dims; -1 for the symbolic rank

    private LoraModelInputs(string source, Dictionary<string, long[]> inputs, LoraModelManifest? manifest)
    {
        Source = source;
        _inputs = inputs;
        Manifest = manifest;
        var text = new StringBuilder();
        foreach ((string name, long[] dims) in inputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('[').AppendJoin(',', dims).Append("];");
        }

        text.Append(manifest?.BaseModelFingerprint);
        Signature = text.ToString();
    }

    /// <summary>The model folder or file named in messages.</summary>
    public string Source { get; }

    /// <summary>The manifest, when the folder has one.</summary>
    public LoraModelManifest? Manifest { get; }

    /// <summary>Whether the decoder has any LoRA inputs.</summary>
    public bool HasInputs => _inputs.Count > 0;

    /// <summary>The inputs' names and dimensions (-1 for the rank).</summary>
    public IReadOnlyDictionary<string, long[]> Inputs => _inputs;

    /// <summary>Identifies the input set and base model: adapters validated against equal signatures fit either model.</summary>
    public string Signature { get; }

    /// <summary>The LoRA inputs of a loaded decoder session (its overridable float initializers of rank 2).</summary>
    public static LoraModelInputs FromSession(InferenceSession decoder, string modelDirectory)
    {
        var inputs = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach ((string name, NodeMetadata meta) in decoder.OverridableInitializerMetadata)
        {
            if (meta.IsTensor && meta.ElementDataType == TensorElementType.Float && meta.Dimensions.Length == 2 && meta.Dimensions.Contains(-1)
                && (LoraParameterNames.TryParse(name, out _, out _, out _) || name.Contains("lora_", StringComparison.OrdinalIgnoreCase)))
            {
                inputs[name] = meta.Dimensions.Select(d => (long)d).ToArray();
            }
        }

        return new LoraModelInputs(modelDirectory, inputs, LoraModelManifest.TryLoad(modelDirectory));
    }

    /// <summary>The LoRA inputs a manifest describes (for checking adapters without loading the model).</summary>
    public static LoraModelInputs FromManifest(LoraModelManifest manifest, string modelDirectory)
    {
        var inputs = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (LoraTargets target in LoraParameterNames.SingleTargets.Where(t => (manifest.Targets & t) != 0))
        {
            LoraModuleShape shape = manifest.GetShape(target);
            for (int layer = 0; layer < manifest.NumLayers; layer++)
            {
                inputs[LoraParameterNames.A(layer, target)] = [shape.InFeatures, -1];
                inputs[LoraParameterNames.B(layer, target)] = [-1, shape.OutFeatures];
            }
        }

        return new LoraModelInputs(modelDirectory, inputs, manifest);
    }

    /// <summary>
    /// Checks an adapter's parameters: each names an input of this model, is float32, has that input's rank and fixed
    /// dimensions and a positive rank; A and B of one projection come together with equal ranks; the base model
    /// identity matches when both sides carry one.
    /// </summary>
    /// <returns>The largest rank and the targets the adapter covers.</returns>
    /// <exception cref="LoraAdapterException">The first mismatch, naming the tensor.</exception>
    public (int Rank, LoraTargets Targets) Validate(IReadOnlyList<(string Name, long[] Dims, int DataType)> parameters, string adapter, int modelVersion, string? fingerprint)
    {
        if (!HasInputs)
        {
            throw new LoraAdapterException(
                $"Adapter '{adapter}' cannot be used: the model '{Source}' has no LoRA inputs (convert it with LoRA targets, e.g. 'andes convert --lora-targets all').",
                adapter,
                parameters.Count > 0 ? parameters[0].Name : null);
        }

        if (parameters.Count == 0)
        {
            throw new LoraAdapterException($"Adapter '{adapter}' has no parameters.", adapter, null);
        }

        if (Manifest is { ModelVersion: not 0 } m && modelVersion != 0 && modelVersion != m.ModelVersion)
        {
            throw new LoraAdapterException(
                $"Adapter '{adapter}' was converted for another base model (model_version {modelVersion}); model '{Source}' is model_version {m.ModelVersion} (fingerprint {m.BaseModelFingerprint}).",
                adapter,
                null);
        }

        if (Manifest?.BaseModelFingerprint is { } expected && fingerprint is not null && !string.Equals(fingerprint, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new LoraAdapterException(
                $"Adapter '{adapter}' was made for base model fingerprint {fingerprint}; model '{Source}' has fingerprint {expected}.",
                adapter,
                null);
        }

        var ranks = new Dictionary<string, (long Rank, string Name)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int maxRank = 0;
        LoraTargets targets = LoraTargets.None;
        foreach ((string name, long[] dims, int dataType) in parameters)
        {
            if (!seen.Add(name))
            {
                throw new LoraAdapterException($"Adapter '{adapter}' holds tensor '{name}' twice.", adapter, name);
            }

            if (!_inputs.TryGetValue(name, out long[]? expectedDims))
            {
                string hint = LoraParameterNames.TryParse(name, out int layer, out LoraTargets target, out _)
                    ? layer >= (Manifest?.NumLayers ?? int.MaxValue)
                        ? $" (the model has {Manifest!.NumLayers} layers)"
                        : $" (the model takes no LoRA input on {LoraParameterNames.ModuleName(target)}; its targets: {TargetList()})"
                    : $" (the model's LoRA inputs are named like '{_inputs.Keys.Order(StringComparer.Ordinal).First()}')";
                throw new LoraAdapterException($"Adapter '{adapter}': tensor '{name}' is not a LoRA input of model '{Source}'{hint}.", adapter, name);
            }

            if (dataType != OnnxAdapterFormat.Float)
            {
                throw new LoraAdapterException($"Adapter '{adapter}': tensor '{name}' has TensorProto data type {dataType}; the model's input is float32 (1).", adapter, name);
            }

            bool shapeOk = dims.Length == expectedDims.Length;
            int rankAxis = -1;
            for (int i = 0; shapeOk && i < dims.Length; i++)
            {
                if (expectedDims[i] < 0)
                {
                    rankAxis = i;
                    shapeOk = dims[i] > 0;
                }
                else
                {
                    shapeOk = dims[i] == expectedDims[i];
                }
            }

            if (!shapeOk)
            {
                string want = string.Join(", ", expectedDims.Select(d => d < 0 ? "r" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                throw new LoraAdapterException($"Adapter '{adapter}': tensor '{name}' has shape [{string.Join(", ", dims)}]; the model's input is [{want}] (r > 0).", adapter, name);
            }

            if (LoraParameterNames.TryParse(name, out int l, out LoraTargets t, out bool isA) && rankAxis >= 0)
            {
                string partner = isA ? LoraParameterNames.B(l, t) : LoraParameterNames.A(l, t);
                string module = isA ? name : partner;
                long rank = dims[rankAxis];
                if (ranks.TryGetValue(module, out (long Rank, string Name) other))
                {
                    if (other.Rank != rank)
                    {
                        throw new LoraAdapterException($"Adapter '{adapter}': tensor '{name}' has rank {rank} but '{other.Name}' has rank {other.Rank}; lora_A and lora_B of one projection must agree.", adapter, name);
                    }

                    ranks.Remove(module);
                }
                else
                {
                    ranks[module] = (rank, name);
                }

                maxRank = (int)Math.Max(maxRank, rank);
                targets |= t;
            }
        }

        if (ranks.Count > 0)
        {
            string lone = ranks.Values.First().Name;
            throw new LoraAdapterException($"Adapter '{adapter}': tensor '{lone}' has no lora_A/lora_B partner; both halves of a projection must be given.", adapter, lone);
        }

        return (maxRank, targets);
    }

    private string TargetList()
    {
        LoraTargets all = LoraTargets.None;
        foreach (string name in _inputs.Keys)
        {
            if (LoraParameterNames.TryParse(name, out _, out LoraTargets t, out _))
            {
                all |= t;
            }
        }

        return string.Join(", ", LoraParameterNames.SingleTargets.Where(t => (all & t) != 0).Select(LoraParameterNames.ModuleName));
    }
}
