using System.Diagnostics;

namespace Faas.Cli.Tests.Support;

/// <summary>Template sources in a test's own folder: a plain folder and a bare git repository made from it (no network).</summary>
public static class TemplateSources
{
    /// <summary>A folder with <c>template/&lt;lang&gt;/</c> for each language: template.yml and a function/ skeleton.</summary>
    public static string Folder(CliRunner runner, string name, params string[] languages)
    {
        var root = runner.PathOf(name);
        foreach (var language in languages)
        {
            var dir = Path.Combine(root, "template", language);
            Directory.CreateDirectory(Path.Combine(dir, "function"));
            File.WriteAllText(Path.Combine(dir, "template.yml"), $"language: {language}\nfprocess: ./run-{language}\nwelcome_message: The {language} template.\n");
            File.WriteAllText(Path.Combine(dir, "function", "handler.txt"), $"{language} handler");
        }

        return root;
    }

    /// <summary>
    /// A bare repository whose default branch holds <paramref name="languages"/> and whose branch
    /// <c>v2</c> also holds <c>&lt;first&gt;-v2</c>.
    /// </summary>
    public static string BareRepository(CliRunner runner, string name, params string[] languages)
    {
        var work = Folder(runner, name + "-work", languages);
        Git(work, "init", "-q", "-b", "main");
        Git(work, "add", ".");
        Git(work, "commit", "-q", "-m", "templates");
        Git(work, "checkout", "-q", "-b", "v2");
        Folder(runner, name + "-work", languages[0] + "-v2");
        Git(work, "add", ".");
        Git(work, "commit", "-q", "-m", "v2 template");
        Git(work, "checkout", "-q", "main");
        var bare = runner.PathOf(name + ".git");
        Git(runner.Directory, "clone", "-q", "--bare", work, bare);
        return bare;
    }

    private static void Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"git {string.Join(' ', args)} did not finish in 30s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
        }
    }
}
