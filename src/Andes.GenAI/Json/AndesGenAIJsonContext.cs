using System.Text.Json.Serialization;

namespace Andes.GenAI;

/// <summary>
/// Source-generated JSON contracts for the files this package reads and writes (no reflection, so the package is
/// trimming- and native-AOT-safe): <c>genai_config.json</c>, <c>andes_config.json</c>, <c>andes_lora.json</c>,
/// <c>skills.json</c> and PEFT's <c>adapter_config.json</c>.
/// </summary>
/// <remarks>
/// The context carries no settings of its own. Each file keeps its own <see cref="System.Text.Json.JsonSerializerOptions"/>
/// (strict or lenient reading, comments, indentation, ignore conditions) in a context instance made with them, e.g.
/// <c>new AndesGenAIJsonContext(new JsonSerializerOptions { ... })</c>, beside the type that owns the file.
/// </remarks>
[JsonSerializable(typeof(GenAIConfig))]
[JsonSerializable(typeof(AndesFolderConfig))]
[JsonSerializable(typeof(LoraModelManifest))]
[JsonSerializable(typeof(SkillsFile))]
// Named here: the nested type SkillsFile.Options would otherwise give the context a property that hides Options.
[JsonSerializable(typeof(SkillsFile.Entry), TypeInfoPropertyName = "SkillsFileEntry")]
[JsonSerializable(typeof(SkillsFile.Options), TypeInfoPropertyName = "SkillsFileOptions")]
[JsonSerializable(typeof(PeftAdapterConfig))]
internal sealed partial class AndesGenAIJsonContext : JsonSerializerContext;
