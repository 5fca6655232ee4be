using Toolkit.Core;

namespace Toolkit.Loaders.Sampling;

/// <summary>
/// TSN segment sampling (Wang et al. 2016): the video is split into <see cref="Clips"/> equal segments
/// <c>[⌊k·N/K⌋, ⌊(k+1)·N/K⌋)</c>; training takes a random start in each segment, test mode its middle; each segment
/// yields <see cref="ClipLength"/> consecutive frames (TSN's <c>new_length</c>: 1 for RGB, 5 for stacked flow).
/// </summary>
/// <remarks>
/// A segment shorter than <c>new_length</c> starts at its first frame; frames past the end loop or repeat the last
/// one as in <see cref="SampleFrames"/>. When N &lt; K segments overlap (each still gets a frame).
/// </remarks>
public sealed class TsnSegments : IFrameSampler
{
    /// <summary>A sampler of <paramref name="segments"/> segments of <paramref name="newLength"/> consecutive frames.</summary>
    /// <exception cref="ToolkitError">Segments or length below 1.</exception>
    public TsnSegments(int segments, int newLength = 1, bool testMode = false, OutOfRange outOfRange = OutOfRange.Loop)
    {
        if (segments < 1)
            throw new ToolkitError("TsnSegments.segments", $"is {segments}", "use 1 or more segments");
        if (newLength < 1)
            throw new ToolkitError("TsnSegments.newLength", $"is {newLength}", "use 1 or more frames per segment");
        Clips = segments;
        ClipLength = newLength;
        TestMode = testMode;
        OutOfRange = outOfRange;
    }

    /// <inheritdoc />
    public int ClipLength { get; }

    /// <inheritdoc />
    public int Clips { get; }

    /// <summary>Middle of each segment instead of a random start.</summary>
    public bool TestMode { get; }

    /// <summary>Handling of frames past the end.</summary>
    public OutOfRange OutOfRange { get; }

    /// <inheritdoc />
    public FrameIndices Sample(int totalFrames, int startIndex, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        var offsets = new int[Clips];
        for (int k = 0; k < Clips; k++)
        {
            int begin = (int)((long)k * totalFrames / Clips);
            int end = Math.Max(begin + 1, (int)((long)(k + 1) * totalFrames / Clips));
            int room = Math.Max(1, end - begin - ClipLength + 1);
            offsets[k] = begin + (TestMode ? room / 2 : rng.Next(room));
        }
        return SampleFrames.Expand(offsets, totalFrames, startIndex, ClipLength, 1, OutOfRange);
    }
}

/// <summary>
/// mmaction2's <c>DenseSampleFrames</c>: clips start <c>sample_range / Clips</c> frames apart inside a window of
/// <c>sample_range</c> frames. Training places the window at a random start in
/// <c>[0, max(0, N − sample_range − 1))</c>; test mode at <c>positions</c> starts from <c>linspace(0, max(1, N −
/// sample_range + 1) − 1, positions)</c> truncated to integers, giving positions × Clips clips. Clip starts wrap mod N.
/// </summary>
public sealed class DenseSampleFrames : IFrameSampler
{
    /// <summary>Dense sampling.</summary>
    /// <param name="clipLength">Frames per clip.</param>
    /// <param name="frameInterval">Step between frames of a clip.</param>
    /// <param name="clips">Clips per window.</param>
    /// <param name="sampleRange">Window length in frames (mmaction2 default 64).</param>
    /// <param name="positions">Windows in test mode (mmaction2 default 10).</param>
    /// <param name="testMode">Fixed windows instead of a random one.</param>
    /// <exception cref="ToolkitError">A value below 1.</exception>
    public DenseSampleFrames(int clipLength, int frameInterval = 1, int clips = 1, int sampleRange = 64, int positions = 10, bool testMode = false)
    {
        foreach (var (name, v) in new[] { ("clipLength", clipLength), ("frameInterval", frameInterval), ("clips", clips), ("sampleRange", sampleRange), ("positions", positions) })
            if (v < 1)
                throw new ToolkitError($"DenseSampleFrames.{name}", $"is {v}", "use 1 or more");
        ClipLength = clipLength;
        FrameInterval = frameInterval;
        ClipsPerWindow = clips;
        SampleRange = sampleRange;
        Positions = positions;
        TestMode = testMode;
    }

    /// <inheritdoc />
    public int ClipLength { get; }

    /// <summary>Step between frames of a clip.</summary>
    public int FrameInterval { get; }

    /// <summary>Clips in one window.</summary>
    public int ClipsPerWindow { get; }

    /// <summary>Window length.</summary>
    public int SampleRange { get; }

    /// <summary>Test-mode windows.</summary>
    public int Positions { get; }

    /// <summary>Fixed windows.</summary>
    public bool TestMode { get; }

    /// <inheritdoc />
    public int Clips => TestMode ? ClipsPerWindow * Positions : ClipsPerWindow;

    /// <inheritdoc />
    public FrameIndices Sample(int totalFrames, int startIndex, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalFrames, 1);
        int positionCount = Math.Max(1, 1 + totalFrames - SampleRange);
        int interval = SampleRange / ClipsPerWindow;
        var starts = TestMode
            ? Enumerable.Range(0, Positions).Select(i => Positions == 1 ? 0 : (int)(i * (positionCount - 1) / (double)(Positions - 1))).ToArray()
            : [positionCount == 1 ? 0 : rng.Next(positionCount - 1)];
        var offsets = new List<int>();
        foreach (int s in starts)
            for (int c = 0; c < ClipsPerWindow; c++)
                offsets.Add((c * interval + s) % totalFrames);
        return SampleFrames.Expand([.. offsets], totalFrames, startIndex, ClipLength, FrameInterval, OutOfRange.Loop);
    }
}

/// <summary>
/// Test-time views: every sample is seen as <see cref="Clips"/> temporal clips × <see cref="Crops"/> spatial crops
/// (e.g. 10 × 3 for the usual Kinetics protocol), whose scores are averaged per sample.
/// </summary>
/// <param name="Clips">Temporal clips (the sampler's clip count, in test mode).</param>
/// <param name="Crops">Spatial crops per clip (1: centre crop; 3: ThreeCrop; 10: TenCrop).</param>
public sealed record TestViews(int Clips, int Crops)
{
    /// <summary>Views per sample.</summary>
    public int Count => Clips * Crops;

    /// <summary>The (clip, crop) of view <paramref name="view"/>: views are clip-major, crops of a clip adjacent.</summary>
    public (int Clip, int Crop) Of(int view)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(view);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(view, Count);
        return (view / Crops, view % Crops);
    }

    /// <summary>A test-mode <see cref="SampleFrames"/> giving <see cref="Clips"/> evenly spaced clips.</summary>
    public SampleFrames Sampler(int clipLength, int frameInterval = 1) =>
        new(new SampleFramesOptions { ClipLength = clipLength, FrameInterval = frameInterval, Clips = Clips, TestMode = true });
}
