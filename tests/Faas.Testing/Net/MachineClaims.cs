namespace Faas.Testing.Net;

/// <summary>
/// Names (a port, an address range) that one test process holds against all others on the machine:
/// the test projects run in parallel, and each starts servers and Docker daemons of its own.
/// </summary>
/// <remarks>
/// A claim is an exclusive lock on a file named for it in <c>$TMPDIR/faas-test-claims/</c>
/// (FileShare.None is an flock on Unix), held until the process exits, when the kernel drops it, so
/// a crashed test host leaves nothing claimed. test.sh removes the folder at the end.
/// </remarks>
public static class MachineClaims
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "faas-test-claims");
    private static readonly List<FileStream> Held = [];

    /// <summary>True when this process now holds <paramref name="name"/>; false when another process (or this one) already does.</summary>
    public static bool TryClaim(string name)
    {
        lock (Held)
        {
            System.IO.Directory.CreateDirectory(Directory);
            try
            {
                Held.Add(new FileStream(Path.Combine(Directory, name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
