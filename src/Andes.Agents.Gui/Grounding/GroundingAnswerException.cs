namespace Andes.Agents.Gui;

/// <summary>A model's grounding or action answer was malformed or out of range: it is never acted on.</summary>
public sealed class GroundingAnswerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">Why the answer was rejected.</param>
    /// <param name="answer">The model's answer text.</param>
    public GroundingAnswerException(GroundingFailure failure, string answer)
        : base($"{failure.Message} Answer: \"{Shorten(answer)}\"")
    {
        Failure = failure;
        Answer = answer;
    }

    /// <summary>Why the answer was rejected.</summary>
    public GroundingFailure Failure { get; }

    /// <summary>The kind of failure.</summary>
    public GroundingFailureReason Reason => Failure.Reason;

    /// <summary>The model's answer text.</summary>
    public string Answer { get; }

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "...");
}
