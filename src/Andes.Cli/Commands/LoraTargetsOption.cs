using Andes.GenAI;
namespace Andes.Cli.Commands;

/// <summary>Parses the <c>--lora-targets</c> / <c>--targets</c> lists: q,k,v,o,gate,up,down (or q_proj, ...), all, attention, mlp, none.</summary>
internal static class LoraTargetsOption
{
    public const string Help = "Comma-separated projections: q,k,v,o,gate,up,down (or q_proj,...), or all, attention, mlp, none.";

    public static LoraTargets Parse(string text)
    {
        LoraTargets result = LoraTargets.None;
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = part.ToLowerInvariant();
            result |= name switch
            {
                "none" => LoraTargets.None,
                "all" => LoraTargets.All,
                "attention" or "attn" => LoraTargets.Attention,
                "mlp" => LoraTargets.Mlp,
                _ => LoraParameterNames.SingleTargets.FirstOrDefault(t => LoraParameterNames.ModuleName(t) == name || LoraParameterNames.ModuleName(t) == name + "_proj") is var t && t != LoraTargets.None
                    ? t
                    : throw new ArgumentException($"Unknown LoRA target '{part}'. {Help}"),
            };
        }

        return result;
    }
}
