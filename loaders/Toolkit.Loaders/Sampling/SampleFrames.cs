using Toolkit.Core;

namespace Toolkit.Loaders.Sampling;

/// <summary>What to do with a frame index past the end of the video.</summary>
public enum OutOfRange
{
    /// <summary>Wrap around: index mod total frames (mmaction2 <c>loop</c>, the default).</summary>
    Loop,

    /// <summary>Repeat the last in-range frame of the clip (mmaction2 <c>repeat_last</c>).</summary>
    RepeatLast,
}

/// <summary>
/// Frame indices chosen for one sample: <see cref="Clips"/> clips of <see cref="ClipLength"/> frames each, clip after
/// clip, already shifted by the dataset's start index (1 for mmaction2 rawframes, 0 for denseflow and videos).
/// </summary>
/// <param name="Indices">Frame numbers, clip after clip (<see cref="Clips"/> × <see cref="ClipLength"/>).</param>
/// <param name="ClipLength">Frames per clip.</param>
/// <param name="Clips">Clips in the sample.</param>
public sealed record FrameIndices(int[] Indices, int ClipLength, int Clips)
{
    /// <summary>The indices of clip <paramref name="clip"/>.</summary>
    public ReadOnlySpan<int> Clip(int clip)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clip);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(clip, Clips);
        return Indices.AsSpan(clip * ClipLength, ClipLength);
    }
}

/// <summary>Chooses the frames of a sample from a video of a known length.</summary>
public interface IFrameSampler
{
    /// <summary>Frames per clip.</summary>
    int ClipLength { get; }

    /// <summary>Clips per sample.</summary>
    int Clips { get; }

    /// <summary>
    /// The frames for a video of <paramref name="totalFrames"/> frames numbered from <paramref name="startIndex"/>.
    /// Draws only from <paramref name="rng"/> (the clip's own RNG; test mode draws nothing).
    /// </summary>
    FrameIndices Sample(int totalFrames, int startIndex, Random rng);
}

/// <summary>Options of <see cref="SampleFrames"/> (mmaction2's <c>SampleFrames</c>).</summary>
public sealed record SampleFramesOptions
{
    /// <summary>Frames per clip (≥ 1).</summary>
    public int ClipLength { get; init; } = 8;

    /// <summary>Step between sampled frames (≥ 1).</summary>
    public int FrameInterval { get; init; } = 1;

    /// <summary>Clips per sample (≥ 1).</summary>
    public int Clips { get; init; } = 1;

    /// <summary>Test mode: deterministic, evenly spaced clips; training otherwise.</summary>
    public bool TestMode { get; init; }

    /// <summary>Indices past the end: loop or repeat the last frame.</summary>
    public OutOfRange OutOfRange { get; init; } = OutOfRange.Loop;
}

/// <summary>
/// mmaction2's <c>SampleFrames</c>: <c>Clips</c> clips of <c>ClipLength</c> frames taken every <c>FrameInterval</c>
/// frames. The span of a clip is <c>ori_clip_len = ClipLength × FrameInterval</c>.
/// </summary>
/// <remarks>
/// Training (mmaction2 <c>_get_train_clips</c>): <c>avg_interval = (N − ori_clip_len + 1) // Clips</c>; when positive,
/// offset k = k·avg_interval + U{0, avg_interval − 1}; else when N &gt; max(Clips, ori_clip_len), sorted uniform draws
/// in [0, N − ori_clip_len]; else when avg_interval is 0, round(k·(N − ori_clip_len + 1)/Clips) (half to even, as
/// numpy); else zeros. Test mode (mmaction2 0.x <c>_get_test_clips</c>, the clip centred in each of Clips equal
/// segments): <c>avg = (N − ori_clip_len + 1) / Clips</c> (float), offset k = trunc(k·avg + avg/2) when
/// N &gt; ori_clip_len − 1, else 0. Frame j of a clip is offset + j·FrameInterval, then loop (mod N) or repeat the
/// clip's last in-range frame, then + start index.
/// </remarks>
public sealed class SampleFrames : IFrameSampler
{
    /// <summary>A sampler with validated <paramref name="options"/>.</summary>
    /// <exception cref="ToolkitError">A length, interval or clip count below 1.</exception>
    public SampleFrames(SampleFramesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ClipLength < 1)
            throw new ToolkitError("SampleFrames.ClipLength", $"is {options.ClipLength}", "use 1 or more frames per clip");
        if (options.FrameInterval < 1)
            throw new ToolkitError("SampleFrames.FrameInterval", $"is {options.FrameInterval}", "use an interval of 1 or more");
        if (options.Clips < 1)
            throw new ToolkitError("SampleFrames.Clips", $"is {options.Clips}", "use 1 or more clips");
        Options = options;
    }

    /// <summary>The options.</summary>
    public SampleFramesOptions Options { get; }

    /// <inheritdoc />
    public int ClipLength => Options.ClipLength;

    /// <inheritdoc />
    public int Clips => Options.Clips;

    /// <summary>The first frame (0-based) of each clip.</summary>
    public int[] ClipOffsets(int totalFrames, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        int n = totalFrames, k = Options.Clips, span = Options.ClipLength * Options.FrameInterval;
        var offsets = new int[k];
        if (Options.TestMode)
        {
            double avg = (n - span + 1) / (double)k;
            if (n > span - 1)
                for (int i = 0; i < k; i++)
                    offsets[i] = (int)(i * avg + avg / 2.0);
            return offsets;
        }
        int avgInterval = FloorDiv(n - span + 1, k);
        if (avgInterval > 0)
        {
            for (int i = 0; i < k; i++)
                offsets[i] = i * avgInterval + rng.Next(avgInterval);
        }
        else if (n > Math.Max(k, span))
        {
            for (int i = 0; i < k; i++)
                offsets[i] = rng.Next(n - span + 1);
            Array.Sort(offsets);
        }
        else if (avgInterval == 0)
        {
            double ratio = (n - span + 1.0) / k;
            for (int i = 0; i < k; i++)
                offsets[i] = (int)Math.Round(i * ratio, MidpointRounding.ToEven);
        }
        return offsets;
    }

    /// <inheritdoc />
    public FrameIndices Sample(int totalFrames, int startIndex, Random rng) =>
        Expand(ClipOffsets(totalFrames, rng), totalFrames, startIndex, Options.ClipLength, Options.FrameInterval, Options.OutOfRange);

    /// <summary>Clip offsets → frame indices: offset + j·interval, out-of-range handling, + start index.</summary>
    internal static FrameIndices Expand(int[] offsets, int totalFrames, int startIndex, int clipLength, int interval, OutOfRange outOfRange)
    {
        var indices = new int[offsets.Length * clipLength];
        for (int c = 0; c < offsets.Length; c++)
        {
            int lastSafe = 0;
            for (int j = 0; j < clipLength; j++)
            {
                int f = offsets[c] + j * interval;
                if (outOfRange == OutOfRange.Loop)
                {
                    f %= totalFrames;
                }
                else if (f < totalFrames)
                {
                    lastSafe = Math.Max(lastSafe, f);
                }
                indices[c * clipLength + j] = f;
            }
            if (outOfRange == OutOfRange.RepeatLast)
                for (int j = 0; j < clipLength; j++)
                    if (indices[c * clipLength + j] >= totalFrames)
                        indices[c * clipLength + j] = lastSafe;
            for (int j = 0; j < clipLength; j++)
                indices[c * clipLength + j] += startIndex;
        }
        return new FrameIndices(indices, clipLength, offsets.Length);
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
