using Toolkit.Core;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Ingest.Tests.Discovery;

[Trait("Category", "Unit")]
public class ShardSpecTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/16", 3, 16)]
    [InlineData("999999/1000000", 999999, 1000000)]
    public void Parse_IndexSlashCount_ReturnsShard(string text, int index, int count)
    {
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("4/3")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("0/1000001")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    [InlineData("a/b")]
    [InlineData(" 1/2")]
    [InlineData("")]
    public void Parse_Malformed_ThrowsToolkitErrorNamingShard(string text)
    {
        var error = Assert.Throws<ToolkitError>(() => ShardSpec.Parse(text));

        Assert.Equal("ShardSpec", error.Subject);
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("INDEX/COUNT", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    public void Owns_EveryKey_BelongsToExactlyOneShard(int count)
    {
        var keys = Keys(3000);
        var shards = Enumerable.Range(0, count).Select(i => new ShardSpec(i, count)).ToArray();
        var sizes = new int[count];

        foreach (string key in keys)
        {
            var owners = shards.Where(s => s.Owns(key)).ToList();
            Assert.True(owners.Count == 1, $"{key} is owned by {owners.Count} of {count} shards");
            Assert.Equal((int)(StableHash.Of(key) % (ulong)count), owners[0].Index); // the documented rule, so every machine agrees
            sizes[owners[0].Index]++;
        }

        // Balanced: FNV-1a spreads these keys within 25 % of an even share (a fixed set, so this never flakes).
        double share = keys.Count / (double)count;
        Assert.All(sizes, n => Assert.InRange(n, share * 0.75, share * 1.25));
    }

    [Fact]
    public void Owns_SameKeyTwice_SameAnswer()
    {
        var shard = new ShardSpec(2, 5);

        foreach (string key in Keys(200))
            Assert.Equal(shard.Owns(key), new ShardSpec(2, 5).Owns(key));
    }

    [Theory]
    [InlineData(0, 1, "00000-of-00001")]
    [InlineData(3, 16, "00003-of-00016")]
    public void Tag_FormatsIndexAndCount(int index, int count, string tag)
    {
        Assert.Equal(tag, new ShardSpec(index, count).Tag);
        Assert.Equal($"{index}/{count}", new ShardSpec(index, count).ToString());
    }

    private static List<string> Keys(int n) =>
        Enumerable.Range(0, n).Select(i => $"class_{i % 13}/video_{i:D5}.mp4").ToList();
}
