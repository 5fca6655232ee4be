using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Testing;

/// <summary>
/// A tiny X3D trained once on synthetic colour clips (class = colour), then measured with the real <c>toolkit test</c>
/// and <c>toolkit predict</c> commands.
/// </summary>
public sealed class TrainedColours : IDisposable
{
    public TrainedColours()
    {
        Data = SyntheticClips.Write(Dir.Path, classes: 2, perClass: 3, frames: 8, size: 40);
        // As the overfitting test of ClassifierTrainingTests: precise BN makes the eval-mode statistics the data's.
        Config = SyntheticClips.Config(Dir.Path, Data, epochs: 8, trainer: ClassifierRuns.Tiny("x3d-m", extra: ", \"eval_every\": 4, \"precise_bn_batches\": 2"), batch: 2, clipLen: 4, crop: 32);
        Work = Path.Combine(Dir.Path, "work");
        var r = ToolkitCli.Run(TimeSpan.FromMinutes(4), "train", "--config", Config, "--work-dir", Work);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public TempDirectory Dir { get; } = new("toolkit-test-cmd-");

    public (string Root, string Train, string Val, string LabelMap) Data { get; }

    public string Config { get; }

    public string Work { get; }

    public void Dispose() => Dir.Dispose();
}

[Trait("Category", "Integration")]
public sealed class TestCommandTests(TrainedColours trained) : IClassFixture<TrainedColours>
{
    private static CliResult Toolkit(params string[] args) => ToolkitCli.Run(TimeSpan.FromMinutes(3), args);

    private static (string Video, int Label, int[] Preds, double[] Scores)[] Predictions(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, "predictions.tsv")).Skip(1).Select(line =>
        {
            var f = line.Split('\t');
            int k = (f.Length - 2) / 2;
            return (f[0], int.Parse(f[1], CultureInfo.InvariantCulture),
                Enumerable.Range(0, k).Select(i => int.Parse(f[2 + 2 * i], CultureInfo.InvariantCulture)).ToArray(),
                Enumerable.Range(0, k).Select(i => double.Parse(f[3 + 2 * i], CultureInfo.InvariantCulture)).ToArray());
        })];

    [Fact]
    public void Test_WorkDir_WritesEveryReport_AndItsTop1IsThePredictionsFiles()
    {
        string output = Path.Combine(trained.Dir.Path, "results-2x3");
        var r = Toolkit("test", "--checkpoint", trained.Work, "--views", "2x3", "--out", output, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var summary = JsonDocument.Parse(r.Stdout);
        var root = summary.RootElement;
        Assert.Equal(6, root.GetProperty("videos").GetInt32());
        Assert.Equal(6, root.GetProperty("evaluated").GetInt32());
        Assert.Equal(6, root.GetProperty("views_per_video").GetInt32());
        Assert.Equal("prob", root.GetProperty("average").GetString());
        string pointer = Path.Combine(trained.Work, "checkpoints", "best");
        string best = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : "epoch_0008"; // no validation top-1 recorded: the newest
        Assert.Equal(best, Path.GetFileName(root.GetProperty("checkpoint").GetString()));

        var rows = Predictions(output);
        Assert.Equal(6, rows.Length);
        double top1 = rows.Count(p => p.Preds[0] == p.Label) / (double)rows.Length;
        Assert.Equal(top1, root.GetProperty("top1").GetDouble(), 12);
        // Colours are easy: the trained model gets them right (it learned, the views and averaging are sane).
        Assert.True(top1 >= 5 / 6.0, $"top-1 {top1} on the training colours:\n{File.ReadAllText(Path.Combine(output, "predictions.tsv"))}");
        // Prob averaging: every video's scores over both classes are probabilities summing to 1.
        Assert.All(rows, p => Assert.Equal(1.0, p.Scores.Sum(), 4));
        Assert.All(rows, p => Assert.StartsWith("class", p.Video, StringComparison.Ordinal));

        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "per_class.csv")).Length);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "confusion.csv")).Length);
        byte[] png = File.ReadAllBytes(Path.Combine(output, "confusion.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(r.Stdout.Trim(), File.ReadAllText(Path.Combine(output, "summary.json")).Trim());
        Assert.False(File.Exists(Path.Combine(output, "failures.tsv")));
        Assert.Empty(Directory.EnumerateDirectories(trained.Dir.Path, ".results-2x3.partial-*"));
    }

    [Fact]
    public void Test_ScoreAveraging_TenCrop_AndTsnSegments_UseTheirViews()
    {
        string score = Path.Combine(trained.Dir.Path, "results-score");
        var r = Toolkit("test", "--checkpoint", trained.Work, "--which", "latest", "--views", "1x10", "--average", "score", "--out", score, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var doc = JsonDocument.Parse(r.Stdout))
        {
            Assert.Equal(10, doc.RootElement.GetProperty("views_per_video").GetInt32());
            Assert.EndsWith("epoch_0008", doc.RootElement.GetProperty("checkpoint").GetString(), StringComparison.Ordinal);
        }
        // Mean logits are no probabilities: some video's two scores do not sum to 1.
        Assert.Contains(Predictions(score), p => Math.Abs(p.Scores.Sum() - 1) > 1e-3);

        string tsn = Path.Combine(trained.Dir.Path, "results-tsn");
        r = Toolkit("test", "--checkpoint", trained.Work, "--segments", "3", "--out", tsn, "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var tsnDoc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(3, tsnDoc.RootElement.GetProperty("views_per_video").GetInt32());
        Assert.Contains("3 segments × 1 crop", tsnDoc.RootElement.GetProperty("protocol").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Test_ClipsPerForward_SplitsPassesWithoutChangingAScore()
    {
        string whole = Path.Combine(trained.Dir.Path, "results-whole"), split = Path.Combine(trained.Dir.Path, "results-split");
        var a = Toolkit("test", "--checkpoint", trained.Work, "--views", "2x3", "--batch", "3", "--clips-per-forward", "100", "--out", whole, "--json");
        var b = Toolkit("test", "--checkpoint", trained.Work, "--views", "2x3", "--batch", "3", "--clips-per-forward", "4", "--out", split, "--json");
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.True(b.ExitCode == 0, b.ToString());
        using (var doc = JsonDocument.Parse(b.Stdout))
            Assert.Equal(4, doc.RootElement.GetProperty("clips_per_forward").GetInt32());
        var pa = Predictions(whole);
        var pb = Predictions(split);
        Assert.Equal(pa.Select(p => (p.Video, p.Label, string.Join(',', p.Preds))), pb.Select(p => (p.Video, p.Label, string.Join(',', p.Preds))));
        for (int i = 0; i < pa.Length; i++)
        {
            for (int k = 0; k < pa[i].Scores.Length; k++)
                Assert.Equal(pa[i].Scores[k], pb[i].Scores[k], tolerance: 1e-5);
        }
    }

    [MountFact]
    [Trait("Category", "Failure")]
    public void Test_OutOnAReadOnlyFileSystem_Exits2_BeforeScoring_NothingLeft()
    {
        string mount = Directory.CreateDirectory(Path.Combine(trained.Dir.Path, "ro")).FullName;
        Assert.Null(Mounts.Tmpfs(mount, "1m", readOnly: true));
        try
        {
            string output = Path.Combine(mount, "results");
            var r = Toolkit("test", "--checkpoint", trained.Work, "--out", output);
            Assert.True(r.ExitCode == 2, r.ToString());
            Assert.Contains($"toolkit: error: {output}: cannot be written: the file system is read-only", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(mount));
        }
        finally
        {
            Mounts.Unmount(mount);
        }
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_OneUndecodableVideo_IsReportedExcludedAndCounted_Exit1()
    {
        // A copy of the list whose last video's frames are not JPEGs.
        string root = Path.Combine(trained.Dir.Path, "broken-one");
        CopyFolder(trained.Data.Root, root);
        foreach (string frame in Directory.GetFiles(Path.Combine(root, "class1", "vid2")))
            File.WriteAllText(frame, "not a jpeg");
        string config = WithData(root, trained.Data.Val);
        string output = Path.Combine(trained.Dir.Path, "results-broken-one");
        var r = Toolkit("test", "--checkpoint", trained.Work, "--config", config, "--out", output);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("1 failed to decode", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("class1/vid2", r.Stderr, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Equal(5, doc.RootElement.GetProperty("evaluated").GetInt32());
        Assert.Equal("class1/vid2", doc.RootElement.GetProperty("failed")[0].GetProperty("video").GetString());
        Assert.Equal(5, Predictions(output).Length);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "failures.tsv")).Length);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_EveryVideoUndecodable_Exit9_AndTheEarlierResultsStay()
    {
        string root = Path.Combine(trained.Dir.Path, "broken-all");
        CopyFolder(trained.Data.Root, root);
        foreach (string frame in Directory.GetFiles(root, "*.jpg", SearchOption.AllDirectories))
            File.WriteAllText(frame, "not a jpeg");
        string output = Path.Combine(trained.Dir.Path, "results-kept");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "summary.json"), "earlier");
        var r = Toolkit("test", "--checkpoint", trained.Work, "--config", WithData(root, trained.Data.Val), "--out", output);
        Assert.True(r.ExitCode == 9, r.ToString());
        Assert.Contains("none of its 6 videos could be decoded", r.Stderr, StringComparison.Ordinal);
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(output, "summary.json")));
        Assert.Single(Directory.EnumerateFileSystemEntries(output));
        Assert.Empty(Directory.EnumerateDirectories(trained.Dir.Path, ".results-kept.partial-*"));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_EmptyList_Exit8()
    {
        string empty = Path.Combine(trained.Dir.Path, "empty.txt");
        File.WriteAllText(empty, "\n");
        var r = Toolkit("test", "--checkpoint", trained.Work, "--list", empty, "--out", Path.Combine(trained.Dir.Path, "results-empty"));
        Assert.True(r.ExitCode == 8, r.ToString());
        Assert.Contains($"{empty}: lists no videos", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(trained.Dir.Path, "results-empty")));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_NotACheckpoint_Exit4()
    {
        string junk = Path.Combine(trained.Dir.Path, "junk.pth");
        File.WriteAllBytes(junk, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        var r = Toolkit("test", "--checkpoint", junk, "--config", trained.Config, "--out", Path.Combine(trained.Dir.Path, "results-junk"));
        Assert.True(r.ExitCode == 4, r.ToString());
        Assert.Contains("junk.pth", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("neither a PyTorch file", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));

        var missing = Toolkit("test", "--checkpoint", Path.Combine(trained.Dir.Path, "nope"), "--config", trained.Config, "--out", Path.Combine(trained.Dir.Path, "results-nope"));
        Assert.True(missing.ExitCode == 4, missing.ToString());
        Assert.Contains("no such file or folder", missing.Stderr, StringComparison.Ordinal);

        var noConfig = Toolkit("test", "--checkpoint", junk, "--out", Path.Combine(trained.Dir.Path, "results-noconfig"));
        Assert.True(noConfig.ExitCode == 2, noConfig.ToString());
        Assert.Contains("pass --config", noConfig.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_AnotherArchitectureOrWidth_Exit5()
    {
        string i3d = SyntheticClips.Config(trained.Dir.Path, trained.Data, epochs: 1, trainer: ClassifierRuns.Tiny("i3d-r50"), clipLen: 4, crop: 32);
        var r = Toolkit("test", "--checkpoint", trained.Work, "--config", i3d, "--out", Path.Combine(trained.Dir.Path, "results-i3d"));
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Contains("holds x3d-m weights, the config's trainer.model is i3d-r50", r.Stderr, StringComparison.Ordinal);

        string wide = SyntheticClips.Config(trained.Dir.Path, trained.Data, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m", width: 0.5), clipLen: 4, crop: 32);
        r = Toolkit("test", "--checkpoint", trained.Work, "--config", wide, "--out", Path.Combine(trained.Dir.Path, "results-wide"));
        Assert.True(r.ExitCode == 5, r.ToString());
        Assert.Contains("width 0.25 (config: 0.5)", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_AnotherClassCount_Exit6()
    {
        string map = Path.Combine(trained.Dir.Path, "three-classes.txt");
        File.WriteAllLines(map, ["class0", "class1", "class2"]);
        string config = SyntheticClips.Config(trained.Dir.Path, trained.Data with { LabelMap = map }, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m"), clipLen: 4, crop: 32);
        var r = Toolkit("test", "--checkpoint", trained.Work, "--config", config, "--out", Path.Combine(trained.Dir.Path, "results-classes"));
        Assert.True(r.ExitCode == 6, r.ToString());
        Assert.Contains("its classifier has 2 classes, the test data 3", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Test_ViewsTheModelCannotTake_Exit7_BeforeAnyDecoding()
    {
        // A DeiT's patch-16 embedding cannot take an 8-pixel crop.
        string config = SyntheticClips.Config(trained.Dir.Path, trained.Data, epochs: 1, trainer: ClassifierRuns.Tiny("deit-ti"), clipLen: 2, crop: 32);
        string work = Path.Combine(trained.Dir.Path, "work-deit");
        var train = ToolkitCli.Run(TimeSpan.FromMinutes(3), "train", "--config", config, "--work-dir", work);
        Assert.True(train.ExitCode == 0, train.ToString());
        var r = Toolkit("test", "--checkpoint", work, "--crop", "8", "--scale", "8", "--out", Path.Combine(trained.Dir.Path, "results-deit"));
        Assert.True(r.ExitCode == 7, r.ToString());
        Assert.Contains("the model cannot take test views of 3 × 2 × 8 × 8", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Predict_ScoresVideosExactlyAsTestDoes_InOrder_JsonLines()
    {
        // Two of the training clips as H.264 videos (unseen bytes), predicted, and tested as a video list: the same
        // decoder, views and averaging must give the same scores.
        string videos = Path.Combine(trained.Dir.Path, "videos");
        Directory.CreateDirectory(videos);
        string[] names = ["b-class1.mp4", "a-class0.mp4"];
        Ffmpeg(Path.Combine(videos, names[0]), Path.Combine(trained.Data.Root, "class1", "vid0", "img_%05d.jpg"));
        Ffmpeg(Path.Combine(videos, names[1]), Path.Combine(trained.Data.Root, "class0", "vid0", "img_%05d.jpg"));
        var r = Toolkit("predict", trained.Work, Path.Combine(videos, names[0]), Path.Combine(videos, names[1]), "--top", "2", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        var predicted = lines.Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var top = doc.RootElement.GetProperty("top");
            Assert.Equal(2, top.GetArrayLength());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("error").ValueKind);
            return (Video: Path.GetFileName(doc.RootElement.GetProperty("video").GetString()!),
                Scores: top.EnumerateArray().ToDictionary(c => c.GetProperty("class").GetInt32(), c => c.GetProperty("score").GetDouble()),
                Name: top[0].GetProperty("name").GetString()!);
        }).ToArray();
        Assert.Equal(names, predicted.Select(p => p.Video)); // the order given, not sorted
        Assert.StartsWith("class", predicted[0].Name, StringComparison.Ordinal);

        string list = Path.Combine(trained.Dir.Path, "videos.txt");
        File.WriteAllLines(list, [$"{names[0]} 1", $"{names[1]} 0"]);
        string config = SyntheticClips.Config(trained.Dir.Path, trained.Data with { Root = videos, Val = list }, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m"), clipLen: 4, crop: 32,
            extraData: ", \"kind\": \"videos\"");
        string output = Path.Combine(trained.Dir.Path, "results-videos");
        var test = Toolkit("test", "--checkpoint", trained.Work, "--config", config, "--out", output);
        Assert.True(test.ExitCode == 0, test.ToString());
        var rows = Predictions(output);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(names[i], rows[i].Video);
            for (int k = 0; k < 2; k++)
                Assert.Equal(rows[i].Scores[k], predicted[i].Scores[rows[i].Preds[k]], tolerance: 1e-5); // predictions.tsv has 6 decimals: no rounding-boundary flake
        }

        var missing = Toolkit("predict", trained.Work, Path.Combine(videos, "none.mp4"));
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("none.mp4: no such file or folder", missing.Stderr, StringComparison.Ordinal);
    }

    private string WithData(string root, string list) =>
        SyntheticClips.Config(trained.Dir.Path, trained.Data with { Root = root, Val = list }, epochs: 1, trainer: ClassifierRuns.Tiny("x3d-m"), clipLen: 4, crop: 32);

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void Ffmpeg(string path, string frames)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-v", "error", "-y", "-framerate", "25", "-i", frames, "-pix_fmt", "yuv420p", path })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ffmpeg: {err}");
    }
}
