using Andes.GenAI;
namespace Andes.GenAI.Tests.Generation;

public sealed class GenerationOptionsTests
{
    [Fact]
    public void Defaults_MirrorGenAiSearchDefaults_AndAreGreedy()
    {
        var options = new GenerationOptions();

        Assert.Null(options.MaxNewTokens);
        Assert.False(options.DoSample);
        Assert.Equal(1f, options.Temperature);
        Assert.Equal(50, options.TopK);
        Assert.Equal(1f, options.TopP);
        Assert.Equal(0f, options.MinP);
        Assert.Equal(1f, options.RepetitionPenalty);
        Assert.Equal(0f, options.PresencePenalty);
        Assert.Equal(0f, options.FrequencyPenalty);
        Assert.Null(options.Seed);
        Assert.True(options.IsGreedy);
        options.Validate();
    }

    [Theory]
    [InlineData(false, 1f, true)]
    [InlineData(true, 1f, false)]
    [InlineData(true, 0f, true)]
    [InlineData(false, 0.6f, true)]
    public void IsGreedy_WhenNotSamplingOrTemperatureZero(bool doSample, float temperature, bool greedy)
    {
        var options = new GenerationOptions { DoSample = doSample, Temperature = temperature };
        Assert.Equal(greedy, options.IsGreedy);
    }

    [Fact]
    public void Clone_CopiesValuesAndLists()
    {
        var options = new GenerationOptions
        {
            MaxNewTokens = 12,
            DoSample = true,
            Temperature = 0.6f,
            TopK = 20,
            TopP = 0.95f,
            MinP = 0.05f,
            RepetitionPenalty = 1.1f,
            PresencePenalty = 0.5f,
            FrequencyPenalty = 0.25f,
            Seed = -7,
            StopSequences = ["</answer>"],
            StopTokenIds = [151643],
        };

        GenerationOptions clone = options.Clone();
        options.StopSequences.Add("x");
        options.StopTokenIds.Add(1);

        Assert.Equal(12, clone.MaxNewTokens);
        Assert.True(clone.DoSample);
        Assert.Equal(0.6f, clone.Temperature);
        Assert.Equal(20, clone.TopK);
        Assert.Equal(0.95f, clone.TopP);
        Assert.Equal(0.05f, clone.MinP);
        Assert.Equal(1.1f, clone.RepetitionPenalty);
        Assert.Equal(0.5f, clone.PresencePenalty);
        Assert.Equal(0.25f, clone.FrequencyPenalty);
        Assert.Equal(-7, clone.Seed);
        Assert.Equal(["</answer>"], clone.StopSequences);
        Assert.Equal([151643], clone.StopTokenIds);
        Assert.NotSame(options.StopSequences, clone.StopSequences);
    }

    public static TheoryData<string, Action<GenerationOptions>, string> InvalidOptions => new()
    {
        { "MaxNewTokens", o => o.MaxNewTokens = 0, "0" },
        { "Temperature", o => o.Temperature = -0.5f, "-0.5" },
        { "Temperature", o => o.Temperature = float.NaN, "NaN" },
        { "Temperature", o => o.Temperature = float.PositiveInfinity, "Infinity" },
        { "TopK", o => o.TopK = -1, "-1" },
        { "TopP", o => o.TopP = 1.5f, "1.5" },
        { "TopP", o => o.TopP = -0.1f, "-0.1" },
        { "MinP", o => o.MinP = 2f, "2" },
        { "RepetitionPenalty", o => o.RepetitionPenalty = 0f, "0" },
        { "PresencePenalty", o => o.PresencePenalty = float.NaN, "NaN" },
        { "FrequencyPenalty", o => o.FrequencyPenalty = float.NegativeInfinity, "-Infinity" },
        { "StopTokenIds[1]", o => o.StopTokenIds = [5, -3], "-3" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_NamesTheOptionAndValue(string option, Action<GenerationOptions> configure, string value)
    {
        var options = new GenerationOptions();
        configure(options);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(option, ex.ParamName);
        Assert.Contains($"GenerationOptions.{option} = {value}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsEmptyStopSequence()
    {
        var options = new GenerationOptions { StopSequences = ["ok", ""] };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("StopSequences[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsBoundaryValues()
    {
        new GenerationOptions { Temperature = 0f, TopK = 0, TopP = 0f, MinP = 1f, PresencePenalty = -2f }.Validate();
        new GenerationOptions { TopP = 1f, MinP = 0f, RepetitionPenalty = 0.5f, MaxNewTokens = 1 }.Validate();
    }
}
