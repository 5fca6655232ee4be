using Toolkit.Ingest.Lists.Official;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// A fake HMDB51: three classes' <c>&lt;class&gt;_test_split{1,2,3}.txt</c> files as published (lines
/// <c>video.avi 1 </c> with the trailing space, 0 = unused), real-style names with parentheses and '!', one annotated
/// video never downloaded; extracted at level 2 and, from a flat copy, at level 1.
/// </summary>
public sealed class Hmdb51Fixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public string Annotations => Temp.Combine("testTrainMulti_7030_splits");

    public string Level2 => Temp.Combine("rawframes");

    public string Level1 => Temp.Combine("rawframes-flat");

    public const string Brush1 = "April_09_brush_hair_u_nm_np1_ba_goo_0", Brush2 = "Blonde_being_brushed_brush_hair_f_nm_np2_ri_med_1";
    public const string Wheel1 = "(Rad)Schlag_die_Bank!_cartwheel_f_cm_np1_le_med_0", Wheel2 = "Acrobacias_de_un_fenomeno_cartwheel_f_cm_np1_ba_bad_8";
    public const string Sword1 = "Blade_Of_Fury_-_Scene_1_sword_exercise_f_cm_np1_ri_med_3", SwordGone = "Sword_exercise_gone_sword_exercise_f_cm_np1_ri_med_0";

    public async Task InitializeAsync()
    {
        void Write(string cls, int split, params (string Video, int Use)[] lines) =>
            FakeDataset.Write(Path.Combine(Annotations, $"{cls}_test_split{split}.txt"), lines.Select(l => $"{l.Video}.avi {l.Use} "));
        Write("brush_hair", 1, (Brush1, 1), (Brush2, 2));
        Write("brush_hair", 2, (Brush1, 2), (Brush2, 1));
        Write("brush_hair", 3, (Brush1, 1), (Brush2, 2));
        Write("cartwheel", 1, (Wheel1, 1), (Wheel2, 2));
        Write("cartwheel", 2, (Wheel1, 2), (Wheel2, 1));
        Write("cartwheel", 3, (Wheel2, 1), (Wheel1, 0));
        Write("sword_exercise", 1, (Sword1, 1), (SwordGone, 2));
        Write("sword_exercise", 2, (Sword1, 2), (SwordGone, 1));
        Write("sword_exercise", 3, (Sword1, 0), (SwordGone, 2));
        await FakeDataset.ExtractBothLevelsAsync(Temp, new[] { ($"brush_hair/{Brush1}.avi", 3), ($"brush_hair/{Brush2}.avi", 4), ($"cartwheel/{Wheel1}.avi", 5), ($"cartwheel/{Wheel2}.avi", 6), ($"sword_exercise/{Sword1}.avi", 7) }, Level2, Level1);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Expected files are what mmaction2's <c>build_file_list.py hmdb51 SRC --level L --format F</c> writes (worked out
/// from parse_hmdb51_split: classes sorted, label = position; its generated trainlist0N/testlist0N take the lines marked
/// 1 and 2 class by class in file order; build_list skips videos not on disk).
/// </summary>
[Trait("Category", "Integration")]
public sealed class Hmdb51ListsTests(Hmdb51Fixture data) : IClassFixture<Hmdb51Fixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] LabelMap = ["brush_hair", "cartwheel", "sword_exercise"];

    private const string B1 = $"brush_hair/{Hmdb51Fixture.Brush1} 3 0", B2 = $"brush_hair/{Hmdb51Fixture.Brush2} 4 0";
    private const string W1 = $"cartwheel/{Hmdb51Fixture.Wheel1} 5 1", W2 = $"cartwheel/{Hmdb51Fixture.Wheel2} 6 1";
    private const string S1 = $"sword_exercise/{Hmdb51Fixture.Sword1} 7 2";

    private static readonly Dictionary<int, (string[] Train, string[] Val)> Splits = new()
    {
        [1] = ([B1, W1, S1], [B2, W2]),
        [2] = ([B2, W2], [B1, W1, S1]),
        [3] = ([B1, W2], [B2]),
    };

    private OfficialListOptions Options(string extracted) => new()
    {
        Extracted = extracted, Output = "", Dataset = OfficialDataset.Hmdb51, Annotations = data.Annotations,
    };

    private static Dictionary<string, string[]> Expected(IEnumerable<int> splits, Func<string, string> line, string format = "rawframes")
    {
        var files = new Dictionary<string, string[]> { ["label_map.txt"] = LabelMap };
        foreach (int s in splits)
        {
            files[$"hmdb51_train_split_{s}_{format}.txt"] = [.. Splits[s].Train.Select(line)];
            files[$"hmdb51_val_split_{s}_{format}.txt"] = [.. Splits[s].Val.Select(line)];
        }
        return files;
    }

    private static string Flat(string line) => line[(line.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string Video(string line)
    {
        var f = line.Split(' ');
        return $"{f[0]}.avi {f[2]}";
    }

    [Fact]
    public void Level2Rawframes_AllSplits_MissingVideoReported()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Level2));

        ListAssert.Files(folder, Expected([1, 2, 3], l => l));
        Assert.Equal($"sword_exercise/{Hmdb51Fixture.SwordGone}", Assert.Single(summary.Lists.Single(l => l.Name == "hmdb51_val_split_3").Missing));
        Assert.Equal("13 listed, 3 missing on disk, 0 on disk but not annotated", summary.Account);
    }

    [Fact]
    public void Level1_AndVideos_AndOneSplit()
    {
        var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level1) with { Split = 2 });
        ListAssert.Files(folder, Expected([2], Flat));

        (folder, _) = FakeDataset.Lists(_temp, Options(data.Level2) with { Format = ListFormat.Videos, Split = 1 });
        ListAssert.Files(folder, Expected([1], Video, "videos"));

        (folder, _) = FakeDataset.Lists(_temp, Options(data.Level1) with { Format = ListFormat.Videos, Split = 3 });
        ListAssert.Files(folder, Expected([3], l => Video(Flat(l)), "videos"));
    }

    [Fact]
    public void Shuffle_SameMultisetOfLines()
    {
        var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level2) with { Shuffle = true, Seed = 11 });

        ListAssert.SameLines(folder, Expected([1, 2, 3], l => l));
    }
}
