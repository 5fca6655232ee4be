using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

/// <summary>Exit code 2 cases: the run cannot start or must stop, and stderr says about what and why.</summary>
[Trait("Category", "Failure")]
public sealed class CouldNotRunTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Extract_MissingSource_ExitsCouldNotRunNamingIt()
    {
        string missing = _temp.Combine("no such videos");

        var result = await ToolkitCli.RunAsync("extract", missing, _temp.Combine("out"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"toolkit: error: {missing}: no such folder or list file", result.Stderr);
    }

    [Fact]
    public async Task Extract_SourceWithNoVideo_ExitsCouldNotRun_AndCreatesNothing()
    {
        string empty = _temp.CreateFolder("empty");
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "not a video");

        var result = await ToolkitCli.RunAsync("extract", empty, _temp.Combine("out"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"toolkit: error: {empty}: holds no videos (extensions: mp4, avi", result.Stderr);
        Assert.Contains("--ext", result.Stderr);
        Assert.False(Directory.Exists(_temp.Combine("out")), "an empty source must not leave OUT/.toolkit behind");
    }

    [Fact]
    public async Task Extract_FlatFolderAtLevel2_ExitsCouldNotRun_SayingUseLevel1_AndCreatesNothing()
    {
        TestVideos.TestPattern(_temp.Combine("flat", "one.mp4"), 96, 72, frames: 4);
        TestVideos.TestPattern(_temp.Combine("flat", "two.mp4"), 96, 72, frames: 4);

        var result = await ToolkitCli.RunAsync("extract", _temp.Combine("flat"), _temp.Combine("out"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"toolkit: error: {_temp.Combine("flat")}: its 2 video(s) lie directly in it, with no class folders", result.Stderr);
        Assert.Contains("use --level 1", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n')); // one line, not one failure per video
        Assert.False(Directory.Exists(_temp.Combine("out")), "nothing is created for a run that cannot start");
    }

    [Fact]
    public async Task Extract_OutputIsAFile_ExitsCouldNotRunNamingIt()
    {
        TestVideos.TestPattern(_temp.Combine("src", "c", "clip.mp4"), 96, 72, frames: 4);
        string file = _temp.Combine("out.txt");
        File.WriteAllText(file, "in the way");

        var result = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"toolkit: error: {file}: the output path is a file", result.Stderr);
        Assert.Equal("in the way", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("--shard", "3/3")]
    [InlineData("--size", "340by256")]
    [InlineData("--jpeg-quality", "0")]
    [InlineData("--flow-bound", "-1")]
    [InlineData("--workers", "0")]
    public async Task Extract_BadOptionValue_ExitsCouldNotRunNamingTheOption(string option, string value)
    {
        TestVideos.TestPattern(_temp.Combine("src", "c", "clip.mp4"), 96, 72, frames: 4);

        var result = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), _temp.Combine("out"), option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"toolkit: error: {option}: ", result.Stderr);
        Assert.False(Directory.Exists(_temp.Combine("out")), "nothing is created before the options are valid");
    }

    [Theory]
    [InlineData("toolkit: error: unknown command 'extrct'; did you mean 'extract'?", "extrct", "a", "b")]
    [InlineData("toolkit: error: extract: unknown option '--workrs'; did you mean --workers?", "extract", "a", "b", "--workrs", "2")]
    [InlineData("toolkit: error: extract: unknown option '--frobnicate' (toolkit extract --help lists its options)", "extract", "a", "b", "--frobnicate")]
    [InlineData("toolkit: error: --workers: 'abc' is not an integer", "extract", "a", "b", "--workers", "abc")]
    [InlineData("toolkit: error: --fps: 'fast' is not a number", "extract", "a", "b", "--fps", "fast")]
    [InlineData("toolkit: error: bench: unknown command 'lodr'; did you mean 'loader'?", "bench", "lodr")]
    [InlineData("toolkit: error: a command is needed: extract, lists, estimate,")]
    [InlineData("toolkit: error: estimate: unexpected argument 'plan.json': --json prints the JSON on standard output; write a file with --json-out plan.json", "estimate", "kinetics400", "--json", "plan.json")]
    public async Task UsageMistake_IsOneLineInTheUsersWords_WithTheClosestName(string expected, params string[] args)
    {
        var result = await ToolkitCli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized command or argument", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Lists_FolderNotWrittenByExtract_ExitsCouldNotRunNamingIt()
    {
        string folder = _temp.CreateFolder("random");

        var result = await ToolkitCli.RunAsync("lists", folder, "--out", _temp.Combine("lists"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{folder}: not an output of toolkit extract", result.Stderr);
    }

    [SetprivFact]
    public async Task Extract_OutputNotWritable_ExitsCouldNotRunWithPermissionDenied()
    {
        TestVideos.TestPattern(_temp.Combine("src", "c", "clip.mp4"), 96, 72, frames: 4);
        string output = _temp.CreateFolder("root-owned"); // root:root 0755: nobody may read it, not write it
        File.SetUnixFileMode(output, (UnixFileMode)0b111_101_101);

        var result = await ToolkitCli.RunAsync(["extract", _temp.Combine("src"), output], ToolkitCli.AsNobody, ToolkitCli.DefaultTimeout);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"toolkit: error: {output}: cannot be written: permission denied", result.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
    }

    [MountFact]
    public async Task ReadOnlyFileSystem_ExtractAndLists_ExitCouldNotRun_OneLineEach_NoStackTrace()
    {
        TestVideos.TestPattern(_temp.Combine("src", "c", "clip.mp4"), 96, 72, frames: 4);
        var made = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), _temp.Combine("frames"));
        Assert.True(made.ExitCode == 0, made.ToString());
        string ro = _temp.CreateFolder("ro");
        Assert.Null(Mounts.Tmpfs(ro, "1m", readOnly: true));
        _temp.OnDispose(() => Mounts.Unmount(ro));

        var extract = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), Path.Combine(ro, "out"));
        var lists = await ToolkitCli.RunAsync("lists", _temp.Combine("frames"), "--out", Path.Combine(ro, "lists"));

        Assert.True(extract.ExitCode == 2, extract.ToString());
        Assert.Equal($"toolkit: error: {Path.Combine(ro, "out")}: cannot be written: the file system is read-only. write to a writable folder (on a cluster, the job's scratch space), or remount it read-write", extract.Stderr.Trim());
        Assert.True(lists.ExitCode == 2, lists.ToString());
        Assert.StartsWith($"toolkit: error: {Path.Combine(ro, "lists")}: cannot be written: the file system is read-only", lists.Stderr.Trim());
        Assert.EndsWith("no list was changed", lists.Stderr.Trim());
    }

    [MountFact]
    public async Task Lists_DiskFullMidWay_LeavesThePreviousListsWhole_AndNoTemporaryFiles()
    {
        for (int i = 0; i < 40; i++)
            TestVideos.TestPattern(_temp.Combine("src", $"class{i:D2}", $"clip{i:D2}.mp4"), 64, 48, frames: 2);
        var made = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), _temp.Combine("frames"), "--workers", "2");
        Assert.True(made.ExitCode == 0, made.ToString());
        string disk = _temp.CreateFolder("disk");
        Assert.Null(Mounts.Tmpfs(disk, "8k"));
        _temp.OnDispose(() => Mounts.Unmount(disk));
        string lists = Path.Combine(disk, "lists");
        Directory.CreateDirectory(lists);
        File.WriteAllText(Path.Combine(lists, "label_map.txt"), "old\n");

        var r = await ToolkitCli.RunAsync("lists", _temp.Combine("frames"), "--out", lists);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("the disk is full", r.Stderr);
        Assert.Equal(["label_map.txt"], Directory.GetFiles(lists).Select(Path.GetFileName));
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(lists, "label_map.txt")));
    }

    [MountFact]
    public async Task Extract_DiskFills_ExitsCouldNotRunAndKeepsOnlyCompleteVideos()
    {
        // 64 frames at 640x480 are about 4 MB of JPEGs: more than the 2 MB file system holds. The small clip fits.
        TestVideos.TestPattern(_temp.Combine("src", "c", "big.mp4"), 160, 120, frames: 64);
        TestVideos.TestPattern(_temp.Combine("src", "c", "small.mp4"), 160, 120, frames: 4);
        string disk = _temp.CreateFolder("disk");
        string? problem = Mounts.Tmpfs(disk, "2m");
        Assert.True(problem is null, problem); // the probe said mounting works here
        _temp.OnDispose(() => Mounts.Unmount(disk));
        string output = Path.Combine(disk, "out");

        var result = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), output, "--short-side", "480");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the disk is full (no space left on device)", result.Stderr);
        Assert.Empty(OutputTree.PartialFolders(output));
        var manifest = OutputTree.Manifest(output);
        Assert.DoesNotContain(manifest, e => e.Output == "c/big");
        foreach (var entry in manifest)
            Assert.Equal(entry.Frames, Directory.GetFiles(Path.Combine(output, entry.Output), "img_*.jpg").Length);
    }
}
