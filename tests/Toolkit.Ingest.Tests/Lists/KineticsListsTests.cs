using Toolkit.Core;
using Toolkit.Ingest.Lists.Official;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// A fake Kinetics-400: the official CSVs (the 2020 release's extra is_cc column; a quoted label with spaces and
/// parentheses; a label that sorts differently once its space becomes '_'; a row whose times are fractional), clips
/// named as mmaction2's download.py names them in class folders (one folder still with its space, as downloaded), one clip
/// annotated but never downloaded and one downloaded but in no CSV; extracted at level 2 (RGB + flow) and, from a flat
/// copy, at level 1 (RGB).
/// </summary>
public sealed class KineticsFixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public string Annotations => Temp.Combine("annotations");

    public string Level2 => Temp.Combine("rawframes");

    public string Level1 => Temp.Combine("rawframes-flat");

    /// <summary>Source path (level 2) → frames. Frame counts differ so a line with the wrong video's count shows.</summary>
    public static readonly (string Path, int Frames)[] Clips =
    [
        ("abseiling/aaa111_000017_000027.mp4", 3),
        ("passing_American_football_(in_game)/bbb222_000000_000010.mp4", 4),
        ("air drumming/ccc333_000005_000015.mp4", 5),
        ("air_drumming/eee555_000003_000013.mp4", 6),
        ("abseiling/fff666_000000_000010.mp4", 7),
        ("abseiling/hhh888_000002_000012.mp4", 8),
        ("abseiling/zzz999_000000_000010.mp4", 9), // in no CSV
    ];

    public async Task InitializeAsync()
    {
        FakeDataset.Write(Path.Combine(Annotations, "kinetics_train.csv"),
        [
            "label,youtube_id,time_start,time_end,split,is_cc",
            "abseiling,aaa111,17,27,train,0",
            "\"passing American football (in game)\",bbb222,0.0,10.0,train,0",
            "air drumming,ccc333,5,15,train,0",
            "air-guitar,ggg777,1,11,train,0", // never downloaded: still a label
            "crème brûlée tasting,jjj000,0,10,train,0", // non-ASCII, never downloaded: a label between air_drumming and passing
            "abseiling,ddd444,30.5,40.9,train,0", // never downloaded
        ]);
        FakeDataset.Write(Path.Combine(Annotations, "kinetics_val.csv"),
            ["label,youtube_id,time_start,time_end,split", "air drumming,eee555,3,13,val", "abseiling,fff666,0,10,val"]);
        FakeDataset.Write(Path.Combine(Annotations, "kinetics_test.csv"),
            ["label,youtube_id,time_start,time_end,split", "abseiling,hhh888,2,12,test"]);
        await FakeDataset.ExtractBothLevelsAsync(Temp, Clips, Level2, Level1, ExtractTask.Both);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Expected files are what mmaction2's <c>build_file_list.py kinetics400 SRC --num-split 1 --subset S --level L --format F</c>
/// writes (worked out from parse_kinetics_splits and build_list): lines in CSV order, missing clips skipped, labels by the
/// sorted converted train labels: abseiling 0, air-guitar 1 ('-' sorts before '_'), air_drumming 2,
/// crème_brûlée_tasting 3 (code points: 'c' after 'a'), passing_American_football_(in_game) 4.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KineticsListsTests(KineticsFixture data) : IClassFixture<KineticsFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] LabelMap = ["abseiling", "air-guitar", "air drumming", "crème brûlée tasting", "passing American football (in game)"];

    private static readonly string[] Train2 =
    [
        "abseiling/aaa111_000017_000027 3 0",
        "passing_American_football_(in_game)/bbb222_000000_000010 4 4",
        "air_drumming/ccc333_000005_000015 5 2",
    ];

    private static readonly string[] Val2 = ["air_drumming/eee555_000003_000013 6 2", "abseiling/fff666_000000_000010 7 0"];

    private static readonly string[] Test2 = ["abseiling/hhh888_000002_000012 8 0"];

    private static string[] Flow(string[] lines) =>
        [.. lines.Select(l => l.Split(' ')).Select(f => $"{f[0]} {int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture) - 1} {f[2]}")];

    private OfficialListOptions Options(string extracted) => new()
    {
        Extracted = extracted, Output = "", Dataset = OfficialDataset.Kinetics400, Annotations = data.Annotations,
    };

    [Fact]
    public void Level2Rawframes_EachSubset_IsMmaction2sFile_WithAFlowListBeside()
    {
        foreach (var (subset, name, lines) in new[] { (Subset.Train, "train", Train2), (Subset.Val, "val", Val2), (Subset.Test, "test", Test2) })
        {
            var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Level2) with { Subset = subset });
            ListAssert.Files(folder, new Dictionary<string, string[]>
            {
                ["label_map.txt"] = LabelMap,
                [$"kinetics400_{name}_list_rawframes.txt"] = lines,
                [$"kinetics400_{name}_list_rawframes_flow.txt"] = Flow(lines),
            });
            Assert.Equal(lines.Length, summary.Listed);
        }
    }

    [Fact]
    public void Level2Rawframes_AllSubsets_CountsListedMissingAndNotAnnotated()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Level2));

        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            ["kinetics400_train_list_rawframes.txt"] = Train2, ["kinetics400_train_list_rawframes_flow.txt"] = Flow(Train2),
            ["kinetics400_val_list_rawframes.txt"] = Val2, ["kinetics400_val_list_rawframes_flow.txt"] = Flow(Val2),
            ["kinetics400_test_list_rawframes.txt"] = Test2, ["kinetics400_test_list_rawframes_flow.txt"] = Flow(Test2),
        });
        Assert.Equal(["air-guitar/ggg777_000001_000011", "crème_brûlée_tasting/jjj000_000000_000010", "abseiling/ddd444_000030_000040"], summary.Lists[0].Missing);
        Assert.Equal(["abseiling/zzz999_000000_000010"], summary.NotAnnotated);
        Assert.Equal("6 listed, 3 missing on disk, 1 on disk but not annotated", summary.Account);
    }

    [Fact]
    public void Level1Rawframes_IdsWithoutClassFolders()
    {
        var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level1) with { Level = 1 });

        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            ["kinetics400_train_list_rawframes.txt"] = ["aaa111_000017_000027 3 0", "bbb222_000000_000010 4 4", "ccc333_000005_000015 5 2"],
            ["kinetics400_val_list_rawframes.txt"] = ["eee555_000003_000013 6 2", "fff666_000000_000010 7 0"],
            ["kinetics400_test_list_rawframes.txt"] = ["hhh888_000002_000012 8 0"],
        });
    }

    [Fact]
    public void Videos_BothLevels_PathsRelativeToTheSource_AFolderWithASpaceIsLeftOutAndReported()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Level2) with { Format = ListFormat.Videos, Subset = Subset.Train });
        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            // mmaction2 finds "air drumming/ccc333..." under the id "air drumming/ccc333_000005_000015", which no CSV row
            // names (its rows say air_drumming/...): it leaves the clip out silently; so does this list, saying why.
            ["kinetics400_train_list_videos.txt"] = ["abseiling/aaa111_000017_000027.mp4 0", "passing_American_football_(in_game)/bbb222_000000_000010.mp4 4"],
        });
        Assert.Equal(["air drumming/ccc333_000005_000015.mp4"], summary.UnlistableVideos);

        (folder, _) = FakeDataset.Lists(_temp, Options(data.Level1) with { Format = ListFormat.Videos, Subset = Subset.Val });
        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            ["kinetics400_val_list_videos.txt"] = ["eee555_000003_000013.mp4 2", "fff666_000000_000010.mp4 0"],
        });
    }

    [Fact]
    public void Shuffle_SameLinesInSomeOrder_SameSeedSameBytes()
    {
        var options = Options(data.Level2) with { Shuffle = true, Seed = 7 };
        var (first, _) = FakeDataset.Lists(_temp, options);
        var (second, _) = FakeDataset.Lists(_temp, options);

        ListAssert.SameLines(first, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            ["kinetics400_train_list_rawframes.txt"] = Train2, ["kinetics400_train_list_rawframes_flow.txt"] = Flow(Train2),
            ["kinetics400_val_list_rawframes.txt"] = Val2, ["kinetics400_val_list_rawframes_flow.txt"] = Flow(Val2),
            ["kinetics400_test_list_rawframes.txt"] = Test2, ["kinetics400_test_list_rawframes_flow.txt"] = Flow(Test2),
        });
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "kinetics400_train_list_rawframes.txt")), File.ReadAllBytes(Path.Combine(second, "kinetics400_train_list_rawframes.txt")));
        Assert.Equal(LabelMap, File.ReadAllLines(Path.Combine(first, "label_map.txt"))); // never shuffled
    }

    [Fact]
    public void ALevelOtherThanTheExtractions_IsRefused()
    {
        var e = Assert.Throws<ToolkitError>(() => FakeDataset.Lists(_temp, Options(data.Level2) with { Level = 1 }));

        Assert.Equal("OfficialListOptions.Level", e.Subject);
        Assert.Contains("extracted at (2", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WritesTheListsAndTheAccount_ExitsZero()
    {
        string lists = _temp.Combine("cli-lists");
        var r = await ToolkitCli.RunAsync("lists", data.Level2, "--dataset", "kinetics400", "--annotations", data.Annotations, "--subset", "train", "--out", lists);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(Train2, File.ReadAllLines(Path.Combine(lists, "kinetics400_train_list_rawframes.txt")));
        Assert.Contains("kinetics400_train_list: 3 listed, 3 missing on disk", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("missing on disk (no line written): air-guitar/ggg777_000001_000011 (kinetics400_train_list)", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("on disk but not annotated (left out): abseiling/zzz999_000000_000010", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 listed, 3 missing on disk, 1 on disk but not annotated", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_BadAnnotationFile_OneErrorLineWithFileAndLine_Exit2_NothingWritten()
    {
        string annotations = _temp.CreateFolder("bad");
        FakeDataset.Write(Path.Combine(annotations, "kinetics_train.csv"), ["label,youtube_id,time_start,time_end,split", "abseiling,aaa111,17,train"]);
        string lists = _temp.Combine("bad-lists");

        var r = await ToolkitCli.RunAsync("lists", data.Level2, "--dataset", "kinetics400", "--annotations", annotations, "--out", lists);

        Assert.True(r.ExitCode == 2, r.ToString());
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"toolkit: error: {Path.Combine(annotations, "kinetics_train.csv")} line 2: has 4 column(s) where the header names 5. Each row must be label,youtube_id,time_start,time_end,split; fix or remove the row", line);
        Assert.False(Directory.Exists(lists));
    }

    [Fact]
    public async Task Cli_DatasetOptionsWithoutDataset_AndCsvWithDataset_AreRefused()
    {
        var r = await ToolkitCli.RunAsync("lists", data.Level2, "--subset", "train", "--out", _temp.Combine("x"));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--subset: goes with --dataset only", r.Stderr, StringComparison.Ordinal);

        r = await ToolkitCli.RunAsync("lists", data.Level2, "--dataset", "kinetics400", "--annotations", data.Annotations, "--csv", "x.csv", "--out", _temp.Combine("y"));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--csv: does not go with --dataset", r.Stderr, StringComparison.Ordinal);

        r = await ToolkitCli.RunAsync("lists", data.Level2, "--dataset", "kinetics400", "--annotations", data.Annotations, "--level", "1", "--out", _temp.Combine("z"));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith("toolkit: error: --level: 1 differs from the level", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("z")));
    }
}
