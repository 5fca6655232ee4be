using Toolkit.Ingest.Lists.Official;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// A fake UCF101: classInd.txt and the three train/test lists with CRLF line ends (as ucfTrainTestlist.zip ships them;
/// the trainlists carry the index column, the testlists do not), the real HandstandPushups/v_HandStandPushups spelling,
/// one annotated video never downloaded (YoYo g02) and one downloaded but in no list; extracted at level 2 and, from a
/// flat copy, at level 1.
/// </summary>
public sealed class Ucf101Fixture : IAsyncLifetime
{
    public TempDirectory Temp { get; } = new();

    public string Annotations => Temp.Combine("ucfTrainTestlist");

    public string Level2 => Temp.Combine("rawframes");

    public string Level1 => Temp.Combine("rawframes-flat");

    public static readonly (string Path, int Frames)[] Videos =
    [
        ("ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi", 3),
        ("ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c01.avi", 4),
        ("HandstandPushups/v_HandStandPushups_g01_c01.avi", 5),
        ("HandstandPushups/v_HandStandPushups_g02_c01.avi", 6),
        ("YoYo/v_YoYo_g01_c01.avi", 7),
        ("YoYo/v_YoYo_g99_c01.avi", 8), // in no list
    ];

    private const string A1 = "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi", A2 = "ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c01.avi";
    private const string H1 = "HandstandPushups/v_HandStandPushups_g01_c01.avi", H2 = "HandstandPushups/v_HandStandPushups_g02_c01.avi";
    private const string Y1 = "YoYo/v_YoYo_g01_c01.avi", Y2 = "YoYo/v_YoYo_g02_c01.avi";

    public async Task InitializeAsync()
    {
        void Write(string name, params string[] lines) => FakeDataset.Write(Path.Combine(Annotations, name), lines, "\r\n");
        Write("classInd.txt", "1 ApplyEyeMakeup", "2 HandstandPushups", "3 YoYo");
        Write("trainlist01.txt", $"{A1} 1", $"{H1} 2", $"{Y1} 3");
        Write("testlist01.txt", A2, H2, Y2);
        Write("trainlist02.txt", $"{A2} 1", $"{H2} 2", $"{Y2} 3");
        Write("testlist02.txt", A1, H1, Y1);
        Write("trainlist03.txt", $"{H2} 2", $"{A1} 1");
        Write("testlist03.txt", Y1, H1, A2);
        await FakeDataset.ExtractBothLevelsAsync(Temp, Videos, Level2, Level1);
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Expected files are what mmaction2's <c>build_file_list.py ucf101 SRC --level L --format F</c> writes (worked out
/// from parse_ucf101_splits and build_list): per split, <c>ucf101_train_split_N_F.txt</c> from trainlist0N and
/// <c>ucf101_val_split_N_F.txt</c> from testlist0N, lines in list order, label = classInd index − 1. At level 1
/// mmaction2 crashes (it takes the path for the label); here the label is the same as at level 2.
/// </summary>
[Trait("Category", "Integration")]
public sealed class Ucf101ListsTests(Ucf101Fixture data) : IClassFixture<Ucf101Fixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly string[] LabelMap = ["ApplyEyeMakeup", "HandstandPushups", "YoYo"];

    // Level 2 rawframe lines of each video (frames, label).
    private const string A1 = "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01 3 0", A2 = "ApplyEyeMakeup/v_ApplyEyeMakeup_g02_c01 4 0";
    private const string H1 = "HandstandPushups/v_HandStandPushups_g01_c01 5 1", H2 = "HandstandPushups/v_HandStandPushups_g02_c01 6 1";
    private const string Y1 = "YoYo/v_YoYo_g01_c01 7 2";

    private static readonly Dictionary<int, (string[] Train, string[] Val)> Splits = new()
    {
        [1] = ([A1, H1, Y1], [A2, H2]), // YoYo g02 was never downloaded: no line
        [2] = ([A2, H2], [A1, H1, Y1]),
        [3] = ([H2, A1], [Y1, H1, A2]),
    };

    private OfficialListOptions Options(string extracted) => new()
    {
        Extracted = extracted, Output = "", Dataset = OfficialDataset.Ucf101, Annotations = data.Annotations,
    };

    private static Dictionary<string, string[]> Expected(IEnumerable<int> splits, Func<string, string> line, string format = "rawframes", bool train = true, bool val = true)
    {
        var files = new Dictionary<string, string[]> { ["label_map.txt"] = LabelMap };
        foreach (int s in splits)
        {
            if (train)
                files[$"ucf101_train_split_{s}_{format}.txt"] = [.. Splits[s].Train.Select(line)];
            if (val)
                files[$"ucf101_val_split_{s}_{format}.txt"] = [.. Splits[s].Val.Select(line)];
        }
        return files;
    }

    private static string Same(string line) => line;

    private static string Flat(string line) => line[(line.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string Video(string line)
    {
        var f = line.Split(' ');
        return $"{f[0]}.avi {f[2]}";
    }

    [Fact]
    public void Level2Rawframes_AllSplits_AreMmaction2sSixFiles()
    {
        var (folder, summary) = FakeDataset.Lists(_temp, Options(data.Level2));

        ListAssert.Files(folder, Expected([1, 2, 3], Same));
        Assert.Equal(["YoYo/v_YoYo_g02_c01"], summary.Lists.Single(l => l.Name == "ucf101_val_split_1").Missing);
        Assert.Equal(["YoYo/v_YoYo_g02_c01"], summary.Lists.Single(l => l.Name == "ucf101_train_split_2").Missing);
        Assert.Equal(["YoYo/v_YoYo_g99_c01"], summary.NotAnnotated);
    }

    [Fact]
    public void EachSplitAndSubset_Alone_WritesOnlyItsFile()
    {
        foreach (int split in new[] { 1, 2, 3 })
        {
            foreach (var subset in new[] { Subset.Train, Subset.Val })
            {
                var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level2) with { Split = split, Subset = subset });
                ListAssert.Files(folder, Expected([split], Same, train: subset == Subset.Train, val: subset == Subset.Val));
            }
        }
    }

    [Fact]
    public void Level1Rawframes_IdsWithoutClassFolders_LabelsFromClassInd()
    {
        var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level1) with { Split = 1 });

        ListAssert.Files(folder, Expected([1], Flat));
    }

    [Fact]
    public void Videos_BothLevels()
    {
        var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level2) with { Format = ListFormat.Videos });
        ListAssert.Files(folder, Expected([1, 2, 3], Video, "videos"));

        (folder, _) = FakeDataset.Lists(_temp, Options(data.Level1) with { Format = ListFormat.Videos, Split = 3 });
        ListAssert.Files(folder, Expected([3], l => Video(Flat(l)), "videos"));
    }

    [Fact]
    public void Shuffle_SameMultisetOfLines()
    {
        var (folder, _) = FakeDataset.Lists(_temp, Options(data.Level2) with { Shuffle = true, Seed = 3 });

        ListAssert.SameLines(folder, Expected([1, 2, 3], Same));
    }
}
