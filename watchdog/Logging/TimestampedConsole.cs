using System.Text;

namespace Faas.Watchdog.Logging;

/// <summary>Routes stdout and stderr through <see cref="TimestampedTextWriter"/> when <c>log_timestamps=true</c>.</summary>
public static class TimestampedConsole
{
    /// <summary>Call before the host is built, so that every logger and the handler's own writes are stamped.</summary>
    public static void Install(TimeProvider? time = null)
    {
        Console.SetOut(new TimestampedTextWriter(Open(Console.OpenStandardOutput()), time));
        Console.SetError(new TimestampedTextWriter(Open(Console.OpenStandardError()), time));
    }

    private static StreamWriter Open(Stream stream) => new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
}
