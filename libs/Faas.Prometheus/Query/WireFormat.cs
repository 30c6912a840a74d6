using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Prometheus.Query;

/// <summary>The <c>/api/v1</c> envelope: <c>{status, data, errorType, error, warnings}</c>.</summary>
internal sealed class WireResponse
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("data")]
    public WireData? Data { get; init; }

    [JsonPropertyName("errorType")]
    public string? ErrorType { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("warnings")]
    public List<string>? Warnings { get; init; }
}

/// <summary>The shape of <c>result</c> depends on <c>resultType</c>, so it is read in a second step.</summary>
internal sealed class WireData
{
    [JsonPropertyName("resultType")]
    public string? ResultType { get; init; }

    [JsonPropertyName("result")]
    public JsonElement Result { get; init; }
}

internal sealed class WireSeries
{
    [JsonPropertyName("metric")]
    public Dictionary<string, string>? Metric { get; init; }

    [JsonPropertyName("value")]
    public WirePoint? Value { get; init; }

    [JsonPropertyName("values")]
    public List<WirePoint>? Values { get; init; }
}

/// <summary>A <c>[unixSeconds, "value"]</c> pair; the value stays a string (numbers, <c>NaN</c>, <c>±Inf</c>, or text).</summary>
[JsonConverter(typeof(WirePointConverter))]
internal readonly record struct WirePoint(double UnixSeconds, string Value)
{
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(UnixSeconds * 1000));

    public double NumericValue => TextFormatParser.ParseValue(Value);
}

internal sealed class WirePointConverter : JsonConverter<WirePoint>
{
    public override WirePoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("Expected a [unixSeconds, \"value\"] pair.");
        }

        var seconds = reader.GetDouble();
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected the value of a [unixSeconds, \"value\"] pair as a string.");
        }

        var value = reader.GetString()!;
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("Expected the end of a [unixSeconds, \"value\"] pair.");
        }

        return new WirePoint(seconds, value);
    }

    public override void Write(Utf8JsonWriter writer, WirePoint value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.UnixSeconds);
        writer.WriteStringValue(value.Value);
        writer.WriteEndArray();
    }
}

[JsonSerializable(typeof(WireResponse))]
[JsonSerializable(typeof(List<WireSeries>))]
[JsonSerializable(typeof(WirePoint))]
internal sealed partial class PrometheusJsonContext : JsonSerializerContext;
