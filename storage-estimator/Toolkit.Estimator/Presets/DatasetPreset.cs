namespace Toolkit.Estimator.Presets;

/// <summary>A number with where it comes from: a published figure, or how it was assumed when none is published.</summary>
/// <param name="Mean">The mean (or the single stated value).</param>
/// <param name="Spread">Standard deviation across videos, or null when unknown.</param>
/// <param name="Source">The publication, or the assumption and why.</param>
public sealed record Statistic(double Mean, double? Spread, string Source);

/// <summary>One split of a dataset.</summary>
/// <param name="Name">train, val, test.</param>
/// <param name="Videos">Number of videos.</param>
public sealed record SplitSize(string Name, int Videos);

/// <summary>
/// Published statistics of a public video dataset, enough for a model-only estimate: split sizes, duration, frame rate
/// and source resolution, each with its source.
/// </summary>
/// <param name="Name">Preset name as typed on the command line (<c>kinetics400</c>).</param>
/// <param name="Title">Human-readable name.</param>
/// <param name="Splits">Split sizes.</param>
/// <param name="SplitSource">Where the split sizes come from.</param>
/// <param name="DurationSeconds">Duration per video in seconds.</param>
/// <param name="FramesPerSecond">Source frame rate.</param>
/// <param name="Width">Typical source width (after which the short side is resized).</param>
/// <param name="Height">Typical source height.</param>
/// <param name="ResolutionSource">Where the resolution comes from.</param>
/// <param name="VideoBytes">Mean size of one source video file in bytes, when a total size is published; otherwise null.</param>
public sealed record DatasetPreset(
    string Name, string Title, IReadOnlyList<SplitSize> Splits, string SplitSource,
    Statistic DurationSeconds, Statistic FramesPerSecond, int Width, int Height, string ResolutionSource, Statistic? VideoBytes)
{
    /// <summary>All videos over all splits.</summary>
    public int TotalVideos => Splits.Sum(s => s.Videos);

    /// <summary>Mean decoded frames per video (duration × frame rate, or duration × <paramref name="resampleFps"/> when resampling).</summary>
    public double MeanFrames(double? resampleFps) => DurationSeconds.Mean * (resampleFps ?? FramesPerSecond.Mean);
}
