using System.CommandLine;

namespace Faas.Cli.Commands;

/// <summary>Options that describe a single function on the command line instead of a stack file (build, deploy, up).</summary>
public static class FunctionOptions
{
    public static readonly Option<string?> Image = new("--image") { Description = "Image of the function (deploy/build without a stack file)" };

    public static readonly Option<string?> Name = new("--name") { Description = "Name of the function (with --image)" };

    public static readonly Option<string?> Handler = new("--handler") { Description = "Handler folder (build with --image)" };

    public static readonly Option<string?> Lang = new("--lang") { Description = "Template language (build with --image; default csharp)" };

    public static readonly Option<string?> Tag = new("--tag")
    {
        Description = "Image tag: latest (as written), sha, branch or describe (from git)",
    };
}
