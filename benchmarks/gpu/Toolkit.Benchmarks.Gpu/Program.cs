using System.Globalization;
using Toolkit.Benchmarks.Gpu;
using Toolkit.Core;

// The GPU benchmark's C# side; benchmarks/gpu/run.sh runs it (docs/gpu.md). One JSON line per measurement, to stdout
// and appended to --out. Hand-written timed loops: warm-up, then iterations between device synchronizations.
//   env                                      what was bound (libtorch files, CUDA, GPU) and a checked computation
//   model --model M --batch B --precision fp32|bf16 [--layout contiguous|channels_last] [--frames T --crop S --seconds s]
//   augment --batch B [--frames T --crop S]  normalize, mixup, CutMix, flip, resize on device tensors
//   h2d --batch B [--frames T --crop S]      uint8 batches to the device: pageable, pinned, the loader's path
//   multigrid --model M --width W --iters N  training over a multigrid schedule's shapes
// Every mode takes --device cpu|cuda|cuda:N (default cpu) and --out FILE.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: gpubench env|model|augment|h2d|multigrid [--key value ...] (benchmarks/gpu/run.sh)");
    return 2;
}
try
{
    var options = new Args(args.Skip(1));
    switch (args[0])
    {
        case "env":
            return EnvReport.Run(options);
        case "model":
            ModelBench.Run(options);
            return 0;
        case "augment":
            AugmentBench.Run(options);
            return 0;
        case "h2d":
            TransferBench.Run(options);
            return 0;
        case "multigrid":
            MultigridBench.Run(options);
            return 0;
        default:
            throw new ToolkitError(args[0], "is not a mode", "use env, model, augment, h2d or multigrid");
    }
}
catch (ToolkitError e)
{
    Console.Error.WriteLine($"gpubench: error: {e.Message}");
    return 2;
}
catch (TypeInitializationException e) when (e.TypeName == "TorchSharp.torch")
{
    // TorchSharp found no libtorch: run through kit/run-with-libtorch.sh (docs/gpu.md), which puts PyTorch's on the path.
    string why = (e.InnerException?.Message ?? e.Message).Split('\n')[0];
    Console.Error.WriteLine($"gpubench: error: no libtorch could be loaded ({why}); run it through run-with-libtorch.sh, which binds PyTorch's (docs/gpu.md)");
    return 2;
}
catch (System.Runtime.InteropServices.ExternalException e)
{
    // libtorch's own error (a shape a model cannot take, out of device memory): its first line, not the C++ trace.
    Console.Error.WriteLine($"gpubench: error: {args[0]}: libtorch: {e.Message.Split('\n')[0]}");
    return 1;
}
