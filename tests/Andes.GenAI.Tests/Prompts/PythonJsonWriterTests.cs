using System.Text;
using System.Text.Json;
using Andes.GenAI;
namespace Andes.GenAI.Tests.Prompts;

public class PythonJsonWriterTests
{
    private static string Json(object? value) => PythonJsonWriter.ToJson(value, Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions);

    // Expected strings are Python 3's repr(float) / json.dumps output.
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(12345000000000.0, "12345000000000.0")]
    [InlineData(123456789.125, "123456789.125")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(2.5e-7, "2.5e-07")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    [InlineData(1.0 / 3.0, "0.3333333333333333")]
    public void Double_IsWrittenLikePythonRepr(double value, string expected) => Assert.Equal(expected, Json(value));

    [Fact]
    public void Float_UsesItsOwnShortestDigits() => Assert.Equal("[1.1, 3.0, 1e-06]", Json(new[] { 1.1f, 3f, 1e-6f }));

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("1.50", "1.5")]
    [InlineData("1E5", "100000.0")]
    [InlineData("-1e-7", "-1e-07")]
    [InlineData("12345678901234567890", "12345678901234567890")]
    [InlineData("-0", "0")]
    [InlineData("-42", "-42")]
    public void JsonNumbers_AreWrittenAsPythonReadsThem(string raw, string expected) =>
        Assert.Equal(expected, Json(JsonDocument.Parse(raw).RootElement));

    [Fact]
    public void Strings_EscapeLikeJsonDumpsWithoutEnsureAscii()
    {
        string value = "q\"b\\n\nr\rt\tb\bf\f\u0000\u001f\u007f é 上海 😀 \u2028 \ud800x";

        Assert.Equal("\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0000\\u001f\u007f é 上海 😀 \u2028 \\ud800x\"", Json(value));
    }

    [Fact]
    public void Containers_UsePythonSeparatorsAndInsertionOrder()
    {
        var value = new Dictionary<string, object?>
        {
            ["z"] = 1,
            ["a"] = new object?[] { true, false, null, "s", 'c', 2L, 3.5m },
            ["m"] = new Dictionary<string, object?>(),
            ["e"] = Array.Empty<object>(),
            ["j"] = JsonDocument.Parse("{\"b\":[1,{\"c\":null}],\"a\":\"x\"}").RootElement,
        };

        Assert.Equal(
            "{\"z\": 1, \"a\": [true, false, null, \"s\", \"c\", 2, 3.5], \"m\": {}, \"e\": [], \"j\": {\"b\": [1, {\"c\": null}], \"a\": \"x\"}}",
            Json(value));
    }

    [Fact]
    public void OtherObjects_GoThroughTheSerializer()
    {
        Assert.Equal("{\"name\": \"x\", \"size\": 2.5}", Json(new Sample("x", 2.5)));
        var builder = new StringBuilder("prefix ");
        PythonJsonWriter.Write(builder, System.Text.Json.Nodes.JsonNode.Parse("{\"k\":[1,2]}"), Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions);
        Assert.Equal("prefix {\"k\": [1, 2]}", builder.ToString());
    }

    private sealed record Sample(string name, double size);
}
