using Andes.Agents.Gui;
namespace Andes.Agents.Gui.Tests.Grounding;

public sealed class GroundingAnswerParserTests
{
    [Theory]
    [InlineData("<|box_start|>(100,200),(300,400)<|box_end|>", GroundingAnswerFormat.BoxTokens)]
    [InlineData("(100,200),(300,400)", GroundingAnswerFormat.Parenthesized)]
    [InlineData("The target is at ( 100 , 200 ) , ( 300 , 400 ).", GroundingAnswerFormat.Parenthesized)]
    [InlineData("(300,400),(100,200)", GroundingAnswerFormat.Parenthesized)]
    [InlineData("[{\"bbox_2d\": [100, 200, 300, 400], \"label\": \"Save\"}]", GroundingAnswerFormat.QwenJson)]
    [InlineData("```json\n[\n  {\"bbox_2d\": [100, 200, 300, 400], \"label\": \"Save button\"}\n]\n```", GroundingAnswerFormat.QwenJson)]
    [InlineData("{'bbox_2d': [100.0, 200.0, 300.0, 400.0]}", GroundingAnswerFormat.QwenJson)]
    [InlineData("[100, 200, 300, 400]", GroundingAnswerFormat.BracketList)]
    [InlineData("<think>maybe (1,2)</think><|box_start|>(100,200),(300,400)<|box_end|>", GroundingAnswerFormat.BoxTokens)]
    [InlineData("（100，200），（300，400）", GroundingAnswerFormat.Parenthesized)]
    [InlineData("<|object_ref_start|>Save<|object_ref_end|><|box_start|>(100,200),(300,400)<|box_end|><|im_end|>", GroundingAnswerFormat.BoxTokens)]
    public void BoxAnswersParseToTheSameBox(string text, GroundingAnswerFormat format)
    {
        GroundingAnswer answer = GroundingAnswerParser.Parse(text);
        Assert.Equal(format, answer.Format);
        Assert.True(answer.IsBox);
        Assert.Equal(new ModelBox(100, 200, 300, 400), answer.Box);
        Assert.Equal(new ModelPoint(200, 300), answer.Target);
        Assert.Equal(text, answer.Text);
    }

    [Theory]
    [InlineData("(512,384)", GroundingAnswerFormat.Parenthesized)]
    [InlineData("<|box_start|>(512,384)<|box_end|>", GroundingAnswerFormat.BoxTokens)]
    [InlineData("[{\"point_2d\": [512, 384], \"label\": \"x\"}]", GroundingAnswerFormat.QwenJson)]
    [InlineData("click [512.0, 384.0]", GroundingAnswerFormat.BracketList)]
    public void PointAnswersParse(string text, GroundingAnswerFormat format)
    {
        GroundingAnswer answer = GroundingAnswerParser.Parse(text);
        Assert.Equal(format, answer.Format);
        Assert.False(answer.IsBox);
        Assert.Equal(new ModelPoint(512, 384), answer.Target);
    }

    [Theory]
    [InlineData("<|box_start|>(100,200),(1300,400)<|box_end|>", "1300")]
    [InlineData("(-5,20)", "-5")]
    [InlineData("[{\"bbox_2d\": [100, 200, 300, 4000]}]", "4000")]
    [InlineData("(1000.5,20)", "1000.5")]
    public void OutOfRangeAnswersAreRejectedNamingTheValue(string text, string value)
    {
        var e = Assert.Throws<GroundingAnswerException>(() => GroundingAnswerParser.Parse(text));
        Assert.Equal(GroundingFailureReason.OutOfRange, e.Reason);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
        Assert.Contains("0-1000", e.Message, StringComparison.Ordinal);
        Assert.Equal(text, e.Answer);
    }

    [Fact]
    public void TheScaleIsConfiguration()
    {
        var tenThousand = new ModelCoordinateSystem(10000);
        Assert.Equal(new ModelPoint(2500, 3500), GroundingAnswerParser.Parse("(2000,3000),(3000,4000)", tenThousand).Target);
        Assert.False(GroundingAnswerParser.TryParse("(2000,3000),(3000,4000)", ModelCoordinateSystem.AndesVL, out _, out GroundingFailure? failure));
        Assert.Equal(GroundingFailureReason.OutOfRange, failure.Reason);
    }

    [Theory]
    [InlineData("I cannot find it.", GroundingFailureReason.NoCoordinates)]
    [InlineData("", GroundingFailureReason.NoCoordinates)]
    [InlineData("<|box_start|>(100,200),(300)<|box_end|>", GroundingFailureReason.Malformed)]
    [InlineData("<|box_start|>the save button<|box_end|>", GroundingFailureReason.Malformed)]
    [InlineData("(1,2,3)", GroundingFailureReason.Malformed)]
    [InlineData("[{\"bbox_2d\": [1, 2, 3]}]", GroundingFailureReason.Malformed)]
    public void MalformedAnswersAreRejected(string text, GroundingFailureReason reason)
    {
        Assert.False(GroundingAnswerParser.TryParse(text, null, out GroundingAnswer? answer, out GroundingFailure? failure));
        Assert.Null(answer);
        Assert.Equal(reason, failure.Reason);
        var e = Assert.Throws<GroundingAnswerException>(() => GroundingAnswerParser.Parse(text));
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void TheFirstCoordinateGroupWins()
    {
        Assert.Equal(new ModelPoint(5, 6), GroundingAnswerParser.Parse("(5,6) then (1,2),(3,4)").Target);
        Assert.Equal(new ModelPoint(2, 3), GroundingAnswerParser.Parse("(1,2),(3,4) then (5,6)").Target);
    }

    [Theory]
    [InlineData(GroundingAnswerFormat.BoxTokens)]
    [InlineData(GroundingAnswerFormat.Parenthesized)]
    [InlineData(GroundingAnswerFormat.QwenJson)]
    [InlineData(GroundingAnswerFormat.BracketList)]
    public void WrittenAnswersParseBack(GroundingAnswerFormat format)
    {
        var box = new ModelBox(12.4, 100, 998.6, 1000);
        GroundingAnswer answer = GroundingAnswerParser.Parse(GroundingAnswerWriter.WriteBox(box, format));
        Assert.Equal(format, answer.Format);
        Assert.Equal(new ModelBox(12, 100, 999, 1000), answer.Box);
        Assert.Equal(new ModelPoint(7, 8), GroundingAnswerParser.Parse(GroundingAnswerWriter.WritePoint(new ModelPoint(7.2, 7.6), format)).Target);
    }

    [Fact]
    public void RoundInwardKeepsTheCentreInsideTheBox()
    {
        Assert.Equal(new ModelBox(11, 21, 29, 39), GroundingAnswerWriter.RoundInward(new ModelBox(10.2, 20.7, 29.9, 39.1)));
        ModelBox thin = GroundingAnswerWriter.RoundInward(new ModelBox(10.2, 20, 10.7, 40));
        Assert.Equal(thin.X1, thin.X2);
    }
    /// <summary>Issue 14: digits of other scripts are read as the numbers they write (as Python's float() does), never a FormatException.</summary>
    [Theory]
    [InlineData("（１２３，４５６）", GroundingAnswerFormat.Parenthesized)]
    [InlineData("(١٢٣,٤٥٦)", GroundingAnswerFormat.Parenthesized)]
    [InlineData("<|box_start|>(۱۲۳,۴۵۶)<|box_end|>", GroundingAnswerFormat.BoxTokens)]
    [InlineData("{\"point_2d\": [१२३, ४५६]}", GroundingAnswerFormat.QwenJson)]
    [InlineData("[１２３.0, 4５6]", GroundingAnswerFormat.BracketList)]
    public void DigitsOfOtherScriptsAreRead(string text, GroundingAnswerFormat format)
    {
        Assert.True(GroundingAnswerParser.TryParse(text, null, out GroundingAnswer? answer, out GroundingFailure? failure), failure?.Message);
        Assert.Equal(format, answer.Format);
        Assert.Equal(new ModelPoint(123, 456), answer.Target);
        Assert.Equal(text, answer.Text);
    }

    [Theory]
    [InlineData("(１２３４,５)", GroundingFailureReason.OutOfRange)]
    [InlineData("(１２３,)", GroundingFailureReason.NoCoordinates)]
    [InlineData("<|box_start|>(１２３)<|box_end|>", GroundingFailureReason.Malformed)]
    public void DigitsOfOtherScriptsStillMeetTheChecks(string text, GroundingFailureReason reason)
    {
        Assert.False(GroundingAnswerParser.TryParse(text, null, out _, out GroundingFailure? failure));
        Assert.Equal(reason, failure.Reason);
    }
}
