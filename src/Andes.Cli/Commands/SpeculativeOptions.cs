using System.CommandLine;
using Andes.GenAI;

namespace Andes.Cli.Commands;

/// <summary>
/// <c>--speculative prompt-lookup|draft:FOLDER</c> and <c>--draft-tokens K</c>, shared by <c>generate</c>, <c>chat</c> and
/// <c>bench</c>: one parser and one set of rules for the drafter.
/// </summary>
internal sealed class SpeculativeOptions
{
    private const string DraftPrefix = "draft:";

    public Option<string?> Speculative { get; } = new("--speculative")
    {
        Description = "Speculative decoding: prompt-lookup (copies n-grams from the prompt and answer) or draft:FOLDER (a smaller model with the same tokenizer). Exact: greedy output is unchanged, sampling keeps its distribution; Andes engine only.",
    };

    public Option<int?> DraftTokens { get; } = new Option<int?>("--draft-tokens")
    {
        Description = "With --speculative: the most tokens proposed per decoder pass (default 8 for prompt-lookup, 4 for a draft model).",
    }.Between(1, SpeculativeDecodingOptions.MaxDraftTokens, "tokens proposed per pass");

    public void AddTo(Command command)
    {
        command.Options.Add(Speculative);
        command.Options.Add(DraftTokens);
        Speculative.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && Check(value) is { } error)
            {
                r.AddError(error);
            }
        });
        command.Validators.Add(r =>
        {
            if (r.GetResult(DraftTokens) is { Implicit: false } && r.GetValue(Speculative) is null)
            {
                r.AddError("--draft-tokens needs --speculative (prompt-lookup or draft:FOLDER).");
            }
        });
    }

    /// <summary>
    /// The speculative decoding the options ask for, or null; a draft model is loaded (on the Andes engine) into
    /// <paramref name="draftModel"/>, which the caller disposes after the model that uses it.
    /// </summary>
    public SpeculativeDecodingOptions? Create(ParseResult parse, out AndesModel? draftModel)
    {
        draftModel = null;
        if (parse.GetValue(Speculative) is not { } value)
        {
            return null;
        }

        int? k = parse.GetValue(DraftTokens);
        if (!value.StartsWith(DraftPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return SpeculativeDecodingOptions.PromptLookup(k ?? 8);
        }

        string folder;
        try
        {
            folder = ModelFolderOption.Resolve(value[DraftPrefix.Length..]);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--speculative {value}: {e.Message}", e);
        }

        draftModel = AndesModel.Load(folder, new AndesModelOptions { Engine = GenerationEngine.Andes });
        return SpeculativeDecodingOptions.WithDraftModel(draftModel, k ?? 4);
    }

    /// <summary>One line describing what the generator's speculation did, for stderr.</summary>
    public static string Describe(SpeculativeDecodingOptions options, SpeculativeDecodingStatistics s, int generated) =>
        $"speculative ({options}): {s.DraftedTokens} proposed, {s.AcceptedTokens} accepted ({s.AcceptanceRate:P0}); {s.VerificationPasses + s.PlainSteps} decoder passes for {generated} tokens ({s.TokensPerPass:F2} per pass)";

    private static string? Check(string value)
    {
        if (value.Equals("prompt-lookup", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!value.StartsWith(DraftPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"--speculative {value}: give prompt-lookup or draft:FOLDER (a model folder or the name of one in $ANDES_HOME/models).";
        }

        string folder = value[DraftPrefix.Length..];
        return folder.Length == 0 || !Directory.Exists(ModelFolderOption.Locate(folder))
            ? $"--speculative {value}: no model folder '{folder}' (a folder, or the name of one in $ANDES_HOME/models)."
            : null;
    }
}
