namespace Faas.Cli.Tests.Support;

/// <summary>Minimal csharp templates written into a test's own folder (never into the repo's templates/).</summary>
public static class TestTemplates
{
    public const string WelcomeMessage = "Your C# function is ready: edit Handler.cs.";

    /// <summary>A fake tool folder: templates/csharp with a tiny handler, and a packages/ feed with a dummy package.</summary>
    public static string CreateToolDirectory(CliRunner runner)
    {
        var tool = runner.PathOf("tool");
        WriteTemplate(Path.Combine(tool, "templates", "csharp"));
        Directory.CreateDirectory(Path.Combine(tool, "packages"));
        File.WriteAllText(Path.Combine(tool, "packages", "Faas.Function.0.1.0.nupkg"), "not a real package");
        return tool;
    }

    /// <summary>A buildable csharp template: Function.csproj referencing Faas.Function 0.1.0 and a string handler.</summary>
    public static void WriteTemplate(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "function"));
        File.WriteAllText(Path.Combine(directory, "template.yml"), $"""
            language: csharp
            fprocess: dotnet Function.dll
            welcome_message: |
              {WelcomeMessage}
            """);
        File.WriteAllText(Path.Combine(directory, "function", "Function.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Faas.Function" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "function", "Handler.cs"), """
            using Faas.Function;

            namespace Function;

            public sealed class Handler : IStringFunction
            {
                public Task<string> HandleAsync(string input, FunctionContext context, CancellationToken cancellationToken) =>
                    Task.FromResult($"Hello, {input}");
            }
            """);
    }
}
