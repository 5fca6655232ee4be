namespace Toolkit.Trainers.Models.Transformers;

/// <summary>The transformers of the zoo (MViT-B, DeiT-Ti/S/B).</summary>
internal static class TransformerZoo
{
    private static readonly long[] ImageInput = [1, 3, 224, 224];
    private static readonly long[] VideoInput = [1, 3, 16, 224, 224];

    public static IEnumerable<ModelEntry> Entries =>
    [
        new("mvit-b", VideoInput, "SlowFast MVIT_B_16x4_CONV / pytorchvideo create_multiscale_vision_transformers (MViT v1)", o => new MViT(o)),
        new("deit-ti", ImageInput, "timm deit_tiny_patch16_224 (no distillation token)", o => new DeiT(DeiTSize.Tiny, o)),
        new("deit-s", ImageInput, "timm deit_small_patch16_224 (no distillation token)", o => new DeiT(DeiTSize.Small, o)),
        new("deit-b", ImageInput, "timm deit_base_patch16_224 (no distillation token)", o => new DeiT(DeiTSize.Base, o)),
    ];
}
