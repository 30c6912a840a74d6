using System.Buffers.Binary;

namespace Faas.Controller.Backends.Docker;

/// <summary>
/// The only file of the sandbox image: a static Linux executable that waits for signals forever
/// (<c>pause(2)</c> in a loop), 129 bytes, no libc, ~8 KiB resident. Written here rather than taken
/// from an image because no registry can be assumed and every other image may lack a shell.
/// </summary>
/// <remarks>
/// As PID 1 of its container it ignores SIGTERM (the kernel drops signals init has no handler for),
/// so it only ends with SIGKILL, which is how the backend removes containers (<c>force</c>).
/// </remarks>
internal static class SandboxProgram
{
    private const ulong LoadAddress = 0x400000;
    private const int ElfHeaderSize = 64;
    private const int ProgramHeaderSize = 56;

    /// <summary>x86-64: <c>mov eax, 34 (pause); syscall; jmp back to the mov</c>.</summary>
    private static readonly byte[] Amd64Code = [0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7];

    private const ushort Amd64Machine = 0x3e;

    /// <summary>The executable for a daemon's architecture (Engine API <c>Arch</c>); null when there is none.</summary>
    public static byte[]? For(string? arch) => arch switch
    {
        "amd64" or "x86_64" => Elf(Amd64Machine, Amd64Code),
        _ => null,
    };

    /// <summary>An ELF64 executable with one loadable, read + execute segment: the headers and then the code.</summary>
    internal static byte[] Elf(ushort machine, byte[] code)
    {
        var size = ElfHeaderSize + ProgramHeaderSize + code.Length;
        var file = new byte[size];
        var span = file.AsSpan();

        // ELF header: magic, 64-bit, little-endian, version 1, System V ABI.
        ReadOnlySpan<byte> magic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];
        magic.CopyTo(span);
        span[4] = 2;
        span[5] = 1;
        span[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], machine);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], LoadAddress + ElfHeaderSize + ProgramHeaderSize); // entry: the code
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], ElfHeaderSize); // program headers follow
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], ElfHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], ProgramHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], 1);

        // Program header: PT_LOAD of the whole file at LoadAddress, R + X.
        var ph = span[ElfHeaderSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], LoadAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], LoadAddress);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)size);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], (ulong)size);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);

        code.CopyTo(span[(ElfHeaderSize + ProgramHeaderSize)..]);
        return file;
    }
}
