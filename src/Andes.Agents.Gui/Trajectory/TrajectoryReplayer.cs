using System.Text.Json;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>Reads recorded trajectories and replays their executed actions (in a dry run by default).</summary>
public static class TrajectoryReplayer
{
    /// <summary>Reads the steps of a trajectory folder.</summary>
    /// <param name="directory">The folder written by <see cref="TrajectoryRecorder"/>.</param>
    /// <returns>The steps, in order.</returns>
    /// <exception cref="InvalidDataException">A line is not a valid step (the message names the line).</exception>
    public static IReadOnlyList<TrajectoryStep> ReadSteps(string directory)
    {
        string path = Path.Combine(directory, TrajectoryRecorder.StepsFileName);
        var steps = new List<TrajectoryStep>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                steps.Add(JsonSerializer.Deserialize(line, TrajectoryJson.Context.TrajectoryStep)
                    ?? throw new InvalidDataException($"{path}:{lineNumber}: null step."));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a trajectory step ({e.Message}).", e);
            }
        }

        return steps;
    }

    /// <summary>Reads a trajectory's run summary.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The summary.</returns>
    public static TrajectoryRun ReadRun(string directory)
    {
        string path = Path.Combine(directory, TrajectoryRecorder.RunFileName);
        return JsonSerializer.Deserialize(File.ReadAllText(path), TrajectoryJson.Context.TrajectoryRun)
            ?? throw new InvalidDataException($"{path}: empty run summary.");
    }

    /// <summary>Replays the executed actions of a trajectory, in order.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="executor">Where the actions go; null for a new <see cref="DryRunExecutor"/> (nothing is sent).</param>
    /// <param name="cancellationToken">Cancels between actions.</param>
    /// <returns>The actions replayed.</returns>
    public static async Task<IReadOnlyList<GuiAction>> ReplayAsync(string directory, IActionExecutor? executor = null, CancellationToken cancellationToken = default)
    {
        executor ??= new DryRunExecutor();
        var replayed = new List<GuiAction>();
        foreach (TrajectoryStep step in ReadSteps(directory))
        {
            if (step.Outcome == StepOutcome.Executed && step.Action is { } action)
            {
                await executor.ExecuteAsync(action, cancellationToken).ConfigureAwait(false);
                replayed.Add(action);
            }
        }

        return replayed;
    }
}
