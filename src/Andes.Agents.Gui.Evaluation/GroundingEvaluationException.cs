using Andes.Agents.Gui;

namespace Andes.Agents.Gui.Evaluation;

/// <summary>The model could not answer a sample (the client threw): the evaluation stops and names the sample.</summary>
public sealed class GroundingEvaluationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sample">The sample being evaluated.</param>
    /// <param name="innerException">The client's error.</param>
    public GroundingEvaluationException(GroundingSample sample, Exception innerException)
        : base($"The model could not answer sample {sample.Index} ({Path.GetFileName(sample.ImagePath)}, \"{sample.Instruction}\"): {innerException.Message}", innerException)
    {
        Sample = sample;
    }

    /// <summary>The sample.</summary>
    public GroundingSample Sample { get; }
}
