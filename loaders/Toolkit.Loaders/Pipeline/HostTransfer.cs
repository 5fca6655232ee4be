using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Toolkit.Loaders.Pipeline;

/// <summary>
/// Moves a collated batch from host memory to its device: through pinned (page-locked) memory with a non-blocking copy
/// when pinning works, else a plain (pageable, blocking) copy. Pinning needs a CUDA driver; a libtorch without one
/// (the CPU build, or a CUDA build on a machine without a GPU) refuses it with an error, so the first refusal is
/// remembered (<see cref="PinFailure"/>) and every later batch goes the pageable way without trying again.
/// </summary>
internal sealed class HostTransfer
{
    private readonly Device? _device;
    private readonly bool _pin;
    private volatile string? _pinFailure;

    /// <summary>Transfers to <paramref name="device"/> (null or CPU: the host tensor itself); <paramref name="pin"/>: try pinned memory first.</summary>
    public HostTransfer(Device? device, bool pin)
    {
        _device = device;
        _pin = pin;
    }

    /// <summary>True when batches leave the host (a CUDA device).</summary>
    public bool ToAccelerator => _device is not null && _device.type != TorchSharp.DeviceType.CPU;

    /// <summary>Why pinning was given up (libtorch's message), or null while it works or was never tried.</summary>
    public string? PinFailure => _pinFailure;

    /// <summary>
    /// A page-locked copy of <paramref name="host"/> when pinning works here, else <paramref name="host"/> itself
    /// (pinning refused, or turned off). The input is never changed.
    /// </summary>
    public Tensor Pinned(Tensor host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!_pin || _pinFailure is not null || host.device_type != TorchSharp.DeviceType.CPU)
            return host;
        if (host.is_pinned())
            return host;
        try
        {
            return host.pin_memory();
        }
        catch (ExternalException e)
        {
            _pinFailure = e.Message.Split('\n')[0];
            return host;
        }
    }

    /// <summary>
    /// <paramref name="host"/> on the device: pinned and copied without blocking where pinning works, else copied
    /// blocking; on the CPU, <paramref name="host"/> itself. The caller owns the result (the same tensor on the CPU).
    /// </summary>
    public Tensor ToDevice(Tensor host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!ToAccelerator)
            return host;
        var staged = Pinned(host);
        return staged.to(_device!, non_blocking: staged.is_pinned());
    }
}
