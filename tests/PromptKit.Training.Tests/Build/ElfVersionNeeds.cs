using System.Buffers.Binary;
using System.Text;

namespace PromptKit.Training.Tests.Build;

/// <summary>Reads the flags of one Vernaux entry of a 64-bit little-endian ELF file, independently of the build task.</summary>
internal static class ElfVersionNeeds
{
    public static ushort? FindFlags(string path, string file, string version)
    {
        ReadOnlySpan<byte> elf = File.ReadAllBytes(path);
        long sectionOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        for (int i = 0; i < sectionCount; i++)
        {
            ReadOnlySpan<byte> header = elf.Slice((int)sectionOffset + (i * sectionSize), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != 0x6ffffffe)
            {
                continue;
            }

            int needs = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            ReadOnlySpan<byte> stringHeader = elf.Slice((int)sectionOffset + (link * sectionSize), sectionSize);
            int strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(stringHeader[0x18..]);
            int need = needs;
            while (true)
            {
                int count = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                string needFile = ReadString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 4)..]));
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (int j = 0; j < count; j++)
                {
                    string name = ReadString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]));
                    if (needFile == file && name == version)
                    {
                        return BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 4)..]);
                    }

                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }

                int next = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
                if (next == 0)
                {
                    return null;
                }

                need += next;
            }
        }

        return null;
    }

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        int length = elf[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(offset, length));
    }
}
