using System.Text;
using Toolkit.Core;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Output;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Output;

/// <summary>
/// One output folder never becomes a silent mix (issue 20, items 3 and 13): shards started together with different
/// settings, runs with different shard counts at once, an interrupted --force run, a torn manifest line.
/// </summary>
[Trait("Category", "Failure")]
public sealed class MixedOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Output => _temp.Combine("out");

    [Fact]
    public async Task Open_TwoShardsStartedTogetherWithDifferentSettings_ExactlyOneIsRefused_EveryTime()
    {
        for (int trial = 0; trial < 40; trial++)
        {
            string root = _temp.Combine($"race{trial}");
            using var start = new Barrier(2);
            var outcomes = new[] { 64, 32 }.Select((side, i) => Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var store = OutputStore.Open(root, new ExtractSettings { ShortSide = side }, new ShardSpec(i, 2), force: false);
                    return (string?)null;
                }
                catch (ToolkitError e)
                {
                    return e.Message;
                }
            })).ToArray();
            var refused = (await Task.WhenAll(outcomes)).Where(m => m is not null).ToList();
            var message = Assert.Single(refused);
            Assert.Contains("it was written with different settings (short_side:", message);
            var stored = OutputStore.ReadSettings(root)!;
            Assert.Contains(stored.ShortSide, new[] { 64, 32 });
            Assert.Empty(Directory.GetFiles(Path.Combine(root, ".toolkit"), "*claim*")); // no claim file left behind
        }
    }

    [Fact]
    public void Open_AnotherShardCountWhileARunHoldsItsShard_IsRefusedNamingIt_AndAllowedOnceItEnds()
    {
        var settings = new ExtractSettings();
        var whole = OutputStore.Open(Output, settings, ShardSpec.Single, force: false);

        var error = Assert.Throws<ToolkitError>(() => OutputStore.Open(Output, settings, new ShardSpec(0, 2), force: false));

        Assert.Contains("another toolkit extract is writing here with another shard count (00000 of 00001; this run is 0 of 2)", error.Message);
        Assert.Contains("same --shard count", error.Message);
        // Shards of one count run side by side as always.
        whole.Dispose();
        using var first = OutputStore.Open(Output, settings, new ShardSpec(0, 2), force: false);
        using var second = OutputStore.Open(Output, settings, new ShardSpec(1, 2), force: false);
    }

    [Fact]
    public void Open_ManifestWithATornLastLine_NextEntryIsItsOwnLine()
    {
        var settings = new ExtractSettings();
        string manifest;
        using (var store = OutputStore.Open(Output, settings, ShardSpec.Single, force: false))
        {
            manifest = store.ManifestPath;
            Commit(store, "walk/a");
            Commit(store, "walk/b");
        }
        // A kill in the middle of the second append: half a line, no newline.
        byte[] bytes = File.ReadAllBytes(manifest);
        File.WriteAllBytes(manifest, bytes[..(bytes.Length - 30)]);

        using (var store = OutputStore.Open(Output, settings, ShardSpec.Single, force: false))
        {
            Commit(store, "walk/c");
        }

        var lines = File.ReadAllLines(manifest);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith("}", lines[0]);
        Assert.DoesNotContain("}{", lines[1]); // the torn line stands alone, not glued to the next entry
        Assert.Equal(["walk/a", "walk/c"], OutputStore.ReadManifests(Output).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Lists_ShardWrittenWithOtherSettings_IsRefusedNamingTheManifest_UntilThatShardIsRedone()
    {
        string src = Videos();
        // Shard 0/2 at 64 px; shard 1/2 forced to 48 px (the stored settings now say 48): what a lost settings race or an
        // interrupted --force run leaves.
        await Extract(src, shortSide: 64, new ShardSpec(0, 2));
        await Extract(src, shortSide: 48, new ShardSpec(1, 2), force: true);
        Assert.All(new[] { "00000-of-00002", "00001-of-00002" }, // both shards own videos
            tag => Assert.NotEmpty(File.ReadAllLines(Path.Combine(Output, ".toolkit", $"manifest-{tag}.jsonl"))));

        var refused = await ToolkitCli.RunAsync("lists", Output, "--out", _temp.Combine("lists"));

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("its shards disagree, so lists would leave videos out: manifest-00000-of-00002.jsonl holds", refused.Stderr);
        Assert.Contains("written with other settings than .toolkit/settings.json", refused.Stderr);
        Assert.DoesNotContain("manifest-00001-of-00002.jsonl", refused.Stderr);
        Assert.False(Directory.Exists(_temp.Combine("lists")));

        await Extract(src, shortSide: 48, new ShardSpec(0, 2));
        var listed = await ToolkitCli.RunAsync("lists", Output, "--out", _temp.Combine("lists"), "--val-fraction", "0");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(6, File.ReadAllLines(_temp.Combine("lists", "dataset_train_list_rawframes.txt")).Length);
    }

    [Fact]
    public async Task Lists_FolderInNoManifestOrListedFolderMissing_IsRefusedNamingThem_AndOtherFoldersAreLeftAlone()
    {
        string src = Videos();
        await Extract(src, shortSide: 48, ShardSpec.Single);
        // A user's own folder without frames is not output and not a problem.
        Directory.CreateDirectory(Path.Combine(Output, "notes", "drafts"));
        File.WriteAllText(Path.Combine(Output, "notes", "drafts", "todo.txt"), "x");
        string manifest = Path.Combine(Output, ".toolkit", "manifest-00000-of-00001.jsonl");
        var lines = File.ReadAllLines(manifest);
        File.WriteAllLines(manifest, lines.Where(l => !l.Contains("\"output\":\"run/c1\"", StringComparison.Ordinal)));
        Directory.Delete(Path.Combine(Output, "walk", "c0"), recursive: true);

        var refused = await ToolkitCli.RunAsync("lists", Output, "--out", _temp.Combine("lists"));

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("1 folder(s) of frames are in no manifest (run/c1)", refused.Stderr);
        Assert.Contains("1 listed folder(s) are missing (walk/c0)", refused.Stderr);
        Assert.DoesNotContain("notes", refused.Stderr);

        var redo = await ToolkitCli.RunAsync("extract", src, Output, "--short-side", "48");
        Assert.True(redo.ExitCode == 0, redo.ToString());
        Assert.Contains("2 converted, 4 skipped", redo.Stdout);
        var listed = await ToolkitCli.RunAsync("lists", Output, "--out", Path.Combine(Output, "lists"));
        Assert.True(listed.ExitCode == 0, listed.ToString());
    }

    private string Videos()
    {
        foreach (string cls in new[] { "walk", "run", "jump" })
        {
            for (int i = 0; i < 2; i++)
                TestVideos.TestPattern(_temp.Combine("src", cls, $"c{i}.mp4"), 96, 72, frames: 4 + i);
        }
        return _temp.Combine("src");
    }

    private async Task Extract(string src, int shortSide, ShardSpec shard, bool force = false)
    {
        var result = await ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = src,
            Output = Output,
            Settings = new ExtractSettings { ShortSide = shortSide }.Validate(),
            Shard = shard,
            Force = force,
            Workers = 2,
        });
        Assert.All(result.Results, r => Assert.NotEqual(VideoStatus.Failed, r.Status));
    }

    private void Commit(OutputStore store, string output)
    {
        string temp = store.BeginVideo(output);
        File.WriteAllBytes(Path.Combine(temp, "img_00001.jpg"), Encoding.ASCII.GetBytes("x"));
        store.Commit(temp, new ManifestEntry
        {
            Output = output,
            Source = output + ".mp4",
            SourcePath = _temp.Combine(output + ".mp4"),
            Settings = store.SettingsHash,
            Frames = 1,
            Completed = DateTimeOffset.UtcNow,
        });
    }
}
