using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Andes.Agents.Gui;
namespace Andes.Agents.Gui;

/// <summary>
/// Records an agent run into a folder: <c>run.json</c> (task, status), <c>trajectory.jsonl</c> (one
/// <see cref="TrajectoryStep"/> per line), <c>step-NNN.png</c> (the screenshot with the target box and pointer
/// positions drawn) and <c>report.html</c> (all steps with their screenshots). <see cref="TrajectoryReplayer"/> replays it.
/// </summary>
/// <remarks>Thread-safe (calls are serialised).</remarks>
public sealed class TrajectoryRecorder : IDisposable
{
    /// <summary>The steps file name.</summary>
    public const string StepsFileName = "trajectory.jsonl";

    /// <summary>The run summary file name.</summary>
    public const string RunFileName = "run.json";

    /// <summary>The HTML report file name.</summary>
    public const string ReportFileName = "report.html";

    private static readonly BgraColor BoxColor = BgraColor.FromRgb(255, 0, 0);
    private static readonly BgraColor PointColor = BgraColor.FromRgb(255, 0, 255);
    private readonly object _gate = new();
    private readonly StreamWriter _steps;
    private readonly List<TrajectoryStep> _recorded = [];
    private TrajectoryRun? _run;

    /// <summary>Creates a recorder writing into a folder (created if needed; existing trajectory files are replaced).</summary>
    /// <param name="directory">The folder.</param>
    public TrajectoryRecorder(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory);
        _steps = new StreamWriter(Path.Combine(Directory, StepsFileName), append: false, new UTF8Encoding(false));
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The steps recorded so far.</summary>
    public IReadOnlyList<TrajectoryStep> Steps
    {
        get
        {
            lock (_gate)
            {
                return [.. _recorded];
            }
        }
    }

    /// <summary>Starts a run: writes <c>run.json</c>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="dryRun">Whether actions go to a dry run.</param>
    public void Begin(string task, bool dryRun)
    {
        lock (_gate)
        {
            _run = new TrajectoryRun { Task = task, Started = DateTimeOffset.UtcNow, DryRun = dryRun };
            WriteRun();
        }
    }

    /// <summary>Records a step: saves the annotated screenshot (when given) and appends the step to the JSONL file.</summary>
    /// <param name="step">The step.</param>
    /// <param name="frame">The screenshot the step was decided on; null for none.</param>
    /// <returns>The step as recorded (with its screenshot file name).</returns>
    public TrajectoryStep Record(TrajectoryStep step, ScreenFrame? frame)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            if (frame is not null)
            {
                string file = string.Create(CultureInfo.InvariantCulture, $"step-{step.Index:000}.png");
                BgraImage annotated = Annotate(frame, step.Action);
                using (FileStream stream = File.Create(Path.Combine(Directory, file)))
                {
                    PngEncoder.Encode(annotated, stream);
                }

                step = step with { Screenshot = file, FrameBounds = frame.Bounds, FrameWidth = frame.Width, FrameHeight = frame.Height };
            }

            _steps.WriteLine(JsonSerializer.Serialize(step, TrajectoryJson.Context.TrajectoryStep));
            _steps.Flush();
            _recorded.Add(step);
            return step;
        }
    }

    /// <summary>Ends the run: updates <c>run.json</c> and writes <c>report.html</c>.</summary>
    /// <param name="status">How the run ended.</param>
    /// <param name="message">The final message.</param>
    public void Complete(GuiAgentStatus? status, string? message)
    {
        lock (_gate)
        {
            _run = (_run ?? new TrajectoryRun { Task = string.Empty, Started = DateTimeOffset.UtcNow }) with
            {
                Finished = DateTimeOffset.UtcNow,
                Status = status,
                Message = message,
            };
            WriteRun();
            File.WriteAllText(Path.Combine(Directory, ReportFileName), BuildReport(_run, _recorded), new UTF8Encoding(false));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _steps.Dispose();
        }
    }

    /// <summary>Draws an action's target box and pointer positions onto a copy of its screenshot.</summary>
    /// <param name="frame">The screenshot.</param>
    /// <param name="action">The action (desktop coordinates); null draws nothing.</param>
    /// <returns>The annotated copy.</returns>
    public static BgraImage Annotate(ScreenFrame frame, GuiAction? action)
    {
        ArgumentNullException.ThrowIfNull(frame);
        BgraImage image = frame.Image.Clone();
        if (action is null)
        {
            return image;
        }

        double sx = (double)frame.Width / frame.Bounds.Width, sy = (double)frame.Height / frame.Bounds.Height;
        int thickness = Math.Max(2, frame.Width / 640);
        if (action.TargetBox is { } box)
        {
            int x1 = (int)Math.Floor((box.Left - frame.Bounds.X) * sx), y1 = (int)Math.Floor((box.Top - frame.Bounds.Y) * sy);
            int x2 = (int)Math.Ceiling((box.Right - frame.Bounds.X) * sx), y2 = (int)Math.Ceiling((box.Bottom - frame.Bounds.Y) * sy);
            ImageDrawing.DrawRectangle(image, x1 - thickness, y1 - thickness, x2 - x1 + 2 * thickness, y2 - y1 + 2 * thickness, BoxColor, thickness);
        }

        foreach (ScreenPoint p in action.GetPointerPositions())
        {
            int x = (int)Math.Floor((p.X - frame.Bounds.X) * sx), y = (int)Math.Floor((p.Y - frame.Bounds.Y) * sy);
            ImageDrawing.DrawCross(image, x, y, 6 * thickness, PointColor, thickness);
        }

        return image;
    }

    private void WriteRun()
        => File.WriteAllText(Path.Combine(Directory, RunFileName), JsonSerializer.Serialize(_run, TrajectoryJson.Context.TrajectoryRun), new UTF8Encoding(false));

    private static string BuildReport(TrajectoryRun run, IReadOnlyList<TrajectoryStep> steps)
    {
        static string E(string? s) => WebUtility.HtmlEncode(s ?? string.Empty);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>GUI agent trajectory</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.4em;vertical-align:top}")
            .Append("img{max-width:640px}.executed{color:#060}.rejected,.blocked,.failed,.stopped,.declined{color:#b00}pre{white-space:pre-wrap;max-width:40em}</style></head><body>\n")
            .Append("<h1>GUI agent trajectory</h1>\n<p><b>Task:</b> ").Append(E(run.Task)).Append("</p>\n")
            .Append(CultureInfo.InvariantCulture, $"<p><b>Started:</b> {run.Started:u} &nbsp; <b>Finished:</b> {run.Finished:u} &nbsp; <b>Status:</b> {E(run.Status?.ToString())} &nbsp; <b>Dry run:</b> {(run.DryRun ? "yes" : "no")}</p>\n")
            .Append("<p><b>Message:</b> ").Append(E(run.Message)).Append("</p>\n")
            .Append("<table><tr><th>#</th><th>Screenshot</th><th>Model</th><th>Action</th><th>Outcome</th></tr>\n");
        foreach (TrajectoryStep step in steps)
        {
            string outcome = step.Outcome.ToString().ToLowerInvariant();
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{step.Index}</td><td>")
                .Append(step.Screenshot is { } img ? $"<a href=\"{E(img)}\"><img src=\"{E(img)}\" alt=\"step {step.Index}\"></a>" : string.Empty)
                .Append("</td><td><pre>").Append(E(step.ModelResponse)).Append("</pre></td><td>")
                .Append(E(step.Action?.Describe() ?? step.ActionText)).Append("</td><td class=\"").Append(outcome).Append("\">")
                .Append(outcome).Append(step.Detail is { } d ? "<br>" + E(d) : string.Empty).Append("</td></tr>\n");
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }
}
