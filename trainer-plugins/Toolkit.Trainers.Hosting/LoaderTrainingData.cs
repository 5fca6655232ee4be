using System.Runtime.CompilerServices;
using Toolkit.Augment;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Tensors.Batch;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Multigrid;
using Toolkit.Loaders.Pipeline;
using Toolkit.Trainers.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Hosting;

/// <summary>
/// <see cref="ITrainingData"/> over the toolkit's loaders: a training <see cref="ClipLoader"/> (fixed or multigrid
/// shapes, random augmentation, optional mixup/CutMix on the batch) and a validation loader (test-mode clips × crops).
/// Each batch is disposed when the consumer asks for the next one.
/// </summary>
public sealed class LoaderTrainingData : ITrainingData, IAsyncDisposable
{
    private readonly ClipLoader _train;
    private readonly ClipLoader? _val;
    private readonly BatchMixer? _mixer;
    private readonly MultigridSchedule? _multigrid;
    private readonly long _seed;

    private LoaderTrainingData(ClipLoader train, ClipLoader? val, BatchMixer? mixer, MultigridSchedule? multigrid, int classes, IReadOnlyList<string> names, int trainSamples, int valSamples, long seed)
    {
        _train = train;
        _val = val;
        _mixer = mixer;
        _multigrid = multigrid;
        Classes = classes;
        ClassNames = names;
        TrainSamples = trainSamples;
        ValidationSamples = valSamples;
        _seed = seed;
    }

    /// <inheritdoc />
    public int Classes { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public int BatchSize { get; private init; }

    /// <inheritdoc />
    public int TrainSamples { get; }

    /// <inheritdoc />
    public int ValidationSamples { get; }

    /// <summary>The multigrid schedule, when the config asks for one.</summary>
    public MultigridSchedule? Multigrid => _multigrid;

    /// <summary>Builds the loaders of <paramref name="config"/> on <paramref name="device"/>.</summary>
    /// <exception cref="ToolkitError">A list, root or label map that cannot be read, or too few samples for one batch.</exception>
    public static LoaderTrainingData Create(TrainingConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        var data = config.Data;
        var (classes, names) = ReadClasses(data);
        IVideoDataset Open(string list) => OpenDataset(data, list, classes);
        var trainSet = Open(data.Train);
        if (trainSet.Count == 0)
            throw new ToolkitError(data.Train, "lists no samples");
        MultigridSchedule? multigrid = null;
        IBatchShapes shapes = new FixedShapes(data.Batch, data.ClipLen, data.Crop);
        if (data.Multigrid is { } mg)
        {
            try
            {
                multigrid = MultigridSchedule.Create(new MultigridOptions
                {
                    Frames = data.ClipLen,
                    Crop = data.Crop,
                    Batch = data.Batch,
                    Steps = mg.Steps,
                    MaxEpoch = mg.MaxEpoch,
                    Gamma = mg.Gamma,
                    LongCycle = mg.LongCycle,
                    ShortCycle = mg.ShortCycle,
                    BnBaseSize = mg.BnBaseSize,
                });
            }
            catch (ArgumentException e)
            {
                throw new ToolkitError("data.multigrid", e.Message, "see docs/multigrid.md", e);
            }
            catch (ToolkitError e) when (e.Subject.StartsWith("MultigridOptions.", StringComparison.Ordinal))
            {
                // The schedule names its own options; a config user wrote these keys.
                string key = e.Subject["MultigridOptions.".Length..] switch
                {
                    "Steps" => "data.multigrid.steps",
                    "MaxEpoch" => "data.multigrid.max_epoch",
                    "Gamma" => "data.multigrid.gamma",
                    "BnBaseSize" => "data.multigrid.bn_base_size",
                    "Batch" => "data.batch",
                    "Frames" => "data.clip_len",
                    "Crop" => "data.crop",
                    _ => "data.multigrid",
                };
                string subject = config.Source is { } source && source.Locate(key) is { } at ? $"{source.Path}:{at}: {key}" : key;
                throw new ToolkitError(subject, e.Reason, e.Hint, e);
            }
            shapes = multigrid;
        }
        bool mix = data.Mixup > 0 || data.Cutmix > 0;
        var train = new ClipLoader(trainSet, new LoaderOptions
        {
            Seed = config.Seed,
            Shapes = shapes,
            Workers = data.Workers,
            QueueCapacity = 2 * data.Workers,
            ResultCapacity = 2 * data.Workers,
            FrameInterval = data.FrameInterval,
            LongCycleSamplingRate = multigrid is not null && data.Multigrid!.LongCycle ? multigrid.SamplingRateRange(0, data.FrameInterval).Max : 0,
            Recipe = s => Recipes.ForCrop(data.Recipe, s, data.Crop),
            ReducedScaleDecoding = data.JpegScaling != "off",
            CoveringScaleDecoding = data.JpegScaling == "covering",
            Classes = !mix && data.LabelSmoothing > 0 ? classes : null,
            LabelSmoothing = !mix ? data.LabelSmoothing : 0,
            DropLast = true,
            Device = device,
        });
        if (train.IterationsIn(0) == 0)
        {
            train.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new ToolkitError(data.Train, $"has {trainSet.Count} samples, fewer than one batch of {data.Batch}", "lower data.batch or add samples");
        }
        ClipLoader? val = null;
        int valSamples = 0;
        if (data.Val is not null)
        {
            var valSet = Open(data.Val);
            valSamples = valSet.Count;
            int views = data.ValClips * (data.ValRecipe == "three" ? 3 : 1);
            val = new ClipLoader(valSet, new LoaderOptions
            {
                Seed = config.Seed,
                Shapes = new FixedShapes(Math.Max(1, data.Batch / views), data.ClipLen, data.Crop),
                Workers = data.Workers,
                QueueCapacity = 2 * data.Workers,
                ResultCapacity = 2 * data.Workers,
                FrameInterval = data.FrameInterval,
                TestMode = true,
                Clips = data.ValClips,
                Shuffle = false,
                DropLast = false,
                Recipe = s => Recipes.ForCrop(data.ValRecipe, s, data.Crop),
                Device = device,
            });
        }
        var mixer = mix
            ? new BatchMixer(new MixOptions { NumClasses = classes, MixupAlpha = data.Mixup, CutmixAlpha = data.Cutmix, LabelSmoothing = data.LabelSmoothing })
            : null;
        return new LoaderTrainingData(train, val, mixer, multigrid, classes, names, trainSet.Count, valSamples, config.Seed) { BatchSize = data.Batch };
    }

    /// <summary>The class count and names of <paramref name="data"/> (its label map, or <c>data.classes</c>).</summary>
    /// <exception cref="ToolkitError">A label map that does not exist, or no classes.</exception>
    internal static (int Classes, IReadOnlyList<string> Names) ReadClasses(DataConfig data)
    {
        IReadOnlyList<string> names = [];
        if (data.LabelMap is not null)
        {
            if (!File.Exists(data.LabelMap))
                throw new ToolkitError(data.LabelMap, "label map not found", "run toolkit lists, or set data.classes instead");
            names = File.ReadAllLines(data.LabelMap).Where(l => l.Length > 0).ToList();
        }
        int classes = data.Classes > 0 ? data.Classes : names.Count;
        if (classes < 1)
            throw new ToolkitError(data.LabelMap ?? "data.classes", "gives no classes");
        return (classes, names);
    }

    /// <summary>The dataset <paramref name="list"/> names under <c>data.root</c>; every label checked against <paramref name="classes"/>.</summary>
    /// <exception cref="ToolkitError">A missing list or root, a malformed line, or a label out of range.</exception>
    internal static IVideoDataset OpenDataset(DataConfig data, string list, int classes)
    {
        if (!File.Exists(list))
            throw new ToolkitError(list, "list file not found", "run toolkit lists on the extracted rawframes, or fix the path (relative to the current directory)");
        if (!Directory.Exists(data.Root))
            throw new ToolkitError(data.Root, "data root folder not found", "set data.root to the folder the list's paths are relative to");
        IVideoDataset ds = data.Kind == DataKind.Rawframes
            ? RawframeDataset.FromList(list, data.Root, new RawframeOptions { Kind = ClipKind.Rgb, StartIndex = data.StartIndex })
            : VideoDataset.FromList(list, data.Root);
        for (int i = 0; i < ds.Count; i++)
        {
            foreach (int label in ds[i].Labels)
            {
                if (label < 0 || label >= classes)
                    throw new ToolkitError(list, $"line {ds[i].Line} has label {label}, outside 0..{classes - 1}", "set data.classes (or data.label_map) to the dataset's class count");
            }
        }
        return ds;
    }

    /// <inheritdoc />
    public int IterationsIn(int epoch) => _train.IterationsIn(epoch);

    /// <inheritdoc />
    public async IAsyncEnumerable<TrainingBatch> TrainAsync(int epoch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int splits = _multigrid?.BatchNorm(epoch) is { Kind: BatchNormKind.SubBatchNorm } bn ? bn.Splits : 1;
        await foreach (var batch in _train.EpochAsync(epoch, cancellationToken).ConfigureAwait(false))
        {
            using (batch)
            {
                if (_mixer is null)
                {
                    yield return new TrainingBatch(epoch, batch.Iteration, batch.Inputs, batch.Labels, batch.Targets, batch.ViewsPerSample, splits);
                    continue;
                }
                // Per-batch generator seeded from (run seed, epoch, iteration): the same batch mixes the same way on every run and resume.
                using var generator = new Generator(Seeds.Mix(_seed, epoch, batch.Iteration), batch.Inputs.device);
                using var mixed = _mixer.Mix(batch.Inputs, batch.Labels, generator);
                yield return new TrainingBatch(epoch, batch.Iteration, mixed.Videos, batch.Labels, mixed.Targets, batch.ViewsPerSample, splits);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TrainingBatch> ValidateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_val is null)
            yield break;
        await foreach (var batch in _val.EpochAsync(0, cancellationToken).ConfigureAwait(false))
        {
            using (batch)
                yield return new TrainingBatch(0, batch.Iteration, batch.Inputs, batch.Labels, null, batch.ViewsPerSample, 1);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _train.DisposeAsync().ConfigureAwait(false);
        if (_val is not null)
            await _val.DisposeAsync().ConfigureAwait(false);
    }
}
