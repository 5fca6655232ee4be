using Toolkit.Ingest.Lists.Official;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// A fake ActivityNet v1.3: <c>activity_net.v1-3.min.json</c> with a two-level taxonomy and training, validation and
/// testing videos (one annotated video never downloaded), 4 s videos named <c>v_&lt;id&gt;.mp4</c> as downloaded, plus
/// one in no annotation; extracted twice: whole (untrimmed) and as the annotated segments (<c>extract --segments</c>).
/// </summary>
public sealed class ActivityNetFixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public string Annotations => Temp.Combine("annotations");

    public string Whole => Temp.Combine("rawframes");

    public string Clips => Temp.Combine("clips");

    public async Task InitializeAsync()
    {
        FakeDataset.Write(Path.Combine(Annotations, ActivityNetAnnotations.FileName),
        [
            "{\"version\": \"VERSION 1.3\", \"taxonomy\": ["
            + "{\"nodeId\": 1, \"nodeName\": \"Root\", \"parentId\": null, \"parentName\": null}, "
            + "{\"nodeId\": 2, \"nodeName\": \"Sports\", \"parentId\": 1, \"parentName\": \"Root\"}, "
            + "{\"nodeId\": 3, \"nodeName\": \"Long jump\", \"parentId\": 2, \"parentName\": \"Sports\"}, "
            + "{\"nodeId\": 4, \"nodeName\": \"Archery\", \"parentId\": 2, \"parentName\": \"Sports\"}, "
            + "{\"nodeId\": 5, \"nodeName\": \"Household\", \"parentId\": 1, \"parentName\": \"Root\"}, "
            + "{\"nodeId\": 6, \"nodeName\": \"Vacuuming floor\", \"parentId\": 5, \"parentName\": \"Household\"}], "
            + "\"database\": {"
            + "\"abc123\": {\"subset\": \"training\", \"duration\": 4.0, \"resolution\": \"64x48\", \"url\": \"https://www.youtube.com/watch?v=abc123\", "
            + "\"annotations\": [{\"segment\": [0.5, 1.5], \"label\": \"Long jump\"}, {\"segment\": [2.0, 3.5], \"label\": \"Archery\"}]}, "
            + "\"def456\": {\"subset\": \"validation\", \"duration\": 4.0, \"annotations\": [{\"segment\": [1.0, 2.5], \"label\": \"Vacuuming floor\"}]}, "
            + "\"ghi789\": {\"subset\": \"training\", \"duration\": 4.0, \"annotations\": [{\"segment\": [0.0, 1.0], \"label\": \"Archery\"}]}, "
            + "\"tst000\": {\"subset\": \"testing\", \"duration\": 4.0, \"annotations\": []}}}",
        ]);
        FakeDataset.Video(Temp.Combine("videos", "v_abc123.mp4"), 100); // 4 s at 25 fps
        FakeDataset.Video(Temp.Combine("videos", "v_def456.mp4"), 100);
        FakeDataset.Video(Temp.Combine("videos", "v_extra01.mp4"), 3);
        await FakeDataset.ExtractAsync(Temp.Combine("videos"), Whole, level: 1);
        string segments = FakeDataset.Write(Temp.Combine("segments.txt"),
            ["v_abc123.mp4 0.5 1.5 Long jump", "v_abc123.mp4 2.0 3.5 Archery", "v_def456.mp4 1.0 2.5 Vacuuming floor"]);
        await FakeDataset.ExtractAsync(Temp.Combine("videos"), Clips, level: 1, segments: segments);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// mmaction2 has no build_file_list.py mode for ActivityNet; its <c>tools/data/activitynet/generate_rawframes_filelist.py</c>
/// writes the untrimmed form (<c>v_id offset frames label</c>, offset = int(start · fps), last = min(int(end · fps),
/// frames − 1), fps = frames / duration), with labels in its action_name.csv order. Here: labels are the taxonomy's sorted
/// leaves (Archery 0, Long jump 1, Vacuuming floor 2); the same offsets; and a plain rawframe list for clips cut by extract.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ActivityNetListsTests(ActivityNetFixture data) : IClassFixture<ActivityNetFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] LabelMap = ["Archery", "Long jump", "Vacuuming floor"];

    private OfficialListOptions Options(string extracted) => new()
    {
        Extracted = extracted, Output = "", Dataset = OfficialDataset.ActivityNet, Annotations = data.Annotations,
    };

    [Fact]
    public void WholeVideos_OneRangeLinePerAnnotatedSegment()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Whole));

        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            // [0.5, 1.5] at 25 fps: frames 12..37; [2.0, 3.5]: 50..87; [1.0, 2.5]: 25..62.
            ["activitynet_train_clip_rawframes.txt"] = ["v_abc123 12 26 1", "v_abc123 50 38 0"],
            ["activitynet_val_clip_rawframes.txt"] = ["v_def456 25 38 2"],
        });
        Assert.Equal(["ghi789"], summary.Lists.Single(l => l.Name == "activitynet_train_clip").Missing);
        Assert.Equal(["v_extra01"], summary.NotAnnotated);
    }

    [Fact]
    public void ExtractedSegments_OneRawframeLinePerClip_FramesFromTheManifest()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Clips) with { Subset = Subset.Train });

        ListAssert.Files(folder, new Dictionary<string, string[]>
        {
            ["label_map.txt"] = LabelMap,
            // [0.5, 1.5) s holds frames 13..37 (t = k / 25), [2, 3.5) frames 50..87.
            ["activitynet_train_list_rawframes.txt"] = ["v_abc123_000000.5_000001.5 25 1", "v_abc123_000002_000003.5 38 0"],
        });
        Assert.Equal("2 listed, 1 missing on disk, 0 on disk but not annotated", summary.Account);
    }
}
