using Faas.Contracts.Units;

namespace Faas.Contracts.Tests.Units;

public class ByteSizeTests
{
    [Theory]
    [InlineData("1048576", 1048576)]
    [InlineData("512Ki", 512 * 1024)]
    [InlineData("16Mi", 16 * 1024 * 1024)]
    [InlineData("1Gi", 1024L * 1024 * 1024)]
    [InlineData(" 2Mi ", 2 * 1024 * 1024)]
    public void TryParse_ReadsBytesAndBinarySuffixes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("16MB")]
    [InlineData("-1")]
    [InlineData("1.5Mi")]
    [InlineData("Mi")]
    [InlineData("99999999999999999999")]
    public void TryParse_RejectsOtherText(string text) => Assert.False(ByteSize.TryParse(text, out _));
}
