namespace Toolkit.Trainers.Abstractions;

/// <summary>
/// Size of one architecture at its reference input, counted as fvcore does (one multiply-add = one FLOP; convolutions
/// and linear layers by shape, batch norm 5 per element in training mode and 2 in eval mode, layer norm 5 per element).
/// </summary>
/// <param name="Name">Architecture name (<c>i3d-r50</c>).</param>
/// <param name="Input">The reference input shape, e.g. <c>1x3x16x224x224</c>.</param>
/// <param name="Classes">Classes of the head these figures include.</param>
/// <param name="BackboneParams">Parameters of the backbone (no head).</param>
/// <param name="BackboneGFlops">Backbone GFLOPs, batch norm in training mode.</param>
/// <param name="BackboneEvalGFlops">Backbone GFLOPs, batch norm in eval mode.</param>
/// <param name="Params">Parameters with the head.</param>
/// <param name="GFlops">GFLOPs with the head, batch norm in training mode.</param>
/// <param name="EvalGFlops">GFLOPs with the head, batch norm in eval mode.</param>
/// <param name="Definition">Which published definition the figures follow (e.g. <c>mmaction2 i3d_r50</c>).</param>
public sealed record ModelCard(
    string Name,
    string Input,
    int Classes,
    long BackboneParams,
    double BackboneGFlops,
    double BackboneEvalGFlops,
    long Params,
    double GFlops,
    double EvalGFlops,
    string Definition);
