using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolkit.Ingest.Output;

/// <summary>
/// Compile-time JSON metadata for what the output store reads and writes (settings.json, manifest lines), with the
/// store's naming: snake_case keys, nulls left out, enums as snake_case strings. Generated at build time instead of by
/// reflection at run time: reflection-based System.Text.Json compiled about 500 methods on every <c>toolkit extract</c>
/// start. The bytes are the same as the reflection-based serializer's with the same options (tested), so settings
/// hashes and manifests written by earlier versions stay valid.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false,
    Converters = [typeof(SnakeCase<ExtractTask>), typeof(SnakeCase<FlowAlgorithm>), typeof(SnakeCase<DisPreset>)])]
[JsonSerializable(typeof(ExtractSettings))]
[JsonSerializable(typeof(ManifestEntry))]
internal sealed partial class StoreJson : JsonSerializerContext
{
    /// <summary>An enum as its snake_case name (<c>TvL1</c> → <c>"tv_l1"</c>), as the store has always written them.</summary>
    internal sealed class SnakeCase<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower)
        where TEnum : struct, Enum;
}
