using Andes.GenAI;
using Xunit.Abstractions;

namespace Andes.GenAI.Tests.Generation.Speculative;

/// <summary>
/// Speculative sampling keeps the model's distribution: the token after a verified proposal is drawn from exactly the
/// distribution plain sampling draws from, whatever the drafter proposes (checked with a chi-square test against the
/// exact distribution, over thousands of seeds).
/// </summary>
public sealed class SpeculativeSamplingTests(SpeculativeModelsFixture models, ITestOutputHelper output) : IClassFixture<SpeculativeModelsFixture>
{
    private static readonly int[] Prompt = [151644, 872, 198, 9707, 11, 1246, 525, 498, 30, 151645, 198, 151644, 77091, 198];
    private const int Forced = 9707;

    /// <summary>Forces the first generated token, so that the second (the verified one) has one known distribution.</summary>
    private sealed class ForceFirstToken : ILogitsProcessor
    {
        public void Process(Span<float> logits, TokenHistory history)
        {
            if (history.GeneratedTokens.Length == 0)
            {
                logits.Fill(float.NegativeInfinity);
                logits[Forced] = float.PositiveInfinity;
            }
        }
    }

    /// <summary>Proposes one token drawn from a fixed distribution over a few tokens (or one certain token).</summary>
    private sealed class FixedDrafter(int vocab, (int Token, float Probability)[] proposal, bool certain, int seed) : IDrafter
    {
        // The proposal must really be drawn from q (a fresh stream per generation), or the accept rule is not exact.
        private readonly float[] _q = Build(vocab, proposal);
        private readonly Random _random = new(seed);

        public bool HasDistributions => !certain;

        public void AddPrompt(EncodedPrompt prompt, int offset)
        {
        }

        public int Draft(IReadOnlyList<int> sequence, Span<int> drafts)
        {
            double u = _random.NextDouble(), sum = 0;
            foreach ((int token, float p) in proposal)
            {
                sum += p;
                if (u < sum)
                {
                    drafts[0] = token;
                    return 1;
                }
            }

            drafts[0] = proposal[^1].Token;
            return 1;
        }

        public ReadOnlySpan<float> Distribution(int index) => _q;

        public void Dispose()
        {
        }

        private static float[] Build(int vocab, (int Token, float Probability)[] proposal)
        {
            var q = new float[vocab];
            foreach ((int token, float p) in proposal)
            {
                q[token] += p;
            }

            return q;
        }
    }

    private static GenerationOptions Sampling(int seed, SpeculativeDecodingOptions? speculative) =>
        new() { DoSample = true, Temperature = 1.5f, TopK = 6, MaxNewTokens = 3, Seed = seed, SpeculativeDecoding = speculative };

    [Theory]
    [InlineData("fp32", false, "top")]
    [InlineData("int4", true, "mixed")]
    [InlineData("fp32", false, "outside")]
    public void TheVerifiedTokenFollowsTheTargetDistribution(string precision, bool withDistribution, string proposalKind)
    {
        AndesModel model = models.Get(precision);
        int vocab = model.Signature.VocabSize;

        // The exact target: the logits after prompt + forced token, through the same sampling pipeline.
        float[] p = new float[vocab];
        using (var g = new Generator(model, Sampling(0, null), [new ForceFirstToken()]))
        {
            g.AppendTokens(Prompt);
            g.GenerateNextToken();
            using var sampler = new LogitsSampler(Sampling(0, null), vocab);
            float[] logits = g.GetLogits().ToArray();
            sampler.TargetDistribution(logits, p);
        }

        int[] support = Enumerable.Range(0, vocab).Where(t => p[t] > 0).OrderByDescending(t => p[t]).ToArray();
        Assert.Equal(6, support.Length);
        (int, float)[] proposal = proposalKind switch
        {
            "top" => [(support[0], 1f)],
            "outside" => [(Forced + 1 == support[0] ? Forced + 2 : Forced + 1, 1f)],
            _ => [(support[0], 0.2f), (support[3], 0.5f), (support[5], 0.1f), (12345, 0.2f)],
        };

        const int Runs = 2000;
        var counts = new int[vocab];
        var accepted = 0;
        for (int seed = 0; seed < Runs; seed++)
        {
            int drafterSeed = seed + 100_000;
            var options = SpeculativeDecodingOptions.WithDrafter((_, _) => new FixedDrafter(vocab, proposal, !withDistribution, drafterSeed), 1);
            using var g = new Generator(model, Sampling(seed, options), [new ForceFirstToken()]);
            g.AppendTokens(Prompt);
            Assert.Equal(Forced, g.GenerateNextToken());
            int second = g.GenerateNextToken(); // decided by the pass that verified the proposal
            counts[second]++;
            accepted += g.SpeculativeDecoding!.Value.AcceptedTokens;
        }

        Assert.All(Enumerable.Range(0, vocab).Where(t => p[t] == 0), t => Assert.Equal(0, counts[t]));
        double chi = 0;
        foreach (int t in support)
        {
            double expected = Runs * p[t];
            chi += (counts[t] - expected) * (counts[t] - expected) / expected;
        }

        output.WriteLine($"p = {string.Join(", ", support.Select(t => $"{t}:{p[t]:F3}"))}; counts = {string.Join(", ", support.Select(t => counts[t]))}; accepted {accepted}/{Runs}; chi2 = {chi:F2} (5 degrees of freedom)");

        // 5 degrees of freedom: P(chi2 > 20.5) = 0.001 (the seeds are fixed, so the test is deterministic).
        Assert.True(chi < 20.5, $"chi-square {chi:F2} over 5 degrees of freedom: the verified token does not follow the target distribution");
        if (proposalKind == "outside")
        {
            Assert.Equal(0, accepted);
        }
        else
        {
            Assert.True(accepted > 0);
        }
    }
}
