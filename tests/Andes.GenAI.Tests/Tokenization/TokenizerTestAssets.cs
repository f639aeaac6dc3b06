using System.Text.Json;
using Andes.GenAI;
using Andes.ModelBuilder;
namespace Andes.GenAI.Tests.Tokenization;

/// <summary>
/// AndesVL's tokenizer for tests, made once per test run: the ModelBuilder's embedded checkpoint files are written to
/// a temp folder and <see cref="TokenizerJsonBuilder"/> builds the model folder's tokenizer.json from them.
/// </summary>
internal static class TokenizerTestAssets
{
    private static readonly Lazy<string> Root = new(CreateRoot);
    private static readonly Lazy<AndesTokenizer> Shared = new(() => AndesTokenizer.Create(TokenizerJsonPath));
    private static readonly Lazy<HfFixture> FixtureValue = new(LoadFixture);

    /// <summary>Gets the folder holding the checkpoint tokenizer files (vocab.json, merges.txt, tokenizer_config.json, ...).</summary>
    public static string CheckpointDirectory => Path.Combine(Root.Value, "checkpoint");

    /// <summary>Gets the path of the built tokenizer.json.</summary>
    public static string TokenizerJsonPath => Path.Combine(Root.Value, "model", "tokenizer.json");

    /// <summary>Gets the shared tokenizer (thread-safe).</summary>
    public static AndesTokenizer Tokenizer => Shared.Value;

    /// <summary>Gets the Hugging Face reference fixture.</summary>
    public static HfFixture Fixture => FixtureValue.Value;

    private static string CreateRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), $"andes-tokenizer-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
        AndesTokenizerAssets.WriteCheckpointFiles(Path.Combine(root, "checkpoint"));
        TokenizerJsonBuilder.WriteModelFolderFiles(Path.Combine(root, "checkpoint"), Path.Combine(root, "model"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return root;
    }

    private static HfFixture LoadFixture()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "hf-tokenizer-fixture.json");
        using FileStream stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<HfFixture>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidDataException($"{path} is empty.");
    }
}

/// <summary>The Hugging Face reference fixture (tools/tokenizer/make-fixtures.mjs).</summary>
internal sealed class HfFixture
{
    public string Source { get; set; } = string.Empty;

    public List<HfCase> Cases { get; set; } = [];
}

/// <summary>One fixture string with Hugging Face's ids and decodes.</summary>
internal sealed class HfCase
{
    public string Text { get; set; } = string.Empty;

    public int[] Ids { get; set; } = [];

    public string Decoded { get; set; } = string.Empty;

    public string DecodedSkipSpecial { get; set; } = string.Empty;
}
