using System.Text.Json;
using System.Text.Json.Nodes;
using Faas.Contracts.Functions;
using Faas.Contracts.Json;
using Faas.Contracts.Logs;
using Faas.Contracts.Secrets;

namespace Faas.Contracts.Tests.Functions;

public class WireShapeTests
{
    [Fact]
    public void FunctionDeployment_ReadsTheBodyFaasCliSends()
    {
        // The body faas-cli deploy sends for a stack.yml function with every common key set.
        const string body = """
            {"service":"nodeinfo","image":"functions/nodeinfo:latest","namespace":"openfaas-fn",
             "envProcess":"node main.js","envVars":{"write_debug":"true"},"constraints":["node.platform.os == linux"],
             "secrets":["api-key"],"labels":{"com.openfaas.scale.min":"2"},"annotations":{"topic":"cron"},
             "limits":{"memory":"128Mi","cpu":"100m"},"requests":{"memory":"64Mi"},"readOnlyRootFilesystem":true}
            """;

        var deployment = JsonSerializer.Deserialize(body, FaasJsonContext.Default.FunctionDeployment)!;

        Assert.Equal("nodeinfo", deployment.Service);
        Assert.Equal("functions/nodeinfo:latest", deployment.Image);
        Assert.Equal("node main.js", deployment.EnvProcess);
        Assert.Equal("true", deployment.EnvVars!["write_debug"]);
        Assert.Equal("2", deployment.Labels!["com.openfaas.scale.min"]);
        Assert.Equal("128Mi", deployment.Limits!.Memory);
        Assert.Null(deployment.Requests!.Cpu);
        Assert.True(deployment.ReadOnlyRootFilesystem);
        Assert.Equal(["api-key"], deployment.Secrets!);
    }

    [Fact]
    public void FunctionStatus_OmitsEmptyFieldsAsGoDoes()
    {
        var status = new FunctionStatus { Name = "echo", Image = "echo:latest", CreatedAt = DateTimeOffset.UnixEpoch };

        var json = JsonNode.Parse(JsonSerializer.Serialize(status, FaasJsonContext.Default.FunctionStatus))!.AsObject();

        Assert.Equal(["name", "image", "createdAt"], json.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void FunctionStatus_WritesReplicaCountsAndInvocationsWhenSet()
    {
        var status = new FunctionStatus
        {
            Name = "echo",
            Image = "echo:latest",
            Namespace = "openfaas-fn",
            Replicas = 3,
            AvailableReplicas = 2,
            InvocationCount = 1337,
            Labels = new() { ["faas_function"] = "echo" },
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(status, FaasJsonContext.Default.FunctionStatus))!;

        Assert.Equal(3UL, json["replicas"]!.GetValue<ulong>());
        Assert.Equal(2UL, json["availableReplicas"]!.GetValue<ulong>());
        Assert.Equal(1337d, json["invocationCount"]!.GetValue<double>());
        Assert.Equal("echo", json["labels"]!["faas_function"]!.GetValue<string>());
        Assert.Null(json["envVars"]);
    }

    [Fact]
    public void FunctionStatus_ReadsAnOpenFaasListEntry()
    {
        // Shape of one element of GET /system/functions from faas-netes.
        const string body = """
            [{"name":"nodeinfo","image":"ghcr.io/openfaas/nodeinfo:latest","namespace":"openfaas-fn",
              "envProcess":"","labels":{"faas_function":"nodeinfo"},"annotations":{"prometheus.io.scrape":"false"},
              "invocationCount":12,"replicas":1,"availableReplicas":1,"createdAt":"2024-01-02T03:04:05Z"}]
            """;

        var list = JsonSerializer.Deserialize(body, FaasJsonContext.Default.ListFunctionStatus)!;

        var fn = Assert.Single(list);
        Assert.Equal(1UL, fn.AvailableReplicas);
        Assert.Equal(12d, fn.InvocationCount);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), fn.CreatedAt);
    }

    [Fact]
    public void ScaleServiceRequest_AlwaysWritesReplicasEvenWhenZero()
    {
        var json = JsonSerializer.Serialize(new ScaleServiceRequest { ServiceName = "echo", Replicas = 0 }, FaasJsonContext.Default.ScaleServiceRequest);

        Assert.Equal("""{"serviceName":"echo","replicas":0}""", json);
    }

    [Fact]
    public void DeleteFunctionRequest_MatchesFaasCliBody()
    {
        var json = JsonSerializer.Serialize(new DeleteFunctionRequest { FunctionName = "echo", Namespace = "dev" }, FaasJsonContext.Default.DeleteFunctionRequest);

        Assert.Equal("""{"functionName":"echo","namespace":"dev"}""", json);
    }

    [Fact]
    public void Secret_RawValueTravelsAsBase64()
    {
        var json = JsonSerializer.Serialize(new Secret { Name = "key", RawValue = [1, 2, 3] }, FaasJsonContext.Default.Secret);

        Assert.Equal("""{"name":"key","rawValue":"AQID"}""", json);
    }

    [Fact]
    public void LogMessage_HasOpenFaasKeys()
    {
        var message = new LogMessage { Name = "echo", Namespace = "openfaas-fn", Instance = "echo-1", Timestamp = DateTimeOffset.UnixEpoch, Text = "hi" };

        var json = JsonNode.Parse(JsonSerializer.Serialize(message, FaasJsonContext.Default.LogMessage))!.AsObject();

        Assert.Equal(["name", "namespace", "instance", "timestamp", "text"], json.Select(p => p.Key).ToArray());
    }
}
