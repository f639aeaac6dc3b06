using System.Text.Json;
using Andes.ModelBuilder;
namespace Andes.ModelBuilder;

/// <summary>A checkpoint's <c>generation_config.json</c> (sampling defaults and special ids), with fall-backs from config.json.</summary>
internal sealed record GenerationDefaults(bool DoSample, float Temperature, int TopK, float TopP, float RepetitionPenalty, int? BosTokenId, int? PadTokenId, int[] EosTokenIds)
{
    public const string FileName = "generation_config.json";

    public static GenerationDefaults Load(string checkpointDirectory, Qwen3TextConfig text)
    {
        var defaults = new GenerationDefaults(false, 1f, 50, 1f, 1f, text.BosTokenId, 151643, [text.EosTokenId]);
        string file = Path.Combine(checkpointDirectory, FileName);
        if (!File.Exists(file))
        {
            return defaults;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement root = doc.RootElement;
            return defaults with
            {
                DoSample = root.TryGetProperty("do_sample", out JsonElement s) ? s.GetBoolean() : defaults.DoSample,
                Temperature = root.TryGetProperty("temperature", out JsonElement t) ? t.GetSingle() : defaults.Temperature,
                TopK = root.TryGetProperty("top_k", out JsonElement k) ? k.GetInt32() : defaults.TopK,
                TopP = root.TryGetProperty("top_p", out JsonElement p) ? p.GetSingle() : defaults.TopP,
                RepetitionPenalty = root.TryGetProperty("repetition_penalty", out JsonElement r) ? r.GetSingle() : defaults.RepetitionPenalty,
                BosTokenId = root.TryGetProperty("bos_token_id", out JsonElement b) && b.ValueKind == JsonValueKind.Number ? b.GetInt32() : defaults.BosTokenId,
                PadTokenId = root.TryGetProperty("pad_token_id", out JsonElement pad) && pad.ValueKind == JsonValueKind.Number ? pad.GetInt32() : defaults.PadTokenId,
                EosTokenIds = root.TryGetProperty("eos_token_id", out JsonElement e) ? ReadIds(e) : defaults.EosTokenIds,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new CheckpointException($"'{file}' is not a valid generation config: {ex.Message}", file, innerException: ex);
        }
    }

    private static int[] ReadIds(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().Select(x => x.GetInt32()).ToArray()
        : [e.GetInt32()];
}
