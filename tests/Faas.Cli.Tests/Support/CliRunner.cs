using System.Text;

namespace Faas.Cli.Tests.Support;

/// <summary>Result of one in-process faas-cli run.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>
/// Runs faas-cli in-process in its own temp folder, with its own environment, config folder,
/// artifact store and fake gateway, so tests can run in parallel.
/// </summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), "faas-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
        Environment["OPENFAAS_CONFIG"] = Path.Combine(Directory, ".openfaas-config");
        Environment["FAAS_ARTIFACT_STORE"] = Path.Combine(Directory, ".artifacts");
    }

    public string Directory { get; }

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public FakeGateway Gateway { get; } = new();

    /// <summary>When false the real socket handler is used (connection-refused tests).</summary>
    public bool UseFakeGateway { get; set; } = true;

    public string? ToolDirectory { get; set; }

    /// <summary>The dotnet executable build runs (a fake script in fast build tests).</summary>
    public string DotnetPath { get; set; } = "dotnet";

    /// <summary>Replaces the stdout capture for one run (e.g. a <see cref="WatchedWriter"/>).</summary>
    public StringWriter? Output { get; set; }

    public string PathOf(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    public void Write(string relativePath, string text)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithStdinAsync(null, args);

    public async Task<CliResult> RunWithStdinAsync(string? stdin, params string[] args)
    {
        var output = Output ?? new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Err = error,
            Stdin = stdin is null ? Stream.Null : new MemoryStream(Encoding.UTF8.GetBytes(stdin)),
            StdinRedirected = stdin is not null,
            GetEnvironmentVariable = name => Environment.TryGetValue(name, out var value) ? value : null,
            CurrentDirectory = Directory,
            HomeDirectory = PathOf("home"),
            HttpHandler = UseFakeGateway ? Gateway : null,
            ToolDirectory = ToolDirectory ?? AppContext.BaseDirectory,
            DotnetPath = DotnetPath,
        };

        var exitCode = await CliApp.InvokeAsync(context, args);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
