using System.Text.RegularExpressions;
using Andes.Testing;

namespace Andes.Cli.Tests.Commands;

/// <summary>andes demo: each part prints lines a newcomer can check, and the grounding picture is written where it says.</summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public void TheDemoShowsAnImageTurnACachedFollowUpAToolCallAndAGroundingPicture()
    {
        using TemporaryDirectory temp = TestModels.CreateTemporaryDirectory();
        var (code, output, error) = CliRunner.Run("demo", "--model", TestModels.TinyInt4Model, "--output", temp.Path);
        Assert.True(code == 0, error);

        Match image = ImageTokens().Match(output);
        Assert.True(image.Success, output);
        Assert.True(int.Parse(image.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);

        Match reused = Reused().Match(output);
        Assert.True(reused.Success, output);
        int cached = int.Parse(reused.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int prompt = int.Parse(reused.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(cached, 1, prompt - 1); // the follow-up turn reused the first turn's keys/values

        Assert.Matches(@"calls get_local_time\(city: (Paris|Tokyo|Seattle)\)", output);
        Assert.Matches(@"tool> \d\d:\d\d in (Paris|Tokyo|Seattle)", output);
        Assert.Contains("andes pull OPPOer/AndesVL-1B-Instruct", output, StringComparison.Ordinal);

        string picture = Path.Combine(temp.Path, "grounding.png");
        Assert.Contains("picture: " + picture, output, StringComparison.Ordinal);
        byte[] png = File.ReadAllBytes(picture);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Contains("was recorded, not sent", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"= (\d+) image tokens")]
    private static partial Regex ImageTokens();

    [GeneratedRegex(@"the follow-up reused (\d+) of its (\d+) prompt tokens")]
    private static partial Regex Reused();
}
