namespace Toolkit.Trainers.Abstractions;

/// <summary>What a plugin declares about itself.</summary>
/// <param name="Name">Plugin name, as users type it (<c>--plugin video-classifier</c>): lower case, digits and dashes.</param>
/// <param name="Version">The plugin's own version.</param>
/// <param name="ContractVersion">The <see cref="TrainerContract.Version"/> it was built against.</param>
/// <param name="Description">One line for <c>toolkit plugins</c>.</param>
/// <param name="OptionsSchema">A JSON Schema (draft 2020-12) of the plugin's options section, as text.</param>
public sealed record TrainerDescriptor(string Name, Version Version, int ContractVersion, string Description, string OptionsSchema);
