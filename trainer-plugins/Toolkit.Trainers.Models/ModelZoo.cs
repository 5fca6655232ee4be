using Toolkit.Trainers.Models.Flops;
using Toolkit.Trainers.Models.Transformers;
using Toolkit.Trainers.Models.Video;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Models;

/// <summary>One architecture of the zoo.</summary>
/// <param name="Name">Name users type (<c>i3d-r50</c>).</param>
/// <param name="ReferenceInput">Input shape of the published figures, e.g. 1, 3, 16, 224, 224.</param>
/// <param name="Definition">Which published definition it follows (e.g. <c>mmaction2 i3d_r50</c>).</param>
/// <param name="Create">Builds the model.</param>
public sealed record ModelEntry(string Name, long[] ReferenceInput, string Definition, Func<ModelOptions, VideoModel> Create)
{
    /// <summary>True for frame (image) models: input N × C × H × W.</summary>
    public bool IsImageModel => ReferenceInput.Length == 4;
}

/// <summary>Parameters and FLOPs of an architecture at its reference input (see <see cref="FlopCounter"/>).</summary>
/// <param name="Name">Architecture.</param>
/// <param name="Input">Reference input shape.</param>
/// <param name="BackboneParams">Backbone parameters.</param>
/// <param name="BackboneFlops">Backbone FLOPs, batch norm in training mode.</param>
/// <param name="BackboneEvalFlops">Backbone FLOPs, eval mode.</param>
/// <param name="Params">Parameters with the head.</param>
/// <param name="Flops">FLOPs with the head, training mode.</param>
/// <param name="EvalFlops">FLOPs with the head, eval mode.</param>
public sealed record ModelSize(string Name, long[] Input, long BackboneParams, long BackboneFlops, long BackboneEvalFlops, long Params, long Flops, long EvalFlops);

/// <summary>The architectures the built-in trainer can build, by name.</summary>
public static class ModelZoo
{
    /// <summary>Every architecture, in the order <c>toolkit models</c> prints them.</summary>
    public static IReadOnlyList<ModelEntry> All { get; } = [.. CnnZoo.Entries, .. TransformerZoo.Entries];

    /// <summary>The architecture called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ModelEntry Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown architecture '{name}'. Known: {string.Join(", ", All.Select(e => e.Name))}.", nameof(name));
    }

    /// <summary>
    /// Builds <paramref name="entry"/> with <paramref name="options"/> and counts parameters and FLOPs at its reference
    /// input (or <paramref name="input"/>), in training and eval mode: one forward pass per mode on the CPU, the head counted
    /// on the backbone's output.
    /// </summary>
    public static ModelSize Measure(ModelEntry entry, ModelOptions options, long[]? input = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(options);
        var shape = input ?? entry.ReferenceInput;
        using var scope = NewDisposeScope();
        using var model = entry.Create(options.Validated());
        using var x = zeros(shape);
        // One forward pass per mode: the backbone, then the head on its output (forward = Head(Backbone(x))).
        (long Backbone, long Total) Count()
        {
            var (backbone, features) = FlopCounter.MeasureWithOutput(model.Backbone, x);
            using (features)
                return (backbone.Total, backbone.Total + FlopCounter.Measure(model.Head, features).Total);
        }
        model.train();
        var train = Count();
        model.eval();
        var eval = Count();
        return new ModelSize(entry.Name, shape, FlopCounter.Parameters(model.Backbone), train.Backbone, eval.Backbone,
            FlopCounter.Parameters(model), train.Total, eval.Total);
    }
}
