using Andes.GenAI;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary><c>describe</c>, <c>generate --image</c> and <c>chat --image</c> on the tiny model.</summary>
public sealed class ImageCommandTests
{
    private static readonly string Photo = TestImages.Path("photo_120x90.jpg");

    [Fact]
    public void DescribeStreamsAnAnswerAndReportsTheImageTokens()
    {
        var (code, output, error) = CliRunner.Run("describe", "--model", TestModels.TinyFp32Model, Photo, "--max-tokens", "6", "--greedy");
        Assert.True(code == 0, error);
        Assert.Contains("120 x 90 -> 140 x 112, 20 tokens", output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("6 generated", output, StringComparison.Ordinal);
    }

    [Fact]
    public void GenerateFillsEachVisionPadRunOfInputIdsWithTheNextImage()
    {
        string second = TestImages.Path("square_56x56.png");
        int[] ids = [151644, 872, 198, 151652, 151654, 151653, 323, 151652, 151654, 151653, 3838, 151645, 198, 151644, 77091, 198];
        var (code, output, error) = CliRunner.Run(
            "generate", "--model", TestModels.TinyFp32Model, "--input-ids", string.Join(",", ids), "--image", Photo, "--image", second, "--max-tokens", "6", "--greedy", "--ids");
        Assert.True(code == 0, error);

        // The engine, by hand: each single pad expanded to the image's tokens, features from the vision graph.
        using AndesModel model = AndesModel.Load(TestModels.TinyFp32Model);
        var expanded = new List<int>();
        var features = new List<float>();
        int next = 0;
        foreach (int id in ids)
        {
            if (id != 151654)
            {
                expanded.Add(id);
                continue;
            }

            using ProcessedImage image = model.ImageProcessor!.ProcessFile(next++ == 0 ? Photo : second);
            expanded.AddRange(Enumerable.Repeat(151654, image.TokenCount));
            features.AddRange(model.EncodeImage(image).Values.ToArray());
        }

        using var generator = new Generator(model, new GenerationOptions { MaxNewTokens = 6 });
        generator.AppendTokens(expanded.ToArray(), features.ToArray());
        var expected = new List<int>();
        while (!generator.IsDone)
        {
            expected.Add(generator.GenerateNextToken());
        }

        Assert.Equal(string.Join(",", expected), output.Trim());
    }

    [Fact]
    public void GenerateRejectsMismatchedImagesAndPadRuns()
    {
        var (code, _, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model, "--input-ids", "151644,151654,151654,151654,198", "--image", Photo);
        Assert.NotEqual(0, code);
        Assert.Contains("has 3 placeholders but image", error, StringComparison.Ordinal);
        Assert.Contains("takes 20", error, StringComparison.Ordinal);

        (code, _, error) = CliRunner.Run("generate", "--model", TestModels.TinyFp32Model, "--input-ids", "151644,198", "--image", Photo);
        Assert.NotEqual(0, code);
        Assert.Contains("1 image(s) given but the ids have 0 image placeholder run(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatTakesImagesFromTheCommandLineAndFromSlashImage()
    {
        var (code, output, error) = CliRunner.RunWithInput(
            $"What is it?\n/image {TestImages.Path("square_56x56.png")}\nAnd this one?\n/exit\n",
            "chat", "--model", TestModels.TinyFp32Model, "--image", Photo, "--max-tokens", "4", "--greedy");
        Assert.True(code == 0, error);
        Assert.Contains("attached to your next message", output, StringComparison.Ordinal);
        Assert.Equal(3, output.Split("andes>").Length);

        (code, _, error) = CliRunner.Run("describe", "--model", TestModels.TinyFp32Model, TestImages.Path("missing.png"));
        Assert.NotEqual(0, code);
        Assert.Contains("missing.png", error, StringComparison.Ordinal);
    }
}
