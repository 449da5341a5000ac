using TorchSharp.Modules;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PromptKit.Training;

/// <summary>The container of every file the Training package writes: a header, a payload and its SHA-256, written
/// through <see cref="AtomicFile"/>, so that a crash or a cancellation leaves either the old file or the new one.</summary>
/// <remarks>Layout: 8-byte magic <c>PKTRAIN1</c>, int32 format version, the kind string (length-prefixed UTF-8),
/// int64 payload length, the payload, the payload's SHA-256 (32 bytes). All integers little-endian.</remarks>
internal static class CheckpointFile
{
    public const string WeightsKind = "weights";
    public const string TrainerKind = "trainer";
    public const int FormatVersion = 2; // trainer checkpoints: 2 added the validation state

    // Weights files did not change when trainer checkpoints moved to version 2.
    private const int WeightsFormatVersion = 1;

    private static int VersionOf(string kind) => kind == WeightsKind ? WeightsFormatVersion : FormatVersion;

    private static readonly byte[] Magic = "PKTRAIN1"u8.ToArray();

    public static void Write(string path, string kind, Action<BinaryWriter> writePayload)
    {
        byte[] payload;
        using (var buffer = new MemoryStream())
        {
            using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
            {
                writePayload(writer);
            }

            payload = buffer.ToArray();
        }

        byte[] hash = SHA256.HashData(payload);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(VersionOf(kind));
            writer.Write(kind);
            writer.Write((long)payload.Length);
            writer.Write(payload);
            writer.Write(hash);
        });
    }

    public static void Read(string path, string kind, Action<BinaryReader> readPayload)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The file '{full}' does not exist.", full);
        }

        byte[] bytes = File.ReadAllBytes(full);
        ReadOnlySpan<byte> span = bytes;
        if (span.Length < Magic.Length + 4 || !span[..Magic.Length].SequenceEqual(Magic))
        {
            throw new CheckpointException($"'{full}' is not a PromptKit.Training file (its magic number is missing).", full);
        }

        int version = BinaryPrimitives.ReadInt32LittleEndian(span[Magic.Length..]);
        int expected = VersionOf(kind);
        if (version != expected)
        {
            throw new CheckpointException($"'{full}' has format version {version}; this library reads version {expected} of '{kind}' files.", full);
        }

        using var stream = new MemoryStream(bytes, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        stream.Position = Magic.Length + 4;
        string actualKind;
        long length;
        try
        {
            actualKind = reader.ReadString();
            length = reader.ReadInt64();
        }
        catch (EndOfStreamException ex)
        {
            throw new CheckpointException($"'{full}' is truncated (its header is incomplete).", full, ex);
        }

        if (!string.Equals(actualKind, kind, StringComparison.Ordinal))
        {
            throw new CheckpointException($"'{full}' holds {actualKind}, not {kind}.", full);
        }

        long start = stream.Position;
        if (length < 0 || start + length + SHA256.HashSizeInBytes != bytes.Length)
        {
            throw new CheckpointException($"'{full}' is truncated or has trailing bytes: the header announces {length} payload bytes, the file has {bytes.Length - start - SHA256.HashSizeInBytes}.", full);
        }

        ReadOnlySpan<byte> payload = span.Slice((int)start, (int)length);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(span[(int)(start + length)..]))
        {
            throw new CheckpointException($"'{full}' is corrupt: the SHA-256 of its payload does not match the one stored in it.", full);
        }

        try
        {
            readPayload(reader);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or FormatException or InvalidDataException)
        {
            throw new CheckpointException($"'{full}' could not be read: {ex.Message}", full, ex);
        }
    }

    /// <summary>Writes an optimizer's state (moments, step counts) as a length-prefixed block.</summary>
    public static void WriteOptimizer(BinaryWriter writer, OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var inner = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(inner);
        }

        writer.Write(checked((int)buffer.Length));
        writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads an optimizer's state written by <see cref="WriteOptimizer"/> into an optimizer over the same parameters.</summary>
    public static void ReadOptimizer(BinaryReader reader, OptimizerHelper optimizer)
    {
        byte[] bytes = reader.ReadBytes(reader.ReadInt32());
        using var stream = new MemoryStream(bytes, writable: false);
        using var inner = new BinaryReader(stream, System.Text.Encoding.UTF8);
        optimizer.load_state_dict(inner);
    }
}
