namespace Faas.Contracts;

/// <summary>HTTP header names shared across the platform (see the OpenFaaS header reference).</summary>
public static class Headers
{
    public const string CallId = "X-Call-Id";
    public const string StartTime = "X-Start-Time";
    public const string DurationSeconds = "X-Duration-Seconds";
    public const string CallbackUrl = "X-Callback-Url";
    public const string FunctionStatus = "X-Function-Status";
    public const string FunctionName = "X-Function-Name";
    public const string Internal = "X-OpenFaaS-Internal";
    public const string ServedBy = "X-Served-By";
    public const string Timeout = "X-Timeout";
}
