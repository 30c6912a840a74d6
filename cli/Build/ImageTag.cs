using System.Diagnostics;

namespace Faas.Cli.Build;

/// <summary>
/// faas-cli's <c>--tag</c>: <c>latest</c> keeps the image as written; <c>sha</c>, <c>branch</c> and
/// <c>describe</c> append git information to the tag (<c>fn:latest-a1b2c3d</c>), so build and
/// deploy agree on the artifact.
/// </summary>
public static class ImageTag
{
    public static readonly string[] Modes = ["latest", "sha", "branch", "describe"];

    public static void Validate(string? mode)
    {
        if (!string.IsNullOrEmpty(mode) && !Modes.Contains(mode, StringComparer.Ordinal))
        {
            throw new UsageException($"--tag '{mode}' is not supported: use one of {string.Join(", ", Modes)}");
        }
    }

    public static string Apply(string image, string? mode, string workingDirectory)
    {
        Validate(mode);
        if (string.IsNullOrEmpty(mode) || mode == "latest")
        {
            return image;
        }

        var slash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', slash + 1);
        var repository = colon < 0 ? image : image[..colon];
        var tag = colon < 0 ? "latest" : image[(colon + 1)..];
        var sha = Git(workingDirectory, mode, "rev-parse", "--short", "HEAD");
        var suffix = mode switch
        {
            "sha" => sha,
            "branch" => $"{Git(workingDirectory, mode, "rev-parse", "--abbrev-ref", "HEAD")}-{sha}",
            _ => Git(workingDirectory, mode, "describe", "--tags", "--always", "--dirty"),
        };
        return $"{repository}:{tag}-{suffix.Replace('/', '-')}";
    }

    private static string Git(string workingDirectory, string mode, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start");
            var output = process.StandardOutput.ReadToEnd().Trim();
            var error = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0
                ? output
                : throw new CommandFailedException($"--tag {mode} needs a git repository at {workingDirectory}: {error}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CommandFailedException($"--tag {mode} needs git on the PATH: {ex.Message}", ex);
        }
    }
}
