using System.Globalization;
using Toolkit.Trainers.Models;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Weights;

/// <summary>How far our model's output is from the reference output of a parity file.</summary>
/// <param name="File">The parity file.</param>
/// <param name="Input">Shape of its input.</param>
/// <param name="Output">Shape of its output.</param>
/// <param name="MaxAbs">max |ours − reference|.</param>
/// <param name="MaxRel">MaxAbs / max |reference| (the relative max difference).</param>
/// <param name="Tolerance">The largest <see cref="MaxRel"/> accepted.</param>
public sealed record ParityResult(string File, long[] Input, long[] Output, double MaxAbs, double MaxRel, double Tolerance)
{
    /// <summary>True when <see cref="MaxRel"/> is within <see cref="Tolerance"/>.</summary>
    public bool Passed => MaxRel <= Tolerance;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"parity {(Passed ? "ok" : "FAILED")}: {File}: input [{string.Join("x", Input)}] -> [{string.Join("x", Output)}], max abs diff {MaxAbs:G3}, max rel diff {MaxRel:G3} (tolerance {Tolerance:G3})");
}

/// <summary>
/// Proves an import: a parity file is <c>torch.save({"input": x, "output": y})</c> with <c>y</c> the source model's
/// output for <c>x</c> in eval mode; our model with the imported weights must give <c>y</c> back.
/// </summary>
public static class ParityCheck
{
    /// <summary>Relative max difference accepted by default (float32 through 50 layers stays near 1e-6).</summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>Runs <paramref name="model"/> in eval mode on the file's input and compares with its output.</summary>
    /// <exception cref="WeightsException">The file is unreadable, lacks input or output, or its shapes do not fit the model.</exception>
    public static ParityResult Run(VideoModel model, string path, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var file = WeightsFile.Read(path);
        if (!file.Tensors.TryGetValue("input", out var input) || !file.Tensors.TryGetValue("output", out var expected))
            throw new WeightsException(path, "is not a parity file: it needs the tensors \"input\" and \"output\" (torch.save({'input': x, 'output': y}, F))");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = model.training;
        model.eval();
        Tensor actual;
        try
        {
            actual = model.call(input.to(float32));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsException(path, $"its input [{string.Join("x", input.shape)}] does not fit the model ({e.Message})");
        }
        finally
        {
            model.train(wasTraining);
        }
        if (!actual.shape.SequenceEqual(expected.shape))
            throw new WeightsException(path, $"its output is [{string.Join("x", expected.shape)}], the model gives [{string.Join("x", actual.shape)}] (another class count?)");
        var reference = expected.to(float32);
        double maxAbs = (actual - reference).abs().max().item<float>();
        double scale = reference.abs().max().item<float>();
        double maxRel = scale > 0 ? maxAbs / scale : maxAbs;
        return new ParityResult(path, input.shape, expected.shape, maxAbs, maxRel, tolerance);
    }
}
