namespace Faas.Cli;

/// <summary>
/// Everything a command touches outside itself: console streams, environment, working directory,
/// home directory and the HTTP stack. Program.cs builds one from the real console; tests build
/// one around string writers, a dictionary and a fake <see cref="HttpMessageHandler"/>.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Err { get; init; }

    /// <summary>Raw standard output for binary responses (invoke); null writes text to <see cref="Out"/>.</summary>
    public Stream? OutStream { get; init; }

    public Stream Stdin { get; init; } = Stream.Null;

    /// <summary>True when stdin is a pipe or file, so invoke reads its body from it.</summary>
    public bool StdinRedirected { get; init; }

    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    public string CurrentDirectory { get; init; } = Directory.GetCurrentDirectory();

    public string HomeDirectory { get; init; } = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Folder holding the built-in <c>templates/</c> and the <c>packages/</c> feed (next to faas-cli.dll).</summary>
    public string ToolDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>When set, every gateway call goes through this handler (tests); otherwise a real socket handler.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>The <c>dotnet</c> executable used by build.</summary>
    public string DotnetPath { get; init; } = "dotnet";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string? Env(string name)
    {
        var value = GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A path relative to <see cref="CurrentDirectory"/> made absolute.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, CurrentDirectory);

    public static CliContext FromConsole() => new()
    {
        Out = Console.Out,
        Err = Console.Error,
        OutStream = Console.OpenStandardOutput(),
        Stdin = Console.OpenStandardInput(),
        StdinRedirected = Console.IsInputRedirected,
    };
}
