namespace Toolkit.Trainers.Abstractions;

/// <summary>The version of this contract. A host loads a plugin only when the plugin was built against the same version.</summary>
/// <remarks>
/// Bump <see cref="Version"/> on any breaking change to a type in this assembly (a removed or changed member, a new
/// member on an interface a plugin implements). Additions a plugin can ignore (a new optional record property) keep it.
/// </remarks>
public static class TrainerContract
{
    /// <summary>The contract version this assembly defines.</summary>
    public const int Version = 1;
}
