using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Andes.Cli.Commands;

/// <summary>
/// One progress display for the long commands (convert, make-checkpoint, download, the demo's first run): a bar with
/// percentage, time left and time spent on a terminal, kept within 80 columns; plain lines every 10 % (and on each
/// new stage) when the output is redirected, where a redrawn bar would be noise in a log.
/// </summary>
internal sealed class ConsoleProgress
{
    // Room for the bar, percentage, remaining and elapsed columns in an 80-column terminal.
    private const int DescriptionWidth = 30;

    private readonly ProgressTask? _task;
    private readonly string _title;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _lastTenth = -1;
    private string _lastStage = string.Empty;

    private ConsoleProgress(ProgressTask? task, string title)
    {
        _task = task;
        _title = title;
    }

    /// <summary>Whether a live bar is drawn (a terminal), rather than plain lines.</summary>
    public static bool IsLive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with a progress display titled <paramref name="title"/>.</summary>
    public static T Run<T>(string title, Func<ConsoleProgress, T> work)
    {
        if (!IsLive)
        {
            return work(new ConsoleProgress(null, title));
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask(Fit(title, null), maxValue: 1000);
                var progress = new ConsoleProgress(task, title);
                result = work(progress);
                task.Value = task.MaxValue;
                task.Description = Fit(title, "done");
            });
        return result;
    }

    /// <summary>Reports the share done (0-1) and what is being worked on (a stage or file name, shortened to fit).</summary>
    public void Report(double fraction, string stage, string? detail = null)
    {
        fraction = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        if (_task is not null)
        {
            _task.Value = fraction * _task.MaxValue;
            _task.Description = Fit(stage, detail);
            return;
        }

        int tenth = (int)(fraction * 10);
        if (tenth == _lastTenth && stage == _lastStage)
        {
            return;
        }

        _lastTenth = tenth;
        _lastStage = stage;
        string remaining = fraction is > 0.02 and < 1
            ? $", about {FormatDuration(_clock.Elapsed * ((1 - fraction) / fraction))} left"
            : string.Empty;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_title}: {fraction * 100:F0}% ({stage}){remaining}"));
    }

    /// <summary>A duration as a person reads it: 45 s, 3 min 05 s, 1 h 02 min.</summary>
    public static string FormatDuration(TimeSpan t) => t.TotalSeconds switch
    {
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, t.TotalSeconds):F0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds:D2} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes:D2} min"),
    };

    // Markup-escaped, padded to a fixed width so the bar does not jump, and shortened from the left of the detail, where
    // long tensor and file names differ least (language_model.model.layers.3.mlp.down_proj.weight).
    private static string Fit(string stage, string? detail)
    {
        string text = detail is null or "" ? stage : $"{stage}: {detail}";
        if (text.Length > DescriptionWidth)
        {
            text = detail is null or "" || stage.Length > DescriptionWidth - 8
                ? text[..(DescriptionWidth - 1)] + "…"
                : $"{stage}: …{detail[^(DescriptionWidth - stage.Length - 3)..]}";
        }

        return Markup.Escape(text.PadRight(DescriptionWidth));
    }
}
