using Toolkit.Core;
using Toolkit.Ingest.Lists.Official;
using Toolkit.Tests.Support;

namespace Toolkit.Ingest.Tests.Lists;

/// <summary>
/// Bad annotation files: each is one <see cref="ToolkitError"/> naming the file and line and what to do, before anything
/// is written. A byte-order mark and CRLF line ends are not errors: Python reads them (text mode) and so do these
/// readers, with the same result as a clean file — never a label "abseiling\r" or a header "\ufefflabel".
/// </summary>
[Trait("Category", "Failure")]
public sealed class AnnotationErrorsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly AnnotationRequest All2 = new(2, Subset.All, null);

    private const string Header = "label,youtube_id,time_start,time_end,split";

    private string Kinetics(string[] train, string newline = "\n", bool bom = false, string[]? test = null)
    {
        string folder = _temp.CreateFolder($"k-{Guid.NewGuid():N}");
        FakeDataset.Write(Path.Combine(folder, "kinetics_train.csv"), train, newline, bom);
        if (test is not null)
            FakeDataset.Write(Path.Combine(folder, "kinetics_test.csv"), test, newline, bom);
        return folder;
    }

    [Fact]
    public void Kinetics_MissingTrainCsv_NamesTheFile()
    {
        string folder = _temp.CreateFolder("empty");

        var e = Assert.Throws<ToolkitError>(() => KineticsAnnotations.Read(folder, "kinetics400", All2));

        Assert.Equal(Path.Combine(folder, "kinetics_train.csv"), e.Subject);
        Assert.Contains("no such file", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinetics_RequestedSubsetWithoutItsFile_NamesTheFile()
    {
        string folder = Kinetics([Header, "abseiling,a,0,10,train"]);

        var e = Assert.Throws<ToolkitError>(() => KineticsAnnotations.Read(folder, "kinetics400", All2 with { Subset = Subset.Val }));

        Assert.Equal(Path.Combine(folder, "kinetics_val.csv"), e.Subject);
    }

    [Fact]
    public void Kinetics_TheArchivesOwnFileNames_AreReadToo()
    {
        string folder = _temp.CreateFolder("archive");
        FakeDataset.Write(Path.Combine(folder, "train.csv"), [Header, "abseiling,a,0,10,train"]);
        FakeDataset.Write(Path.Combine(folder, "validate.csv"), [Header, "abseiling,b,0,10,val"]);

        var read = KineticsAnnotations.Read(folder, "kinetics400", All2);

        Assert.Equal(["kinetics400_train_list", "kinetics400_val_list"], read.Lists.Select(l => l.Prefix));
    }

    [Theory]
    [InlineData("abseiling,a,0,10", "line 3", "has 4 column(s) where the header names 5")]
    [InlineData("abseiling,a,zero,10,train", "line 3", "its time_start 'zero' is not a time in seconds")]
    [InlineData(",a,0,10,train", "line 3", "has no label")]
    public void Kinetics_BadRow_NamesFileAndLine(string row, string line, string reason)
    {
        string folder = Kinetics([Header, "abseiling,x,0,10,train", row]);

        var e = Assert.Throws<ToolkitError>(() => KineticsAnnotations.Read(folder, "kinetics400", All2));

        Assert.Equal($"{Path.Combine(folder, "kinetics_train.csv")} {line}", e.Subject);
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void Kinetics_HeaderWithoutAColumn_NamesLineOne()
    {
        string folder = Kinetics(["label,id,time_start,time_end,split", "abseiling,a,0,10,train"]);

        var e = Assert.Throws<ToolkitError>(() => KineticsAnnotations.Read(folder, "kinetics400", All2));

        Assert.Equal($"{Path.Combine(folder, "kinetics_train.csv")} line 1", e.Subject);
        Assert.Contains("has no 'youtube_id' column", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinetics_DuplicateClip_NamesBothLines()
    {
        string folder = Kinetics([Header, "abseiling,a,0,10,train", "air drumming,b,0,10,train", "abseiling,a,0.5,10.2,train"]);

        var e = Assert.Throws<ToolkitError>(() => KineticsAnnotations.Read(folder, "kinetics400", All2));

        string csv = Path.Combine(folder, "kinetics_train.csv");
        Assert.Equal($"{csv} line 4", e.Subject);
        Assert.Equal($"annotates 'abseiling/a_000000_000010' a second time (first at {csv} line 2)", e.Reason);
    }

    [Fact]
    public void Kinetics_UnknownClassInTheTestCsv_NamesFileAndLine()
    {
        string folder = Kinetics([Header, "abseiling,a,0,10,train"], test: [Header, "abseiling,t1,0,10,test", "juggling,t2,0,10,test"]);

        var e = Assert.Throws<ToolkitError>(() => KineticsAnnotations.Read(folder, "kinetics400", All2));

        Assert.Equal($"{Path.Combine(folder, "kinetics_test.csv")} line 3", e.Subject);
        Assert.Contains("its label 'juggling' is not a label of", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinetics_TestCsvWithoutLabels_GivesLabelMinusOne_UnderTestAtLevel2()
    {
        string folder = Kinetics([Header, "abseiling,a,0,10,train"], test: ["youtube_id,time_start,time_end,split", "t1,3,13,test"]);

        var test = KineticsAnnotations.Read(folder, "kinetics700", All2).Lists.Single(l => l.Subset == Subset.Test);

        Assert.Equal(("test/t1_000003_000013", -1), (test.Videos[0].Key, test.Videos[0].Label));
    }

    [Fact]
    public void Kinetics_BomAndCrlf_ReadAsTheCleanFile()
    {
        string[] rows = [Header, "\"passing American football (in game)\",a,0,10,train", "abseiling,b,1.9,11.9,train"];
        var clean = KineticsAnnotations.Read(Kinetics(rows), "kinetics400", All2);
        var windows = KineticsAnnotations.Read(Kinetics(rows, "\r\n", bom: true), "kinetics400", All2);

        Assert.Equal(["abseiling", "passing American football (in game)"], windows.Labels);
        Assert.Equal(clean.Labels, windows.Labels);
        Assert.Equal(["passing_American_football_(in_game)/a_000000_000010", "abseiling/b_000001_000011"], windows.Lists[0].Videos.Select(v => v.Key));
        Assert.Equal(clean.Lists[0].Videos.Select(v => (v.Key, v.Label)), windows.Lists[0].Videos.Select(v => (v.Key, v.Label)));
    }

    private string Ucf(string[] classInd, string[] train, string[] test, bool bom = false)
    {
        string folder = _temp.CreateFolder($"u-{Guid.NewGuid():N}");
        FakeDataset.Write(Path.Combine(folder, "classInd.txt"), classInd, "\r\n", bom);
        FakeDataset.Write(Path.Combine(folder, "trainlist01.txt"), train, "\r\n");
        FakeDataset.Write(Path.Combine(folder, "testlist01.txt"), test, "\r\n");
        return folder;
    }

    private static readonly AnnotationRequest Split1 = new(2, Subset.All, 1);

    [Fact]
    public void Ucf101_UnknownClassInATestList_NamesFileAndLine()
    {
        string folder = Ucf(["1 ApplyEyeMakeup", "2 YoYo"], ["YoYo/v_YoYo_g01_c01.avi 2"], ["YoYo/v_YoYo_g02_c01.avi", "Juggling/v_Juggling_g01_c01.avi"]);

        var e = Assert.Throws<ToolkitError>(() => Ucf101Annotations.Read(folder, Split1));

        Assert.Equal($"{Path.Combine(folder, "testlist01.txt")} line 2", e.Subject);
        Assert.Equal($"its class 'Juggling' is not in {Path.Combine(folder, "classInd.txt")}", e.Reason);
    }

    [Fact]
    public void Ucf101_MissingSplitFile_AndWrongColumns_AndAnIndexOtherThanClassInds()
    {
        string folder = Ucf(["1 ApplyEyeMakeup", "2 YoYo"], ["YoYo/v_YoYo_g01_c01.avi 2"], ["YoYo/v_YoYo_g02_c01.avi"]);
        var missing = Assert.Throws<ToolkitError>(() => Ucf101Annotations.Read(folder, Split1 with { Split = 2 }));
        Assert.Equal(Path.Combine(folder, "trainlist02.txt"), missing.Subject);

        folder = Ucf(["1 ApplyEyeMakeup", "2 YoYo"], ["YoYo/v_YoYo_g01_c01.avi 2 extra"], []);
        var columns = Assert.Throws<ToolkitError>(() => Ucf101Annotations.Read(folder, Split1));
        Assert.Equal($"{Path.Combine(folder, "trainlist01.txt")} line 1", columns.Subject);

        folder = Ucf(["1 ApplyEyeMakeup", "2 YoYo"], ["ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi 1", "YoYo/v_YoYo_g01_c01.avi 1"], []);
        var index = Assert.Throws<ToolkitError>(() => Ucf101Annotations.Read(folder, Split1));
        Assert.Equal($"{Path.Combine(folder, "trainlist01.txt")} line 2", index.Subject);

        folder = Ucf(["1 ApplyEyeMakeup", "3 YoYo"], [], []);
        var gap = Assert.Throws<ToolkitError>(() => Ucf101Annotations.Read(folder, Split1));
        Assert.Contains("has no class with index 2", gap.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ucf101_DuplicateVideoAcrossTrainAndTestOfASplit_NamesBothPlaces()
    {
        string folder = Ucf(["1 YoYo"], ["YoYo/v_YoYo_g01_c01.avi 1"], ["YoYo/v_YoYo_g01_c01.avi"]);

        var e = Assert.Throws<ToolkitError>(() => Ucf101Annotations.Read(folder, Split1));

        Assert.Equal($"{Path.Combine(folder, "testlist01.txt")} line 1", e.Subject);
        Assert.Contains($"first at {Path.Combine(folder, "trainlist01.txt")} line 1", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ucf101_ClassIndWithABom_ReadsAsWithout()
    {
        // Python would read "\ufeff1" and fail in int(); the official file has no BOM, an edited copy may.
        string folder = Ucf(["1 ApplyEyeMakeup", "2 YoYo"], ["YoYo/v_YoYo_g01_c01.avi 2"], [], bom: true);

        var read = Ucf101Annotations.Read(folder, Split1);

        Assert.Equal(["ApplyEyeMakeup", "YoYo"], read.Labels);
        Assert.Equal(("YoYo/v_YoYo_g01_c01", 1), (read.Lists[0].Videos[0].Key, read.Lists[0].Videos[0].Label));
    }

    [Fact]
    public void Hmdb51_BadMark_MissingSplitFile_NoFilesAtAll()
    {
        string folder = _temp.CreateFolder("hmdb");
        FakeDataset.Write(Path.Combine(folder, "clap_test_split1.txt"), ["a.avi 1 ", "b.avi 3 "]);
        var mark = Assert.Throws<ToolkitError>(() => Hmdb51Annotations.Read(folder, Split1));
        Assert.Equal($"{Path.Combine(folder, "clap_test_split1.txt")} line 2", mark.Subject);

        FakeDataset.Write(Path.Combine(folder, "clap_test_split1.txt"), ["a.avi 1 ", "b.avi 2 "]);
        var missing = Assert.Throws<ToolkitError>(() => Hmdb51Annotations.Read(folder, Split1 with { Split = null }));
        Assert.Equal(Path.Combine(folder, "clap_test_split2.txt"), missing.Subject);

        var none = Assert.Throws<ToolkitError>(() => Hmdb51Annotations.Read(_temp.CreateFolder("hmdb-empty"), Split1));
        Assert.Contains("no such file", none.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SomethingV2_UnknownTemplate_AndBrokenJson_NameFileAndLine()
    {
        string folder = _temp.CreateFolder("ssv2");
        FakeDataset.Write(Path.Combine(folder, "something-something-v2-labels.json"), ["{\"Holding something\": \"0\"}"]);
        FakeDataset.Write(Path.Combine(folder, "something-something-v2-train.json"),
            ["[", "{\"id\": \"1\", \"template\": \"Holding [something]\"},", "{\"id\": \"2\",", " \"template\": \"Dropping [something]\"}", "]"]);
        var template = Assert.Throws<ToolkitError>(() => SomethingV2Annotations.Read(folder, new AnnotationRequest(1, Subset.All, null)));
        Assert.Equal($"{Path.Combine(folder, "something-something-v2-train.json")} line 3 (item 2)", template.Subject);
        Assert.Contains("its template 'Dropping something' is not in", template.Reason, StringComparison.Ordinal);

        FakeDataset.Write(Path.Combine(folder, "something-something-v2-train.json"), ["[", "{\"id\": \"1\", \"template\": \"Holding [something]\"", "]"]);
        var json = Assert.Throws<ToolkitError>(() => SomethingV2Annotations.Read(folder, new AnnotationRequest(1, Subset.All, null)));
        Assert.Equal($"{Path.Combine(folder, "something-something-v2-train.json")} line 3", json.Subject);
        Assert.Equal("is not valid JSON", json.Reason);
    }

    [Fact]
    public void ActivityNet_LabelNotALeaf_NamesTheVideoAndAnnotation()
    {
        string folder = _temp.CreateFolder("anet");
        FakeDataset.Write(Path.Combine(folder, ActivityNetAnnotations.FileName),
        [
            "{\"taxonomy\": [{\"nodeId\": 1, \"nodeName\": \"Root\", \"parentId\": null}, {\"nodeId\": 2, \"nodeName\": \"Archery\", \"parentId\": 1}], "
            + "\"database\": {\"x1\": {\"subset\": \"training\", \"duration\": 3.0, \"annotations\": [{\"segment\": [0, 1], \"label\": \"Root\"}]}}}",
        ]);

        var e = Assert.Throws<ToolkitError>(() => ActivityNetAnnotations.Read(folder, All2));

        Assert.Equal($"{Path.Combine(folder, ActivityNetAnnotations.FileName)}: database.x1.annotations[0]", e.Subject);
        Assert.Contains("is not a leaf of the taxonomy", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvFields_SplitAsPythonsCsvReader()
    {
        Assert.Equal(["a b", "c\"d", "x\"y\"", ""], AnnotationText.CsvFields("\"a b\",\"c\"\"d\",x\"y\",")); // a quote inside an unquoted field is kept
        Assert.Equal(["passing American football (in game)", "id"], AnnotationText.CsvFields("\"passing American football (in game)\",id"));
    }

    [Fact]
    public void CodePointOrder_SortsAsPython_NotAsUtf16()
    {
        // U+FF21 (fullwidth A) < U+1F600 by code point, but its UTF-16 unit 0xFF21 > the surrogate 0xD83D.
        Assert.Equal(["\uFF21", "\U0001F600"], new[] { "\U0001F600", "\uFF21" }.Order(AnnotationText.CodePointOrder));
    }
}
