using System.CommandLine;
using Faas.Cli.Build;
using Faas.Cli.Stack;
using Faas.Cli.Templates;
using Faas.Contracts.Artifacts;
using Faas.Contracts.Naming;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli build</c> for the process backend: publishes each function's .NET handler into the
/// local artifact store (<c>FAAS_ARTIFACT_STORE</c>, default ~/.faas/artifacts) under its image name.
/// </summary>
public sealed class BuildCommand : BaseCommand
{
    internal static readonly Option<int> ParallelOption = new("--parallel")
    {
        Description = "Build this many functions at once",
        DefaultValueFactory = _ => 1,
    };

    internal static readonly Option<string[]> BuildArgOption = new("--build-arg", "-b")
    {
        Description = "KEY=VALUE passed to dotnet publish as an MSBuild property (repeatable)",
    };

    internal static readonly Option<string?> EngineOption = new("--engine")
    {
        Description = "artifact (default: the local artifact store) or docker (also build an image with the template's Dockerfile through DOCKER_HOST); default from FAAS_BUILD_ENGINE",
    };

    internal static readonly Option<bool> QuietOption = new("--quiet")
    {
        Description = "Only show dotnet's output when a build fails",
    };

    public BuildCommand(CliContext context)
        : base("build", "Build functions into the local artifact store (process backend)", context)
    {
        AddOptions(this);
        AddFunctionOptions(this);
    }

    internal static void AddOptions(Command command)
    {
        CommonOptions.AddStackOptions(command);
        command.Options.Add(ParallelOption);
        command.Options.Add(BuildArgOption);
        command.Options.Add(QuietOption);
        command.Options.Add(EngineOption);
    }

    /// <summary>Options shared with deploy (also taken by up once).</summary>
    internal static void AddFunctionOptions(Command command)
    {
        command.Options.Add(FunctionOptions.Image);
        command.Options.Add(FunctionOptions.Name);
        command.Options.Add(FunctionOptions.Handler);
        command.Options.Add(FunctionOptions.Lang);
        command.Options.Add(FunctionOptions.Tag);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (stack, functions) = SelectFunctions(parseResult, Context);
        var failures = await BuildAllAsync(parseResult, Context, stack, functions, cancellationToken);
        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The stack and the functions to work on: from --image/--name, else the (filtered) stack file.</summary>
    internal static (StackFile Stack, IReadOnlyList<StackFunction> Functions) SelectFunctions(ParseResult parseResult, CliContext context)
    {
        var image = parseResult.GetValue(FunctionOptions.Image);
        if (!string.IsNullOrEmpty(image))
        {
            var name = parseResult.GetValue(FunctionOptions.Name);
            if (string.IsNullOrEmpty(name))
            {
                throw new UsageException("--name is required with --image");
            }

            if (FunctionNames.Validate(name) is { } error)
            {
                throw new UsageException(error);
            }

            var single = new StackFunction
            {
                Name = name,
                Image = image,
                Lang = parseResult.GetValue(FunctionOptions.Lang) ?? "csharp",
                Handler = parseResult.GetValue(FunctionOptions.Handler),
            };
            var synthetic = new StackFile
            {
                Path = Path.Combine(context.CurrentDirectory, "stack.yml"),
                Provider = new StackProvider { Name = "openfaas" },
                Functions = { [name] = single },
            };
            return (synthetic, [single]);
        }

        var path = StackLoader.LocateRequired(parseResult.GetValue(CommonOptions.Yaml), context.CurrentDirectory);
        var stack = StackLoader.Load(path, context.GetEnvironmentVariable, parseResult.GetValue(CommonOptions.Envsubst));
        return (stack, FunctionFilter.Apply(stack, parseResult.GetValue(CommonOptions.Filter), parseResult.GetValue(CommonOptions.Regex)));
    }

    /// <summary>
    /// Checks every function first (handler folder, project, image) and only then builds, at most
    /// --parallel at a time. Returns the number of failed builds.
    /// </summary>
    internal static async Task<int> BuildAllAsync(ParseResult parseResult, CliContext context, StackFile stack, IReadOnlyList<StackFunction> functions, CancellationToken cancellationToken)
    {
        var parallel = parseResult.GetValue(ParallelOption);
        if (parallel < 1)
        {
            throw new UsageException($"--parallel must be at least 1, got {parallel}");
        }

        var tagMode = parseResult.GetValue(FunctionOptions.Tag);
        ImageTag.Validate(tagMode);
        var flagArgs = ParsePairs(parseResult.GetValue(BuildArgOption), "--build-arg");
        var quiet = parseResult.GetValue(QuietOption);
        var templates = new TemplateStore(stack.Directory, context.ToolDirectory);
        var engine = (parseResult.GetValue(EngineOption) ?? context.Env(DockerImageBuilder.EngineVariable) ?? "artifact").Trim().ToLowerInvariant();
        if (engine is not ("artifact" or "docker"))
        {
            throw new UsageException($"--engine must be artifact or docker, got '{engine}'");
        }

        // 1. Check everything before the first build starts.
        var jobs = new List<BuildJob>();
        var errors = new List<string>();
        foreach (var function in functions)
        {
            if (function.SkipBuild)
            {
                context.Out.WriteLine($"Skipping build of: {function.Name}.");
                continue;
            }

            if (PreflightError(function, stack) is { } error)
            {
                errors.Add(error);
                continue;
            }

            var buildArgs = new Dictionary<string, string>(function.BuildArgs ?? [], StringComparer.Ordinal);
            foreach (var (key, value) in flagArgs)
            {
                buildArgs[key] = value;
            }

            if (engine == "docker" && (templates.Find(function.Lang!) is not { } template || !File.Exists(Path.Combine(template.Directory, "Dockerfile"))))
            {
                errors.Add($"function '{function.Name}': template '{function.Lang}' has no Dockerfile, so --engine docker cannot build an image for it");
                continue;
            }

            jobs.Add(new BuildJob(function.Name, function.Lang!, ImageTag.Apply(function.Image!, tagMode, stack.Directory), Path.GetFullPath(function.Handler!, stack.Directory))
            {
                BuildArgs = buildArgs,
                PackageFeeds = templates.PackageFeeds(function.Lang),
            });
        }

        if (errors.Count > 0)
        {
            throw new CommandFailedException(string.Join(Environment.NewLine, errors));
        }

        // 2. Build.
        var storeRoot = ArtifactStore.ResolveRoot(context.Env(ArtifactStore.EnvironmentVariable));
        var builder = new HandlerBuilder(context, storeRoot);
        using var docker = engine == "docker" ? new DockerImageBuilder(context.Env("DOCKER_HOST")) : null;
        using var gate = new SemaphoreSlim(parallel);
        var failures = 0;
        var tasks = jobs.Select(async job =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                builder.Log($"[{job.Name}] Building {job.Image} from {job.HandlerDirectory}");
                var folder = await builder.BuildAsync(job, quiet, cancellationToken);
                builder.Log($"Image: {job.Image} built. Artifact: {folder}");
                if (docker is not null)
                {
                    var dockerfile = Path.Combine(templates.Find(job.Lang)!.Directory, "Dockerfile");
                    await docker.BuildAsync(dockerfile, folder, job.Image, line => builder.Log($"[{job.Name}] {line}"), cancellationToken);
                    builder.Log($"Docker image: {job.Image} built.");
                }
            }
            catch (CommandFailedException ex)
            {
                Interlocked.Increment(ref failures);
                lock (context.Err)
                {
                    context.Err.WriteLine(ex.Message);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return failures;
    }

    private static string? PreflightError(StackFunction function, StackFile stack)
    {
        var where = $"function '{function.Name}' in {stack.Path}";
        if (string.IsNullOrWhiteSpace(function.Image))
        {
            return $"{where}: image is required";
        }

        if (string.IsNullOrWhiteSpace(function.Lang))
        {
            return $"{where}: lang is required";
        }

        if (string.Equals(function.Lang, "dockerfile", StringComparison.OrdinalIgnoreCase))
        {
            return $"{where}: lang dockerfile needs a container backend; the process backend builds .NET handlers only";
        }

        if (string.IsNullOrWhiteSpace(function.Handler))
        {
            return $"{where}: handler is required";
        }

        var handler = Path.GetFullPath(function.Handler, stack.Directory);
        if (!Directory.Exists(handler))
        {
            return $"{where}: handler folder not found: {function.Handler} ({handler})";
        }

        return HandlerBuilder.FindProject(handler) is null
            ? $"{where}: no .csproj found in handler folder {handler} (lang '{function.Lang}'); the process backend builds .NET handlers only"
            : null;
    }
}
