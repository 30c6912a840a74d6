using System.CommandLine;
using Faas.Cli.Config;
using Faas.Cli.Stack;
using Faas.Cli.Templates;
using Faas.Contracts.Naming;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli new NAME --lang csharp</c>: copies the template's handler skeleton into ./NAME,
/// writes (or appends to) the stack file and makes sure ./template/&lt;lang&gt; holds the template.
/// </summary>
public sealed class NewCommand : BaseCommand
{
    private static readonly Argument<string?> NameArgument = new("NAME")
    {
        Description = "Name of the new function",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<string?> LangOption = new("--lang") { Description = "Language or template to use, e.g. csharp" };

    private static readonly Option<bool> ListOption = new("--list") { Description = "List the available languages" };

    private static readonly Option<string?> PrefixOption = new("--prefix", "-p") { Description = "Image prefix, e.g. a registry user (default: $OPENFAAS_PREFIX)" };

    private static readonly Option<string?> HandlerOption = new("--handler") { Description = "Folder for the handler (default: ./NAME)" };

    private static readonly Option<string?> AppendOption = new("--append", "-a") { Description = "Append the function to this existing stack file instead of writing NAME.yml" };

    private static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "Print less" };

    private static readonly Option<string?> MemoryLimitOption = new("--memory-limit") { Description = "Memory limit written to the stack file, e.g. 128Mi" };

    private static readonly Option<string?> CpuLimitOption = new("--cpu-limit") { Description = "CPU limit written to the stack file, e.g. 500m" };

    private static readonly Option<string?> MemoryRequestOption = new("--memory-request") { Description = "Memory request written to the stack file" };

    private static readonly Option<string?> CpuRequestOption = new("--cpu-request") { Description = "CPU request written to the stack file" };

    public NewCommand(CliContext context)
        : base("new", "Create a new function from a template", context)
    {
        Arguments.Add(NameArgument);
        Options.Add(LangOption);
        Options.Add(ListOption);
        Options.Add(PrefixOption);
        Options.Add(HandlerOption);
        Options.Add(AppendOption);
        Options.Add(QuietOption);
        Options.Add(MemoryLimitOption);
        Options.Add(CpuLimitOption);
        Options.Add(MemoryRequestOption);
        Options.Add(CpuRequestOption);
        Options.Add(CommonOptions.Gateway);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var templates = new TemplateStore(Context.CurrentDirectory, Context.ToolDirectory);
        if (parseResult.GetValue(ListOption))
        {
            Out.WriteLine("Languages available as templates:");
            foreach (var template in templates.List())
            {
                Out.WriteLine($"- {template.Language}");
            }

            return Task.FromResult(ExitCodes.Success);
        }

        // 1. Validate everything before touching the disk.
        var name = parseResult.GetValue(NameArgument);
        if (string.IsNullOrEmpty(name))
        {
            throw new UsageException("please provide a name for the function");
        }

        if (FunctionNames.Validate(name) is { } nameError)
        {
            throw new UsageException(nameError);
        }

        var lang = parseResult.GetValue(LangOption);
        if (string.IsNullOrEmpty(lang))
        {
            throw new UsageException("you must supply a function language with the --lang flag (see faas-cli new --list)");
        }

        var found = templates.Find(lang) ?? throw new CommandFailedException(
            $"template: \"{lang}\" was not found in {templates.LocalRoot} or the built-in templates; available: {string.Join(", ", templates.List().Select(t => t.Language))}");
        if (!Directory.Exists(found.FunctionDirectory))
        {
            throw new CommandFailedException($"template \"{lang}\" has no handler folder: {found.FunctionDirectory}");
        }

        var handler = parseResult.GetValue(HandlerOption) is { Length: > 0 } h ? h : "./" + name;
        var handlerPath = Context.ResolvePath(handler);
        if (Directory.Exists(handlerPath) || File.Exists(handlerPath))
        {
            throw new CommandFailedException($"folder: {handler} already exists");
        }

        var prefix = parseResult.GetValue(PrefixOption) ?? Context.Env("OPENFAAS_PREFIX");
        var image = string.IsNullOrWhiteSpace(prefix) ? $"{name}:latest" : $"{prefix.Trim().TrimEnd('/')}/{name}:latest";
        var entry = StackWriter.Function(
            name,
            lang,
            handler,
            image,
            new StackResources { Memory = parseResult.GetValue(MemoryLimitOption), Cpu = parseResult.GetValue(CpuLimitOption) },
            new StackResources { Memory = parseResult.GetValue(MemoryRequestOption), Cpu = parseResult.GetValue(CpuRequestOption) });

        var append = parseResult.GetValue(AppendOption);
        string stackPath;
        string stackText;
        if (!string.IsNullOrEmpty(append))
        {
            stackPath = Context.ResolvePath(append);
            if (!File.Exists(stackPath))
            {
                throw new CommandFailedException($"stack file to append to not found: {stackPath}");
            }

            var existing = StackLoader.Load(stackPath, Context.GetEnvironmentVariable);
            if (existing.Functions.ContainsKey(name))
            {
                throw new CommandFailedException($"function '{name}' already exists in {append}");
            }

            var current = File.ReadAllText(stackPath);
            stackText = current + (current.EndsWith('\n') ? "" : Environment.NewLine) + entry;
            var check = StackLoader.Parse(stackText, stackPath, Context.GetEnvironmentVariable);
            if (!check.Functions.ContainsKey(name))
            {
                throw new CommandFailedException($"cannot append to {append}: 'functions:' must be the last section of the file");
            }
        }
        else
        {
            stackPath = Context.ResolvePath(name + ".yml");
            if (File.Exists(stackPath))
            {
                throw new CommandFailedException($"file: {name}.yml already exists. Try \"faas-cli new --append {name}.yml\" instead");
            }

            var gateway = GatewayUrl.Resolve(parseResult.GetValue(CommonOptions.Gateway), Context, null);
            stackText = StackWriter.Header(gateway) + entry;
        }

        // 2. Template into ./template/<lang> (with the Faas.Function feed), handler, stack file.
        var local = templates.EnsureLocal(found);
        FolderCopy.Copy(local.FunctionDirectory, handlerPath);
        File.WriteAllText(stackPath, stackText);

        if (!parseResult.GetValue(QuietOption))
        {
            Out.WriteLine($"Folder: {handler} created.");
        }

        Out.WriteLine($"Function created in folder: {handler}");
        Out.WriteLine($"Stack file {(string.IsNullOrEmpty(append) ? "written" : "updated")}: {Path.GetRelativePath(Context.CurrentDirectory, stackPath)}");
        if (!string.IsNullOrWhiteSpace(local.Manifest.WelcomeMessage))
        {
            Out.WriteLine();
            Out.WriteLine("Notes:");
            Out.WriteLine(local.Manifest.WelcomeMessage.TrimEnd());
        }

        return Task.FromResult(ExitCodes.Success);
    }
}
