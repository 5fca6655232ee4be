using Toolkit.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Stochastic;

/// <summary>A layer that draws random numbers in training mode from a generator of its own (never torch's global one).</summary>
public interface IStochasticLayer
{
    /// <summary>Restarts the layer's generator at <paramref name="seed"/>.</summary>
    void Reseed(ulong seed);
}

/// <summary>
/// Seeding of every <see cref="IStochasticLayer"/> in a model. A trainer calls <see cref="Reseed"/> at the start of each
/// epoch, so the draws of an epoch depend only on (run seed, epoch, layer position): a run resumed from an epoch
/// checkpoint continues exactly as an uninterrupted one, and runs in one process never disturb each other.
/// </summary>
public static class StochasticLayers
{
    /// <summary>Reseeds the stochastic layers of <paramref name="model"/> in module order; returns how many there are.</summary>
    public static int Reseed(Module model, long seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(model);
        int index = 0;
        foreach (var module in model.modules().Prepend(model))
        {
            if (module is IStochasticLayer layer)
                layer.Reseed(Mix(seed, epoch, index++));
        }
        return index;
    }

    /// <summary>The seed of layer <paramref name="index"/> in <paramref name="epoch"/> (<see cref="Seeds.Mix"/>).</summary>
    public static ulong Mix(long seed, int epoch, int index) => Seeds.Mix(seed, epoch, index);
}

/// <summary>
/// Dropout (PyTorch semantics: zero each element with probability p in training mode and scale the rest by 1/(1−p);
/// identity in eval mode) drawing from its own CPU generator, seeded at construction and by
/// <see cref="StochasticLayers.Reseed"/>. TorchSharp's <c>Dropout</c> takes no generator, so it would use the global one.
/// </summary>
public sealed class SeededDropout : Module<Tensor, Tensor>, IStochasticLayer
{
    private readonly Generator _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="seed">Initial seed (a trainer reseeds per epoch).</param>
    public SeededDropout(double p, ulong seed = 0) : base(nameof(SeededDropout))
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout must be in [0, 1).");
        P = p;
        _generator = new Generator(seed);
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <inheritdoc />
    public void Reseed(ulong seed) => _generator.manual_seed(unchecked((long)seed));

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        if (!training || P == 0)
            return input.alias();
        using var scope = NewDisposeScope();
        // Drawn on the CPU (the generator's device) and moved: the same mask on every device.
        var keep = rand(input.shape, generator: _generator).ge_(P).to(input.dtype).div_(1 - P);
        return (input * keep.to(input.device)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _generator.Dispose();
        base.Dispose(disposing);
    }
}
