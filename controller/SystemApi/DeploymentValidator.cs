using Faas.Contracts.Functions;
using Faas.Contracts.Naming;
using Faas.Controller.Backends;
using Faas.Controller.Configuration;

namespace Faas.Controller.SystemApi;

/// <summary>Backend-independent checks of a <c>FunctionDeployment</c> (POST and PUT).</summary>
public static class DeploymentValidator
{
    /// <summary>Null with <paramref name="normalized"/> (namespace resolved) when valid, else what to fix.</summary>
    public static string? Validate(FunctionDeployment deployment, NamespacePolicy namespaces, out FunctionDeployment normalized)
    {
        normalized = deployment;
        if (FunctionNames.Validate(deployment.Service, "service (the function name)") is { } nameError)
        {
            return nameError;
        }

        if (string.IsNullOrWhiteSpace(deployment.Image))
        {
            return "image is required: give the image name that 'faas-cli build' used";
        }

        if (namespaces.Resolve(deployment.Namespace, out var ns) is { } nsError)
        {
            return nsError;
        }

        if (ScaleLabels.InitialReplicas(deployment.Labels, out var labelError) is null)
        {
            return labelError;
        }

        if (Autoscaling.ScalingSpec.TryParse(deployment.Labels, out var scalingError) is null)
        {
            return scalingError;
        }

        foreach (var key in deployment.EnvVars?.Keys ?? Enumerable.Empty<string>())
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
            {
                return $"envVars key '{key}' is invalid: use a non-empty name without '=' or NUL";
            }
        }

        foreach (var secret in deployment.Secrets ?? [])
        {
            if (FunctionNames.Validate(secret, "secrets entry") is { } secretError)
            {
                return secretError;
            }
        }

        normalized = deployment with { Namespace = ns, Image = deployment.Image.Trim() };
        return null;
    }
}
