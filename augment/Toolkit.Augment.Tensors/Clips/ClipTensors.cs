using System.Runtime.InteropServices;
using OpenCvSharp;
using Toolkit.Augment.Color;
using Toolkit.Augment.Geometry;
using Toolkit.Core;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tensors.Clips;

/// <summary>
/// The tensor path of the clip transforms, for clips already on a device: C × T × H × W float tensors (channels in the
/// frames' order: BGR as decoded, RGB after Normalize; flow x, y), resize (bilinear / nearest), crop, flow-aware flip
/// and normalize, with the same conventions as the OpenCV path (<see cref="ClipOps"/>). Inputs are never changed; each
/// kernel returns a new tensor the caller owns.
/// </summary>
/// <remarks>
/// Agreement with the OpenCV path (tested on the named recipes): crop, flip and normalize are exact up to float
/// rounding; bilinear resizes use the same half-pixel sampling, but OpenCV computes 8-bit resizes in fixed point
/// (11-bit weights) and rounds to integers after each resize, so values differ by at most 1 per resize (0–255 scale)
/// and about 0.25 on average. The documented tolerance is <see cref="Tolerance"/> per resize in the chain.
/// </remarks>
public static class ClipTensors
{
    /// <summary>Largest difference from the OpenCV path per bilinear resize, on the 0–255 scale.</summary>
    public const double Tolerance = 1.0;

    /// <summary>The frames of a single-view clip as a C × T × H × W float32 tensor on <paramref name="device"/> (values as stored: 0–255 for 8-bit).</summary>
    public static Tensor FromClip(Clip clip, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.Views != 1)
            throw new ToolkitError("ClipTensors.FromClip", $"takes single-view clips, this one has {clip.Views} views", "convert each view's frames separately");
        int t = clip.Frames.Count, h = clip.Height, w = clip.Width, c = clip.Frames[0].Channels();
        using var scope = NewDisposeScope();
        Tensor thwc;
        if (clip.Type.Depth == MatType.CV_8U)
        {
            var bytes = new byte[(long)t * h * w * c];
            Copy(clip, (m, offset, count) => Marshal.Copy(m.Data, bytes, offset, count), h * w * c);
            thwc = tensor(bytes, [t, h, w, c], ScalarType.Byte);
        }
        else if (clip.Type.Depth == MatType.CV_32F)
        {
            var floats = new float[(long)t * h * w * c];
            Copy(clip, (m, offset, count) => Marshal.Copy(m.Data, floats, offset, count), h * w * c);
            thwc = tensor(floats, [t, h, w, c], ScalarType.Float32);
        }
        else
        {
            throw new ToolkitError("ClipTensors.FromClip", $"frames of type {clip.Type} are not supported (8-bit or 32-bit float)");
        }
        var result = thwc.permute(3, 0, 1, 2).to(ScalarType.Float32).contiguous();
        if (device is not null)
            result = result.to(device);
        return result.MoveToOuterDisposeScope();
    }

    private static void Copy(Clip clip, Action<Mat, int, int> copy, int perFrame)
    {
        for (int i = 0; i < clip.Frames.Count; i++)
        {
            var f = clip.Frames[i];
            using var continuous = f.IsContinuous() ? null : f.Clone();
            copy(continuous ?? f, i * perFrame, perFrame);
        }
    }

    /// <summary>Resizes the last two dimensions to <paramref name="height"/> × <paramref name="width"/> (half-pixel centres, no antialiasing, as OpenCV).</summary>
    public static Tensor Resize(Tensor clip, int width, int height, Interpolation interpolation = Interpolation.Bilinear)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var mode = interpolation switch
        {
            Interpolation.Bilinear => InterpolationMode.Bilinear,
            Interpolation.Nearest => InterpolationMode.Nearest,
            _ => throw new ToolkitError("ClipTensors.Resize", $"{interpolation} interpolation has no tensor-path equivalent that matches OpenCV", "use Bilinear or Nearest"),
        };
        using var scope = NewDisposeScope();
        var shape = clip.shape;
        long h0 = shape[^2], w0 = shape[^1];
        var flat = clip.reshape(-1, 1, h0, w0);
        var resized = nn.functional.interpolate(flat, [height, width], mode: mode, align_corners: mode == InterpolationMode.Nearest ? null : false);
        var outShape = shape.ToArray();
        outShape[^2] = height;
        outShape[^1] = width;
        return resized.reshape(outShape).MoveToOuterDisposeScope();
    }

    /// <summary>The pixels inside <paramref name="box"/> of every frame (a copy).</summary>
    public static Tensor Crop(Tensor clip, PixelBox box)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (box.X < 0 || box.Y < 0 || box.X + box.W > clip.shape[^1] || box.Y + box.H > clip.shape[^2])
            throw new ArgumentOutOfRangeException(nameof(box), $"box {box} is not inside a {clip.shape[^1]}x{clip.shape[^2]} frame");
        using var view = clip.narrow(-2, box.Y, box.H).narrow(-1, box.X, box.W);
        return view.clone();
    }

    /// <summary>
    /// Mirrors the last dimension. Flow (2 channels in dimension 0) also inverts x: <c>255 − v</c> when
    /// <paramref name="quantized"/> (values as stored in JPEG flow), <c>−v</c> for float flow.
    /// </summary>
    public static Tensor Flip(Tensor clip, ClipKind kind, bool quantized)
    {
        ArgumentNullException.ThrowIfNull(clip);
        using var scope = NewDisposeScope();
        var flipped = clip.flip(-1);
        if (kind == ClipKind.Flow)
        {
            var scale = tensor(new float[] { -1, 1 }, ScalarType.Float32, clip.device).view(2, 1, 1, 1).to(clip.dtype);
            var offset = tensor(new float[] { quantized ? 255 : 0, 0 }, ScalarType.Float32, clip.device).view(2, 1, 1, 1).to(clip.dtype);
            flipped = flipped * scale + offset;
        }
        return flipped.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>(x − mean) / std</c> per channel (dimension 0); with <paramref name="toRgb"/> the three colour channels are
    /// first reversed (BGR → RGB). Mean and std are in output order, as <see cref="NormalizeParams"/> records them.
    /// </summary>
    public static Tensor Normalize(Tensor clip, IReadOnlyList<double> mean, IReadOnlyList<double> std, bool toRgb)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        using var scope = NewDisposeScope();
        int c = (int)clip.shape[0];
        var x = toRgb ? clip.flip(0) : clip;
        var m = tensor(mean.Select(v => (float)v).ToArray(), ScalarType.Float32, clip.device).view(c, 1, 1, 1);
        var s = tensor(std.Select(v => (float)v).ToArray(), ScalarType.Float32, clip.device).view(c, 1, 1, 1);
        return ((x - m) / s).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Replays the parameters an OpenCV-path run recorded (<see cref="Clip.Applied"/>) on a tensor of the original clip:
    /// the tensor path gives the same clip within <see cref="Tolerance"/> per resize. Multi-view crops and colour
    /// jitter have no tensor path and are refused.
    /// </summary>
    /// <param name="clip">C × T × H × W tensor of the original clip.</param>
    /// <param name="kind">RGB or flow.</param>
    /// <param name="applied">The recorded parameters, in order.</param>
    /// <param name="interpolation">The resizes' interpolation.</param>
    /// <param name="quantizedFlow">Whether flow values are as stored in JPEG flow (0–255, zero motion 128) until a Normalize.</param>
    public static Tensor Replay(Tensor clip, ClipKind kind, IEnumerable<TransformParams> applied, Interpolation interpolation = Interpolation.Bilinear, bool quantizedFlow = true)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(applied);
        using var scope = NewDisposeScope();
        var current = clip;
        bool quantized = quantizedFlow;
        foreach (var p in applied)
        {
            current = p switch
            {
                ResizeParams r => Resize(current, r.Width, r.Height, interpolation),
                RandomRescaleParams r => Resize(current, r.Width, r.Height, interpolation),
                CropParams c => Crop(current, c.Box),
                ResizedCropParams c => Crop(current, c.Box),
                FlipParams { Flipped: true } => Flip(current, kind, quantized),
                FlipParams => current.clone(),
                NormalizeParams n => Normalize(current, n.Mean, n.Std, n.ToRgb),
                _ => throw new ToolkitError($"ClipTensors.Replay", $"{p.Transform} has no tensor path", "use the OpenCV path (ClipPipeline.Run) for it"),
            };
            if (p is NormalizeParams)
                quantized = false;
        }
        return (ReferenceEquals(current, clip) ? clip.clone() : current).MoveToOuterDisposeScope();
    }

    /// <summary>Stacks single-view clip tensors (C × T × H × W each) into a batch N × C × T × H × W.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        return stack(clips.ToArray());
    }
}
