using Toolkit.Augment.Sampling;
using Toolkit.Core;

namespace Toolkit.Loaders.Pipeline;

/// <summary>One planned iteration: its shape and the dataset indices of its samples.</summary>
/// <param name="Iteration">0-based iteration within the epoch.</param>
/// <param name="Shape">The shape from <see cref="IBatchShapes.ForIteration"/>; the last batch may hold fewer samples when drop_last is off.</param>
/// <param name="Samples">Dataset indices, in batch order.</param>
public sealed record PlannedBatch(int Iteration, BatchShape Shape, int[] Samples);

/// <summary>Per-epoch order, rank sharding and batching: pure functions of (seed, epoch, rank, world size, shapes).</summary>
public static class EpochPlan
{
    /// <summary>
    /// The order of the whole dataset in epoch <paramref name="epoch"/>: a Fisher–Yates shuffle driven by the per-clip
    /// seed of (seed, epoch, −1), the same in every process; identity when <paramref name="shuffle"/> is off.
    /// </summary>
    public static int[] Order(int count, long seed, int epoch, bool shuffle)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = Enumerable.Range(0, count).ToArray();
        if (!shuffle)
            return order;
        var rng = ClipSeed.Rng(seed, epoch, -1);
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>
    /// Rank <paramref name="rank"/>'s part of <paramref name="order"/>: positions rank, rank + world, rank + 2·world, …
    /// Without <paramref name="evenShards"/> the ranks together hold every sample exactly once (shards differ by at most
    /// one); with it every rank gets ⌊N / world⌋ samples and the last N mod world of the order are left out this epoch
    /// (never duplicated, unlike PyTorch's DistributedSampler padding).
    /// </summary>
    /// <exception cref="ToolkitError">Rank outside [0, world).</exception>
    public static int[] Shard(int[] order, int rank, int worldSize, bool evenShards)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (worldSize < 1 || rank < 0 || rank >= worldSize)
            throw new ToolkitError("loader rank", $"rank {rank} of world size {worldSize}", "rank must be in [0, world size) and world size ≥ 1");
        int per = evenShards ? order.Length / worldSize : (order.Length - rank + worldSize - 1) / worldSize;
        var shard = new int[per];
        for (int k = 0; k < per; k++)
            shard[k] = order[rank + k * worldSize];
        return shard;
    }

    /// <summary>
    /// Cuts <paramref name="shard"/> into batches whose sizes come from <paramref name="shapes"/>, iteration by
    /// iteration. A last batch smaller than its shape's size is dropped with <paramref name="dropLast"/>, kept otherwise.
    /// </summary>
    public static IReadOnlyList<PlannedBatch> Batches(int[] shard, IBatchShapes shapes, int epoch, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(shapes);
        var batches = new List<PlannedBatch>();
        int used = 0;
        for (int it = 0; used < shard.Length; it++)
        {
            var shape = shapes.ForIteration(epoch, it).Validated($"batch shapes (epoch {epoch}, iteration {it})");
            int take = Math.Min(shape.BatchSize, shard.Length - used);
            if (take < shape.BatchSize && dropLast)
                break;
            batches.Add(new PlannedBatch(it, shape, shard[used..(used + take)]));
            used += take;
        }
        return batches;
    }
}
