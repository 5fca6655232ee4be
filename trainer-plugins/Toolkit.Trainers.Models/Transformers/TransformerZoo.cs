namespace Toolkit.Trainers.Models.Transformers;

/// <summary>The transformers of the zoo (MViT-B, DeiT-Ti/S/B).</summary>
internal static class TransformerZoo
{
    public static IEnumerable<ModelEntry> Entries => [];
}
