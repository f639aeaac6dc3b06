namespace Andes.Agents.Gui;

/// <summary>Why an answer was rejected, with a message naming the offending value.</summary>
/// <param name="Reason">The kind of failure.</param>
/// <param name="Message">A sentence naming the answer's offending part.</param>
public sealed record GroundingFailure(GroundingFailureReason Reason, string Message);
