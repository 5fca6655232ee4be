namespace Toolkit.Trainers.Models.Transformers;

/// <summary>The transformers of the zoo (MViT-B, DeiT-Ti/S/B).</summary>
internal static class TransformerZoo
{
    private static readonly long[] ImageInput = [1, 3, 224, 224];

    public static IEnumerable<ModelEntry> Entries =>
    [
        new("deit-ti", ImageInput, "timm deit_tiny_patch16_224 (no distillation token)", o => new DeiT(DeiTSize.Tiny, o)),
        new("deit-s", ImageInput, "timm deit_small_patch16_224 (no distillation token)", o => new DeiT(DeiTSize.Small, o)),
        new("deit-b", ImageInput, "timm deit_base_patch16_224 (no distillation token)", o => new DeiT(DeiTSize.Base, o)),
    ];
}
