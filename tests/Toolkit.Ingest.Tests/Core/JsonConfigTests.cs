using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Core;
using Toolkit.Core.Json;

namespace Toolkit.Ingest.Tests.Core;

public sealed class JsonConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("toolkit-jsonconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public enum Shape { Small, LargeOne }

    public sealed record Inner
    {
        public int Batch { get; init; } = 1;
        public IReadOnlyList<int> Steps { get; init; } = [];
        public Shape Shape { get; init; }
    }

    public sealed record Sample
    {
        public long Seed { get; init; }
        public double? Lr { get; init; }
        public bool Flag { get; init; }
        public Inner Data { get; init; } = new();
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    [Theory]
    [InlineData("bacth", "batch")]
    [InlineData("BATCH", "batch")]
    [InlineData("cliplen", "clip_len")]
    [InlineData("frame-intreval", "frame_interval")]
    [InlineData("wokers", "workers")]
    [InlineData("zzzzz", null)]
    [InlineData("crops", "crop")]
    public void Spelling_Closest_FindsPlausibleTyposOnly(string typed, string? expected)
    {
        string[] known = ["batch", "clip_len", "frame_interval", "workers", "crop", "classes"];
        Assert.Equal(expected, Spelling.Closest(typed, known));
    }

    [Fact]
    public void Spelling_Distance_CountsASwapAsOneEdit()
    {
        Assert.Equal(1, Spelling.Distance("bacth", "batch"));
        Assert.Equal(2, Spelling.Distance("abcd", "badc"));
        Assert.Equal(3, Spelling.Distance("", "abc"));
        Assert.Equal(0, Spelling.Distance("same", "same"));
    }

    [Fact]
    public void Locate_FindsKeysAndArrayElements_PastCommentsAndWideCharacters()
    {
        string text = "{\n  // a comment with \"batch\": 9 in it\n  \"seed\": 1,\n  \"data\": {\"name\": \"é日本\", \"batch\": 2,\n    \"steps\": [0,\n      10, [5, 6]]}\n}";
        var source = new JsonSourceText("f.json", text);
        Assert.Equal(new TextPosition(3, 3), source.Locate("seed"));
        Assert.Equal(new TextPosition(4, 3), source.Locate("$.data"));
        Assert.Equal(new TextPosition(4, 27), source.Locate("data.batch"));
        Assert.Equal(new TextPosition(5, 5), source.Locate("data.steps"));
        Assert.Equal(new TextPosition(5, 15), source.Locate("data.steps[0]"));
        Assert.Equal(new TextPosition(6, 7), source.Locate("data.steps[1]"));
        Assert.Equal(new TextPosition(6, 15), source.Locate("data.steps[2][1]"));
        Assert.Null(source.Locate("data.crop"));
        Assert.Null(source.Locate("batch"));
    }

    [Fact]
    public void Cite_PrefixesTheKeysPosition_OnlyWhenTheProblemStartsWithAWrittenKey()
    {
        var source = new JsonSourceText("f.json", "{\"data\": {\"batch\": 0}}");
        Assert.Equal("f.json:1:11: data.batch is 0", source.Cite("data.batch is 0"));
        Assert.Equal("f.json: data.crop is 0", source.Cite("data.crop is 0"));
        Assert.Equal("f.json: neither x nor y", source.Cite("neither x nor y"));
    }

    [Theory]
    [InlineData("{\"seed\": 1,\n \"data\": {\"bacth\": 2}}", "2:11", "data.bacth is not a known key; did you mean \"batch\"?")]
    [InlineData("{\"sed\": 1}", "1:2", "sed is not a known key; did you mean \"seed\"?")]
    [InlineData("{\"qqqqqq\": 1}", "1:2", "qqqqqq is not a known key; the known keys are seed, lr, flag, data")]
    [InlineData("{\"data\": {\"zzzzzz\": 1}}", "1:11", "data.zzzzzz is not a known key; the known keys of data are batch, steps, shape")]
    [InlineData("{\"data\": {\"batch\": \"two\"}}", "1:11", "data.batch must be an integer, not the string \"two\"")]
    [InlineData("{\"data\": {\"batch\": 2.5}}", "1:11", "data.batch must be an integer, not the number 2.5")]
    [InlineData("{\"data\": {\"batch\": null}}", "1:11", "data.batch must be an integer, not null")]
    [InlineData("{\"seed\": true}", "1:2", "seed must be an integer, not true")]
    [InlineData("{\"lr\": \"fast\"}", "1:2", "lr must be a number or null, not the string \"fast\"")]
    [InlineData("{\"flag\": 1}", "1:2", "flag must be true or false, not the number 1")]
    [InlineData("{\"data\": {\"shape\": \"big\"}}", "1:11", "data.shape must be one of \"small\", \"large_one\", not the string \"big\"")]
    [InlineData("{\"data\": {\"steps\": 3}}", "1:11", "data.steps must be an array of integers, not the number 3")]
    [InlineData("{\"data\": {\"steps\": [1,\n  {}]}}", "2:3", "data.steps[1] must be an integer, not an object")]
    [InlineData("{\"data\": 5}", "1:2", "data must be an object, not the number 5")]
    public void Read_BadValue_CitesFileLineColumn_KeyPath_ExpectedTypeInJsonWords(string json, string position, string expected)
    {
        string path = Write(json);
        var e = Assert.Throws<ToolkitError>(() => JsonConfig.Read<Sample>(path, Options, "see the example"));
        Assert.Equal($"{path}:{position}: {expected}. see the example".Replace("?. see", "? see", StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("$.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"seed\": 1\n \"lr\": 2}", "2:2")]
    [InlineData("{\n  \"seed\" 1}", "2:10")]
    [InlineData("{\"seed\": 1,\n", "2:1")]
    [InlineData("", "1:1")]
    public void Read_InvalidJson_CitesTheOneBasedPosition(string json, string position)
    {
        string path = Write(json);
        var e = Assert.Throws<ToolkitError>(() => JsonConfig.Read<Sample>(path, Options, null));
        Assert.StartsWith($"{path}:{position}: is not valid JSON: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", e.Message, StringComparison.Ordinal);
        Assert.Contains("comments and trailing commas are allowed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommentsAndTrailingCommas_AreAccepted()
    {
        var (value, source) = JsonConfig.Read<Sample>(Write("{\n // note\n \"seed\": 3, \"data\": {\"batch\": 4, \"steps\": [1, 2,],},\n}"), Options, null);
        Assert.Equal(3, value.Seed);
        Assert.Equal([1, 2], value.Data.Steps);
        Assert.Equal(new TextPosition(3, 13), source.Locate("data"));
    }

    [Fact]
    public void Read_NullDocument_AndAFolder_AreClearErrors()
    {
        var e = Assert.Throws<ToolkitError>(() => JsonConfig.Read<Sample>(Write("null"), Options, null));
        Assert.EndsWith("holds null, not a JSON object", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ToolkitError>(() => JsonConfig.Read<Sample>(_dir, Options, null));
        Assert.StartsWith($"{_dir}: cannot be read", e.Message, StringComparison.Ordinal);
    }

    private string Write(string json)
    {
        string path = Path.Combine(_dir, $"c{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
