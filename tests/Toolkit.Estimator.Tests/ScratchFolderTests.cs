using Toolkit.Estimator.Measurement;

namespace Toolkit.Estimator.Tests;

/// <summary>A killed estimate's temporary folder is removed by the next estimate; a live run's never (issue 20, item 13).</summary>
[Trait("Category", "Failure")]
public sealed class ScratchFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("estimator-tests-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_RemovesFoldersOfDeadRuns_KeepsLiveAndYoungOnes_AndDisposeDeletesItsOwn()
    {
        string root = _temp.Path;
        // A run killed with -9: its lock file is there, but nobody holds the lock any more.
        string dead = Path.Combine(root, ScratchFolder.Prefix + "dead");
        Directory.CreateDirectory(Path.Combine(dead, "round-0", "a"));
        File.WriteAllText(Path.Combine(dead, ".owner.lock"), "");
        // A live run (this test holds its lock, as the running estimate would).
        using var live = ScratchFolder.Create(Path.Combine(root, "other"));
        string liveCopy = live.Path;
        // Being created right now (no lock file yet), and an old one from before lock files.
        string young = Path.Combine(root, ScratchFolder.Prefix + "young");
        Directory.CreateDirectory(young);
        string old = Path.Combine(root, ScratchFolder.Prefix + "old");
        Directory.CreateDirectory(old);
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-2));
        // Not ours.
        string other = Path.Combine(root, "toolkit-something-else");
        Directory.CreateDirectory(other);

        using (var scratch = ScratchFolder.Create(root))
        {
            Assert.True(Directory.Exists(scratch.Path));
            Assert.False(Directory.Exists(dead), "a dead run's folder was left");
            Assert.False(Directory.Exists(old), "an abandoned folder without a lock file was left");
            Assert.True(Directory.Exists(young));
            Assert.True(Directory.Exists(other));
            // The live run's folder lies under another root: removing abandoned ones there must spare it.
            Assert.Equal(0, ScratchFolder.RemoveAbandoned(Path.Combine(root, "other")));
            Assert.True(Directory.Exists(liveCopy));
            // And a second estimate on this root spares this one while it runs.
            Assert.Equal(0, ScratchFolder.RemoveAbandoned(root));
            Assert.True(Directory.Exists(scratch.Path));
            string mine = scratch.Path;
            scratch.Dispose();
            Assert.False(Directory.Exists(mine));
        }
    }
}
