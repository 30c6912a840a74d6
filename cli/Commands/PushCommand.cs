using System.CommandLine;
using Faas.Cli.Build;
using Faas.Cli.Stack;

namespace Faas.Cli.Commands;

/// <summary>
/// <c>faas-cli push</c>: pushes each function's image to the registry its name points at (e.g.
/// <c>registry.example.com/fn:1</c>) through the Engine API, with credentials from docker's config.json.
/// Images without a registry part are only said to need no push: the process backend reads the local
/// artifact store and the docker backend the local daemon. Kept so OpenFaaS scripts (build, push, deploy) work.
/// </summary>
public sealed class PushCommand : BaseCommand
{
    internal const string Message =
        "No container registry is configured: the process backend runs functions from the local artifact store written by 'faas-cli build', and the docker backend runs images from the local daemon ('faas-cli build --engine docker'), so no push is needed.";

    public PushCommand(CliContext context)
        : base("push", "Push images to the registry named in their image (registry.example.com/fn:tag); others need no push", context)
    {
        CommonOptions.AddStackOptions(this);
        Options.Add(BuildCommand.ParallelOption);
        Options.Add(FunctionOptions.Tag);
        Options.Add(BuildCommand.QuietOption);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var parallel = parseResult.GetValue(BuildCommand.ParallelOption);
        if (parallel < 1)
        {
            throw new UsageException($"--parallel must be at least 1, got {parallel}");
        }

        var tagMode = parseResult.GetValue(FunctionOptions.Tag);
        ImageTag.Validate(tagMode);
        var quiet = parseResult.GetValue(BuildCommand.QuietOption);
        var path = StackLoader.LocateRequired(parseResult.GetValue(CommonOptions.Yaml), Context.CurrentDirectory);
        var stack = StackLoader.Load(path, Context.GetEnvironmentVariable, parseResult.GetValue(CommonOptions.Envsubst));
        var functions = FunctionFilter.Apply(stack, parseResult.GetValue(CommonOptions.Filter), parseResult.GetValue(CommonOptions.Regex));

        return await PushAllAsync(Context, stack, functions, parallel, tagMode, quiet, cancellationToken);
    }

    /// <summary>Pushes the images of <paramref name="functions"/> that name a registry (also <c>faas-cli up</c>'s push step).</summary>
    internal static async Task<int> PushAllAsync(
        CliContext context, StackFile stack, IReadOnlyList<StackFunction> functions, int parallel, string? tagMode, bool quiet, CancellationToken cancellationToken)
    {
        var output = context.Out;
        var error = context.Err;
        void Log(string line)
        {
            lock (output)
            {
                output.WriteLine(line);
            }
        }

        var pushes = new List<(string Name, string Image, string Registry)>();
        var unregistered = 0;
        foreach (var function in functions)
        {
            if (function.SkipBuild)
            {
                output.WriteLine($"Skipping push of: {function.Name} (skip_build).");
                continue;
            }

            if (string.IsNullOrWhiteSpace(function.Image))
            {
                throw new CommandFailedException($"function '{function.Name}' in {stack.Path}: image is required");
            }

            var image = ImageTag.Apply(function.Image, tagMode, stack.Directory);
            if (ImageReference.RegistryOf(image) is { } registry)
            {
                pushes.Add((function.Name, image, registry));
            }
            else
            {
                unregistered++;
                output.WriteLine($"[{function.Name}] {image} names no registry (such as registry.example.com/{image}): nothing to push.");
            }
        }

        if (unregistered > 0)
        {
            output.WriteLine(Message);
        }

        if (pushes.Count == 0)
        {
            return ExitCodes.Success;
        }

        var credentials = await DockerCredentials.LoadAsync(context, cancellationToken);
        using var pusher = new DockerImagePusher(context.Env("DOCKER_HOST"));
        using var gate = new SemaphoreSlim(parallel);
        var failures = 0;
        await Task.WhenAll(pushes.Select(async push =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var auth = credentials.For(push.Registry);
                Log($"[{push.Name}] Pushing {push.Image} to {push.Registry} ({(auth is null ? "no credentials in " + credentials.Path : "credentials from " + credentials.Path)})");
                var digest = await pusher.PushAsync(push.Image, auth, line => { if (!quiet) { Log($"[{push.Name}] {line}"); } }, cancellationToken);
                Log($"[{push.Name}] Pushed {push.Image}{(digest is null ? "" : $" ({digest})")}.");
            }
            catch (CommandFailedException e)
            {
                Interlocked.Increment(ref failures);
                lock (error)
                {
                    error.WriteLine($"[{push.Name}] {e.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
