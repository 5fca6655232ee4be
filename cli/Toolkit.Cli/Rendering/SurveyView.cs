using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Toolkit.Estimator.Measurement;

namespace Toolkit.Cli.Rendering;

/// <summary>
/// Shows an estimate's progress while it surveys the videos and extracts its sample: a live bar on a terminal, a
/// plain line every 10 s otherwise (batch logs), nothing when standard output carries the JSON.
/// </summary>
internal static class SurveyView
{
    public static async Task<T> RunAsync<T>(IAnsiConsole console, SurveyProgress progress, bool quiet, Func<Task<T>> run, TimeSpan? plainInterval = null)
    {
        if (quiet)
            return await run().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        if (!console.IsLive())
        {
            var work = run();
            while (await Task.WhenAny(work, Task.Delay(plainInterval ?? TimeSpan.FromSeconds(10))).ConfigureAwait(false) != work)
            {
                if (progress.Total > 0)
                    console.WriteLine($"[estimate] {Line(progress, clock.Elapsed)}");
            }
            return await work.ConfigureAwait(false);
        }
        T result = default!;
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask("estimate", autoStart: true, maxValue: 1);
                var work = run();
                while (await Task.WhenAny(work, Task.Delay(250)).ConfigureAwait(false) != work)
                {
                    bar.MaxValue = Math.Max(1, progress.Total + progress.SampleTotal);
                    bar.Value = progress.Surveyed + progress.SampleDone;
                    bar.Description = Markup.Escape(Line(progress, clock.Elapsed));
                }
                result = await work.ConfigureAwait(false);
            }).ConfigureAwait(false);
        return result;
    }

    /// <summary>One line: the survey's count and ETA, then the sample's.</summary>
    internal static string Line(SurveyProgress p, TimeSpan elapsed)
    {
        if (p.SampleTotal > 0)
            return string.Create(CultureInfo.InvariantCulture, $"surveyed {p.Total} videos ({p.Excluded} excluded); extracting the sample: {p.SampleDone}/{p.SampleTotal} videos");
        string eta = p.Surveyed > 0 && p.Surveyed < p.Total
            ? TimeSpan.FromSeconds(elapsed.TotalSeconds / p.Surveyed * (p.Total - p.Surveyed)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture)
            : "?";
        return string.Create(CultureInfo.InvariantCulture, $"surveying: {p.Surveyed}/{p.Total} videos ({p.Excluded} excluded), ETA {eta}");
    }
}
