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
                    bar.Value = progress.Done + progress.Skipped + progress.Failed;
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
        string eta = "?";
        int converting = p.Done + p.Failed;
        int left = p.Total - finished;
        if (converting > 0 && left > 0)
            eta = TimeSpan.FromSeconds(elapsed.TotalSeconds / converting * left).ToString(@"hh\:mm\:ss");
        else if (left == 0 && p.Total > 0)
            eta = "00:00:00";
        return $"videos {finished}/{p.Total} ({p.Skipped} skipped, {p.Failed} failed), {Ext(fps)} frames/s, ETA {eta}";
    }

    private static string Ext(double v) => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture);
}
