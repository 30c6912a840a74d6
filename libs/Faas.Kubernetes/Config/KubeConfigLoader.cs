using System.Security.Cryptography.X509Certificates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Faas.Kubernetes;

/// <summary>
/// Reads a kubeconfig (YAML or JSON): the chosen context's cluster (server, CA as data or file,
/// insecure-skip-tls-verify) and user (token, tokenFile, client certificate and key as data or files,
/// username/password). Relative file paths are resolved against the kubeconfig's folder.
/// Exec and auth-provider plugins are not supported and say so.
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>The first file of <c>KUBECONFIG</c>, else <c>~/.kube/config</c>.</summary>
    public static string DefaultPath(Func<string, string?>? getVariable = null)
    {
        var kubeconfig = (getVariable ?? Environment.GetEnvironmentVariable)("KUBECONFIG");
        var first = kubeconfig?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return first ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    public static KubernetesClientConfiguration LoadFile(string path, string? context = null)
    {
        if (!File.Exists(path))
        {
            throw new KubeConfigException($"kubeconfig {path} does not exist");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Load(File.ReadAllText(path), context, directory, path);
    }

    /// <summary>Parses kubeconfig text; <paramref name="baseDirectory"/> resolves relative file references.</summary>
    public static KubernetesClientConfiguration Load(string text, string? context = null, string? baseDirectory = null, string source = "kubeconfig")
    {
        var root = Parse(text, source);
        var contextName = context ?? Scalar(root, "current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeConfigException($"{source}: no context given and no current-context set");
        }

        var contextNode = Named(root, "contexts", contextName, "context", source);
        var clusterName = Scalar(contextNode, "cluster") ?? throw new KubeConfigException($"{source}: context '{contextName}' names no cluster");
        var cluster = Named(root, "clusters", clusterName, "cluster", source);
        var userName = Scalar(contextNode, "user");
        var user = string.IsNullOrEmpty(userName) ? new YamlMappingNode() : Named(root, "users", userName, "user", source);
        var resolve = (string file) => Path.IsPathRooted(file) || baseDirectory is null ? file : Path.Combine(baseDirectory, file);

        var server = Scalar(cluster, "server") ?? throw new KubeConfigException($"{source}: cluster '{clusterName}' has no server");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var serverUri))
        {
            throw new KubeConfigException($"{source}: cluster '{clusterName}' server '{server}' is not an absolute address");
        }

        if (user.Children.ContainsKey("exec") || user.Children.ContainsKey("auth-provider"))
        {
            throw new KubeConfigException($"{source}: user '{userName}' uses an exec or auth-provider plugin, which this client does not support; use a token or client certificate");
        }

        return new KubernetesClientConfiguration
        {
            Server = serverUri,
            Namespace = NonEmpty(Scalar(contextNode, "namespace")) ?? "default",
            SkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            CaCertificates = LoadCa(cluster, resolve, source),
            AccessToken = NonEmpty(Scalar(user, "token")),
            TokenSource = NonEmpty(Scalar(user, "tokenFile")) is { } tokenFile ? new FileTokenSource(resolve(tokenFile)) : null,
            ClientCertificate = LoadClientCertificate(user, resolve, source),
            Username = NonEmpty(Scalar(user, "username")),
            Password = NonEmpty(Scalar(user, "password")),
        };
    }

    private static YamlMappingNode Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new KubeConfigException($"{source}: not valid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubeConfigException($"{source}: expected a mapping at the top level");
        }

        return root;
    }

    private static X509Certificate2Collection? LoadCa(YamlMappingNode cluster, Func<string, string> resolve, string source)
    {
        var pem = PemFrom(cluster, "certificate-authority-data", "certificate-authority", resolve, source);
        if (pem is null)
        {
            return null;
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        if (collection.Count == 0)
        {
            throw new KubeConfigException($"{source}: the certificate authority holds no PEM certificate");
        }

        return collection;
    }

    private static X509Certificate2? LoadClientCertificate(YamlMappingNode user, Func<string, string> resolve, string source)
    {
        var cert = PemFrom(user, "client-certificate-data", "client-certificate", resolve, source);
        var key = PemFrom(user, "client-key-data", "client-key", resolve, source);
        if (cert is null && key is null)
        {
            return null;
        }

        if (cert is null || key is null)
        {
            throw new KubeConfigException($"{source}: a client certificate needs both the certificate and its key");
        }

        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(cert, key);
            // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new KubeConfigException($"{source}: client certificate or key is not valid PEM: {ex.Message}", ex);
        }
    }

    /// <summary>The PEM text of a base64 <c>*-data</c> field, else of the file the path field names.</summary>
    private static string? PemFrom(YamlMappingNode node, string dataKey, string fileKey, Func<string, string> resolve, string source)
    {
        if (NonEmpty(Scalar(node, dataKey)) is { } data)
        {
            try
            {
                return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException ex)
            {
                throw new KubeConfigException($"{source}: {dataKey} is not valid base64", ex);
            }
        }

        if (NonEmpty(Scalar(node, fileKey)) is { } file)
        {
            var path = resolve(file);
            if (!File.Exists(path))
            {
                throw new KubeConfigException($"{source}: {fileKey} {path} does not exist");
            }

            return File.ReadAllText(path);
        }

        return null;
    }

    /// <summary>The <paramref name="inner"/> mapping of the entry called <paramref name="name"/> in the list <paramref name="listKey"/>.</summary>
    private static YamlMappingNode Named(YamlMappingNode root, string listKey, string name, string inner, string source)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) && list is YamlSequenceNode sequence)
        {
            foreach (var entry in sequence.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name)
                {
                    return entry.Children.TryGetValue(new YamlScalarNode(inner), out var value) && value is YamlMappingNode mapping
                        ? mapping
                        : new YamlMappingNode();
                }
            }
        }

        throw new KubeConfigException($"{source}: no entry named '{name}' in {listKey}");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>A kubeconfig that cannot be used: missing, malformed, or naming something that is not there.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
