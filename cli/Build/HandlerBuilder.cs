using System.Diagnostics;
using System.Xml.Linq;
using Faas.Contracts.Artifacts;

namespace Faas.Cli.Build;

/// <summary>What to build: one function's handler into the artifact for its image.</summary>
public sealed record BuildJob(string Name, string Lang, string Image, string HandlerDirectory)
{
    /// <summary>MSBuild properties (<c>-p:KEY=VALUE</c>): the stack's build_args and <c>--build-arg</c>.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Local NuGet feeds added to restore (the Faas.Function package).</summary>
    public IReadOnlyList<string> PackageFeeds { get; init; } = [];
}

/// <summary>
/// Builds a .NET handler for the process backend: <c>dotnet publish</c> into a temporary folder
/// next to <c>&lt;store&gt;/&lt;ArtifactStore.KeyFor(image)&gt;</c>, then the manifest, then a swap into place.
/// </summary>
/// <remarks>
/// 1. Find the project (Function.csproj, else the only *.csproj) and its assembly name.
/// 2. Publish into <c>&lt;key&gt;.tmp-&lt;id&gt;</c>, streaming dotnet's output prefixed with the function name.
/// 3. Write <c>faas-artifact.json</c> last, so a folder with a manifest is always complete.
/// 4. Move the old folder aside, move the new one in, delete the old one.
/// </remarks>
public sealed class HandlerBuilder
{
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly CliContext _context;
    private readonly string _storeRoot;
    private readonly object _outputLock = new();

    public HandlerBuilder(CliContext context, string storeRoot)
    {
        _context = context;
        _storeRoot = storeRoot;
    }

    /// <summary>The project file of a .NET handler, or null when the folder holds none.</summary>
    public static string? FindProject(string handlerDirectory)
    {
        var preferred = Path.Combine(handlerDirectory, "Function.csproj");
        if (File.Exists(preferred))
        {
            return preferred;
        }

        var projects = Directory.GetFiles(handlerDirectory, "*.csproj");
        return projects.Length == 1 ? projects[0] : null;
    }

    /// <summary>The csproj's AssemblyName (when literal) or its file name, plus <c>.dll</c>.</summary>
    public static string AssemblyFileName(string projectPath)
    {
        try
        {
            var name = XDocument.Load(projectPath).Descendants()
                .Where(e => e.Name.LocalName == "AssemblyName")
                .Select(e => e.Value.Trim())
                .LastOrDefault(v => v.Length > 0 && !v.Contains("$(", StringComparison.Ordinal));
            if (name is not null)
            {
                return name + ".dll";
            }
        }
        catch (System.Xml.XmlException)
        {
            // dotnet publish reports a malformed project better than we can.
        }

        return Path.GetFileNameWithoutExtension(projectPath) + ".dll";
    }

    /// <summary>Builds one function; returns the artifact folder, or throws <see cref="CommandFailedException"/>.</summary>
    public async Task<string> BuildAsync(BuildJob job, bool quiet, CancellationToken cancellationToken = default)
    {
        // 1. Project and assembly.
        var project = FindProject(job.HandlerDirectory) ?? throw new CommandFailedException(
            $"function '{job.Name}': no .csproj in {job.HandlerDirectory}; the process backend builds .NET handlers only");
        var assembly = AssemblyFileName(project);
        var target = ArtifactStore.PathFor(_storeRoot, job.Image);
        var temp = $"{target}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(_storeRoot);

        try
        {
            // 2. Publish (after dropping a stale cached copy of the SDK package, see SdkPackageCache).
            foreach (var evicted in SdkPackageCache.EvictStale(job.PackageFeeds, SdkPackageCache.GlobalPackagesFolder(_context)))
            {
                WriteLines(job.Name, [$"refreshing the cached package {evicted}: it differs from the one this faas-cli ships"]);
            }

            var captured = new List<string>();
            var exitCode = await RunDotnetPublishAsync(job, project, temp, quiet, captured, cancellationToken);
            if (exitCode != 0)
            {
                if (quiet)
                {
                    WriteLines(job.Name, captured);
                }

                throw new CommandFailedException($"function '{job.Name}': dotnet publish failed with exit code {exitCode}");
            }

            if (!File.Exists(Path.Combine(temp, assembly)))
            {
                throw new CommandFailedException($"function '{job.Name}': dotnet publish did not produce {assembly} in {temp}");
            }

            // 3. Manifest last.
            new ArtifactManifest
            {
                Image = job.Image,
                Lang = job.Lang,
                HandlerAssembly = assembly,
                BuiltAt = _context.Time.GetUtcNow(),
            }.Write(temp);

            // 4. Swap.
            string? old = null;
            if (Directory.Exists(target))
            {
                old = $"{target}.old-{Guid.NewGuid():N}";
                Directory.Move(target, old);
            }

            Directory.Move(temp, target);
            if (old is not null)
            {
                TryDelete(old);
            }

            return target;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private async Task<int> RunDotnetPublishAsync(BuildJob job, string project, string output, bool quiet, List<string> captured, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_context.DotnetPath)
        {
            WorkingDirectory = job.HandlerDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-o", output, "--nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        if (job.PackageFeeds.Count > 0)
        {
            // %3B is MSBuild's escaped ';' so several feeds stay one property value.
            start.ArgumentList.Add("-p:RestoreAdditionalProjectSources=" + string.Join("%3B", job.PackageFeeds));
        }

        foreach (var (key, value) in job.BuildArgs)
        {
            start.ArgumentList.Add($"-p:{key}={value}");
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CommandFailedException($"cannot run '{_context.DotnetPath}': {ex.Message}; is the .NET SDK installed?", ex);
        }

        process.StandardInput.Close();
        var pump = Task.WhenAll(
            PumpAsync(process.StandardOutput, job.Name, quiet, captured),
            PumpAsync(process.StandardError, job.Name, quiet, captured));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // Build servers started by dotnet may inherit the pipes; do not wait for them to exit.
        await Task.WhenAny(pump, Task.Delay(OutputDrainTimeout, CancellationToken.None));
        return process.ExitCode;
    }

    private async Task PumpAsync(StreamReader reader, string name, bool quiet, List<string> captured)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (quiet)
            {
                lock (captured)
                {
                    captured.Add(line);
                }
            }
            else
            {
                WriteLines(name, [line]);
            }
        }
    }

    /// <summary>Writes a line to the output without interleaving with build output of parallel builds.</summary>
    public void Log(string line)
    {
        lock (_outputLock)
        {
            _context.Out.WriteLine(line);
            _context.Out.Flush();
        }
    }

    private void WriteLines(string name, IEnumerable<string> lines)
    {
        lock (_outputLock)
        {
            foreach (var line in lines)
            {
                _context.Out.WriteLine($"[{name}] {line}");
            }

            _context.Out.Flush();
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left behind for the next build to replace; never fails a build.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
