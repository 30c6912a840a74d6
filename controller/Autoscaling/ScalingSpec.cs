using System.Globalization;
using Faas.Contracts.Time;
using Faas.Controller.Backends;

namespace Faas.Controller.Autoscaling;

/// <summary>What the load of a function is measured in (<c>com.openfaas.scale.type</c>).</summary>
public enum ScalingType
{
    /// <summary>Requests per second through the gateway.</summary>
    Rps,

    /// <summary>Calls in flight (held or forwarded by the gateway).</summary>
    Capacity,

    /// <summary>Milli-CPU used by the replicas.</summary>
    Cpu,
}

/// <summary>
/// A function's autoscaling settings, read from its labels: the OpenFaaS Pro labels
/// (<c>openfaas-reference.md</c> §5.1) plus our Knative-style windows. Immutable; build with
/// <see cref="TryParse"/>, which names the label and value of the first invalid one.
/// </summary>
public sealed record ScalingSpec
{
    public const string Prefix = "com.openfaas.scale.";
    public const string MinLabel = ScaleLabels.Min;
    public const string MaxLabel = ScaleLabels.Max;
    public const string TargetLabel = "com.openfaas.scale.target";
    public const string TargetProportionLabel = "com.openfaas.scale.target-proportion";
    public const string TypeLabel = "com.openfaas.scale.type";
    public const string ZeroLabel = "com.openfaas.scale.zero";
    public const string ZeroDurationLabel = "com.openfaas.scale.zero-duration";

    /// <summary>Idle time after which the replicas are paused (the warm tier); unset = never paused.</summary>
    public const string PauseDurationLabel = "com.openfaas.scale.pause-duration";
    public const string StableWindowLabel = "com.openfaas.scale.down.window";
    public const string ScaleDownDelayLabel = "com.openfaas.scale.down.delay";
    public const string PanicWindowLabel = "com.openfaas.scale.panic.window";
    public const string PanicThresholdLabel = "com.openfaas.scale.panic.threshold";

    public const int DefaultMax = 20;
    private static readonly TimeSpan MaxStableWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxZeroDuration = TimeSpan.FromDays(1);

    public static readonly ScalingSpec Default = new();

    /// <summary>Floor of the replicas (scale to zero only through <see cref="Zero"/>).</summary>
    public int Min { get; init; } = 1;

    public int Max { get; init; } = DefaultMax;

    /// <summary>Load one replica should carry.</summary>
    public double Target { get; init; } = 50;

    /// <summary>Share of <see cref="Target"/> aimed for, leaving headroom for bursts.</summary>
    public double TargetProportion { get; init; } = 0.9;

    public ScalingType Type { get; init; } = ScalingType.Rps;

    /// <summary>Opt-in scale to zero after <see cref="ZeroDuration"/> without load.</summary>
    public bool Zero { get; init; }

    public TimeSpan ZeroDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The warm tier: after this long without load the replicas are paused (no CPU, memory kept)
    /// and a call resumes them in milliseconds; null = never paused. Shorter than
    /// <see cref="ZeroDuration"/> when <see cref="Zero"/> is on.
    /// </summary>
    public TimeSpan? PauseDuration { get; init; }

    /// <summary>Load is averaged over this window for the stable (non-panic) decision.</summary>
    public TimeSpan StableWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Short window that detects bursts.</summary>
    public TimeSpan PanicWindow { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Panic when the panic-window demand reaches this multiple of the ready replicas.</summary>
    public double PanicThreshold { get; init; } = 2.0;

    /// <summary>Scale down only to the highest recommendation of this trailing window; 0 = at once.</summary>
    public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.Zero;

    /// <summary>min == max: the autoscaler leaves the function alone.</summary>
    public bool IsStatic => Min == Max;

    /// <summary>Load per replica the decision aims for: target × proportion.</summary>
    public double LoadPerReplica => Target * TargetProportion;

    /// <summary>The label value of <see cref="Type"/>.</summary>
    public string TypeName => Type switch
    {
        ScalingType.Capacity => "capacity",
        ScalingType.Cpu => "cpu",
        _ => "rps",
    };

    /// <summary>Reads every scaling label; null with an error naming the label, the value and what is allowed.</summary>
    public static ScalingSpec? TryParse(IReadOnlyDictionary<string, string>? labels, out string? error)
    {
        error = null;
        labels ??= new Dictionary<string, string>();
        var d = Default;

        var min = d.Min;
        if (Get(labels, MinLabel) is { } minText && !TryInt(minText, 0, ScaleLabels.MaxReplicas, out min))
        {
            error = Invalid(MinLabel, minText, $"a whole number from 0 to {ScaleLabels.MaxReplicas}");
            return null;
        }

        var max = Math.Max(DefaultMax, min);
        if (Get(labels, MaxLabel) is { } maxText)
        {
            if (!TryInt(maxText, 1, ScaleLabels.MaxReplicas, out max))
            {
                error = Invalid(MaxLabel, maxText, $"a whole number from 1 to {ScaleLabels.MaxReplicas}");
                return null;
            }

            if (max < min)
            {
                error = $"label {MaxLabel} ({max}) is below {MinLabel} ({min}): make max at least min";
                return null;
            }
        }

        var target = d.Target;
        if (Get(labels, TargetLabel) is { } targetText && (!TryDouble(targetText, out target) || target <= 0))
        {
            error = Invalid(TargetLabel, targetText, "a number above 0 (load per replica)");
            return null;
        }

        var proportion = d.TargetProportion;
        if (Get(labels, TargetProportionLabel) is { } proportionText && (!TryDouble(proportionText, out proportion) || proportion <= 0 || proportion > 1))
        {
            error = Invalid(TargetProportionLabel, proportionText, "a number above 0 and at most 1, such as 0.9");
            return null;
        }

        var type = d.Type;
        if (Get(labels, TypeLabel) is { } typeText)
        {
            switch (typeText.ToLowerInvariant())
            {
                case "rps": type = ScalingType.Rps; break;
                case "capacity": type = ScalingType.Capacity; break;
                case "cpu": type = ScalingType.Cpu; break;
                default:
                    error = Invalid(TypeLabel, typeText, "rps, capacity or cpu");
                    return null;
            }
        }

        var zero = d.Zero;
        if (Get(labels, ZeroLabel) is { } zeroText && !bool.TryParse(zeroText, out zero))
        {
            error = Invalid(ZeroLabel, zeroText, "true or false");
            return null;
        }

        if (!TryDuration(labels, ZeroDurationLabel, d.ZeroDuration, TimeSpan.FromSeconds(1), MaxZeroDuration, out var zeroDuration, ref error)
            || !TryDuration(labels, StableWindowLabel, d.StableWindow, TimeSpan.FromSeconds(1), MaxStableWindow, out var stable, ref error)
            || !TryDuration(labels, PanicWindowLabel, d.PanicWindow, TimeSpan.FromSeconds(1), stable, out var panic, ref error)
            || !TryDuration(labels, ScaleDownDelayLabel, d.ScaleDownDelay, TimeSpan.Zero, TimeSpan.FromHours(1), out var delay, ref error)
            || !TryDuration(labels, PauseDurationLabel, TimeSpan.Zero, TimeSpan.FromSeconds(1), MaxZeroDuration, out var pause, ref error))
        {
            return null;
        }

        TimeSpan? pauseDuration = pause > TimeSpan.Zero ? pause : null;
        if (zero && pauseDuration >= zeroDuration)
        {
            error = $"label {PauseDurationLabel} ({GoDuration.Format(pause)}) is not shorter than {ZeroDurationLabel} ({GoDuration.Format(zeroDuration)}): "
                + "the warm tier comes before zero, so make it shorter (or drop it)";
            return null;
        }

        var threshold = d.PanicThreshold;
        if (Get(labels, PanicThresholdLabel) is { } thresholdText && (!TryDouble(thresholdText, out threshold) || threshold <= 1 || threshold > 10))
        {
            error = Invalid(PanicThresholdLabel, thresholdText, "a number above 1 and at most 10 (2 = twice the ready replicas)");
            return null;
        }

        return new ScalingSpec
        {
            Min = min,
            Max = max,
            Target = target,
            TargetProportion = proportion,
            Type = type,
            Zero = zero,
            ZeroDuration = zeroDuration,
            PauseDuration = pauseDuration,
            StableWindow = stable,
            PanicWindow = panic,
            PanicThreshold = threshold,
            ScaleDownDelay = delay,
        };
    }

    private static string? Get(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) ? value.Trim() : null;

    private static string Invalid(string label, string value, string allowed) =>
        $"label {label} '{value}' is invalid: use {allowed}";

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryDuration(IReadOnlyDictionary<string, string> labels, string label, TimeSpan fallback, TimeSpan min, TimeSpan max, out TimeSpan value, ref string? error)
    {
        value = fallback;
        if (Get(labels, label) is not { } text)
        {
            return true;
        }

        if (GoDuration.TryParse(text, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = Invalid(label, text, $"a Go duration (30s, 1m30s) from {GoDuration.Format(min)} to {GoDuration.Format(max)}");
        return false;
    }
}
