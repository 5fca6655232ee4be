namespace Toolkit.Trainers.Models.Video;

/// <summary>The 3-D CNNs of the zoo (I3D-R50, SlowOnly-R50, X3D-M, SlowFast-R50).</summary>
internal static class CnnZoo
{
    // In the order the issue and toolkit models list them.
    public static IEnumerable<ModelEntry> Entries =>
    [
        new("i3d-r50", [1, 3, 16, 224, 224],
            "mmaction2 i3d_r50 (ResNet3d depth 50, conv1 5x7x7 stride 2x2x2, pool1 temporal stride 2, pool2, 3x1x1 inflation) + I3DHead",
            ResNet3d.I3dR50),
        new("slowonly-r50", [1, 3, 16, 224, 224],
            "mmaction2 ResNet3dSlowOnly R50 (= pytorchvideo slow_r50: conv1 1x7x7, no temporal downsampling, inflation in res4/res5) + I3DHead",
            ResNet3d.SlowOnlyR50),
        new("x3d-m", [1, 3, 16, 224, 224],
            "mmaction2 X3D-M (gamma_w 1 on base 24, gamma_d 2.2, gamma_b 2.25, SE 1/16 every other block, Swish; conv5 192->432 inside the backbone) + X3DHead (432->2048->classes)",
            X3D.M),
        new("slowfast-r50", [1, 3, 32, 224, 224],
            "mmaction2 ResNet3dSlowFast R50 8x8 (tau 4, alpha 4, beta 1/8, lateral kernel 7; slow = SlowOnly R50 with laterals, fast = 1/8 width) + SlowFastHead 2304",
            SlowFast.R50),
    ];
}
