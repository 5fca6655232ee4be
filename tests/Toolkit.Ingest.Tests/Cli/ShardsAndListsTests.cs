using System.Text.Json;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Output;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

/// <summary>
/// Six small clips named as Kinetics names its clips (<c>youtube_id_{start:06d}_{end:06d}</c>), converted twice: by three
/// concurrent <c>--shard I/3</c> processes into one folder, and by one plain run into another.
/// </summary>
public sealed class ShardedRunFixture : IAsyncLifetime
{
    /// <summary>Relative source path → frames.</summary>
    public static readonly IReadOnlyDictionary<string, int> Clips = new Dictionary<string, int>
    {
        ["abseiling/--6bJUbfpnQ_000017_000027.mp4"] = 16,
        ["abseiling/-3B32lodo2M_000059_000069.mp4"] = 17,
        ["air_drumming/_8Vy3dlHg2w_000000_000010.mp4"] = 18,
        ["air_drumming/a_b-c_d1234_000100_000110.mp4"] = 19,
        ["zumba/zz9Qj1p8V0E_000003_000013.mp4"] = 20,
        ["zumba/notInCsv123_000000_000010.mp4"] = 21,
    };

    public TempDirectory Temp { get; } = new();

    public string Source => Temp.Combine("src");

    public string Sharded => Temp.Combine("sharded");

    public string Single => Temp.Combine("single");

    public CliResult[] ShardRuns { get; private set; } = [];

    public CliResult SingleRun { get; private set; } = null!;

    public string JsonReport => Temp.Combine("single-report.json");

    public static string[] Args(string source, string output) => ["extract", source, output, "--short-side", "0"];

    public async Task InitializeAsync()
    {
        foreach (var (path, frames) in Clips)
            TestVideos.TestPattern(Temp.Combine("src", path), 96, 72, frames);
        ShardRuns = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => ToolkitCli.RunAsync([.. Args(Source, Sharded), "--shard", $"{i}/3"])));
        SingleRun = await ToolkitCli.RunAsync([.. Args(Source, Single), "--report", JsonReport]);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

[Trait("Category", "Integration")]
public sealed class ShardsAndListsTests(ShardedRunFixture run) : IClassFixture<ShardedRunFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Extract_ThreeConcurrentShards_WriteTheSameFilesAndBytesAsOneRun()
    {
        Assert.All(run.ShardRuns, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.True(run.SingleRun.ExitCode == 0, run.SingleRun.ToString());

        var single = OutputTree.Hashes(run.Single);
        Assert.Equal(ShardedRunFixture.Clips.Values.Sum(), single.Count);
        Assert.Empty(OutputTree.Differences(single, OutputTree.Hashes(run.Sharded)));
        Assert.Empty(OutputTree.PartialFolders(run.Sharded));
    }

    [Fact]
    public void Extract_JsonReport_HasCountsAndOneEntryPerVideo()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(run.JsonReport));
        var root = doc.RootElement;

        Assert.True(root.GetProperty("completed").GetBoolean());
        Assert.Equal((6, 0, 0), (root.GetProperty("converted").GetInt32(), root.GetProperty("skipped").GetInt32(), root.GetProperty("failed").GetInt32()));
        var videos = root.GetProperty("videos").EnumerateArray().ToList();
        Assert.Equal(
            ShardedRunFixture.Clips.Select(c => (Path.Combine(run.Source, c.Key), c.Key[..^4], "done", c.Value)).Order(),
            videos.Select(v => (v.GetProperty("source").GetString()!, v.GetProperty("output").GetString()!, v.GetProperty("status").GetString()!, v.GetProperty("frames").GetInt32())).Order());
    }

    [Fact]
    public void Extract_ThreeConcurrentShards_EachManifestHoldsExactlyTheVideosItOwns()
    {
        var seen = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var shard = new ShardSpec(i, 3);
            string file = Path.Combine(run.Sharded, ".toolkit", $"manifest-{shard.Tag}.jsonl");
            Assert.True(File.Exists(file), $"shard {shard} wrote no manifest");
            var sources = File.ReadAllLines(file).Select(l => JsonSerializer.Deserialize<ManifestEntry>(l)!.Source).ToList();
            Assert.Equal(ShardedRunFixture.Clips.Keys.Where(shard.Owns).Order(StringComparer.Ordinal), sources.Order(StringComparer.Ordinal));
            seen.AddRange(sources);
        }
        Assert.Equal(ShardedRunFixture.Clips.Keys.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lists_ShardedOutput_ListsEveryVideoOnce()
    {
        string lists = _temp.Combine("lists");

        var result = await ToolkitCli.RunAsync("lists", run.Sharded, "--out", lists, "--name", "k6", "--val-fraction", "0.5");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["abseiling", "air_drumming", "zumba"], File.ReadAllLines(Path.Combine(lists, "label_map.txt")));
        var lines = File.ReadAllLines(Path.Combine(lists, "k6_train_list_rawframes.txt"))
            .Concat(File.ReadAllLines(Path.Combine(lists, "k6_val_list_rawframes.txt"))).ToList();
        var expected = ShardedRunFixture.Clips.Select(c =>
        {
            string dir = c.Key[..^4];
            int label = dir.StartsWith("abseiling", StringComparison.Ordinal) ? 0 : dir.StartsWith("air_drumming", StringComparison.Ordinal) ? 1 : 2;
            return $"{dir} {c.Value} {label}";
        });
        Assert.Equal(expected.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(lists, "k6_val_list_rawframes.txt")).Length); // one of each class's two
        var videos = File.ReadAllLines(Path.Combine(lists, "k6_train_list_videos.txt"))
            .Concat(File.ReadAllLines(Path.Combine(lists, "k6_val_list_videos.txt")));
        Assert.Equal(ShardedRunFixture.Clips.Keys.Order(StringComparer.Ordinal), videos.Select(v => v[..v.LastIndexOf(' ')]).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Kinetics class names have spaces ("playing guitar"). mmaction2 splits list lines on whitespace, so the output
    /// folders get '_' for whitespace and every rawframe line has exactly three fields; the label map keeps the name;
    /// a source path with a space cannot be written in a video list and is named on stdout instead of written broken.
    /// </summary>
    [Fact]
    public async Task Lists_ClassAndVideoNamesWithSpaces_WriteThreeFieldLines()
    {
        string src = _temp.Combine("spaced");
        TestVideos.Mandelbrot(Path.Combine(src, "playing guitar", "clip one.mp4"), 64, 48, frames: 6);
        TestVideos.Mandelbrot(Path.Combine(src, "zumba", "b.mp4"), 64, 48, frames: 5);
        string output = _temp.Combine("spaced-out");
        string lists = _temp.Combine("spaced-lists");

        var extract = await ToolkitCli.RunAsync("extract", src, output, "--short-side", "0");
        var result = await ToolkitCli.RunAsync("lists", output, "--out", lists, "--val-fraction", "0");

        Assert.True(extract.ExitCode == 0, extract.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["playing_guitar/clip_one", "zumba/b"], OutputTree.VideoFolders(output));
        Assert.Equal(["playing guitar", "zumba"], File.ReadAllLines(Path.Combine(lists, "label_map.txt")));
        Assert.Equal(["playing_guitar/clip_one 6 0", "zumba/b 5 1"], File.ReadAllLines(Path.Combine(lists, "dataset_train_list_rawframes.txt")));
        Assert.Equal(["zumba/b.mp4 1"], File.ReadAllLines(Path.Combine(lists, "dataset_train_list_videos.txt")));
        Assert.Contains("left out of the video lists (mmaction2 splits lines on whitespace; rename the file to list it): playing guitar/clip one.mp4", result.Stdout);
    }

    [Fact]
    public async Task Lists_KineticsCsv_TakesLabelsAndSplitsFromTheCsv()
    {
        string csv = _temp.Combine("kinetics.csv");
        File.WriteAllLines(csv,
        [
            "label,youtube_id,time_start,time_end,split",
            "abseiling,--6bJUbfpnQ,17,27,train",
            "abseiling,-3B32lodo2M,59.0,69.0,train",
            "air drumming,_8Vy3dlHg2w,0,10,val",
            "air drumming,a_b-c_d1234,100,110,train",
            "\"dancing, zumba\",zz9Qj1p8V0E,3,13,val",
            "zumba,neverExtracted,1,11,train",
        ]);
        string lists = _temp.Combine("lists");

        var result = await ToolkitCli.RunAsync("lists", run.Sharded, "--out", lists, "--csv", csv);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["abseiling", "air drumming", "dancing, zumba"], File.ReadAllLines(Path.Combine(lists, "label_map.txt")));
        Assert.Equal(
            ["abseiling/--6bJUbfpnQ_000017_000027 16 0", "abseiling/-3B32lodo2M_000059_000069 17 0", "air_drumming/a_b-c_d1234_000100_000110 19 1"],
            File.ReadAllLines(Path.Combine(lists, "dataset_train_list_rawframes.txt")));
        Assert.Equal(
            ["air_drumming/_8Vy3dlHg2w_000000_000010 18 1", "zumba/zz9Qj1p8V0E_000003_000013 20 2"],
            File.ReadAllLines(Path.Combine(lists, "dataset_val_list_rawframes.txt")));
        Assert.Equal(
            ["air_drumming/_8Vy3dlHg2w_000000_000010.mp4 1", "zumba/zz9Qj1p8V0E_000003_000013.mp4 2"],
            File.ReadAllLines(Path.Combine(lists, "dataset_val_list_videos.txt")));
        Assert.Contains("not in the CSV (left out): zumba/notInCsv123_000000_000010", result.Stdout);
        Assert.Contains("3 classes; 3 train, 2 val", result.Stdout);
    }
    [Fact]
    [Trait("Category", "Failure")]
    public async Task Lists_CsvMatchingNoVideo_Exits2_WritingNothing()
    {
        string csv = _temp.Combine("other.csv");
        File.WriteAllLines(csv, ["label,youtube_id,time_start,time_end,split", "abseiling,notThisOne1,0,10,train"]);
        string lists = _temp.Combine("lists-none");

        var result = await ToolkitCli.RunAsync("lists", run.Sharded, "--out", lists, "--csv", csv);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{csv}: matches none of the", result.Stderr);
        Assert.False(Directory.Exists(lists), "an unmatched CSV must not leave an empty label map");
    }

    [Fact]
    public async Task Lists_ValFractionTooSmallForSomeClasses_WarnsWithTheCounts()
    {
        string lists = _temp.Combine("lists-small");

        var result = await ToolkitCli.RunAsync("lists", run.Sharded, "--out", lists, "--val-fraction", "0.1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--val-fraction 0.1 puts no video of", result.Stderr);
        Assert.Contains("raise the fraction", result.Stderr);
    }
}
