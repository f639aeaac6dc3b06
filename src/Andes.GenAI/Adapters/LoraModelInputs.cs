using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Andes.GenAI;

/// <summary>
/// The LoRA inputs a decoder takes (its overridable float initializers, or those <c>andes_lora.json</c> describes) and
/// the base model's identity; checks an adapter's parameters against them before ONNX Runtime ever sees the adapter.
/// </summary>
internal sealed class LoraModelInputs
{
    private readonly Dictionary<string, long[]> _inputs; // dims; -1 for the symbolic rank
    private readonly Dictionary<string, long[]> _logical; // one A per projection, also where the decoder fuses them
    private readonly Dictionary<(int Layer, LoraTargets Target), LoraTargets> _groups; // members of fused A inputs

    private LoraModelInputs(string source, Dictionary<string, long[]> inputs, LoraModelManifest? manifest)
    {
        Source = source;
        _inputs = inputs;
        Manifest = manifest;
        _logical = new Dictionary<string, long[]>(StringComparer.Ordinal);
        _groups = [];
        foreach ((string name, long[] dims) in inputs)
        {
            if (LoraParameterNames.TryParseGroupA(name, out int layer, out LoraTargets group))
            {
                foreach (LoraTargets member in LoraParameterNames.Members(group))
                {
                    _logical[LoraParameterNames.A(layer, member)] = dims;
                    _groups[(layer, member)] = group;
                }
            }
            else
            {
                _logical[name] = dims;
            }
        }

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
            LoraTargets group = manifest.GroupOf(target);
            for (int layer = 0; layer < manifest.NumLayers; layer++)
            {
                inputs[LoraParameterNames.GroupA(layer, group)] = [shape.InFeatures, -1];
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
    /// <param name="parameters">The parameters' names, dimensions and TensorProto data types.</param>
    /// <param name="adapter">The adapter's file or folder, for messages.</param>
    /// <param name="modelVersion">The adapter's model_version (0: unknown).</param>
    /// <param name="fingerprint">The base model fingerprint the adapter carries, if any.</param>
    /// <param name="physical">
    /// True: the parameters must be the decoder's inputs exactly (an <c>.onnx_adapter</c> file, fed to ONNX Runtime as
    /// it is). False: one A/B pair per projection (a PEFT adapter before <see cref="Arrange"/>), also for projections
    /// whose A the decoder takes fused with others.
    /// </param>
    /// <returns>The largest rank and the targets the adapter covers.</returns>
    /// <exception cref="LoraAdapterException">The first mismatch, naming the tensor.</exception>
    public (int Rank, LoraTargets Targets) Validate(IReadOnlyList<(string Name, long[] Dims, int DataType)> parameters, string adapter, int modelVersion, string? fingerprint, bool physical = false)
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

        Dictionary<string, long[]> map = physical ? _inputs : _logical;
        var aWidths = new List<(string Name, int Layer, LoraTargets Group, long Width)>();
        var bRanks = new Dictionary<(int Layer, LoraTargets Target), (long Rank, string Name)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, long[] dims, int dataType) in parameters)
        {
            if (!seen.Add(name))
            {
                throw new LoraAdapterException($"Adapter '{adapter}' holds tensor '{name}' twice.", adapter, name);
            }

            if (!map.TryGetValue(name, out long[]? expectedDims))
            {
                throw new LoraAdapterException($"Adapter '{adapter}': tensor '{name}' is not a LoRA input of model '{Source}'{MissingInputHint(name, physical)}.", adapter, name);
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

            if (rankAxis < 0)
            {
                continue;
            }

            if (LoraParameterNames.TryParseGroupA(name, out int groupLayer, out LoraTargets group))
            {
                aWidths.Add((name, groupLayer, group, dims[rankAxis]));
            }
            else if (LoraParameterNames.TryParse(name, out int l, out LoraTargets t, out bool isA))
            {
                if (isA)
                {
                    aWidths.Add((name, l, t, dims[rankAxis]));
                }
                else
                {
                    bRanks[(l, t)] = (dims[rankAxis], name);
                }
            }
        }

        int maxRank = 0;
        LoraTargets targets = LoraTargets.None;
        foreach ((string aName, int layer, LoraTargets group, long width) in aWidths)
        {
            IReadOnlyList<LoraTargets> members = LoraParameterNames.Members(group);
            if (width % members.Count != 0)
            {
                throw new LoraAdapterException(
                    $"Adapter '{adapter}': tensor '{aName}' has {width} columns; it holds the lora_A of {string.Join(", ", members.Select(LoraParameterNames.ModuleName))} side by side, {members.Count} x r columns.",
                    adapter,
                    aName);
            }

            long rank = width / members.Count;
            foreach (LoraTargets member in members)
            {
                if (!bRanks.Remove((layer, member), out (long Rank, string Name) b))
                {
                    throw new LoraAdapterException($"Adapter '{adapter}': tensor '{aName}' has no lora_B partner '{LoraParameterNames.B(layer, member)}'; both halves of a projection must be given.", adapter, aName);
                }

                if (b.Rank != rank)
                {
                    throw new LoraAdapterException($"Adapter '{adapter}': tensor '{b.Name}' has rank {b.Rank} but '{aName}' has rank {rank}; lora_A and lora_B of one projection must agree.", adapter, b.Name);
                }

                targets |= member;
            }

            maxRank = (int)Math.Max(maxRank, rank);
        }

        if (bRanks.Count > 0)
        {
            string lone = bRanks.Values.First().Name;
            throw new LoraAdapterException($"Adapter '{adapter}': tensor '{lone}' has no lora_A/lora_B partner; both halves of a projection must be given.", adapter, lone);
        }

        return (maxRank, targets);
    }

    /// <summary>
    /// Lays out per-projection parameters (checked by <see cref="Validate"/>) as the decoder's inputs: where the decoder
    /// takes the A of several projections fused (<see cref="LoraParameterNames.GroupA"/>), their A matrices go side by
    /// side, each padded with zero columns to the group's largest rank r, and each member's B is padded with zero rows
    /// to r (a member the adapter lacks gets zeros), which leaves every product x A B unchanged. Other parameters pass.
    /// </summary>
    /// <param name="parameters">One A/B pair per projection.</param>
    /// <returns>The parameters named and shaped as the decoder's inputs.</returns>
    public IReadOnlyList<LoraParameter> Arrange(IReadOnlyList<LoraParameter> parameters)
    {
        if (_groups.Count == 0)
        {
            return parameters;
        }

        var byName = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var result = new List<LoraParameter>(parameters.Count);
        var done = new HashSet<(int Layer, LoraTargets Group)>();
        foreach (LoraParameter p in parameters)
        {
            if (!LoraParameterNames.TryParse(p.Name, out int layer, out LoraTargets target, out _) || !_groups.TryGetValue((layer, target), out LoraTargets group))
            {
                result.Add(p);
                continue;
            }

            if (!done.Add((layer, group)))
            {
                continue;
            }

            IReadOnlyList<LoraTargets> members = LoraParameterNames.Members(group);
            var pairs = members.Select(t => (
                Target: t,
                A: byName.GetValueOrDefault(LoraParameterNames.A(layer, t)),
                B: byName.GetValueOrDefault(LoraParameterNames.B(layer, t)))).ToArray();
            int rank = pairs.Max(x => x.A is null ? 0 : (int)x.A.Dims[1]);
            int k = (int)_logical[LoraParameterNames.A(layer, target)][0];
            int width = rank * members.Count;
            var a = new float[(long)k * width];
            for (int j = 0; j < pairs.Length; j++)
            {
                if (pairs[j].A is not { } memberA)
                {
                    continue;
                }

                int r = (int)memberA.Dims[1];
                for (int row = 0; row < k; row++)
                {
                    Array.Copy(memberA.Data, (long)row * r, a, ((long)row * width) + (j * rank), r);
                }
            }

            result.Add(new LoraParameter(LoraParameterNames.GroupA(layer, group), [k, width], a));
            foreach ((LoraTargets t, LoraParameter? _, LoraParameter? memberB) in pairs)
            {
                int n = (int)_logical[LoraParameterNames.B(layer, t)][1];
                var b = new float[(long)rank * n];
                if (memberB is not null)
                {
                    Array.Copy(memberB.Data, b, memberB.Data.Length); // rows 0..r_t; the rest stay zero
                }

                result.Add(new LoraParameter(LoraParameterNames.B(layer, t), [rank, n], b));
            }
        }

        return result;
    }

    private string MissingInputHint(string name, bool physical)
    {
        if (!LoraParameterNames.TryParse(name, out int layer, out LoraTargets target, out bool isA))
        {
            return $" (the model's LoRA inputs are named like '{_inputs.Keys.Order(StringComparer.Ordinal).First()}')";
        }

        if (layer >= (Manifest?.NumLayers ?? int.MaxValue))
        {
            return $" (the model has {Manifest!.NumLayers} layers)";
        }

        if (physical && isA && _groups.TryGetValue((layer, target), out LoraTargets group))
        {
            return $" (the model takes the lora_A of {string.Join(", ", LoraParameterNames.Members(group).Select(LoraParameterNames.ModuleName))} side by side as '{LoraParameterNames.GroupA(layer, group)}'; convert the PEFT adapter for this model with 'andes convert-adapter')";
        }

        return $" (the model takes no LoRA input on {LoraParameterNames.ModuleName(target)}; its targets: {TargetList()})";
    }

    private string TargetList()
    {
        LoraTargets all = LoraTargets.None;
        foreach (string name in _logical.Keys)
        {
            if (LoraParameterNames.TryParse(name, out _, out LoraTargets t, out _))
            {
                all |= t;
            }
        }

        return string.Join(", ", LoraParameterNames.SingleTargets.Where(t => (all & t) != 0).Select(LoraParameterNames.ModuleName));
    }
}
