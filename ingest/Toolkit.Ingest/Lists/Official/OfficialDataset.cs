using Toolkit.Core;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>A dataset whose official annotation files <c>toolkit lists --dataset</c> reads.</summary>
public enum OfficialDataset
{
    /// <summary>Kinetics-400: <c>kinetics_{train,val,test}.csv</c>.</summary>
    Kinetics400,
    /// <summary>Kinetics-600: <c>kinetics_{train,val,test}.csv</c>.</summary>
    Kinetics600,
    /// <summary>Kinetics-700: <c>kinetics_{train,val,test}.csv</c>.</summary>
    Kinetics700,
    /// <summary>UCF101: <c>classInd.txt</c>, <c>trainlist0{1,2,3}.txt</c>, <c>testlist0{1,2,3}.txt</c>.</summary>
    Ucf101,
    /// <summary>HMDB51: the 51 × 3 <c>&lt;class&gt;_test_split{1,2,3}.txt</c> files.</summary>
    Hmdb51,
    /// <summary>Something-Something V2: <c>something-something-v2-{labels,train,validation,test}.json</c>.</summary>
    Sthv2,
    /// <summary>ActivityNet v1.3: <c>activity_net.v1-3.min.json</c>.</summary>
    ActivityNet,
}

/// <summary>The names datasets and subsets have on the command line and in file names (mmaction2's).</summary>
public static class OfficialNames
{
    private static readonly Dictionary<string, OfficialDataset> Datasets = new(StringComparer.Ordinal)
    {
        ["kinetics400"] = OfficialDataset.Kinetics400,
        ["kinetics600"] = OfficialDataset.Kinetics600,
        ["kinetics700"] = OfficialDataset.Kinetics700,
        ["ucf101"] = OfficialDataset.Ucf101,
        ["hmdb51"] = OfficialDataset.Hmdb51,
        ["sthv2"] = OfficialDataset.Sthv2,
        ["activitynet"] = OfficialDataset.ActivityNet,
    };

    /// <summary>Every dataset name, as mmaction2's build_file_list.py spells it.</summary>
    public static IReadOnlyCollection<string> All => Datasets.Keys;

    /// <summary>The name of <paramref name="dataset"/> (<c>kinetics400</c>, <c>sthv2</c>, ...): the prefix of its list files.</summary>
    public static string Of(OfficialDataset dataset) => Datasets.First(d => d.Value == dataset).Key;

    /// <summary>Parses a dataset name; a <see cref="ToolkitError"/> lists the known ones.</summary>
    public static OfficialDataset Parse(string name) =>
        Datasets.TryGetValue(name, out var dataset)
            ? dataset
            : throw new ToolkitError("OfficialListOptions.Dataset", $"'{name}' is not a known dataset", $"Use one of {string.Join(", ", Datasets.Keys)}");

    /// <summary>True for the three Kinetics versions.</summary>
    public static bool IsKinetics(OfficialDataset dataset) => dataset is OfficialDataset.Kinetics400 or OfficialDataset.Kinetics600 or OfficialDataset.Kinetics700;
}

/// <summary>Which subsets to write.</summary>
public enum Subset
{
    /// <summary>Every subset the annotations hold.</summary>
    All,
    /// <summary>The training subset.</summary>
    Train,
    /// <summary>The validation subset (UCF101 and HMDB51: the test list of each split, which mmaction2 names val).</summary>
    Val,
    /// <summary>The test subset.</summary>
    Test,
}

/// <summary>What the lists name.</summary>
public enum ListFormat
{
    /// <summary>Rawframe folders: <c>frame_dir total_frames label</c>.</summary>
    Rawframes,
    /// <summary>Video files: <c>path label</c>.</summary>
    Videos,
}
