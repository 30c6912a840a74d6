using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Faas.Cli.Templates;

/// <summary>What <see cref="TemplatePuller.PullAsync"/> did.</summary>
public sealed record PullResult(IReadOnlyList<string> Fetched, IReadOnlyList<string> Skipped);

/// <summary>
/// <c>faas-cli template pull</c>: copies the <c>template/&lt;lang&gt;</c> folders of a source into the
/// project's <c>./template</c>. The source is a local folder (its <c>template/</c> is used) or a git
/// repository (URL, or a bare repository on disk) cloned with the <c>git</c> binary into a temp
/// folder; <c>URL#ref</c> picks a branch or tag. Existing templates are kept unless overwrite is set.
/// </summary>
public static partial class TemplatePuller
{
    public const string DefaultRepository = "https://github.com/openfaas/templates.git";
    public const string RepositoryVariable = "OPENFAAS_TEMPLATE_URL";

    /// <summary>Clone the source (when it is git), then copy its templates into <paramref name="targetRoot"/>.</summary>
    /// <param name="only">Copy just this template (store pull); null for all.</param>
    public static async Task<PullResult> PullAsync(string source, string currentDirectory, string targetRoot, bool overwrite, string? only, TextWriter log, CancellationToken cancellationToken = default)
    {
        var folder = LocalFolder(source, currentDirectory);
        if (folder is not null)
        {
            await log.WriteLineAsync($"Fetch templates from folder: {folder}");
            return Copy(TemplateRoot(folder, source), targetRoot, overwrite, only, source);
        }

        var (repository, reference) = SplitReference(source);
        if (!IsGitRemote(repository) && !IsBareRepository(Path.GetFullPath(repository, currentDirectory)))
        {
            throw new UsageException($"'{source}' is neither a folder nor a git repository URL (https://, ssh://, git@host:path, file://)");
        }

        if (reference is not null && !ValidReference().IsMatch(reference))
        {
            throw new UsageException($"'{reference}' is not a valid git branch or tag name");
        }

        if (IsBareRepository(Path.GetFullPath(repository, currentDirectory)))
        {
            repository = Path.GetFullPath(repository, currentDirectory);
        }

        await log.WriteLineAsync($"Fetch templates from repository: {repository}{(reference is null ? "" : " at " + reference)}");
        var clone = Path.Combine(Path.GetTempPath(), "faas-templates-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            await CloneAsync(repository, reference, clone, cancellationToken);
            return Copy(TemplateRoot(clone, source), targetRoot, overwrite, only, source);
        }
        finally
        {
            TryDelete(clone);
        }
    }

    /// <summary>True for what git can clone over the network or file://: scheme URLs and scp-like <c>user@host:path</c>.</summary>
    public static bool IsGitRemote(string value) =>
        value.StartsWith("https://", StringComparison.Ordinal) || value.StartsWith("http://", StringComparison.Ordinal)
        || value.StartsWith("ssh://", StringComparison.Ordinal) || value.StartsWith("git://", StringComparison.Ordinal)
        || value.StartsWith("file://", StringComparison.Ordinal) || ScpLike().IsMatch(value);

    /// <summary><c>URL#ref</c> split into the repository and the branch or tag (null without a fragment).</summary>
    public static (string Repository, string? Reference) SplitReference(string source)
    {
        var hash = source.LastIndexOf('#');
        return hash > 0 && hash < source.Length - 1 ? (source[..hash], source[(hash + 1)..]) : (source.TrimEnd('#'), null);
    }

    private static string? LocalFolder(string source, string currentDirectory)
    {
        if (IsGitRemote(source))
        {
            return null;
        }

        var path = Path.GetFullPath(source, currentDirectory);
        return Directory.Exists(path) && !IsBareRepository(path) ? path : null;
    }

    private static bool IsBareRepository(string path) =>
        File.Exists(Path.Combine(path, "HEAD")) && Directory.Exists(Path.Combine(path, "objects")) && Directory.Exists(Path.Combine(path, "refs"));

    private static string TemplateRoot(string folder, string source)
    {
        var root = Path.Combine(folder, TemplateStore.LocalFolder);
        return Directory.Exists(root) ? root : throw new CommandFailedException($"can't find templates in: {source} (expected a '{TemplateStore.LocalFolder}/' folder at its root)");
    }

    private static PullResult Copy(string templateRoot, string targetRoot, bool overwrite, string? only, string source)
    {
        var languages = Directory.GetDirectories(templateRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.') && (only is null || name == only))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (only is not null && languages.Count == 0)
        {
            throw new CommandFailedException($"template '{only}' was not found in {source}");
        }

        var fetched = new List<string>();
        var skipped = new List<string>();
        foreach (var language in languages)
        {
            var target = Path.Combine(targetRoot, language);
            if (Directory.Exists(target))
            {
                if (!overwrite)
                {
                    skipped.Add(language);
                    continue;
                }

                Directory.Delete(target, recursive: true); // no stale files from the older copy
            }

            FolderCopy.Copy(Path.Combine(templateRoot, language), target);
            fetched.Add(language);
        }

        return new PullResult(fetched, skipped);
    }

    private static async Task CloneAsync(string repository, string? reference, string target, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "clone", "--quiet", "--depth", "1" })
        {
            start.ArgumentList.Add(arg);
        }

        if (reference is not null)
        {
            start.ArgumentList.Add("--branch");
            start.ArgumentList.Add(reference);
        }

        start.ArgumentList.Add("--");
        start.ArgumentList.Add(repository);
        start.ArgumentList.Add(target);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0"; // fail instead of asking for a password

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CommandFailedException("git did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CommandFailedException($"template pull needs the git binary on PATH: {ex.Message}", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            await stdout;
            var errors = (await stderr).Trim();
            if (process.ExitCode != 0)
            {
                throw new CommandFailedException($"git clone of {repository}{(reference is null ? "" : "#" + reference)} failed (exit {process.ExitCode}): {errors}");
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.+$")]
    private static partial Regex ScpLike();

    // A conservative subset of git-check-ref-format: no spaces, no '..', no leading '-', no control or special characters.
    [GeneratedRegex(@"^(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/+-]+(?<![./])$")]
    private static partial Regex ValidReference();
}
