namespace Faas.Cli.Completion;

/// <summary>
/// Shell completion scripts. Each hands the line being edited and the cursor position to
/// <c>faas-cli "[suggest:POSITION]" "LINE"</c> (System.CommandLine's suggest directive, which prints
/// one candidate per line) and offers the candidates that match the word under the cursor.
/// </summary>
public static class CompletionScripts
{
    public static readonly string[] Shells = ["bash", "zsh", "fish", "powershell"];

    public static string For(string shell) => shell switch
    {
        "bash" => Bash,
        "zsh" => Zsh,
        "fish" => Fish,
        "powershell" => PowerShell,
        _ => throw new UsageException($"shell '{shell}' is not supported: use one of {string.Join(", ", Shells)}"),
    };

    private const string Bash = """
        # faas-cli completion for bash. Load it with:
        #   source <(faas-cli completion bash)
        # or save it as /etc/bash_completion.d/faas-cli.
        _faas_cli_complete()
        {
            local cur="${COMP_WORDS[COMP_CWORD]}"
            local IFS=$'\n'
            local candidates
            candidates=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
            COMPREPLY=( $(compgen -W "${candidates}" -- "${cur}") )
        }
        complete -o default -F _faas_cli_complete faas-cli

        """;

    private const string Zsh = """
        #compdef faas-cli
        # faas-cli completion for zsh. Load it with:
        #   source <(faas-cli completion zsh)
        # or save it as _faas-cli in a folder on $fpath.
        _faas_cli() {
            local -a candidates
            candidates=("${(@f)$(${words[1]} "[suggest:${#BUFFER[1,CURSOR]}]" "${BUFFER}" 2>/dev/null)}")
            compadd -a -- candidates
        }
        if [[ "${funcstack[1]}" == "_faas_cli" ]]; then
            _faas_cli "$@"
        else
            compdef _faas_cli faas-cli
        fi

        """;

    private const string Fish = """
        # faas-cli completion for fish. Load it with:
        #   faas-cli completion fish | source
        # or save it as ~/.config/fish/completions/faas-cli.fish.
        function __faas_cli_complete
            set -l line (commandline -cp)
            faas-cli "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c faas-cli -f -a '(__faas_cli_complete)'

        """;

    private const string PowerShell = """
        # faas-cli completion for PowerShell. Load it with:
        #   faas-cli completion powershell | Out-String | Invoke-Expression
        # or add that line to $PROFILE.
        Register-ArgumentCompleter -Native -CommandName faas-cli -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $line = $commandAst.ToString()
            faas-cli "[suggest:$cursorPosition]" "$line" 2>$null | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;
}
