using Toolkit.Core;

namespace Toolkit.Cli.Rendering;

/// <summary>
/// The command-line edge of the libraries' errors: a library names the option it checks in its own terms
/// (<c>ExtractSettings.ShortSide</c>, <c>MultigridOptions.Steps</c>), the command line shows the flag the user typed
/// (<c>--short-side</c>, <c>--steps</c>).
/// </summary>
internal static class CliNames
{
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["ExtractSettings.Size"] = "--size",
        ["ExtractSettings.ShortSide"] = "--short-side",
        ["ExtractSettings.JpegQuality"] = "--jpeg-quality",
        ["ExtractSettings.StartIndex"] = "--start-index",
        ["ExtractSettings.Fps"] = "--fps",
        ["ExtractSettings.FlowBound"] = "--flow-bound",
        ["ExtractSettings.Level"] = "--level",
        ["ExtractOptions.Workers"] = "--workers",
        ["ExtractOptions.Decoders"] = "--decoders",
        ["ExtractOptions.DecoderThreads"] = "--decoder-threads",
        ["ExtractOptions.Extensions"] = "--ext",
        ["ShardSpec"] = "--shard",
        ["ListOptions.ValFraction"] = "--val-fraction",
        ["OfficialListOptions.Dataset"] = "--dataset",
        ["OfficialListOptions.Level"] = "--level",
        ["OfficialListOptions.Split"] = "--split",
        ["OfficialListOptions.Subset"] = "--subset",
        ["OfficialListOptions.Format"] = "--format",
        ["LoaderBenchOptions.Batches"] = "--batches",
        ["LoaderBenchOptions.Warmup"] = "--warmup",
        ["MultigridOptions.Frames"] = "--frames",
        ["MultigridOptions.Crop"] = "--crop",
        ["MultigridOptions.Batch"] = "--batch",
        ["MultigridOptions.Gpus"] = "--gpus",
        ["MultigridOptions.MaxEpoch"] = "--max-epoch",
        ["MultigridOptions.BnBaseSize"] = "--bn-base-size",
        ["MultigridOptions.Steps"] = "--steps",
        ["MultigridOptions.Gamma"] = "--gamma",
        ["MultigridOptions.EpochFactor"] = "--epoch-factor",
        ["MultigridOptions.LongCycleFactors"] = "--long-factors",
        ["MultigridOptions.ShortCycleFactors"] = "--short-factors",
        ["MeasureOptions.Sample"] = "--sample",
        ["MeasureOptions.ProbePairs"] = "--probe-pairs",
        ["PreviewOptions.Clips"] = "--clips",
        ["PreviewOptions.Frames"] = "--frames",
        ["PreviewOptions.Batch"] = "--batch",
        ["PreviewOptions.Alpha"] = "--alpha",
        ["PreviewOptions.CellHeight"] = "--cell-height",
        ["TrainingRunOptions.ResumeFrom"] = "--resume-from",
        ["TestTarget.Which"] = "--which",
    };

    /// <summary>The flag for a library's option name, or null when it names no option of a command.</summary>
    public static string? FlagOf(string subject) => Flags.GetValueOrDefault(subject);

    /// <summary><paramref name="e"/>'s message with its subject as the command line spells it.</summary>
    public static string ForCli(this Exception e) =>
        e is ToolkitError t && FlagOf(t.Subject) is { } flag ? new ToolkitError(flag, t.Reason, t.Hint).Message : e.Message;
}
