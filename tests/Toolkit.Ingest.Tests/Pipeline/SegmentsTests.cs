using Toolkit.Core;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Lists;
using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Probing;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

/// <summary><c>extract --segments</c>: one output per time range, only that range decoded, accurately (issue 14).</summary>
public sealed class SegmentsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Trait("Category", "Unit")]
    [Fact]
    public void DiscoverSegments_NamesOutputsAsKineticsTrimming_TakesLabels_ReportsBadLines()
    {
        string src = _temp.CreateFolder("src", "raw");
        File.WriteAllBytes(Path.Combine(src, "abc123.mp4"), []); // discovery looks at names only
        File.WriteAllBytes(Path.Combine(src, "with space.mp4"), []);
        src = Path.GetDirectoryName(src)!;
        string list = _temp.Combine("segments.txt");
        File.WriteAllLines(list,
        [
            "# youtube_id start end label",
            "raw/abc123.mp4 17 27 abseiling",
            "raw/abc123.mp4 12.5 30.25 air drumming",
            "\"raw/with space.mp4\" 0 10",
            "raw/abc123.mp4 17 27 abseiling",
            "raw/abc123.mp4 5 5 x",
            "raw/abc123.mp4 five 10",
            "raw/missing.mp4 0 1",
        ]);

        var found = SourceDiscovery.DiscoverSegments(list, src, level: 2);

        Assert.Equal(
            [("abseiling/abc123_000017_000027", 17.0, 27.0), ("air_drumming/abc123_000012.5_000030.25", 12.5, 30.25), ("raw/with_space_000000_000010", 0.0, 10.0)],
            found.Videos.Select(v => (v.OutputName, v.Segment!.Start, v.Segment.End)));
        Assert.Equal("air drumming", found.Videos[1].ClassName); // the rest of the line is the label, spaces and all
        Assert.Equal(4, found.Problems.Count);
        Assert.Contains(found.Problems, p => p.Reason.Contains("line 6: the segment 5..5 s is empty or negative", StringComparison.Ordinal));
        Assert.Contains(found.Problems, p => p.Reason.Contains("line 7 is not 'path start end [label]'", StringComparison.Ordinal));
        Assert.Contains(found.Problems, p => p.Path == "raw/missing.mp4" && p.Reason.Contains("line 8 but not found", StringComparison.Ordinal));
        Assert.Contains(found.Problems, p => p.Reason.Contains("line 5: its output folder 'abseiling/abc123_000017_000027' is already taken by", StringComparison.Ordinal));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Extract_Segments_DecodeOnlyTheirRange_FirstFrameIsTheWholeVideosFrameAtTheStart_BothDecodersAgree()
    {
        string src = _temp.CreateFolder("src");
        TestVideos.TestPattern(Path.Combine(src, "jump", "clip.mp4"), 160, 120, frames: 250); // 10 s at 25 fps
        string segments = _temp.Combine("segments.txt");
        File.WriteAllLines(segments, ["jump/clip.mp4 2 5", "jump/clip.mp4 4.5 6", "jump/clip.mp4 9 20"]);

        foreach (var decoder in new[] { VideoDecoderKind.Libav, VideoDecoderKind.Ffmpeg })
        {
            var summary = await ExtractPipeline.RunAsync(new ExtractOptions
            {
                Source = src, Output = _temp.Combine($"seg-{decoder}"), Segments = segments, Decoder = decoder, Workers = 2,
                Settings = new ExtractSettings { ShortSide = 0 },
            });
            Assert.All(summary.Results, r => Assert.Equal(VideoStatus.Done, r.Status));
        }
        var whole = await ExtractPipeline.RunAsync(new ExtractOptions { Source = src, Output = _temp.Combine("whole"), Workers = 2, Settings = new ExtractSettings { ShortSide = 0 } });
        Assert.Equal(250, Assert.Single(whole.Results).Frames);

        string libav = _temp.Combine("seg-Libav");
        Assert.Empty(OutputTree.Differences(OutputTree.Hashes(_temp.Combine("seg-Ffmpeg")), OutputTree.Hashes(libav)));
        var entries = OutputTree.Manifest(libav).ToDictionary(e => e.Output);
        // [2, 5) s at 25 fps: frames 50..124; [4.5, 6): 113..149; [9, 20): 225..249 (the file ends at 10 s).
        Assert.Equal((75, 2.0, 5.0), (entries["jump/clip_000002_000005"].Frames, entries["jump/clip_000002_000005"].SegmentStart!.Value, entries["jump/clip_000002_000005"].SegmentEnd!.Value));
        Assert.Equal(37, entries["jump/clip_000004.5_000006"].Frames);
        Assert.Equal(25, entries["jump/clip_000009_000020"].Frames);
        foreach (var (output, first) in new[] { ("jump/clip_000002_000005", 51), ("jump/clip_000004.5_000006", 114), ("jump/clip_000009_000020", 226) })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_temp.Combine("whole"), "jump", "clip", $"img_{first:D5}.jpg")), File.ReadAllBytes(Path.Combine(libav, output, "img_00001.jpg")));
        }
        Assert.All(entries.Values, e => Assert.DoesNotContain(e.Notes, n => n.Contains("the container declares", StringComparison.Ordinal)));

        var lists = ListBuilder.Build(new ListOptions { Extracted = libav, Output = _temp.Combine("lists"), ValFraction = 0 });
        Assert.Equal(3, lists.CountsBySplit["train"]);
        Assert.DoesNotContain(lists.Files, f => f.EndsWith("_videos.txt", StringComparison.Ordinal)); // a video list cannot hold a time range
        Assert.Empty(lists.UnlistableVideos);
    }

    /// <summary>
    /// An AVI of MPEG-4 with packed B-frames carries no presentation timestamps: the command line guesses them its own way,
    /// so a segment boundary may fall one frame apart between the two decoders. Bounded here: at most one frame more or
    /// fewer, and every in-process frame is a frame of the whole video, in order.
    /// </summary>
    [Trait("Category", "Integration")]
    [Fact]
    public async Task Segment_OfAviWithoutPresentationTimestamps_DecodersDifferByAtMostOneFrameAtTheBoundary()
    {
        string video = TestVideos.Require(TestVideos.Megamind);
        var info = (await VideoProbe.ProbeAsync(video, CancellationToken.None)).Info!;
        var layout = new FrameLayout(new FrameSize(64, 48), PixelLayout.Gray);
        var whole = await Hashes(video, info, layout, VideoDecoderKind.Libav, null);
        var libav = await Hashes(video, info, layout, VideoDecoderKind.Libav, new TimeSegment(0, 1));
        var ffmpeg = await Hashes(video, info, layout, VideoDecoderKind.Ffmpeg, new TimeSegment(0, 1));

        Assert.InRange(libav.Count - ffmpeg.Count, -1, 1);
        int first = whole.IndexOf(libav[0]);
        Assert.Equal(whole.Skip(first).Take(libav.Count), libav);
        Assert.InRange(libav.Count, 22, 25); // about a second at 24-30 fps
    }

    private static async Task<List<string>> Hashes(string path, VideoInfo info, FrameLayout layout, VideoDecoderKind decoder, TimeSegment? segment)
    {
        var hashes = new List<string>();
        var outcome = await FrameDecoder.DecodeAsync(path, info, layout, null, 1, (buffer, _) =>
        {
            hashes.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(buffer.AsSpan(0, layout.FrameBytes))));
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None, decoder, segment);
        Assert.Null(outcome.Error);
        return hashes;
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Cli_SegmentsOption_WritesOneFolderPerSegment_AndABadLineIsOneFailure()
    {
        string src = _temp.CreateFolder("src");
        TestVideos.TestPattern(Path.Combine(src, "raw", "yt_abc.mp4"), 96, 72, frames: 100); // 4 s
        string segments = _temp.Combine("segments.txt");
        File.WriteAllLines(segments, ["raw/yt_abc.mp4 1 2 air drumming", "raw/yt_abc.mp4 2 3.5 air drumming", "raw/yt_abc.mp4 3 1 air drumming"]);

        var r = await ToolkitCli.RunAsync("extract", src, _temp.Combine("out"), "--segments", segments);

        Assert.True(r.ExitCode == 1, r.ToString()); // one bad line: completed with a failure
        Assert.Contains("2 converted", r.Stdout);
        Assert.Contains("line 3: the segment 3..1 s is empty or negative", r.Stdout + r.Stderr);
        Assert.Equal(["air_drumming/yt_abc_000001_000002", "air_drumming/yt_abc_000002_000003.5"], OutputTree.VideoFolders(_temp.Combine("out")));
        Assert.Equal([25, 38], OutputTree.Manifest(_temp.Combine("out")).OrderBy(e => e.Output, StringComparer.Ordinal).Select(e => e.Frames));
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task Extract_SegmentsWithoutASourceFolder_OrAMissingFile_IsRefusedByName()
    {
        var missing = await Assert.ThrowsAsync<ToolkitError>(() => ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = _temp.CreateFolder("src"), Output = _temp.Combine("out"), Segments = _temp.Combine("nope.txt"),
        }));
        Assert.Contains("no such segments file", missing.Message, StringComparison.Ordinal);

        string segments = _temp.Combine("segments.txt");
        File.WriteAllText(segments, "a.mp4 0 1\n");
        var notFolder = await Assert.ThrowsAsync<ToolkitError>(() => ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = segments, Output = _temp.Combine("out"), Segments = segments,
        }));
        Assert.Contains("with --segments, SRC must be the folder the segment paths are relative to", notFolder.Message, StringComparison.Ordinal);
    }
}
