using System.Text.Json.Serialization;

namespace Andes.ModelBuilder;

/// <summary>
/// Source-generated JSON contracts for the files this package reads and writes with typed models (no reflection, so
/// the package is trimming- and native-AOT-safe): a checkpoint's <c>config.json</c> (<see cref="AndesVLConfig"/>) and
/// the Hugging Face hub's file listing (<see cref="HubModelInfoJson"/>).
/// The conversion log and the processor and tokenizer files are written as <c>System.Text.Json.Nodes</c> trees.
/// </summary>
/// <remarks>
/// <see cref="Default"/> has the serializer's default settings; a file with settings of its own uses a context instance
/// made with them, e.g. <c>new AndesModelBuilderJsonContext(new JsonSerializerOptions { ... })</c>.
/// </remarks>
[JsonSerializable(typeof(AndesVLConfig))]
[JsonSerializable(typeof(HubModelInfoJson))]
internal sealed partial class AndesModelBuilderJsonContext : JsonSerializerContext;
