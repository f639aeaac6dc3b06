using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Andes.GenAI;

/// <summary>
/// The one place that names LoRA tensors, shared by the model builder (graph inputs) and the engine (adapter
/// parameters). A targeted linear of layer <c>i</c> gets two float graph inputs, named like Olive's:
/// <c>model.layers.{i}.self_attn.q_proj.lora_A.weight</c> of shape [in_features, r] and
/// <c>model.layers.{i}.self_attn.q_proj.lora_B.weight</c> of shape [r, out_features] (the MatMul orientation, i.e.
/// PEFT's A and B transposed; r is the symbolic dimension <see cref="RankDimension"/>), so the layer computes <c>y = x W^T + (x A) B</c>; the adapter scale (alpha/r, or
/// alpha/sqrt(r) for rsLoRA) is folded into B. The MLP projections use <c>mlp.</c> instead of <c>self_attn.</c>.
/// </summary>
/// <remarks>
/// Projections that read the same activation (q/k/v read the attention norm's output, gate/up the MLP norm's) may share
/// one A input in a decoder converted with <c>fused_lora_a</c> (see <see cref="LoraModelManifest.FusedLoraA"/>): their A
/// matrices concatenated along the rank axis, <c>model.layers.{i}.self_attn.qkv_proj.lora_A.weight</c> [in_features,
/// members * r] (or <c>qv_proj</c>, <c>kv_proj</c>... for the targeted members only; <c>mlp.gate_up_proj</c>), split
/// into equal parts in member order before each member's own B. Members with a smaller rank (or no matrices) are padded
/// with zero columns/rows to the group's largest rank, which leaves the product unchanged.
/// </remarks>
public static partial class LoraParameterNames
{
    /// <summary>
    /// The symbolic name of the rank dimension shared by one projection's A and B inputs,
    /// <c>model.layers.{i}.self_attn.q_proj.lora_rank</c>: one name per projection (ONNX Runtime treats equal symbolic
    /// names as equal sizes, and an adapter may leave some projections at their rank-0 defaults or use other ranks).
    /// </summary>
    /// <param name="layer">The decoder layer.</param>
    /// <param name="target">One target.</param>
    public static string RankDimension(int layer, LoraTargets target) => Module(layer, target) + ".lora_rank";

    /// <summary>The groups of projections that read the same activation: q/k/v (the attention norm's output) and gate/up (the MLP norm's).</summary>
    public static IReadOnlyList<LoraTargets> SharedInputGroups { get; } =
        [LoraTargets.QProj | LoraTargets.KProj | LoraTargets.VProj, LoraTargets.GateProj | LoraTargets.UpProj];

    /// <summary>
    /// The projections whose lora_A a decoder with fused A inputs concatenates with <paramref name="target"/>'s: the
    /// members of its shared-input group that the model targets (just <paramref name="target"/> for o/down or a lone member).
    /// </summary>
    /// <param name="modelTargets">The model's targets.</param>
    /// <param name="target">One targeted projection.</param>
    public static LoraTargets FusedGroup(LoraTargets modelTargets, LoraTargets target)
    {
        foreach (LoraTargets group in SharedInputGroups)
        {
            if ((group & target) != 0)
            {
                return group & (modelTargets | target);
            }
        }

        return target;
    }

    /// <summary>The members of a group (flags), in layer order (the column order of a fused A).</summary>
    /// <param name="group">One or more targets.</param>
    public static IReadOnlyList<LoraTargets> Members(LoraTargets group) => SingleTargets.Where(t => (group & t) != 0).ToArray();

    /// <summary>
    /// The PEFT-style module name of a group: the single module's (<c>q_proj</c>) or the fused one's (<c>qkv_proj</c>,
    /// <c>qv_proj</c>, <c>kv_proj</c>, <c>qk_proj</c>, <c>gate_up_proj</c>).
    /// </summary>
    /// <param name="group">A single target or the targeted members of one shared-input group.</param>
    /// <exception cref="ArgumentOutOfRangeException">Targets that do not share their input.</exception>
    public static string GroupModuleName(LoraTargets group)
    {
        IReadOnlyList<LoraTargets> members = Members(group);
        if (members.Count == 1)
        {
            return ModuleName(members[0]);
        }

        if (members.Count == 0 || !SharedInputGroups.Any(g => (g & group) == group))
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, "Only projections that read the same activation (q/k/v, gate/up) form a LoRA group.");
        }

        return (group & LoraTargets.Mlp) != 0
            ? "gate_up_proj"
            : string.Concat(members.Select(t => ModuleName(t)[0])) + "_proj";
    }

    /// <summary>The name of the A input of a group of projections (the single projection's <see cref="A"/> for one member).</summary>
    /// <param name="layer">The decoder layer.</param>
    /// <param name="group">A single target or the targeted members of one shared-input group.</param>
    public static string GroupA(int layer, LoraTargets group) => GroupModule(layer, group) + ".lora_A.weight";

    /// <summary>The symbolic name of a fused A input's width (members times the rank).</summary>
    /// <param name="layer">The decoder layer.</param>
    /// <param name="group">The group.</param>
    public static string GroupRankDimension(int layer, LoraTargets group) => GroupModule(layer, group) + ".lora_rank";

    /// <summary>Parses the name of a fused A input made by <see cref="GroupA"/> for two or more members.</summary>
    /// <param name="name">The name.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="group">The members.</param>
    /// <returns>Whether the name is a fused A input name.</returns>
    public static bool TryParseGroupA(string name, out int layer, out LoraTargets group)
    {
        ArgumentNullException.ThrowIfNull(name);
        layer = 0;
        group = LoraTargets.None;
        Match m = GroupInputName().Match(name);
        if (!m.Success || !int.TryParse(m.Groups["layer"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out layer))
        {
            return false;
        }

        string proj = m.Groups["proj"].Value;
        bool mlp = m.Groups["kind"].Value == "mlp";
        if (mlp)
        {
            group = proj == "gate_up" ? LoraTargets.GateProj | LoraTargets.UpProj : LoraTargets.None;
        }
        else if (proj is "qkv" or "qk" or "qv" or "kv")
        {
            foreach (char c in proj)
            {
                group |= c switch { 'q' => LoraTargets.QProj, 'k' => LoraTargets.KProj, _ => LoraTargets.VProj };
            }
        }

        return group != LoraTargets.None;
    }

    /// <summary>The seven single targets, in layer order.</summary>
    public static IReadOnlyList<LoraTargets> SingleTargets { get; } =
        [LoraTargets.QProj, LoraTargets.KProj, LoraTargets.VProj, LoraTargets.OProj, LoraTargets.GateProj, LoraTargets.UpProj, LoraTargets.DownProj];

    /// <summary>The PEFT module name of a single target: <c>q_proj</c>, <c>k_proj</c>, ... <c>down_proj</c>.</summary>
    /// <param name="target">One target (not a combination).</param>
    /// <exception cref="ArgumentOutOfRangeException">Not exactly one target.</exception>
    public static string ModuleName(LoraTargets target) => target switch
    {
        LoraTargets.QProj => "q_proj",
        LoraTargets.KProj => "k_proj",
        LoraTargets.VProj => "v_proj",
        LoraTargets.OProj => "o_proj",
        LoraTargets.GateProj => "gate_proj",
        LoraTargets.UpProj => "up_proj",
        LoraTargets.DownProj => "down_proj",
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Expected exactly one LoRA target."),
    };

    /// <summary>The module path inside a layer: <c>self_attn.q_proj</c> or <c>mlp.gate_proj</c>.</summary>
    /// <param name="target">One target.</param>
    public static string ModulePath(LoraTargets target) =>
        ((target & LoraTargets.Mlp) != 0 ? "mlp." : "self_attn.") + ModuleName(target);

    /// <summary>The name of the A input ([in_features, r]) of a layer's target.</summary>
    /// <param name="layer">The decoder layer.</param>
    /// <param name="target">One target.</param>
    public static string A(int layer, LoraTargets target) => Module(layer, target) + ".lora_A.weight";

    /// <summary>The name of the B input ([r, out_features], scale folded in) of a layer's target.</summary>
    /// <param name="layer">The decoder layer.</param>
    /// <param name="target">One target.</param>
    public static string B(int layer, LoraTargets target) => Module(layer, target) + ".lora_B.weight";

    /// <summary>Parses a LoRA input name made by <see cref="A"/> or <see cref="B"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="target">The single target.</param>
    /// <param name="isA">True for <c>lora_A</c>, false for <c>lora_B</c>.</param>
    /// <returns>Whether the name is a LoRA input name.</returns>
    public static bool TryParse(string name, out int layer, out LoraTargets target, out bool isA)
    {
        ArgumentNullException.ThrowIfNull(name);
        Match m = InputName().Match(name);
        return TryRead(m, out layer, out target, out isA);
    }

    /// <summary>
    /// Finds the decoder layer, target and matrix in a PEFT tensor name of the language model, such as
    /// <c>base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_A.weight</c> (an AndesVL adapter) or
    /// <c>base_model.model.model.layers.0.mlp.up_proj.lora_B.weight</c> (a bare Qwen3 adapter); an adapter name
    /// segment (<c>lora_A.default.weight</c>) is accepted.
    /// </summary>
    /// <param name="peftName">The PEFT tensor name.</param>
    /// <param name="layer">The layer.</param>
    /// <param name="target">The single target.</param>
    /// <param name="isA">True for <c>lora_A</c>.</param>
    /// <returns>False for any other tensor (including the vision tower's).</returns>
    internal static bool TryParsePeft(string peftName, out int layer, out LoraTargets target, out bool isA)
    {
        Match m = PeftName().Match(peftName);
        return TryRead(m, out layer, out target, out isA);
    }

    /// <summary>The PEFT module name (e.g. <c>language_model.model.layers.0.self_attn.q_proj</c>) of a PEFT tensor name.</summary>
    internal static bool TryGetPeftModule(string peftName, [NotNullWhen(true)] out string? module)
    {
        Match m = PeftName().Match(peftName);
        module = m.Success ? m.Groups["module"].Value : null;
        return m.Success;
    }

    private static string GroupModule(int layer, LoraTargets group)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        string path = ((group & LoraTargets.Mlp) != 0 ? "mlp." : "self_attn.") + GroupModuleName(group);
        return "model.layers." + layer.ToString(CultureInfo.InvariantCulture) + "." + path;
    }

    private static string Module(int layer, LoraTargets target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        return "model.layers." + layer.ToString(CultureInfo.InvariantCulture) + "." + ModulePath(target);
    }

    private static bool TryRead(Match m, out int layer, out LoraTargets target, out bool isA)
    {
        layer = 0;
        target = LoraTargets.None;
        isA = false;
        if (!m.Success || !int.TryParse(m.Groups["layer"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out layer))
        {
            return false;
        }

        string kind = m.Groups["kind"].Value;
        string proj = m.Groups["proj"].Value;
        target = SingleTargets.FirstOrDefault(t => ModuleName(t) == proj + "_proj");
        if (target == LoraTargets.None || (kind == "mlp") != ((target & LoraTargets.Mlp) != 0))
        {
            return false;
        }

        isA = m.Groups["ab"].Value == "A";
        return true;
    }

    [GeneratedRegex(@"^model\.layers\.(?<layer>\d+)\.(?<kind>self_attn|mlp)\.(?<proj>q|k|v|o|gate|up|down)_proj\.lora_(?<ab>[AB])\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex InputName();

    [GeneratedRegex(@"^model\.layers\.(?<layer>\d+)\.(?<kind>self_attn|mlp)\.(?<proj>qkv|qk|qv|kv|gate_up)_proj\.lora_A\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupInputName();

    [GeneratedRegex(@"^(?:base_model\.model\.)?(?<module>(?:language_model\.)?model\.layers\.(?<layer>\d+)\.(?<kind>self_attn|mlp)\.(?<proj>q|k|v|o|gate|up|down)_proj)\.lora_(?<ab>[AB])(?:\.[A-Za-z0-9_\-]+)?\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex PeftName();
}
