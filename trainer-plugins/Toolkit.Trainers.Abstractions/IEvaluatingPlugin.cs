using System.Text.Json;
using TorchSharp;

namespace Toolkit.Trainers.Abstractions;

/// <summary>
/// The optional second face of a trainer plugin: scoring clips with a trained checkpoint, for <c>toolkit test</c> and
/// <c>toolkit predict</c>. The host owns the data side (decoding, the test views, averaging, metrics, reports); the
/// plugin only turns a checkpoint into a model that maps a batch of views to class scores. A plugin that does not
/// implement it still trains; the host says it cannot test with it.
/// </summary>
public interface IEvaluatingPlugin
{
    /// <summary>
    /// Loads <see cref="ScorerRequest.Checkpoint"/> for inference on <see cref="ScorerRequest.Device"/> and checks it
    /// against the request: its format, its architecture against the options', its class count against
    /// <see cref="ScorerRequest.Classes"/>, and one forward pass of a zero view of <see cref="ScorerRequest.ViewShape"/>.
    /// </summary>
    /// <exception cref="CheckpointException">The checkpoint cannot be used for this request (its <see cref="CheckpointException.Problem"/> says why).</exception>
    IClipScorer OpenScorer(ScorerRequest request);
}

/// <summary>What a scorer is opened for.</summary>
/// <param name="Options">The plugin's section of the run config (the architecture and its variant).</param>
/// <param name="Checkpoint">A checkpoint folder, a weights folder, or a weights file (PyTorch or safetensors).</param>
/// <param name="Classes">Classes of the test data (the label map's lines): the checkpoint's head must have as many.</param>
/// <param name="Device">Where inputs arrive and the model should run.</param>
/// <param name="ViewShape">The shape of one view the host will send: C, T, H, W.</param>
public sealed record ScorerRequest(JsonElement Options, string Checkpoint, int Classes, torch.Device Device, IReadOnlyList<long> ViewShape);

/// <summary>A trained model ready for inference (eval mode, no gradients). The host disposes it.</summary>
public interface IClipScorer : IDisposable
{
    /// <summary>One line naming what was loaded (architecture, classes, variant, where from).</summary>
    string Description { get; }

    /// <summary>
    /// Class scores (logits, before any softmax) of N views: <paramref name="views"/> is N × C × T × H × W on the
    /// request's device; the result is N × classes float32 on the same device, owned by the caller.
    /// </summary>
    torch.Tensor Score(torch.Tensor views);
}

/// <summary>Why a checkpoint cannot be used.</summary>
public enum CheckpointProblem
{
    /// <summary>Not a checkpoint the plugin can read (not a PyTorch/safetensors file or known folder, or keys of no known layout), or missing, or corrupt.</summary>
    UnknownFormat,

    /// <summary>Weights of another architecture or variant (width, depth, norm) than the config names.</summary>
    WrongModel,

    /// <summary>A classifier with another number of classes than the test data has.</summary>
    WrongClasses,

    /// <summary>The model cannot take the test views (e.g. a crop or clip length its positional embedding does not allow).</summary>
    ViewDoesNotFit,
}

/// <summary>
/// A checkpoint that cannot be used for a <see cref="ScorerRequest"/>, or (from <see cref="ITrainerPlugin.TrainAsync"/>,
/// problem <see cref="CheckpointProblem.WrongModel"/>) a work dir's checkpoint that does not fit the config's model on
/// a resume: the host then refuses the run (exit 2) with what changed since the checkpoint's start. The message names
/// the file, the reason and what to do.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the error.</summary>
    public CheckpointException(CheckpointProblem problem, string message, Exception? inner = null) : base(message, inner) => Problem = problem;

    /// <summary>What is wrong.</summary>
    public CheckpointProblem Problem { get; }
}
