using Faas.Cli.Generate;
using YamlDotNet.RepresentationModel;

namespace Faas.Cli.Tests.Generate;

public class YamlTextTests
{
    [Theory]
    [InlineData("plain-text", false)]
    [InlineData("ghcr.io/acme/echo:0.1", false)]
    [InlineData("dotnet Function.dll", false)]
    [InlineData("", true)]
    [InlineData("2", true)]
    [InlineData("1.5", true)]
    [InlineData("0x1F", true)]
    [InlineData("true", true)]
    [InlineData("no", true)]
    [InlineData("null", true)]
    [InlineData("~", true)]
    [InlineData("-dash", true)]
    [InlineData("key:", true)]
    [InlineData("a: b", true)]
    [InlineData("a #b", true)]
    [InlineData("2024-01-01", true)]
    [InlineData(" leading", true)]
    [InlineData("multi\nline \"quoted\" \\ back", true)]
    [InlineData("*alias", true)]
    public void Quote_ReadsBackAsTheSameString(string value, bool quoted)
    {
        var text = new YamlText().Scalar(0, "k", value).ToString();

        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var node = (YamlScalarNode)((YamlMappingNode)yaml.Documents[0].RootNode)["k"];
        Assert.Equal(value, node.Value);
        Assert.Equal(quoted, node.Style == YamlDotNet.Core.ScalarStyle.DoubleQuoted);
    }
}
