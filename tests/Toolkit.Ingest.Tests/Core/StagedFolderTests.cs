using Toolkit.Core;

namespace Toolkit.Ingest.Tests.Core;

public sealed class StagedFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Commit_ReplacesAnEarlierFolderAsAWhole_AndLeavesNoHiddenFolder()
    {
        string target = _temp.CreateFolder("results");
        File.WriteAllText(Path.Combine(target, "old-only.txt"), "old");
        File.WriteAllText(Path.Combine(target, "both.txt"), "old");

        using (var staged = StagedFolder.Create(target))
        {
            Assert.StartsWith(Path.Combine(_temp.Path, ".results.partial-"), staged.Path, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(staged.Path, "both.txt"), "new");
            Assert.Equal("old", File.ReadAllText(Path.Combine(target, "both.txt"))); // nothing visible before the commit
            staged.Commit();
        }

        Assert.Equal(["both.txt"], Directory.GetFiles(target).Select(Path.GetFileName));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "both.txt")));
        Assert.Equal(["results"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void DisposedUncommitted_RemovesTheStaging_AndLeavesTheTargetAlone()
    {
        string target = _temp.Combine("missing-parent", "out");
        string staging;
        using (var staged = StagedFolder.Create(target))
        {
            staging = staged.Path;
            File.WriteAllText(Path.Combine(staging, "half.txt"), "half-written");
        }

        Assert.False(Directory.Exists(staging));
        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Combine("missing-parent")));
    }

    [Fact]
    public void CommitTwice_IsAnError()
    {
        using var staged = StagedFolder.Create(_temp.Combine("once"));
        staged.Commit();
        Assert.Throws<InvalidOperationException>(staged.Commit);
    }
}
