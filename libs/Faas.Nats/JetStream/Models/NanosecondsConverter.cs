using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Nats.JetStream.Models;

/// <summary>JetStream durations are integers of nanoseconds.</summary>
internal sealed class NanosecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        FromNanoseconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(ToNanoseconds(value));

    public static long ToNanoseconds(TimeSpan value) => value.Ticks * 100;

    public static TimeSpan FromNanoseconds(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / 100);
}

internal sealed class NanosecondsListConverter : JsonConverter<IReadOnlyList<TimeSpan>>
{
    public override IReadOnlyList<TimeSpan> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of nanosecond durations");
        }

        var values = new List<TimeSpan>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(NanosecondsConverter.FromNanoseconds(reader.GetInt64()));
        }

        return values;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<TimeSpan> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteNumberValue(NanosecondsConverter.ToNanoseconds(item));
        }

        writer.WriteEndArray();
    }
}
