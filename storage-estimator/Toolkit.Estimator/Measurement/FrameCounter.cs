using System.Diagnostics;
using System.Globalization;
using FFMpegCore;
using OpenCvSharp;
using Toolkit.Core;
using Toolkit.Ingest;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Flow;
using Toolkit.Ingest.Imaging;

namespace Toolkit.Estimator.Measurement;

/// <summary>How counting one video's frames ended.</summary>
/// <param name="Frames">Frames the extract decoder would deliver.</param>
/// <param name="Error">Why the video cannot be extracted, or null.</param>
/// <param name="Content">What the probed frames encode to, when a <see cref="ContentProbe"/> was asked for and the video decoded.</param>
public sealed record FrameCount(int Frames, string? Error, ContentSample? Content = null);

/// <summary>
/// Counts the frames <c>toolkit extract</c> writes for a video, by decoding it the way the extract decoder does
/// (same filter order, <c>-fps_mode passthrough</c> unless resampling, raw video to a pipe) but scaled (nearest neighbour) to 16×16 gray,
/// so nothing but the count is computed. Like the extractor, a decoder that exits with an error fails the video.
/// </summary>
/// <remarks>
/// With a <see cref="ContentProbe"/>, the same single decode also feeds a second branch of the filter graph that keeps a
/// few pairs of consecutive frames spread over the video and scales them with extract's own filter chain
/// (<see cref="FrameDecoder.Filters"/>) to full-range YCbCr 4:2:0; they are spooled to a small temporary file and then
/// encoded with extract's <see cref="JpegEncoder"/> and <see cref="FlowImages"/>. The decode dominates either way, so the
/// probe adds little to the count.
/// </remarks>
public static class FrameCounter
{
    private const int Side = 16;

    // Nearest-neighbour: the count needs no pixel values, and the default bicubic downscale of a 720p frame to 16×16
    // cost about a third of the decode's CPU.
    private static readonly string CountScale = $"scale={Side}:{Side}:flags=neighbor";

    /// <summary>Counts <paramref name="path"/>'s frames, resampled to <paramref name="fps"/> when given. Never throws for a bad file.</summary>
    public static Task<FrameCount> CountAsync(string path, double? fps, CancellationToken cancellationToken) =>
        CountAsync(path, fps, null, null, 0, cancellationToken);

    /// <summary>
    /// Counts <paramref name="path"/>'s frames and, with <paramref name="probe"/>, encodes a few of them at
    /// <paramref name="target"/> as extract would. <paramref name="expectedFrames"/> (from the probe; 0 when unknown)
    /// spreads the probed pairs over the video. Never throws for a bad file.
    /// </summary>
    public static async Task<FrameCount> CountAsync(string path, double? fps, ContentProbe? probe, FrameSize? target, double expectedFrames,
        CancellationToken cancellationToken, VideoDecoderKind decoder = VideoDecoderKind.Libav)
    {
        if (probe is not null)
            ArgumentNullException.ThrowIfNull(target);
        if (decoder == VideoDecoderKind.Libav && fps is null && LibavVideo.Unavailable is null
            && await Task.Run(() => CountInProcess(path, probe, target, expectedFrames, cancellationToken), cancellationToken).ConfigureAwait(false) is { } counted)
        {
            return counted;
        }
        string fpsFilter = fps is { } f ? $"fps={f.ToString("R", CultureInfo.InvariantCulture)}" : "";
        string? spool = probe is null ? null : Path.Combine(probe.TempFolder, $"probe-{Guid.NewGuid():N}.yuv");
        var layout = target is null ? null : new FrameLayout(target, PixelLayout.Yuv420);
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["-nostdin", "-nostats", "-loglevel", "error", "-i", path])
            start.ArgumentList.Add(arg);
        if (probe is null)
        {
            string scale = CountScale;
            foreach (string arg in (string[])["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", fps is null ? scale : $"{fpsFilter},{scale}"])
                start.ArgumentList.Add(arg);
        }
        else
        {
            string select = probe.Selection(expectedFrames).Filter;
            string graph = $"[0:v:0]{(fps is null ? "" : fpsFilter + ",")}split=2[count_in][probe_in];"
                         + $"[count_in]{CountScale}[count];[probe_in]{select},{FrameDecoder.Filters(target!, null)}[probe]";
            foreach (string arg in (string[])["-filter_complex", graph, "-map", "[count]"])
                start.ArgumentList.Add(arg);
        }
        if (fps is null)
        {
            start.ArgumentList.Add("-fps_mode");
            start.ArgumentList.Add("passthrough");
        }
        foreach (string arg in (string[])["-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"])
            start.ArgumentList.Add(arg);
        if (spool is not null)
        {
            // Raw frames carry no timestamps, so passthrough keeps exactly the selected frames, once each.
            foreach (string arg in (string[])["-map", "[probe]", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", layout!.FfmpegPixelFormat, "-y", spool])
                start.ArgumentList.Add(arg);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new ToolkitError("ffmpeg", $"could not be started ({e.Message})", "Install ffmpeg (apt-get install ffmpeg) and make sure it is on PATH", e);
            }
            using var stop = cancellationToken.Register(() =>
            {
                try
                {
                    process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // exited already
                }
            });
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            long bytes = 0;
            byte[] buffer = new byte[1 << 16];
            var output = process.StandardOutput.BaseStream;
            int read;
            while ((read = await output.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
                bytes += read;
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            int frames = (int)(bytes / (Side * Side));
            string stderr = (await errors.ConfigureAwait(false)).Trim();
            string detail = stderr.Length == 0 ? $"ffmpeg exited with code {process.ExitCode}" : stderr.Split('\n')[0].Trim();
            if (frames == 0)
                return new FrameCount(0, $"no frame could be decoded ({(process.ExitCode == 0 ? "the video stream is empty" : detail)})");
            if (process.ExitCode != 0)
                return new FrameCount(frames, $"decoding failed after {frames} frame(s): {detail}");
            var content = spool is null ? null : Encode(spool, layout!, probe!.Settings, cancellationToken);
            return new FrameCount(frames, null, content);
        }
        finally
        {
            if (spool is not null)
                TryDelete(spool);
        }
    }

    /// <summary>
    /// Counts in process (libav): every frame decoded, only the probe's frames scaled (the rest are dropped unscaled), the
    /// probe's frames kept in memory and encoded as extract would. Null when the library cannot apply the video's display
    /// transform (the command line then does it).
    /// </summary>
    private static FrameCount? CountInProcess(string path, ContentProbe? probe, FrameSize? target, double expectedFrames, CancellationToken cancellationToken)
    {
        var (video, failure) = LibavVideo.Open(path, threads: 1);
        if (video is null)
            return new FrameCount(0, $"no frame could be decoded ({failure})");
        using (video)
        {
            var layout = probe is null ? null : new FrameLayout(target!, PixelLayout.Yuv420);
            if (layout is not null && !video.TrySetOutput(layout, out _))
                return null;
            var selection = probe?.Selection(expectedFrames);
            var taken = new List<byte[]>();
            int frames = 0;
            string? error = null;
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    bool got;
                    if (selection is not null && selection.Takes(frames))
                    {
                        byte[] frame = new byte[layout!.FrameBytes];
                        got = video.Read(frame, frame.Length);
                        if (got)
                            taken.Add(frame);
                    }
                    else
                    {
                        got = video.Skip();
                    }
                    if (!got)
                        break;
                    frames++;
                }
            }
            catch (LibavException e)
            {
                error = e.Message;
            }
            if (frames == 0)
                return new FrameCount(0, $"no frame could be decoded ({error ?? "the video stream is empty"})");
            if (error is not null)
                return new FrameCount(frames, $"decoding failed after {frames} frame(s): {error}");
            var content = probe is null ? null : Encode(taken, layout!, probe.Settings, cancellationToken);
            return new FrameCount(frames, null, content);
        }
    }

    /// <summary>Encodes the spooled probe frames as extract would: each one as an RGB JPEG, each pair (2j, 2j+1) as flow.</summary>
    private static ContentSample Encode(string spool, FrameLayout layout, ExtractSettings settings, CancellationToken cancellationToken)
    {
        int frameBytes = layout.FrameBytes;
        using var input = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Encode(Frames(), layout, settings, cancellationToken);

        IEnumerable<byte[]> Frames()
        {
            while (true)
            {
                byte[] frame = new byte[frameBytes];
                if (input.ReadAtLeast(frame, frameBytes, throwOnEndOfStream: false) != frameBytes)
                    yield break;
                yield return frame;
            }
        }
    }

    /// <summary>Encodes probe frames as extract would: each one as an RGB JPEG, each pair (2j, 2j+1) as flow.</summary>
    private static ContentSample Encode(IEnumerable<byte[]> frames, FrameLayout layout, ExtractSettings settings, CancellationToken cancellationToken)
    {
        var size = layout.Size;
        using var jpeg = new JpegEncoder(settings.JpegQuality);
        using IOpticalFlow? flow = settings.WritesFlow ? OpticalFlowFactory.Create(settings.Flow, settings.DisPreset) : null;
        int images = 0, pairs = 0;
        long rgbBytes = 0, flowBytes = 0;
        byte[] previous = [];
        int index = 0;
        foreach (byte[] current in frames)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (settings.WritesRgb)
            {
                rgbBytes += jpeg.EncodeYuv420(current, size).Length;
                images++;
            }
            if (flow is not null && index % 2 == 1)
            {
                // The Y plane at the start of each frame is the gray image extract computes flow on.
                var (x, y) = FlowImages.Encode(flow, jpeg, previous.AsSpan(0, layout.LumaBytes), current.AsSpan(0, layout.LumaBytes), size, settings.FlowBound);
                flowBytes += x.Length + y.Length;
                pairs++;
            }
            previous = current;
            index++;
        }
        return new ContentSample(images, rgbBytes, pairs, flowBytes, (long)size.Width * size.Height);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the spool lies in the estimator's own temporary folder, which is removed as a whole.
        }
    }
}
