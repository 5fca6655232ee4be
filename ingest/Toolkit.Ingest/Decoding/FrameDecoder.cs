using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using FFMpegCore;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Probing;

namespace Toolkit.Ingest.Decoding;

/// <summary>How decoding one video ended.</summary>
/// <param name="Frames">Frames delivered.</param>
/// <param name="Error">Why decoding failed, or null on success.</param>
/// <param name="Warnings">What the decoder reported and repaired along the way (deduplicated), for the manifest and report.</param>
public sealed record DecodeOutcome(int Frames, string? Error, IReadOnlyList<string> Warnings);

/// <summary>
/// Decodes a video into raw frames of the target size and <see cref="PixelLayout"/>: in process through libav
/// (<see cref="VideoDecoderKind.Libav"/>, the default), or with an ffmpeg process whose standard output is read straight
/// into memory (no temporary image files); both give the same bytes. Scaling, frame-rate resampling and the conversion to full-range
/// YCbCr 4:2:0 (what a JPEG stores) or gray happen inside ffmpeg, in one swscale pass on the planar source; asking it
/// for packed BGR instead took it off its SIMD paths and cost about as much CPU as decoding itself.
/// Without <c>--fps</c> every decoded frame is delivered exactly once (<c>-fps_mode passthrough</c>), so broken
/// timestamps can neither drop nor duplicate frames.
/// </summary>
public static partial class FrameDecoder
{
    /// <summary>
    /// Decodes <paramref name="path"/>, calling <paramref name="onFrame"/> for each frame in order with a buffer rented
    /// from <see cref="ArrayPool{T}.Shared"/> of at least <see cref="FrameLayout.FrameBytes"/> bytes. The callee owns the buffer.
    /// </summary>
    /// <remarks>
    /// ffmpeg writes to its standard output and the frames are read until end of stream, so a slow consumer only makes
    /// ffmpeg wait: every frame it produced is delivered, even those still buffered in the pipe when it exits.
    /// (FFMpegCore's named-pipe sink cancels the read and disposes the pipe as soon as the process exits, which silently
    /// dropped the last frames whenever the consumer lagged behind.) Arguments are passed as a list, never as one
    /// quoted string, so any file name works.
    /// </remarks>
    public static async Task<DecodeOutcome> DecodeAsync(
        string path, VideoInfo info, FrameLayout layout, double? fps, int threads,
        Func<byte[], int, ValueTask> onFrame, CancellationToken cancellationToken, VideoDecoderKind decoder = VideoDecoderKind.Libav,
        TimeSegment? segment = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(onFrame);
        if (segment is not null)
            info = info with { DeclaredFrames = null }; // the container's count is the whole file's
        // In process unless frames are resampled (ffmpeg's fps filter) or the library is missing.
        if (decoder == VideoDecoderKind.Libav && fps is null && LibavVideo.Unavailable is null)
        {
            var (video, failure) = LibavVideo.Open(path, threads);
            if (video is null)
                return new DecodeOutcome(0, $"no frame could be decoded ({failure})", []);
            using (video)
            {
                if (video.TrySetOutput(layout, out _))
                {
                    if (segment is not null)
                    {
                        try
                        {
                            video.SetRange(segment);
                        }
                        catch (LibavException e)
                        {
                            return new DecodeOutcome(0, $"no frame could be decoded ({e.Message})", []);
                        }
                    }
                    return await DecodeInProcessAsync(video, info, layout, onFrame, cancellationToken).ConfigureAwait(false);
                }
            }
            // A display transform the library does not apply (a flipped matrix): the command line applies it.
        }
        return await DecodeWithFfmpegAsync(path, info, layout, fps, threads, onFrame, cancellationToken, segment).ConfigureAwait(false);
    }

    /// <summary>
    /// Decodes with <c>libtoolkit_video.so</c> on the calling thread: every decoded frame once, in order, scaled by swscale
    /// exactly as the command line scales it (the same frames give the same bytes; a test compares them).
    /// </summary>
    private static async Task<DecodeOutcome> DecodeInProcessAsync(LibavVideo video, VideoInfo info, FrameLayout layout,
        Func<byte[], int, ValueTask> onFrame, CancellationToken cancellationToken)
    {
        int frameBytes = layout.FrameBytes;
        int frames = 0;
        string? error = null;
        var messages = new List<string>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(frameBytes);
            bool got;
            try
            {
                got = video.Read(buffer, frameBytes);
            }
            catch (LibavException e)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                error = e.Message;
                break;
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            if (!got)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                break;
            }
            await onFrame(buffer, frames++).ConfigureAwait(false);
            if ((frames & 63) == 0)
                messages.AddRange(video.TakeMessages()); // keep the native buffer small on long videos
        }
        messages.AddRange(video.TakeMessages());
        var warnings = Summarize(messages);
        return Outcome(frames, error ?? (warnings.Count > 0 ? warnings[0] : "the video stream is empty"), error, warnings, info, fps: null);
    }

    /// <summary>
    /// How a decode ended, the same way for both decoders: no frame (with <paramref name="noFrameDetail"/>, or the frame
    /// rate that kept none), a failure after some frames, or success (noting a container count that disagrees).
    /// </summary>
    private static DecodeOutcome Outcome(int frames, string noFrameDetail, string? failure, List<string> warnings, VideoInfo info, double? fps)
    {
        if (frames == 0)
            return new DecodeOutcome(0, TooLowFrameRate(info, fps) ?? $"no frame could be decoded ({noFrameDetail})", warnings);
        if (failure is not null)
            return new DecodeOutcome(frames, $"decoding failed after {frames} frame(s): {failure}", warnings);
        if (fps is null && info.DeclaredFrames is { } declared && declared != frames)
            warnings.Add($"the container declares {declared} frames but {frames} were decoded; the decoded count is used");
        return new DecodeOutcome(frames, null, warnings);
    }

    /// <summary>Decodes with an ffmpeg process (see <see cref="DecodeAsync"/>).</summary>
    private static async Task<DecodeOutcome> DecodeWithFfmpegAsync(
        string path, VideoInfo info, FrameLayout layout, double? fps, int threads,
        Func<byte[], int, ValueTask> onFrame, CancellationToken cancellationToken, TimeSegment? segment)
    {
        int frameBytes = layout.FrameBytes;
        string filters = Filters(layout.Size, fps);
        var start = new ProcessStartInfo(GlobalFFOptions.GetFFMpegBinaryPath())
        {
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -threads sets the decoder's threads; the filter graph has its own pool (one thread per core by default), which
        // only adds hand-offs when several single-threaded decoders already keep every core busy: keep them equal.
        string threadCount = threads.ToString(CultureInfo.InvariantCulture);
        foreach (string arg in (string[])["-nostdin", "-hide_banner", "-nostats", "-loglevel", "level+info", "-threads", threadCount])
            start.ArgumentList.Add(arg);
        if (segment is not null)
        {
            // An accurate input seek drops the frames before the start and shifts the rest to start at 0; trim=end then
            // ends at the segment's end exactly (-t would count its duration from the first kept frame instead).
            start.ArgumentList.Add("-ss");
            start.ArgumentList.Add(segment.Start.ToString("R", CultureInfo.InvariantCulture));
            filters = $"trim=end={segment.Duration.ToString("R", CultureInfo.InvariantCulture)},{filters}";
        }
        foreach (string arg in (string[])["-i", path, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filters])
            start.ArgumentList.Add(arg);
        if (threads > 0)
        {
            start.ArgumentList.Add("-filter_threads");
            start.ArgumentList.Add(threadCount);
        }
        if (fps is null)
        {
            start.ArgumentList.Add("-fps_mode");
            start.ArgumentList.Add("passthrough");
        }
        foreach (string arg in (string[])["-f", "rawvideo", "-pix_fmt", layout.FfmpegPixelFormat, "pipe:1"])
            start.ArgumentList.Add(arg);

        var stderr = new List<string>();
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
                lock (stderr) stderr.Add(line);
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Toolkit.Core.ToolkitError("ffmpeg", $"could not be started ({e.Message})", "Install ffmpeg (apt-get install ffmpeg) and make sure it is on PATH", e);
        }

        int frames = 0;
        int trailing = 0;
        using var stop = cancellationToken.Register(() => Kill(process));
        try
        {
            process.BeginErrorReadLine();
            var output = process.StandardOutput.BaseStream;
            WidenPipe(output, frameBytes);
            while (true)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(frameBytes);
                int read;
                try
                {
                    read = await output.ReadAtLeastAsync(buffer.AsMemory(0, frameBytes), frameBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }
                if (read < frameBytes)
                {
                    trailing = read;
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                await onFrame(buffer, frames++).ConfigureAwait(false);
            }
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Stopped early (cancelled, or the consumer failed): don't leave ffmpeg running.
            if (Kill(process))
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var warnings = Summarize(stderr);
        if (trailing > 0)
            warnings.Add($"dropped an incomplete last frame ({trailing} of {frameBytes} bytes)");
        // With no frame the first message names the cause (e.g. the demuxer finding no codec parameters); after some
        // frames the last one does (the first is usually a repair note, the epilogue comes last).
        string exited = $"ffmpeg exited with code {process.ExitCode}";
        string noFrame = warnings.Count > 0 ? warnings[0] : process.ExitCode != 0 ? exited : "the video stream is empty";
        string? failure = process.ExitCode == 0 ? null : warnings.Count > 0 ? warnings[^1] : exited;
        return Outcome(frames, noFrame, failure, warnings, info, fps);
    }

    /// <summary>
    /// Why resampling to <paramref name="fps"/> leaves a video without frames, or null: the fps filter makes
    /// round(seconds × fps) frames, so a rate below one frame per two video lengths makes none.
    /// </summary>
    public static string? TooLowFrameRate(VideoInfo info, double? fps)
    {
        ArgumentNullException.ThrowIfNull(info);
        double seconds = info.Duration.TotalSeconds;
        if (fps is not { } f || !(seconds > 0) || seconds * f >= 0.5)
            return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"--fps {f:G4} keeps no frame of this {seconds:0.##} s video (resampling makes round(seconds × fps) frames); use --fps {0.5 / seconds:G3} or more, or leave --fps out");
    }

    /// <summary>
    /// The ffmpeg filter chain the decoder applies: frame-rate resampling first (when <paramref name="fps"/> is given),
    /// then one bicubic scale to <paramref name="size"/> in full range. Public so that whatever measures extract's
    /// output (the storage estimator's content probe) decodes exactly as extract does.
    /// </summary>
    public static string Filters(FrameSize size, double? fps)
    {
        ArgumentNullException.ThrowIfNull(size);
        string scale = $"scale={size.Width}:{size.Height}:flags=bicubic:out_range=full";
        return fps is { } f ? $"fps={f.ToString("R", CultureInfo.InvariantCulture)},{scale}" : scale;
    }

    /// <summary>
    /// Grows the pipe from ffmpeg (64 KiB by default on Linux) to hold a few frames, up to the unprivileged limit of
    /// 1 MiB, so a frame crosses in one write and one read instead of a handful of wake-ups on each side. Best effort:
    /// where the kernel refuses, the default pipe works as before.
    /// </summary>
    private static void WidenPipe(Stream output, int frameBytes)
    {
        if (!OperatingSystem.IsLinux() || output is not System.IO.Pipes.PipeStream pipe)
            return;
        const int SetPipeSize = 1031; // F_SETPIPE_SZ
        int wanted = (int)Math.Min(1 << 20, Math.Max(1L << 16, 4L * frameBytes));
        bool added = false;
        try
        {
            pipe.SafePipeHandle.DangerousAddRef(ref added);
            _ = Fcntl((int)pipe.SafePipeHandle.DangerousGetHandle(), SetPipeSize, wanted);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or ObjectDisposedException)
        {
            // keep the default size
        }
        finally
        {
            if (added)
                pipe.SafePipeHandle.DangerousRelease();
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc.so.6", EntryPoint = "fcntl")]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>Kills ffmpeg if it still runs; true when it was started and has now exited or been killed.</summary>
    private static bool Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // never started, or already disposed
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true; // exiting already
        }
    }

    // "[mpeg4 @ 0x55d0] [info] message" or "[warning] message" (ffmpeg -loglevel level+info).
    // Source-generated: RegexOptions.Compiled emitted and JIT-compiled both matchers at run time, in every run.
    [GeneratedRegex(@"^\[(?<component>[^\]@]+?)(?: @ 0x[0-9a-f]+)?\] \[(?<level>info|warning|error|fatal)\] (?<text>.+)$")]
    private static partial Regex Tagged { get; }

    [GeneratedRegex(@"^\[(?<level>warning|error|fatal)\] (?<text>.+)$")]
    private static partial Regex Untagged { get; }

    // Messages about our own output side (raw pipe, scaler, filter graph) say nothing about the input.
    private static readonly string[] OutputSide = ["rawvideo", "swscaler", "graph", "Parsed_", "AVFilterGraph", "out_", "in_"];

    /// <summary>
    /// Keeps what the demuxer and decoder said about the input (any level from info up, which is where ffmpeg reports
    /// repairs such as packed B-frames), collapsed into distinct lines with counts.
    /// </summary>
    private static List<string> Summarize(List<string> lines)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        lock (lines)
        {
            foreach (string raw in lines)
            {
                string line = raw.Trim();
                string? message = null;
                if (Tagged.Match(line) is { Success: true } tagged)
                {
                    string component = tagged.Groups["component"].Value.Trim();
                    if (!OutputSide.Any(prefix => component.StartsWith(prefix, StringComparison.Ordinal)))
                        message = $"{component}: {tagged.Groups["text"].Value.Trim()}";
                }
                else if (Untagged.Match(line) is { Success: true } untagged)
                {
                    message = untagged.Groups["text"].Value.Trim();
                }
                if (message is null)
                    continue;
                if (counts.TryGetValue(message, out int n))
                    counts[message] = n + 1;
                else
                {
                    counts[message] = 1;
                    order.Add(message);
                }
            }
        }
        const int keep = 8;
        var result = order.Take(keep).Select(l => counts[l] > 1 ? $"{l} (x{counts[l]})" : l).ToList();
        if (order.Count > keep)
            result.Add($"... and {order.Count - keep} more distinct decoder messages");
        return result;
    }
}
