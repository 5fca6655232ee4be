using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Ingest.Tests.Cli;

public sealed class SummaryTests
{
    [Fact]
    public void ManyRepairedVideos_AreTheMostCommonReasonsWithCounts_SoTheFailedLinesStayVisible()
    {
        var results = new List<VideoResult>();
        for (int i = 0; i < 40; i++)
        {
            string[] notes = i % 2 == 0
                ? [$"[h264 @ 0x55d4{i:x4}] [error] error while decoding MB {i} {i + 3}", "h264: decode_slice_header error"]
                : [$"the container declares {400 + i} frames but {390 + i} were decoded; the decoded count is used"];
            results.Add(new VideoResult($"/data/v{i:D2}.mp4", $"c/v{i:D2}", VideoStatus.Done, 10, 0, null, notes, 1));
        }
        results.Add(new VideoResult("/data/broken.mp4", null, VideoStatus.Failed, 0, 0, "moov atom not found", [], 0));

        string text = Render(results);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("repaired: 40 videos were converted with decoder repairs; the most common reasons (videos):", text);
        Assert.Contains("    20  h264: decode_slice_header error", text);
        Assert.Contains("    20  [h264 @ …] [error] error while decoding MB N N", text);
        Assert.Contains("    20  the container declares N frames but N were decoded; the decoded count is used", text);
        Assert.Contains("FAILED: /data/broken.mp4: moov atom not found", lines[^1]);
        Assert.True(lines.Length <= 1 + 1 + Summary.CommonReasons + 2 + 1, text);
        Assert.DoesNotContain("/data/v00.mp4", text);
    }

    [Fact]
    public void AFewRepairedVideos_AreListed_EachWithItsFirstNotes()
    {
        string[] notes = [.. Enumerable.Range(1, 7).Select(i => $"note {i}")];
        string text = Render([new VideoResult("/data/a.mp4", "c/a", VideoStatus.Done, 10, 0, null, notes, 1)]);

        Assert.Contains("repaired: /data/a.mp4:\n    note 1\n    note 2\n    note 3\n    … 4 more note(s) in the manifest", text);
        Assert.DoesNotContain("note 4", text);
    }

    [Fact]
    public void EstimateProgressLine_SaysHowFarTheSurveyIs_ThenTheSample()
    {
        var progress = new Toolkit.Estimator.Measurement.SurveyProgress();
        Assert.Equal("surveying: 0/0 videos (0 excluded), ETA ?", SurveyView.Line(progress, TimeSpan.FromSeconds(1)));
        var survey = typeof(Toolkit.Estimator.Measurement.SurveyProgress);
        survey.GetMethod("SetTotal", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(progress, [400]);
        var one = survey.GetMethod("Surveyed1", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        for (int i = 0; i < 100; i++)
            one.Invoke(progress, [i % 50 == 0]);
        Assert.Equal("surveying: 100/400 videos (2 excluded), ETA 00:01:30", SurveyView.Line(progress, TimeSpan.FromSeconds(30)));
    }

    private static string Render(IReadOnlyList<VideoResult> results)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 4096;
        Summary.Print(console, results, null, "/out");
        return writer.ToString().Replace("\r", "", StringComparison.Ordinal);
    }
}
