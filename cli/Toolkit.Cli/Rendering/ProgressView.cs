using System.Diagnostics;
using Spectre.Console;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Cli.Rendering;

/// <summary>
/// Shows a run's progress: a live bar (videos, frames/s, ETA, failures) on a terminal, plain periodic lines otherwise
/// (logs of batch jobs), and each failure as one line as soon as it happens when not live.
/// </summary>
internal sealed class ProgressView(IAnsiConsole console, string verb, TimeSpan? plainInterval = null)
{
    private readonly TimeSpan _plainInterval = plainInterval ?? TimeSpan.FromSeconds(10);

    public async Task<T> RunAsync<T>(ExtractProgress progress, Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        if (!console.IsLive())
        {
            void OnFinished(VideoResult r)
            {
                if (r.Status == VideoStatus.Failed)
                    console.WriteLine($"[{verb}] failed: {r.Source}: {r.Reason}");
            }
            progress.VideoFinished += OnFinished;
            try
            {
                var work = run();
                while (await Task.WhenAny(work, Task.Delay(_plainInterval)).ConfigureAwait(false) != work)
                    console.WriteLine($"[{verb}] {Line(progress, clock.Elapsed)}");
                return await work.ConfigureAwait(false);
            }
            finally
            {
                progress.VideoFinished -= OnFinished;
            }
        }

        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(verb, autoStart: true, maxValue: 1);
                var work = run();
                while (true)
                {
                    var finished = await Task.WhenAny(work, Task.Delay(250)).ConfigureAwait(false) == work;
                    int total = Math.Max(progress.Total, 1);
                    bar.MaxValue = total;
                    bar.Value = Math.Min(progress.Completed, total);
                    bar.Description = Markup.Escape(Line(progress, clock.Elapsed));
                    if (finished)
                    {
                        bar.Value = bar.MaxValue;
                        result = await work.ConfigureAwait(false);
                        return;
                    }
                }
            }).ConfigureAwait(false);
        return result;
    }

    private static string Line(ExtractProgress p, TimeSpan elapsed)
    {
        int finished = p.Done + p.Skipped + p.Failed;
        double fps = p.Frames / Math.Max(elapsed.TotalSeconds, 1e-3);
        // Converted work counts whole videos that ended plus the decoded share of those in flight, so the ETA is there
        // from the first frames of the first video on, and follows a long video as it goes.
        double completed = p.Completed;
        double converted = completed - p.Skipped;
        double left = p.Total - completed;
        string eta = "?";
        if (converted > 0.01 && left > 0)
            eta = Duration(TimeSpan.FromSeconds(Math.Min(elapsed.TotalSeconds / converted * left, 1e8)));
        else if (finished == p.Total && p.Total > 0)
            eta = "00:00:00";
        double percent = p.Total > 0 ? 100 * completed / p.Total : 0;
        return $"videos {finished}/{p.Total} ({Ext(percent)} %; {p.Skipped} skipped, {p.Failed} failed), {Ext(fps)} frames/s, ETA {eta}";
    }

    private static string Duration(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{(int)t.TotalDays}d {t.ToString(@"hh\:mm\:ss")}" : t.ToString(@"hh\:mm\:ss");

    private static string Ext(double v) => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
