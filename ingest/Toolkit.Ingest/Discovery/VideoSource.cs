namespace Toolkit.Ingest.Discovery;

/// <summary>One input video and where its frames go.</summary>
/// <param name="Path">Absolute path of the video file.</param>
/// <param name="Key">Stable identity: the path relative to the source folder (or as written in the list), with '/' separators. Used for sharding and reports.</param>
/// <param name="OutputName">Output folder relative to OUT, '/'-separated: <c>stem</c> at level 1, <c>class/stem</c> at level 2.</param>
/// <param name="ClassName">The class folder name at level 2, otherwise null.</param>
/// <param name="Segment">With <c>--segments</c>: the part of the file this output holds; null for the whole file.</param>
public sealed record VideoSource(string Path, string Key, string OutputName, string? ClassName, TimeSegment? Segment = null);

/// <summary>A time range of a video file, in seconds from its start: frames with start ≤ t &lt; end.</summary>
/// <param name="Start">First second (inclusive).</param>
/// <param name="End">Last second (exclusive).</param>
public sealed record TimeSegment(double Start, double End)
{
    /// <summary>Seconds covered.</summary>
    public double Duration => End - Start;

    /// <summary>
    /// The output-folder suffix mmaction2's Kinetics trimming uses: <c>_{start:06d}_{end:06d}</c> for whole seconds;
    /// fractional bounds keep their decimals (<c>_000012.5_000030.25</c>).
    /// </summary>
    public string Suffix => $"_{Format(Start)}_{Format(End)}";

    private static string Format(double seconds)
    {
        string text = seconds.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? text.PadLeft(6, '0') : text[..dot].PadLeft(6, '0') + text[dot..];
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Start:R}-{End:R} s");
}

/// <summary>An input that could not become a <see cref="VideoSource"/>, with the reason.</summary>
public sealed record DiscoveryProblem(string Path, string Reason);

/// <summary>What discovery found.</summary>
public sealed record DiscoveryResult(IReadOnlyList<VideoSource> Videos, IReadOnlyList<DiscoveryProblem> Problems);
