using Toolkit.Core;
using Toolkit.Ingest.Lists.Official;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// A fake Something-Something V2: the four official JSON files (templates with <c>[something]</c>, a label file whose
/// key order is not its index order, test items with only an id), one flat folder of <c>&lt;id&gt;.webm</c> videos, one
/// annotated video never downloaded and one in no file; extracted at level 1.
/// </summary>
public sealed class SomethingV2Fixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public string Annotations => Temp.Combine("annotations");

    public string Extracted => Temp.Combine("rawframes");

    public async Task InitializeAsync()
    {
        FakeDataset.Write(Path.Combine(Annotations, "something-something-v2-labels.json"),
        [
            "{",
            " \"Putting something on a surface\": \"1\",",
            " \"Holding something next to something\": \"0\",",
            " \"Pretending to pick something up\": \"2\"",
            "}",
        ]);
        FakeDataset.Write(Path.Combine(Annotations, "something-something-v2-train.json"),
        [
            "[{\"id\":\"101\",\"label\":\"holding potato next to vicks vaporub bottle\",\"template\":\"Holding [something] next to [something]\",\"placeholders\":[\"potato\",\"vicks vaporub bottle\"]},",
            "{\"id\":\"102\",\"label\":\"putting a cup on a table\",\"template\":\"Putting [something] on a surface\",\"placeholders\":[\"a cup\"]},",
            "{\"id\":\"103\",\"label\":\"putting a pen on a desk\",\"template\":\"Putting [something] on a surface\",\"placeholders\":[\"a pen\"]}]",
        ]);
        FakeDataset.Write(Path.Combine(Annotations, "something-something-v2-validation.json"),
            ["[{\"id\":\"201\",\"label\":\"pretending to pick a spoon up\",\"template\":\"Pretending to pick [something] up\",\"placeholders\":[\"a spoon\"]}]"]);
        FakeDataset.Write(Path.Combine(Annotations, "something-something-v2-test.json"), ["[{\"id\":\"301\"}]"]);
        foreach (var (id, frames) in new[] { ("101", 3), ("102", 4), ("201", 5), ("301", 6), ("999", 7) })
            FakeDataset.Video(Temp.Combine("videos", $"{id}.webm"), frames);
        await FakeDataset.ExtractAsync(Temp.Combine("videos"), Extracted, level: 1);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Expected files are what mmaction2's <c>build_file_list.py sthv2 SRC --num-split 1 --level 1 --subset S --format F</c>
/// writes (parse_sthv2_splits: label = int(labels[template without brackets])). Its test subset crashes (build_file_list
/// builds only train and val, and a test item is a bare id); here the test list has label -1, as mmaction2's Kinetics
/// test list means to.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SomethingV2ListsTests(SomethingV2Fixture data) : IClassFixture<SomethingV2Fixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] LabelMap = ["Holding something next to something", "Putting something on a surface", "Pretending to pick something up"];

    private OfficialListOptions Options => new()
    {
        Extracted = data.Extracted, Output = "", Dataset = OfficialDataset.Sthv2, Annotations = data.Annotations,
    };

    [Fact]
    public void Rawframes_EverySubset()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options);

        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            ["sthv2_train_list_rawframes.txt"] = ["101 3 0", "102 4 1"],
            ["sthv2_val_list_rawframes.txt"] = ["201 5 2"],
            ["sthv2_test_list_rawframes.txt"] = ["301 6 -1"],
        });
        Assert.Equal("4 listed, 1 missing on disk, 1 on disk but not annotated", summary.Account);
        Assert.Equal(["999"], summary.NotAnnotated);
    }

    [Fact]
    public void Videos_OneSubsetAtATime()
    {
        foreach (var (subset, name, lines) in new[] { (Subset.Train, "train", new[] { "101.webm 0", "102.webm 1" }), (Subset.Val, "val", ["201.webm 2"]), (Subset.Test, "test", ["301.webm -1"]) })
        {
            var (folder, _) = FakeDataset.Lists(_temp, Options with { Format = ListFormat.Videos, Subset = subset });
            ListAssert.Files(folder, new Dictionary<string, string[]> { ["label_map.txt"] = LabelMap, [$"sthv2_{name}_list_videos.txt"] = lines });
        }
    }

    [Fact]
    public void Level2_IsRefused_SsV2HasNoClassFolders()
    {
        var e = Assert.Throws<ToolkitError>(() => FakeDataset.Lists(_temp, Options with { Level = 2 }));

        Assert.Equal("OfficialListOptions.Level", e.Subject);
    }
}
