using System.Diagnostics;
using Faas.Cli.Tests.Support;

namespace Faas.Cli.Tests.Commands;

public class CompletionCommandTests
{
    [Theory]
    [InlineData("bash", "complete -o default -F _faas_cli_complete faas-cli")]
    [InlineData("zsh", "compdef _faas_cli faas-cli")]
    [InlineData("fish", "complete -c faas-cli")]
    [InlineData("powershell", "Register-ArgumentCompleter -Native -CommandName faas-cli")]
    public async Task Completion_PrintsAScriptThatAsksTheSuggestDirective(string shell, string hook)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("completion", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(hook, result.Out);
        Assert.Contains("[suggest:", result.Out);
    }

    [Fact]
    public async Task Completion_UnknownShell_IsAUsageError()
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync("completion", "tcsh");

        Assert.Equal(2, result.ExitCode);
    }

    [Theory]
    [InlineData("faas-cli de", "deploy", "describe")]
    [InlineData("faas-cli ready --att", "--attempts", null)]
    [InlineData("faas-cli template store l", "list", null)]
    [InlineData("faas-cli completion ", "powershell", "zsh")]
    public async Task SuggestDirective_ListsTheCandidatesForTheLine(string line, string expected, string? alsoExpected)
    {
        using var runner = new CliRunner();

        var result = await runner.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, result.ExitCode);
        var candidates = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(expected, candidates);
        if (alsoExpected is not null)
        {
            Assert.Contains(alsoExpected, candidates);
        }

        Assert.Empty(runner.Gateway.Requests);
    }

    [Fact]
    public async Task BashScript_CompletesThroughTheRealBinary()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/bin/bash"))
        {
            Assert.Fail("bash is needed for this test (Debian has it at /bin/bash)");
            return;
        }

        using var runner = new CliRunner();
        var bin = runner.PathOf("bin");
        Directory.CreateDirectory(bin);
        var wrapper = Path.Combine(bin, "faas-cli");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "faas-cli.dll")}\" \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = (await runner.RunAsync("completion", "bash")).Out;
        runner.Write("completion.bash", script);

        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = runner.Directory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""
            source ./completion.bash
            COMP_WORDS=(faas-cli templ); COMP_CWORD=1; COMP_LINE="faas-cli templ"; COMP_POINT=${#COMP_LINE}
            _faas_cli_complete; printf '%s\n' "${COMPREPLY[@]}"
            """);
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await bash.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!bash.HasExited)
            {
                bash.Kill(entireProcessTree: true);
            }
        }

        Assert.True(bash.ExitCode == 0, await error);
        Assert.Equal("template", (await output).Trim());
    }
}
