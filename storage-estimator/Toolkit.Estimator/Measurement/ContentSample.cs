using Toolkit.Ingest;

namespace Toolkit.Estimator.Measurement;

/// <summary>
/// What to sample of a video's content while its frames are counted: a few frame pairs spread evenly over the video,
/// decoded at the target size exactly as extract decodes them, then JPEG-encoded (and their flow computed) exactly as
/// extract does.
/// </summary>
/// <param name="Settings">The extract settings of the plan (size rule, quality, flow algorithm, bound, task).</param>
/// <param name="Pairs">Frame pairs to take per video (each pair is two consecutive frames: two RGB images, one flow pair).</param>
/// <param name="TempFolder">Where the decoded probe frames are spooled for the time of one video (deleted at once).</param>
public sealed record ContentProbe(ExtractSettings Settings, int Pairs, string TempFolder)
{
    /// <summary>
    /// Default pairs per video: 6 (12 RGB images, 6 flow pairs). On the benchmark set the content probe predicts each
    /// video's bytes per pixel within a few percent of its full extraction, and costs a few percent of it even for TV-L1.
    /// </summary>
    public const int DefaultPairs = 6;

    /// <summary>Most pairs taken when the video's length is unknown before decoding (no duration, no frame count).</summary>
    public const int MaxPairs = 64;

    /// <summary>Frames between two pairs when the video's length is unknown (about one pair a second at 30 fps).</summary>
    public const int SpacingWhenLengthUnknown = 30;

    /// <summary>
    /// Which frames to take for a video expected to yield <paramref name="expectedFrames"/> frames (0 or less when
    /// unknown): pair j is frames <c>Offset + j·Spacing</c> and the next one, for j below <c>Pairs</c> (or
    /// <see cref="MaxPairs"/> when the length is unknown). A systematic sample with each pair in the middle of its
    /// stretch of the video, so the first frames, where intros, fades and the start-up of a scene sit, are not
    /// over-represented.
    /// </summary>
    public ProbeSelection Selection(double expectedFrames)
    {
        if (!(expectedFrames >= 2) || !double.IsFinite(expectedFrames))
            return new ProbeSelection(SpacingWhenLengthUnknown, SpacingWhenLengthUnknown / 2, MaxPairs);
        int spacing = (int)Math.Clamp(Math.Floor(expectedFrames / Pairs), 2, int.MaxValue / 2);
        return new ProbeSelection(spacing, spacing / 2, Pairs);
    }
}

/// <summary>The frames the content probe takes: pair j is frames <c>Offset + j·Spacing</c> and <c>Offset + j·Spacing + 1</c>, j &lt; <c>Pairs</c>.</summary>
/// <param name="Spacing">Frames from one pair to the next (≥ 2).</param>
/// <param name="Offset">Index of the first frame taken.</param>
/// <param name="Pairs">Most pairs taken.</param>
public sealed record ProbeSelection(int Spacing, int Offset, int Pairs)
{
    /// <summary>The ffmpeg <c>select</c> filter that keeps exactly these frames (commas escaped for a filter graph).</summary>
    public string Filter => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"select='gte(n\\,{Offset})*lt(mod(n-{Offset}\\,{Spacing})\\,2)*lt(n\\,{Offset + ((long)Spacing * Pairs)})'");

    /// <summary>Whether frame <paramref name="index"/> is taken (what <see cref="Filter"/> keeps).</summary>
    public bool Takes(long index) => index >= Offset && (index - Offset) % Spacing < 2 && index < Offset + ((long)Spacing * Pairs);
}

/// <summary>What the sampled frames of one video encode to, with extract's encoder and flow code.</summary>
/// <param name="RgbImages">RGB images encoded (0 when the plan writes no RGB).</param>
/// <param name="RgbBytes">Their JPEG bytes.</param>
/// <param name="FlowPairs">Flow pairs computed and encoded (0 when the plan writes no flow).</param>
/// <param name="FlowBytes">Their JPEG bytes, x and y together.</param>
/// <param name="PixelsPerImage">Target width × height.</param>
public sealed record ContentSample(int RgbImages, long RgbBytes, int FlowPairs, long FlowBytes, long PixelsPerImage)
{
    /// <summary>RGB JPEG bytes per output pixel of the sampled images, or null when none was encoded.</summary>
    public double? RgbBytesPerPixel => RgbImages > 0 && PixelsPerImage > 0 ? RgbBytes / ((double)RgbImages * PixelsPerImage) : null;

    /// <summary>Flow JPEG bytes (x + y) per output pixel of one pair, or null when no pair was computed.</summary>
    public double? FlowBytesPerPixel => FlowPairs > 0 && PixelsPerImage > 0 ? FlowBytes / ((double)FlowPairs * PixelsPerImage) : null;
}
