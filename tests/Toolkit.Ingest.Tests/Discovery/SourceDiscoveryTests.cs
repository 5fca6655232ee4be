using Toolkit.Core;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Discovery;

/// <summary>Discovery only looks at names, so empty files stand in for videos.</summary>
[Trait("Category", "Unit")]
public sealed class SourceDiscoveryTests : IDisposable
{
    private static readonly string[] Mp4 = ["mp4"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Discover_Level2_NamesOutputClassSlashStemFromTheParentFolder()
    {
        string src = Files("walk/a.mp4", "run/b.mp4", "extra/deep/run/c.mp4");

        var found = SourceDiscovery.Discover(src, level: 2, Mp4);

        Assert.Empty(found.Problems);
        Assert.Equal(
            [("extra/deep/run/c.mp4", "run/c", "run"), ("run/b.mp4", "run/b", "run"), ("walk/a.mp4", "walk/a", "walk")],
            found.Videos.Select(v => (v.Key, v.OutputName, v.ClassName)));
        Assert.Equal(Path.Combine(src, "walk", "a.mp4"), found.Videos.Single(v => v.Key == "walk/a.mp4").Path);
    }

    [Fact]
    public void Discover_WhitespaceInNames_BecomesUnderscoreInTheOutputOnly()
    {
        string src = Files("playing guitar/clip\tone.mp4", "playing_guitar/clip_one.mp4");

        var found = SourceDiscovery.Discover(src, level: 2, Mp4);

        var video = Assert.Single(found.Videos);
        Assert.Equal(("playing guitar/clip\tone.mp4", "playing_guitar/clip_one", "playing guitar"), (video.Key, video.OutputName, video.ClassName));
        var problem = Assert.Single(found.Problems); // both map to one folder: the second is refused, not merged
        Assert.Contains("its output folder 'playing_guitar/clip_one' is already taken", problem.Reason);
    }

    [Fact]
    public void Discover_Level1_NamesOutputByStemWithoutClass()
    {
        string src = Files("walk/a.mp4", "b.mp4");

        var found = SourceDiscovery.Discover(src, level: 1, Mp4);

        Assert.Empty(found.Problems);
        Assert.Equal([("b.mp4", "b", (string?)null), ("walk/a.mp4", "a", null)], found.Videos.Select(v => (v.Key, v.OutputName, v.ClassName)));
    }

    [Fact]
    public void Discover_Extensions_MatchCaseInsensitivelyAndFilterOthers()
    {
        string src = Files("c/upper.MP4", "c/mixed.Mp4", "c/lower.mp4", "c/clip.avi", "c/notes.txt", "c/noext");

        var mp4 = SourceDiscovery.Discover(src, 2, Mp4);
        var any = SourceDiscovery.Discover(src, 2, extensions: null);

        Assert.Equal(["c/lower.mp4", "c/mixed.Mp4", "c/upper.MP4"], mp4.Videos.Select(v => v.Key));
        Assert.Equal(["c/clip.avi", "c/lower.mp4", "c/mixed.Mp4", "c/noext", "c/notes.txt", "c/upper.MP4"], any.Videos.Select(v => v.Key));
    }

    [Fact]
    public void Discover_HiddenFoldersAndFiles_AreSkipped()
    {
        string src = Files("walk/a.mp4", ".cache/walk/b.mp4", "walk/.c.mp4", "walk/.git/d.mp4");

        var found = SourceDiscovery.Discover(src, 2, Mp4);

        Assert.Equal(["walk/a.mp4"], found.Videos.Select(v => v.Key));
        Assert.Empty(found.Problems);
    }

    [Fact]
    public void Discover_OutputInsideSource_IsNotDescended()
    {
        string src = Files("walk/a.mp4", "out/walk/a/x.mp4");

        var found = SourceDiscovery.Discover(src, 2, Mp4, exclude: Path.Combine(src, "out"));

        Assert.Equal(["walk/a.mp4"], found.Videos.Select(v => v.Key));
    }

    [Fact]
    public void Discover_SameStemTwiceInOneClass_ReportsTheSecondAsProblem()
    {
        string src = Files("walk/a.avi", "walk/a.mp4", "run/a.mp4");

        var found = SourceDiscovery.Discover(src, 2, ["mp4", "avi"]);

        Assert.Equal(["run/a", "walk/a"], found.Videos.Select(v => v.OutputName).Order(StringComparer.Ordinal));
        var problem = Assert.Single(found.Problems);
        Assert.Equal(Path.Combine(src, "walk", "a.mp4"), problem.Path);
        Assert.Contains("'walk/a' is already taken by " + Path.Combine(src, "walk", "a.avi"), problem.Reason);
    }

    [Fact]
    public void Discover_Level1SameStemInTwoClasses_ReportsAProblem()
    {
        string src = Files("walk/a.mp4", "run/a.mp4");

        var found = SourceDiscovery.Discover(src, 1, Mp4);

        Assert.Single(found.Videos);
        Assert.Contains("already taken", Assert.Single(found.Problems).Reason);
    }

    [Fact]
    public void Discover_Level2VideoAtTheRoot_ReportsItNeedsAClassFolder()
    {
        string src = Files("walk/a.mp4", "loose.mp4");

        var found = SourceDiscovery.Discover(src, 2, Mp4);

        Assert.Equal(["walk/a.mp4"], found.Videos.Select(v => v.Key));
        var problem = Assert.Single(found.Problems);
        Assert.Equal(Path.Combine(src, "loose.mp4"), problem.Path);
        Assert.Contains("no class folder", problem.Reason);
        Assert.Contains("--level 1", problem.Reason);
    }

    [Fact]
    public void Discover_Level2FlatFolder_IsOneErrorUpFront_SayingUseLevel1()
    {
        string src = Files("a.mp4", "b.mp4", "c.mp4");

        var e = Assert.Throws<ToolkitError>(() => SourceDiscovery.Discover(src, 2, Mp4));

        Assert.Equal(src, e.Subject);
        Assert.Contains("its 3 video(s) lie directly in it, with no class folders", e.Reason);
        Assert.Contains("use --level 1", e.Hint);
        Assert.Equal(3, SourceDiscovery.Discover(src, 1, Mp4).Videos.Count); // the same folder at level 1 is fine
    }

    [Fact]
    public void Discover_ListFile_ResolvesRelativeToTheListAndAcceptsAbsolutePathsAndLabels()
    {
        string src = Files("walk/a.mp4", "run/b c.mp4", "jump/d.mp4");
        string list = _temp.Combine("src", "list.txt");
        File.WriteAllLines(list,
        [
            "# mmaction2 video list",
            "walk/a.mp4",
            "",
            "run/b c.mp4 7",
            $"{Path.Combine(src, "jump", "d.mp4")}\t2",
        ]);

        var found = SourceDiscovery.Discover(list, 2, Mp4);

        Assert.Empty(found.Problems);
        Assert.Equal(
            [("walk/a.mp4", "walk/a", Path.Combine(src, "walk", "a.mp4")),
             ("run/b c.mp4", "run/b_c", Path.Combine(src, "run", "b c.mp4")),
             (Path.Combine(src, "jump", "d.mp4"), "jump/d", Path.Combine(src, "jump", "d.mp4"))],
            found.Videos.Select(v => (v.Key, v.OutputName, v.Path)));
    }

    [Fact]
    public void Discover_ListFileWithMissingPath_ReportsItWithItsLineNumber()
    {
        string src = Files("walk/a.mp4");
        string list = _temp.Combine("src", "list.txt");
        File.WriteAllLines(list, ["walk/a.mp4", "# comment", "walk/missing.mp4 3"]);

        var found = SourceDiscovery.Discover(list, 2, Mp4);

        Assert.Equal(["walk/a.mp4"], found.Videos.Select(v => v.Key));
        var problem = Assert.Single(found.Problems);
        Assert.Equal("walk/missing.mp4 3", problem.Path);
        Assert.Contains($"{list} line 3", problem.Reason);
        Assert.Contains("not found", problem.Reason);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public void Discover_ListFileNamingOneVideoTwice_TakesItOnceWithoutCallingItsOwnRival()
    {
        string src = Files("walk/a.mp4", "walk/b.mp4");
        string list = _temp.Combine("src", "list.txt");
        File.WriteAllLines(list, ["walk/a.mp4 0", "walk/b.mp4 0", "walk/a.mp4 0", $"{Path.Combine(src, "walk", "a.mp4")}"]);

        var found = SourceDiscovery.Discover(list, 2, Mp4);

        Assert.Empty(found.Problems);
        Assert.Equal(["walk/a", "walk/b"], found.Videos.Select(v => v.OutputName));
    }

    [Fact]
    public void Discover_MissingSource_ThrowsToolkitErrorNamingIt()
    {
        string missing = _temp.Combine("nowhere");

        var error = Assert.Throws<ToolkitError>(() => SourceDiscovery.Discover(missing, 2, Mp4));

        Assert.Equal(missing, error.Subject);
        Assert.Contains("no such folder or list file", error.Message);
    }

    /// <summary>Creates empty files under TEMP/src and returns that folder.</summary>
    private string Files(params string[] relative)
    {
        string src = _temp.CreateFolder("src");
        foreach (string rel in relative)
        {
            string path = Path.Combine(src, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
        }
        return src;
    }
}
