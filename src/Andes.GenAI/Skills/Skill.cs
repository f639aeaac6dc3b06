using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// A task the model does well with a particular adapter and prompt: a name and description (what an agent sees when it
/// picks a tool), the LoRA adapter to activate (null: the base model), instructions for the system turn, default
/// options (e.g. temperature 0 for extraction), and an optional parser of its output. The "N" of AndesVL's 1+N
/// deployment: one base model, N skills.
/// </summary>
/// <remarks>Immutable after construction; safe to share.</remarks>
public sealed class Skill
{
    private readonly string _name = string.Empty;

    /// <summary>The skill's name: letters, digits, '_' and '-' (how requests select it: <c>options.WithSkill(name)</c>).</summary>
    /// <exception cref="ArgumentException">Empty, or other characters.</exception>
    public required string Name
    {
        get => _name;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw new ArgumentException($"Skill name '{value}' may hold only letters, digits, '_' and '-'.", nameof(Name));
            }

            _name = value;
        }
    }

    /// <summary>What the skill does (shown to agents choosing tools).</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The name of the adapter in the client's <see cref="AdapterRegistry"/>; null runs on the base model.</summary>
    public string? Adapter { get; init; }

    /// <summary>Instructions put at the start of the system turn (before a request's own <see cref="ChatOptions.Instructions"/>).</summary>
    public string? Instructions { get; init; }

    /// <summary>Options used where a request leaves them unset (temperature, max tokens, stop sequences, additional properties, ...).</summary>
    public ChatOptions? DefaultOptions { get; init; }

    /// <summary>Turns the skill's text output into a result (e.g. <see cref="SkillOutputParsers.Json"/>); null keeps the text.</summary>
    public Func<string, object?>? OutputParser { get; init; }

    /// <summary>
    /// The options a request runs with under this skill: a copy of <paramref name="request"/> with the skill's
    /// instructions first, its defaults wherever the request says nothing, and its adapter unless the request names one.
    /// </summary>
    /// <param name="request">The request's options, or null.</param>
    /// <returns>New options.</returns>
    public ChatOptions ApplyTo(ChatOptions? request)
    {
        ChatOptions result = request?.Clone() ?? new ChatOptions();
        if (!string.IsNullOrEmpty(Instructions))
        {
            result.Instructions = string.IsNullOrEmpty(request?.Instructions) ? Instructions : Instructions + "\n\n" + request.Instructions;
        }

        if (DefaultOptions is { } d)
        {
            result.Temperature ??= d.Temperature;
            result.TopP ??= d.TopP;
            result.TopK ??= d.TopK;
            result.MaxOutputTokens ??= d.MaxOutputTokens;
            result.Seed ??= d.Seed;
            result.FrequencyPenalty ??= d.FrequencyPenalty;
            result.PresencePenalty ??= d.PresencePenalty;
            result.ResponseFormat ??= d.ResponseFormat;
            result.Reasoning ??= d.Reasoning;
            result.ToolMode ??= d.ToolMode;
            if (result.StopSequences is not { Count: > 0 } && d.StopSequences is { Count: > 0 } stops)
            {
                result.StopSequences = [.. stops];
            }

            if (result.Tools is not { Count: > 0 } && d.Tools is { Count: > 0 } tools)
            {
                result.Tools = [.. tools];
            }

            if (d.AdditionalProperties is { Count: > 0 } extra)
            {
                result.AdditionalProperties ??= [];
                foreach ((string key, object? value) in extra)
                {
                    result.AdditionalProperties.TryAdd(key, value);
                }
            }
        }

        if (Adapter is not null && result.GetAdapter() is null)
        {
            result.WithAdapter(Adapter);
        }

        return result;
    }

    /// <summary>Parses the skill's output with <see cref="OutputParser"/> (the text itself when there is none).</summary>
    /// <param name="text">The model's answer.</param>
    /// <returns>The parsed result.</returns>
    /// <exception cref="FormatException">The parser rejected the text.</exception>
    public object? ParseOutput(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return OutputParser is null ? text : OutputParser(text);
    }

    /// <inheritdoc />
    public override string ToString() => Adapter is null ? Name : $"{Name} (adapter {Adapter})";
}
