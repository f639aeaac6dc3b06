using System.Text;
using Andes.GenAI;
namespace Andes.GenAI.Tests.Tokenization;

/// <summary>Our ids and decodes against Hugging Face tokenizers' (the committed fixture) for every fixture string.</summary>
public sealed class AndesTokenizerFixtureTests
{
    private static AndesTokenizer Tokenizer => TokenizerTestAssets.Tokenizer;

    [Fact]
    public void FixtureCoversTheCorpus()
    {
        HfFixture fixture = TokenizerTestAssets.Fixture;
        Assert.StartsWith("Hugging Face tokenizers 0.23.2", fixture.Source, StringComparison.Ordinal);
        Assert.True(fixture.Cases.Count >= 1100, $"only {fixture.Cases.Count} cases");
        Assert.Contains(fixture.Cases, c => c.Text.Contains('\u0085', StringComparison.Ordinal));
        Assert.Contains(fixture.Cases, c => c.Text.Contains('\uFEFF', StringComparison.Ordinal));
        Assert.Contains(fixture.Cases, c => c.Text.Contains("𠮷", StringComparison.Ordinal));
        Assert.Contains(fixture.Cases, c => c.Text == ">\u0338<think>");
    }

    [Fact]
    public void EncodeMatchesHuggingFaceForEveryFixtureString()
    {
        var failures = new StringBuilder();
        int failed = 0;
        foreach (HfCase c in TokenizerTestAssets.Fixture.Cases)
        {
            int[] ids = Tokenizer.EncodeToIds(c.Text);
            if (!ids.AsSpan().SequenceEqual(c.Ids))
            {
                if (failed++ < 10)
                {
                    failures.AppendLine($"{Escape(c.Text)}: expected [{string.Join(",", c.Ids)}] got [{string.Join(",", ids)}]");
                }
            }
        }

        Assert.True(failed == 0, $"{failed} of {TokenizerTestAssets.Fixture.Cases.Count} strings differ:\n{failures}");
    }

    [Fact]
    public void UnderlyingMlTokenizerGivesTheSameIds()
    {
        // The ML.Tokenizers pipeline (normaliser -> pre-tokenizer -> BPE) and our direct one agree everywhere.
        foreach (HfCase c in TokenizerTestAssets.Fixture.Cases)
        {
            Assert.Equal(c.Ids, Tokenizer.Tokenizer.EncodeToIds(c.Text));
        }
    }

    [Fact]
    public void SpanEncodeMatchesStringEncode()
    {
        foreach (HfCase c in TokenizerTestAssets.Fixture.Cases.Take(300))
        {
            Assert.Equal(c.Ids, Tokenizer.EncodeToIds(c.Text.AsSpan()));
            Assert.Equal(c.Ids.Length, Tokenizer.CountTokens(c.Text));
            var appended = new List<int> { -7 };
            Tokenizer.EncodeToIds(c.Text, appended);
            Assert.Equal([-7, .. c.Ids], appended);
        }
    }

    [Fact]
    public void DecodeMatchesHuggingFaceWithAndWithoutSkippingSpecialTokens()
    {
        int roundTrips = 0;
        foreach (HfCase c in TokenizerTestAssets.Fixture.Cases)
        {
            Assert.Equal(c.Decoded, Tokenizer.Decode(c.Ids));
            Assert.Equal(c.DecodedSkipSpecial, Tokenizer.Decode(c.Ids, skipSpecialTokens: true));
            if (c.Decoded == c.Text)
            {
                // Where Hugging Face round-trips, so do we.
                Assert.Equal(c.Text, Tokenizer.Decode(Tokenizer.EncodeToIds(c.Text)));
                roundTrips++;
            }
        }

        Assert.True(roundTrips > 900, $"only {roundTrips} round trips");
    }

    private static string Escape(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (char ch in text)
        {
            builder.Append(ch < 0x20 || ch >= 0x7F ? $"\\u{(int)ch:X4}" : ch.ToString());
        }

        return builder.Append('"').ToString();
    }
}
