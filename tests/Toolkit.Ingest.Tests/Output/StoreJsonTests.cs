using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Ingest.Output;

namespace Toolkit.Ingest.Tests.Output;

/// <summary>
/// The store's compile-time JSON (<see cref="StoreJson"/>) writes exactly what the reflection-based serializer with the
/// store's former options wrote, and reads it back: settings.json and its hash, and manifest lines of earlier runs,
/// stay valid across the change.
/// </summary>
[Trait("Category", "Unit")]
public class StoreJsonTests
{
    /// <summary>The options the store used before <see cref="StoreJson"/>, resolved by reflection.</summary>
    private static readonly JsonSerializerOptions Reflection = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static TheoryData<ExtractSettings> Settings() =>
    [
        new ExtractSettings(),
        new ExtractSettings { Task = ExtractTask.Flow, Flow = FlowAlgorithm.Dis, DisPreset = DisPreset.Ultrafast, Level = 1 },
        new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.TvL1, Size = new FrameSize(340, 256), ShortSide = 0, NoUpscale = true },
        new ExtractSettings { Task = ExtractTask.Flow, Flow = FlowAlgorithm.Farneback, DisPreset = DisPreset.Medium, Fps = 12.5, JpegQuality = 90, StartIndex = 0, FlowBound = 15.5 },
    ];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Settings_SameBytesAsReflection_AndReadBack(ExtractSettings settings)
    {
        string generated = JsonSerializer.Serialize(settings, OutputStore.Json);

        Assert.Equal(JsonSerializer.Serialize(settings, Reflection), generated);
        Assert.Equal(settings, JsonSerializer.Deserialize<ExtractSettings>(generated, OutputStore.Json));
    }

    [Fact]
    public void Settings_EnumNamesAreSnakeCase_AsEarlierRunsWroteThem()
    {
        string json = JsonSerializer.Serialize(new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.TvL1 }, OutputStore.Json);

        Assert.Contains("\"task\":\"both\"", json, StringComparison.Ordinal);
        Assert.Contains("\"flow\":\"tv_l1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"dis_preset\":\"fast\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"size\"", json, StringComparison.Ordinal); // null: left out
    }

    [Fact]
    public void ManifestEntry_SameBytesAsReflection_AndReadBack()
    {
        var entries = new[]
        {
            new ManifestEntry
            {
                Output = "cls/clip", Source = "cls/clip.mp4", SourcePath = "/data/cls/clip.mp4", SourceSize = 1234567, SourceMtime = 1764979200123,
                SourceInode = 42, Class = "cls", Frames = 300, DecodedFrames = 300, Flows = 299, Width = 455, Height = 256, Fps = 29.97,
                Bytes = 9876543, Settings = "0123456789abcdef", Notes = ["ffmpeg: 2 packets repaired"], Completed = new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero),
            },
            new ManifestEntry
            {
                Output = "clip_000012_000022", Source = "clip.mp4", SourcePath = "/data/clip.mp4", SegmentStart = 12, SegmentEnd = 22,
                Settings = "fedcba9876543210", Retracted = true, Completed = new DateTimeOffset(2026, 12, 6, 17, 0, 1, TimeSpan.FromHours(1)),
            },
        };

        foreach (var entry in entries)
        {
            string generated = JsonSerializer.Serialize(entry, OutputStore.Json);
            Assert.Equal(JsonSerializer.Serialize(entry, Reflection), generated);

            var back = JsonSerializer.Deserialize<ManifestEntry>(generated, OutputStore.Json)!;
            Assert.Equal(JsonSerializer.Serialize(back, Reflection), generated);
        }
    }
}
