using System.Diagnostics;
using System.Globalization;
using Andes.ModelBuilder;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Andes.Cli.Commands;

/// <summary>
/// Runs a hub download with its progress on the console (the download's own display, since it shows bytes and a rate
/// that <see cref="ConsoleProgress"/> has no columns for): a live bar (file, percentage, bytes, rate, time left; within
/// 80 columns) on a terminal, or plain lines (each file as it completes, and a line every few seconds for a large one)
/// when the output is redirected, so logs and CI output stay readable.
/// </summary>
internal static class HubDownloadView
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);

    /// <summary>Downloads <paramref name="repoId"/> into <paramref name="directory"/>, showing progress, and prints a summary.</summary>
    public static async Task<HubDownloadResult> DownloadAsync(string repoId, string directory, HubDownloadOptions options, CancellationToken cancellationToken)
    {
        using var downloader = new HubDownloader();
        bool live = ConsoleProgress.IsLive && !Console.IsErrorRedirected;
        Console.Out.WriteLine($"downloading {repoId} (revision {options.Revision}) into {directory}");
        HubDownloadResult result = live
            ? await DownloadLiveAsync(downloader, repoId, directory, options, cancellationToken)
            : await DownloadPlainAsync(downloader, repoId, directory, options, cancellationToken);

        HubRepositoryInfo repository = result.Repository;
        string skipped = result.FilesSkipped > 0 ? $", {result.FilesSkipped} already complete" : string.Empty;
        Console.Out.WriteLine($"done: {repository.Files.Count} files, {Bytes(repository.TotalBytes ?? 0)}{skipped} (received {Bytes(result.BytesReceived)} in {ConsoleProgress.FormatDuration(result.Elapsed)})");
        if (repository.Commit is { } commit)
        {
            Console.Out.WriteLine($"commit {commit}");
        }

        return result;
    }

    /// <summary>Bytes in binary units, one decimal: <c>812 B</c>, <c>4.0 KiB</c>, <c>1.9 GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>Two byte counts in the larger one's unit: <c>1.2/4.8 GiB</c> (short enough for a progress line).</summary>
    public static string Bytes(long done, long total)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        int unit = 0;
        double scale = 1;
        while (total / scale >= 1024 && unit < units.Length - 1)
        {
            scale *= 1024;
            unit++;
        }

        return unit == 0
            ? $"{done}/{total} B"
            : string.Create(CultureInfo.InvariantCulture, $"{done / scale:0.0}/{total / scale:0.0} {units[unit]}");
    }

    private static async Task<HubDownloadResult> DownloadLiveAsync(
        HubDownloader downloader, string repoId, string directory, HubDownloadOptions options, CancellationToken cancellationToken)
    {
        var rate = new TransferRate();
        HubDownloadResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 10 }, new PercentageColumn(), new TransferColumn(rate))
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask("listing files", maxValue: 1);
                task.IsIndeterminate = true;
                var progress = new SynchronousProgress<HubDownloadProgress>(p =>
                {
                    rate.Update(p);
                    if (p.BytesTotal is long total and > 0)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = total;
                        task.Value = p.BytesDone;
                    }

                    task.Description = Markup.Escape(Describe(p, 22));
                });
                result = await downloader.DownloadAsync(repoId, directory, options, progress, cancellationToken);
                task.Description = "done";
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static async Task<HubDownloadResult> DownloadPlainAsync(
        HubDownloader downloader, string repoId, string directory, HubDownloadOptions options, CancellationToken cancellationToken)
    {
        var rate = new TransferRate();
        var lastLine = Stopwatch.StartNew();
        bool announced = false;
        string? verifying = null;
        var progress = new SynchronousProgress<HubDownloadProgress>(p =>
        {
            rate.Update(p);
            if (!announced && p.FilesTotal > 0)
            {
                announced = true;
                Console.Out.WriteLine($"{p.FilesTotal} files, {(p.BytesTotal is long total ? Bytes(total) : "size unknown")}");
            }

            string counter = $"[{Math.Min(p.FilesDone + 1, p.FilesTotal)}/{p.FilesTotal}]";
            switch (p.Stage)
            {
                case HubDownloadStage.FileCompleted:
                    Console.Out.WriteLine($"[{p.FilesDone}/{p.FilesTotal}] {p.FilePath} {Bytes(p.FileBytesDone)}");
                    lastLine.Restart();
                    break;
                case HubDownloadStage.FileSkipped:
                    Console.Out.WriteLine($"[{p.FilesDone}/{p.FilesTotal}] {p.FilePath} {Bytes(p.FileBytesDone)}, already complete");
                    lastLine.Restart();
                    break;
                case HubDownloadStage.Retrying:
                    Console.Out.WriteLine($"{counter} {p.FilePath}: {p.Message}; retrying from {Bytes(p.FileBytesDone)}");
                    break;
                case HubDownloadStage.Verifying when verifying != p.FilePath && p.FileBytesTotal >= 64L << 20:
                    verifying = p.FilePath;
                    Console.Out.WriteLine($"{counter} {p.FilePath}: checking the copy on disk (SHA-256)");
                    break;
                case HubDownloadStage.Downloading when lastLine.Elapsed >= PlainInterval:
                    Console.Out.WriteLine($"{counter} {p.FilePath} {Percent(p.FileBytesDone, p.FileBytesTotal)}; total {rate.Summary(p)}");
                    lastLine.Restart();
                    break;
            }
        });
        return await downloader.DownloadAsync(repoId, directory, options, progress, cancellationToken);
    }

    private static string Describe(HubDownloadProgress p, int width)
    {
        string name = p.FilePath is null ? "listing files" : Path.GetFileName(p.FilePath);
        string prefix = p.Stage switch
        {
            HubDownloadStage.Verifying => "checking ",
            HubDownloadStage.Retrying => "retrying ",
            _ => string.Empty,
        };
        string text = prefix + name;
        // Cut from the front: the end of a shard's name says which one it is (…01-of-00002.safetensors).
        return text.Length <= width ? text.PadRight(width) : string.Concat("…", text.AsSpan(text.Length - width + 1));
    }

    private static string Percent(long done, long? total) =>
        total is long t and > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * done / t:0}% of {Bytes(t)}") : Bytes(done);

    /// <summary>
    /// The download rate over the last few seconds, from the bytes actually received (so skipped and resumed bytes do
    /// not inflate it), and the time left at that rate.
    /// </summary>
    private sealed class TransferRate
    {
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
        private readonly Queue<(TimeSpan Time, long Received)> _samples = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private HubDownloadProgress _last;

        public void Update(HubDownloadProgress progress)
        {
            lock (_gate)
            {
                _last = progress;
                TimeSpan now = _clock.Elapsed;
                _samples.Enqueue((now, progress.BytesReceived));
                while (_samples.Count > 2 && now - _samples.Peek().Time > Window)
                {
                    _samples.Dequeue();
                }
            }
        }

        /// <summary>Bytes per second, or null before there is a measurable interval.</summary>
        public double? BytesPerSecond()
        {
            lock (_gate)
            {
                if (_samples.Count < 2)
                {
                    return null;
                }

                (TimeSpan firstTime, long firstBytes) = _samples.Peek();
                (TimeSpan lastTime, long lastBytes) = _samples.Last();
                double seconds = (lastTime - firstTime).TotalSeconds;
                return seconds < 0.2 ? null : (lastBytes - firstBytes) / seconds;
            }
        }

        /// <summary><c>1.2/4.8 GiB 40.1 MiB/s ETA 1 min 30 s</c>: done and total, rate, time left.</summary>
        public string Summary(HubDownloadProgress? progress = null)
        {
            HubDownloadProgress p;
            lock (_gate)
            {
                p = progress ?? _last;
            }

            string amount = p.BytesTotal is long total ? Bytes(p.BytesDone, total) : Bytes(p.BytesDone);
            double? rate = BytesPerSecond();
            if (rate is not double r || r <= 0)
            {
                return amount;
            }

            string left = p.BytesTotal is long all ? " ETA " + ConsoleProgress.FormatDuration(TimeSpan.FromSeconds(Math.Max(0, all - p.BytesDone) / r)) : string.Empty;
            return $"{amount} {Bytes((long)r)}/s{left}";
        }
    }

    /// <summary>A progress column showing <see cref="TransferRate.Summary"/>.</summary>
    private sealed class TransferColumn(TransferRate rate) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(rate.Summary(), new Style(Color.Grey));
    }
}
