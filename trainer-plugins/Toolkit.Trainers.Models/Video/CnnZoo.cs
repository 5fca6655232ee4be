namespace Toolkit.Trainers.Models.Video;

/// <summary>The 3-D CNNs of the zoo (I3D-R50, SlowOnly-R50, X3D-M, SlowFast-R50).</summary>
internal static class CnnZoo
{
    public static IEnumerable<ModelEntry> Entries => [];
}
