using Toolkit.Ingest.Output;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

/// <summary>A source replaced or rewritten while it is extracted is never recorded as complete (issue 20, item 1).</summary>
[Trait("Category", "Failure")]
public sealed class SourceChangedTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("mv")]
    [InlineData("cp")]
    public async Task SourceReplacedDuringExtraction_FailsTheVideo_RecordsNothing_AndTheNextRunExtractsTheNewContent(string how)
    {
        _temp.CreateFolder("src", "nature");
        string video = _temp.Combine("src", "nature", "clip.avi");
        File.Copy(TestVideos.Require(TestVideos.Tree), video);
        string other = _temp.Combine("other.mp4");
        TestVideos.TestPattern(other, frames: 20);
        string output = _temp.Combine("out");
        var settings = new ExtractSettings { ShortSide = 64 }.Validate();

        bool swapped = false;
        var options = new ExtractOptions
        {
            Source = _temp.Combine("src"),
            Output = output,
            Settings = settings,
            Workers = 2,
            BeforeCommit = path =>
            {
                if (swapped)
                    return;
                swapped = true;
                if (how == "mv")
                {
                    // Another file renamed over it (a new inode, its own size and mtime), as a sync tool does.
                    string staged = _temp.Combine("staged.avi");
                    File.Copy(other, staged);
                    File.Move(staged, path, overwrite: true);
                }
                else
                {
                    // Rewritten in place (same inode), as cp onto it does.
                    File.WriteAllBytes(path, File.ReadAllBytes(other));
                }
            },
        };
        var first = await ExtractPipeline.RunAsync(options);
        var result = Assert.Single(first.Results);
        Assert.Equal(VideoStatus.Failed, result.Status);
        Assert.Contains("the source changed while it was being extracted", result.Reason, StringComparison.Ordinal);
        Assert.Empty(OutputTree.Manifest(output));
        Assert.False(Directory.Exists(Path.Combine(output, "nature", "clip")));

        // The next run sees no complete entry and extracts the file as it is now (20 frames).
        var second = await ExtractPipeline.RunAsync(options with { BeforeCommit = null });
        var redo = Assert.Single(second.Results);
        Assert.Equal(VideoStatus.Done, redo.Status);
        Assert.Equal(20, redo.Frames);
        var entry = Assert.Single(OutputTree.Manifest(output));
        var now = SourceIdentity.Of(video)!.Value;
        Assert.Equal(now.Size, entry.SourceSize);
        Assert.Equal(now.Inode, entry.SourceInode);
        Assert.NotEqual(0UL, now.Inode);
    }

    [Fact]
    public void SourceIdentity_InodeChangesWhenAFileIsRenamedOverIt()
    {
        string a = _temp.Combine("a.bin"), b = _temp.Combine("b.bin");
        File.WriteAllBytes(a, [1, 2, 3]);
        File.WriteAllBytes(b, [1, 2, 3]);
        var before = SourceIdentity.Of(a)!.Value;
        File.SetLastWriteTimeUtc(b, File.GetLastWriteTimeUtc(a));
        File.Move(b, a, overwrite: true);
        var after = SourceIdentity.Of(a)!.Value;
        Assert.Equal(before.Size, after.Size);
        Assert.Equal(before.MtimeMs, after.MtimeMs);
        Assert.NotEqual(before.Inode, after.Inode); // only the inode tells them apart
    }
}

/// <summary>A redo retracts the old manifest entry before it removes the folder, so a failed redo leaves nothing listed (issue 20, item 4).</summary>
[Trait("Category", "Failure")]
public sealed class FailedRedoTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SourceBrokenAfterItsExtraction_TheFailedRedo_LeavesNoEntryForTheRemovedFolder()
    {
        _temp.CreateFolder("src", "nature");
        string video = _temp.Combine("src", "nature", "clip.avi");
        File.Copy(TestVideos.Require(TestVideos.Tree), video);
        string output = _temp.Combine("out");
        var settings = new ExtractSettings { ShortSide = 64 }.Validate();
        var first = await Extract.RunAsync(_temp.Combine("src"), output, settings);
        Assert.Equal(VideoStatus.Done, Assert.Single(first.Results).Status);
        string hash = OutputStore.HashOf(settings);
        Assert.True(OutputStore.ReadManifests(output, hash).ContainsKey("nature/clip"));

        // The source is replaced by a truncated copy: the next run must redo it, and the redo fails.
        var bytes = File.ReadAllBytes(video);
        File.WriteAllBytes(video, bytes[..2000]);
        var second = await Extract.RunAsync(_temp.Combine("src"), output, settings);
        Assert.Equal(VideoStatus.Failed, Assert.Single(second.Results).Status);
        Assert.False(Directory.Exists(Path.Combine(output, "nature", "clip")));
        Assert.False(OutputStore.ReadManifests(output, hash).ContainsKey("nature/clip"), "the removed folder is still listed");
        var lines = OutputTree.Manifest(output);
        Assert.Equal(2, lines.Count);
        Assert.True(lines[1].Retracted);

        // Restored: extracted again, and the new entry supersedes the tombstone.
        File.WriteAllBytes(video, bytes);
        File.SetLastWriteTimeUtc(video, DateTime.UtcNow.AddMinutes(1));
        var third = await Extract.RunAsync(_temp.Combine("src"), output, settings);
        Assert.Equal(VideoStatus.Done, Assert.Single(third.Results).Status);
        Assert.True(OutputStore.ReadManifests(output, hash).ContainsKey("nature/clip"));
    }
}

/// <summary>Long file names: a 240-byte stem is extracted (its temporary name stays under 255 bytes) (issue 20, item 5).</summary>
[Trait("Category", "Failure")]
public sealed class LongNameTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task VideoWithA240ByteStem_IsExtracted_AlongsideTheOthers()
    {
        _temp.CreateFolder("src", "nature");
        string stem = new('a', 240);
        File.Copy(TestVideos.Require(TestVideos.Tree), _temp.Combine("src", "nature", stem + ".avi"));
        File.Copy(TestVideos.Require(TestVideos.Tree), _temp.Combine("src", "nature", "short.avi"));
        string output = _temp.Combine("out");
        var summary = await Extract.RunAsync(_temp.Combine("src"), output, new ExtractSettings { ShortSide = 64 }.Validate());
        Assert.All(summary.Results, r => Assert.Equal(VideoStatus.Done, r.Status));
        Assert.True(Directory.Exists(Path.Combine(output, "nature", stem)));
        Assert.Empty(OutputTree.PartialFolders(output));
    }

    [Fact]
    public void NameProblem_APartOver255Bytes_IsNamed_ShorterOnesAreFine()
    {
        Assert.Null(OutputStore.NameProblem("class/" + new string('b', 255)));
        var problem = OutputStore.NameProblem("class/" + new string('é', 130)); // 260 bytes in UTF-8
        Assert.NotNull(problem);
        Assert.Contains("260 bytes, over the 255-byte limit", problem, StringComparison.Ordinal);
    }
}

/// <summary>Folder links under SRC: each folder is walked once; a loop is one reported line (issue 20, item 6).</summary>
[Trait("Category", "Failure")]
public sealed class LinkLoopTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task TwoLoopsAndADuplicateLink_EachVideoOnce_EachLinkOneLine()
    {
        _temp.CreateFolder("src", "nature");
        File.Copy(TestVideos.Require(TestVideos.Tree), _temp.Combine("src", "nature", "tree.avi"));
        Directory.CreateSymbolicLink(_temp.Combine("src", "nature", "up"), "..");          // nature/up -> src
        Directory.CreateSymbolicLink(_temp.Combine("src", "nature", "again"), "../nature"); // nature/again -> nature
        Directory.CreateSymbolicLink(_temp.Combine("src", "copy"), "nature");                // copy -> nature
        var found = Toolkit.Ingest.Discovery.SourceDiscovery.Discover(_temp.Combine("src"), level: 1, Toolkit.Ingest.Discovery.SourceDiscovery.DefaultExtensions.ToArray(), exclude: null);
        var video = Assert.Single(found.Videos);
        Assert.EndsWith("tree.avi", video.Path, StringComparison.Ordinal);
        Assert.Equal(3, found.Problems.Count);
        Assert.All(found.Problems, p => Assert.Contains("a link to a folder already walked", p.Reason, StringComparison.Ordinal));

        var summary = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), new ExtractSettings { ShortSide = 64, Level = 1 }.Validate());
        Assert.Equal(1, summary.Results.Count(r => r.Status == VideoStatus.Done));
    }
}
