using System.Buffers;
using System.Globalization;
using FFMpegCore;
using System.Text.RegularExpressions;
using FFMpegCore.Pipes;
using Toolkit.Ingest.Probing;

namespace Toolkit.Ingest.Decoding;

/// <summary>How decoding one video ended.</summary>
/// <param name="Frames">Frames delivered.</param>
/// <param name="Error">Why decoding failed, or null on success.</param>
/// <param name="Warnings">What the decoder reported and repaired along the way (deduplicated), for the manifest and report.</param>
public sealed record DecodeOutcome(int Frames, string? Error, IReadOnlyList<string> Warnings);

/// <summary>
/// Decodes a video with ffmpeg (through FFMpegCore) into packed BGR frames of the target size, piped straight into
/// memory: no temporary image files. Scaling and frame-rate resampling happen inside ffmpeg.
/// Without <c>--fps</c> every decoded frame is delivered exactly once (<c>-fps_mode passthrough</c>), so broken
/// timestamps can neither drop nor duplicate frames.
/// </summary>
public static class FrameDecoder
{
    /// <summary>
    /// Decodes <paramref name="path"/>, calling <paramref name="onFrame"/> for each frame in order with a buffer rented
    /// from <see cref="ArrayPool{T}.Shared"/> of at least width*height*3 bytes. The callee owns the buffer.
    /// </summary>
    public static async Task<DecodeOutcome> DecodeAsync(
        string path, VideoInfo info, FrameSize size, double? fps, int threads,
        Func<byte[], int, ValueTask> onFrame, CancellationToken cancellationToken)
    {
        var sink = new RawFrameSink(size.Width * size.Height * 3, onFrame);
        string filters = fps is { } f
            ? $"fps={f.ToString("R", CultureInfo.InvariantCulture)},scale={size.Width}:{size.Height}:flags=bicubic"
            : $"scale={size.Width}:{size.Height}:flags=bicubic";
        string timing = fps is null ? "-fps_mode passthrough" : "";
        var stderr = new List<string>();
        FFMpegResult result;
        try
        {
            result = await FFMpegArguments
                .FromFileInput(path, verifyExists: false, o => o.WithCustomArgument($"-nostdin -nostats -loglevel level+info -threads {threads}"))
                .OutputToPipe(sink, o => o.WithCustomArgument($"-map 0:v:0 -an -sn -dn -vf {filters} {timing}"))
                .NotifyOnStandardError(line => { lock (stderr) stderr.Add(line); })
                .CancellableThrough(cancellationToken)
                .ProcessAsynchronously(throwOnError: false)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Toolkit.Core.ToolkitError("ffmpeg", $"could not be started ({e.Message})", "Install ffmpeg (apt-get install ffmpeg) and make sure it is on PATH", e);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (sink.Failure is { } sinkError)
            throw sinkError;

        var warnings = Summarize(stderr);
        if (sink.TrailingBytes > 0)
            warnings.Add($"dropped an incomplete last frame ({sink.TrailingBytes} of {size.Width * size.Height * 3} bytes)");
        if (!result.Success && !result.Cancelled)
        {
            string reason = warnings.Count > 0 ? warnings[^1] : $"ffmpeg exited with code {result.ExitCode}";
            return new DecodeOutcome(sink.Frames, $"decoding failed after {sink.Frames} frame(s): {reason}", warnings);
        }
        if (sink.Frames == 0)
            return new DecodeOutcome(0, warnings.Count > 0 ? $"no frame could be decoded ({warnings[^1]})" : "no frame could be decoded (the video stream is empty)", warnings);
        if (fps is null && info.DeclaredFrames is { } declared && declared != sink.Frames)
            warnings.Add($"the container declares {declared} frames but {sink.Frames} were decoded; the decoded count is used");
        return new DecodeOutcome(sink.Frames, null, warnings);
    }

    // "[mpeg4 @ 0x55d0] [info] message" or "[warning] message" (ffmpeg -loglevel level+info).
    private static readonly Regex Tagged = new(@"^\[(?<component>[^\]@]+?)(?: @ 0x[0-9a-f]+)?\] \[(?<level>info|warning|error|fatal)\] (?<text>.+)$", RegexOptions.Compiled);
    private static readonly Regex Untagged = new(@"^\[(?<level>warning|error|fatal)\] (?<text>.+)$", RegexOptions.Compiled);

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

    private sealed class RawFrameSink(int frameBytes, Func<byte[], int, ValueTask> onFrame) : IPipeSink
    {
        public int Frames { get; private set; }

        public int TrailingBytes { get; private set; }

        public Exception? Failure { get; private set; }

        public string GetStreamArguments() => "-f rawvideo -pix_fmt bgr24";

        public async Task ReadAsync(Stream inputStream, CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(frameBytes);
                    int read;
                    try
                    {
                        read = await inputStream.ReadAtLeastAsync(buffer.AsMemory(0, frameBytes), frameBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                    if (read < frameBytes)
                    {
                        TrailingBytes = read;
                        ArrayPool<byte>.Shared.Return(buffer);
                        return;
                    }
                    int index = Frames++;
                    await onFrame(buffer, index).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the consumer's own error (e.g. the run is shutting down) rather than ffmpeg's broken pipe.
                Failure ??= e;
                throw;
            }
        }
    }
}
