using OpenCvSharp;
using Toolkit.Core;

namespace Toolkit.Augment.IO;

/// <summary>
/// Reads clips: from a rawframe folder written by <c>toolkit extract</c> or mmaction2 tools (<c>img_NNNNN.jpg</c>, or
/// <c>flow_x_NNNNN.jpg</c> / <c>flow_y_NNNNN.jpg</c> pairs, any start index) or from a video file (decoded with
/// OpenCV's FFmpeg backend). Frames are taken evenly spaced over the whole clip.
/// </summary>
public static class ClipReader
{
    /// <summary>
    /// Reads up to <paramref name="frames"/> frames, evenly spaced, from <paramref name="path"/> (a rawframe folder or a
    /// video). <paramref name="kind"/> picks RGB (<c>img_</c>) or flow (<c>flow_x_</c>/<c>flow_y_</c>) in a folder; videos are RGB.
    /// </summary>
    /// <exception cref="ToolkitError">The input is missing, has no frames of that kind, or cannot be decoded.</exception>
    public static Clip Read(string path, int frames, ClipKind kind = ClipKind.Rgb)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        if (Directory.Exists(path))
            return kind == ClipKind.Rgb ? ReadRgbFolder(path, frames) : ReadFlowFolder(path, frames);
        if (!File.Exists(path))
            throw new ToolkitError(path, "no such video or rawframe folder");
        if (kind == ClipKind.Flow)
            throw new ToolkitError(path, "flow clips are read from a rawframe folder (flow_x_/flow_y_ images), not a video");
        return ReadVideo(path, frames);
    }

    /// <summary>Indices of <paramref name="take"/> frames spread evenly over <paramref name="count"/> (each segment's middle).</summary>
    public static int[] Spread(int count, int take)
    {
        take = Math.Min(take, count);
        return Enumerable.Range(0, take).Select(i => (int)((i + 0.5) * count / take)).ToArray();
    }

    private static Clip ReadRgbFolder(string folder, int frames)
    {
        var files = Numbered(folder, RawframeKind.Rgb);
        if (files.Count == 0)
            throw new ToolkitError(folder, "no img_NNNNN.jpg frames in this folder", "give a rawframe folder of toolkit extract (OUT/<class>/<video>) or a video file");
        return Load(Spread(files.Count, frames).Select(i => files[i]).ToArray(), f => Decode(f, ImreadModes.Color), ClipKind.Rgb);
    }

    private static Clip ReadFlowFolder(string folder, int frames)
    {
        var xs = Numbered(folder, RawframeKind.FlowX);
        var ys = Numbered(folder, RawframeKind.FlowY);
        if (xs.Count == 0 || xs.Count != ys.Count)
            throw new ToolkitError(folder, $"needs matching flow_x_/flow_y_ images ({xs.Count} x, {ys.Count} y)");
        var picked = Spread(xs.Count, frames);
        var frameList = new List<Mat>();
        try
        {
            foreach (int i in picked)
            {
                using var x = Decode(xs[i], ImreadModes.Grayscale);
                using var y = Decode(ys[i], ImreadModes.Grayscale);
                if (x.Size() != y.Size())
                    throw new ToolkitError(xs[i], "flow_x and flow_y differ in size");
                var merged = new Mat();
                Cv2.Merge([x, y], merged);
                frameList.Add(merged);
            }
            return new Clip(frameList, ClipKind.Flow);
        }
        catch
        {
            foreach (var m in frameList)
                m.Dispose();
            throw;
        }
    }

    private static Clip ReadVideo(string path, int frames)
    {
        // Two passes: count the frames that really decode (container counts lie: tree.avi declares 444, holds 68),
        // then keep only the chosen ones, so memory holds `frames` images, never the whole video.
        int count = 0;
        using (var counter = Open(path))
            while (counter.Grab())
                count++;
        if (count == 0)
            throw new ToolkitError(path, "no frame could be decoded");
        var keep = Spread(count, frames).ToHashSet();
        var picked = new List<Mat>(keep.Count);
        try
        {
            using var capture = Open(path);
            for (int i = 0; i < count && picked.Count < keep.Count; i++)
            {
                if (!capture.Grab())
                    break;
                if (!keep.Contains(i))
                    continue;
                var frame = new Mat();
                if (!capture.Retrieve(frame) || frame.Empty())
                {
                    frame.Dispose();
                    throw new ToolkitError(path, $"frame {i} could not be decoded");
                }
                picked.Add(frame);
            }
            if (picked.Count == 0)
                throw new ToolkitError(path, "no frame could be decoded");
            return new Clip(picked, ClipKind.Rgb);
        }
        catch
        {
            foreach (var m in picked)
                m.Dispose();
            throw;
        }
    }

    private static VideoCapture Open(string path)
    {
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new ToolkitError(path, "cannot be decoded (not a video, or a codec OpenCV's FFmpeg backend lacks)");
        }
        return capture;
    }

    private static Clip Load(IReadOnlyList<string> files, Func<string, Mat> decode, ClipKind kind)
    {
        var list = new List<Mat>(files.Count);
        try
        {
            foreach (string f in files)
                list.Add(decode(f));
            var size = list[0].Size();
            foreach (var (m, f) in list.Zip(files))
                if (m.Size() != size)
                    throw new ToolkitError(f, $"is {m.Width}x{m.Height}, the first frame {size.Width}x{size.Height}");
            return new Clip(list, kind);
        }
        catch
        {
            foreach (var m in list)
                m.Dispose();
            throw;
        }
    }

    private static Mat Decode(string file, ImreadModes mode)
    {
        var m = Cv2.ImRead(file, mode);
        if (m.Empty())
        {
            m.Dispose();
            throw new ToolkitError(file, "cannot be decoded as an image");
        }
        return m;
    }

    private static List<string> Numbered(string folder, RawframeKind kind) =>
        Directory.EnumerateFiles(folder)
            .Select(f => (File: f, Name: RawframeLayout.Parse(Path.GetFileName(f))))
            .Where(x => x.Name.Kind == kind)
            .OrderBy(x => x.Name.Number)
            .Select(x => x.File)
            .ToList();
}
