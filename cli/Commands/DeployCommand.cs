using System.CommandLine;
using Faas.Cli.Config;
using Faas.Cli.Deploy;
using Faas.Cli.Gateway;
using Faas.Cli.Stack;
using Faas.Cli.Templates;
using Faas.Contracts.Time;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli deploy</c>: PUT /system/functions, POST when the gateway answers 404
/// (<c>--update=false</c>: POST only; <c>--replace</c>: DELETE first), for each function of the
/// stack file or for <c>--image/--name</c>.
/// </summary>
public sealed class DeployCommand : BaseCommand
{
    internal static readonly Option<string?> FProcessOption = new("--fprocess") { Description = "fprocess value passed to the function" };

    internal static readonly Option<string[]> EnvOption = new("--env", "-e") { Description = "Environment variable KEY=VALUE (repeatable)" };

    internal static readonly Option<string[]> LabelOption = new("--label", "-l") { Description = "Label KEY=VALUE (repeatable)" };

    internal static readonly Option<string[]> AnnotationOption = new("--annotation") { Description = "Annotation KEY=VALUE (repeatable)" };

    internal static readonly Option<string[]> ConstraintOption = new("--constraint") { Description = "Placement constraint (repeatable)" };

    internal static readonly Option<string[]> SecretOption = new("--secret") { Description = "Secret to give the function (repeatable)" };

    internal static readonly Option<bool> ReadOnlyOption = new("--readonly") { Description = "Read-only root filesystem" };

    internal static readonly Option<bool> ReplaceOption = new("--replace") { Description = "Remove the function before deploying it" };

    internal static readonly Option<bool> UpdateOption = new("--update")
    {
        Description = "Update the function if it exists (PUT), else create it (POST)",
        DefaultValueFactory = _ => true,
    };

    internal static readonly Option<bool> ReadTemplateOption = new("--read-template")
    {
        Description = "Read fprocess from the function's template when the stack file has none",
        DefaultValueFactory = _ => true,
    };

    internal static readonly Option<string> TimeoutOption = new("--timeout")
    {
        Description = "Timeout for each call to the gateway (Go duration)",
        DefaultValueFactory = _ => "60s",
    };

    internal static readonly Option<string?> CpuLimitOption = new("--cpu-limit") { Description = "CPU limit, e.g. 500m" };

    internal static readonly Option<string?> MemoryLimitOption = new("--memory-limit") { Description = "Memory limit, e.g. 128Mi" };

    internal static readonly Option<string?> CpuRequestOption = new("--cpu-request") { Description = "CPU request, e.g. 100m" };

    internal static readonly Option<string?> MemoryRequestOption = new("--memory-request") { Description = "Memory request, e.g. 64Mi" };

    public DeployCommand(CliContext context)
        : base("deploy", "Deploy functions to the gateway", context)
    {
        CommonOptions.AddStackOptions(this);
        BuildCommand.AddFunctionOptions(this);
        AddOptions(this);
    }

    internal static void AddOptions(Command command)
    {
        CommonOptions.AddGatewayOptions(command);
        command.Options.Add(CommonOptions.Namespace);
        foreach (var option in new Option[]
        {
            FProcessOption, EnvOption, LabelOption, AnnotationOption, ConstraintOption, SecretOption, ReadOnlyOption,
            ReplaceOption, UpdateOption, ReadTemplateOption, TimeoutOption, CpuLimitOption, MemoryLimitOption,
            CpuRequestOption, MemoryRequestOption,
        })
        {
            command.Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (stack, functions) = BuildCommand.SelectFunctions(parseResult, Context);
        var failures = await DeployAllAsync(parseResult, Context, stack, functions, cancellationToken);
        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Deploys each function in turn; returns how many failed (each failure is printed).</summary>
    internal static async Task<int> DeployAllAsync(ParseResult parseResult, CliContext context, StackFile stack, IReadOnlyList<StackFunction> functions, CancellationToken cancellationToken)
    {
        var overrides = ReadOverrides(parseResult);
        var timeoutText = parseResult.GetValue(TimeoutOption);
        if (!GoDuration.TryParse(timeoutText, out var timeout) || timeout <= TimeSpan.Zero)
        {
            throw new UsageException($"--timeout '{timeoutText}' is not a positive duration (e.g. 60s, 1m)");
        }

        var templates = new TemplateStore(stack.Directory, context.ToolDirectory);
        var deployments = functions.Select(f => DeploymentFactory.Create(stack, f, overrides, templates)).ToList();

        var gateway = GatewayUrl.Resolve(parseResult.GetValue(CommonOptions.Gateway), context, stack.Provider?.Gateway);
        using var client = GatewayClient.Create(context, gateway, parseResult.GetValue(CommonOptions.Token), parseResult.GetValue(CommonOptions.TlsNoVerify), timeout);
        var replace = parseResult.GetValue(ReplaceOption);
        var update = parseResult.GetValue(UpdateOption);
        var failures = 0;
        foreach (var deployment in deployments)
        {
            context.Out.WriteLine($"Deploying: {deployment.Service}.");
            try
            {
                if (replace && await client.DeleteFunctionAsync(deployment.Service, deployment.Namespace, cancellationToken))
                {
                    context.Out.WriteLine("Removing old function.");
                }

                var status = await client.DeployAsync(deployment, update, cancellationToken);
                context.Out.WriteLine();
                context.Out.WriteLine($"Deployed. {(int)status} {Reason((int)status)}.");
                context.Out.WriteLine($"URL: {client.Gateway}/function/{Qualify(deployment.Service, deployment.Namespace)}");
                context.Out.WriteLine();
            }
            catch (GatewayException ex)
            {
                failures++;
                context.Err.WriteLine($"Function '{deployment.Service}' failed to deploy: {ex.Message}");
                if (ex.StatusCode is null)
                {
                    break; // the gateway is unreachable: the next function would fail the same way
                }
            }
        }

        return failures;
    }

    private static DeployOverrides ReadOverrides(ParseResult parseResult) => new()
    {
        Namespace = parseResult.GetValue(CommonOptions.Namespace),
        FProcess = parseResult.GetValue(FProcessOption),
        Tag = parseResult.GetValue(FunctionOptions.Tag),
        ReadOnly = parseResult.GetValue(ReadOnlyOption),
        ReadTemplate = parseResult.GetValue(ReadTemplateOption),
        Environment = ParsePairs(parseResult.GetValue(EnvOption), "--env"),
        Labels = ParsePairs(parseResult.GetValue(LabelOption), "--label"),
        Annotations = ParsePairs(parseResult.GetValue(AnnotationOption), "--annotation"),
        Constraints = parseResult.GetValue(ConstraintOption) ?? [],
        Secrets = parseResult.GetValue(SecretOption) ?? [],
        Limits = new StackResources { Cpu = parseResult.GetValue(CpuLimitOption), Memory = parseResult.GetValue(MemoryLimitOption) },
        Requests = new StackResources { Cpu = parseResult.GetValue(CpuRequestOption), Memory = parseResult.GetValue(MemoryRequestOption) },
    };

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        _ => "",
    };
}
