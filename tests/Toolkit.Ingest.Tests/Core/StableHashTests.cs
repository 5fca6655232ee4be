using System.Text;
using Toolkit.Core;

namespace Toolkit.Ingest.Tests.Core;

[Trait("Category", "Unit")]
public class StableHashTests
{
    [Fact]
    public void Of_EmptyString_IsTheFnv1a64OffsetBasis()
    {
        Assert.Equal(14695981039346656037UL, StableHash.Of(""));
    }

    [Theory]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)] // FNV-1a 64 test vectors (Fowler, Noll, Vo)
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Of_KnownVectors_MatchPublishedValues(string text, ulong expected)
    {
        Assert.Equal(expected, StableHash.Of(text));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("walking/vtest.avi")]
    [InlineData("café \"déjà\" vu's.mp4")]
    public void Of_AnyText_EqualsFnv1a64OverItsUtf8Bytes(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 1099511628211UL;

        Assert.Equal(hash, StableHash.Of(text));
    }

    [Fact]
    public void Of_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => StableHash.Of(null!));
    }
}
