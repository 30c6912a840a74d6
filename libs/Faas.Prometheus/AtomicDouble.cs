namespace Faas.Prometheus;

/// <summary>
/// Lock-free operations on a double stored as its 64-bit pattern. Comparing bits rather than
/// values keeps the compare-exchange loops finite when the value is NaN.
/// </summary>
internal static class AtomicDouble
{
    public static double Read(ref long bits) => BitConverter.Int64BitsToDouble(Volatile.Read(ref bits));

    public static void Set(ref long bits, double value) =>
        Interlocked.Exchange(ref bits, BitConverter.DoubleToInt64Bits(value));

    public static void Add(ref long bits, double delta)
    {
        var observed = Volatile.Read(ref bits);
        while (true)
        {
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(observed) + delta);
            var previous = Interlocked.CompareExchange(ref bits, updated, observed);
            if (previous == observed)
            {
                return;
            }

            observed = previous;
        }
    }

    /// <summary>Raises the value to <paramref name="target"/> if it is currently lower.</summary>
    public static void Max(ref long bits, double target)
    {
        var observed = Volatile.Read(ref bits);
        while (BitConverter.Int64BitsToDouble(observed) < target)
        {
            var previous = Interlocked.CompareExchange(ref bits, BitConverter.DoubleToInt64Bits(target), observed);
            if (previous == observed)
            {
                return;
            }

            observed = previous;
        }
    }

    /// <summary>Lowers the value to <paramref name="target"/> if it is currently higher.</summary>
    public static void Min(ref long bits, double target)
    {
        var observed = Volatile.Read(ref bits);
        while (BitConverter.Int64BitsToDouble(observed) > target)
        {
            var previous = Interlocked.CompareExchange(ref bits, BitConverter.DoubleToInt64Bits(target), observed);
            if (previous == observed)
            {
                return;
            }

            observed = previous;
        }
    }
}
