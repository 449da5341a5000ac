using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>Reads and writes safetensors files through TorchSharp.PyBridge, after checking the header against the file,
/// so that a truncated or corrupt file is a <see cref="ModelFormatException"/> naming it, never garbage weights.</summary>
internal static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Checks the layout of a safetensors file: the header length, its JSON, every tensor's dtype, shape and byte
    /// range, and that the ranges tile the data exactly. Returns each tensor's shape.</summary>
    public static IReadOnlyDictionary<string, long[]> ReadHeader(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The weights file '{full}' does not exist.", full);
        }

        using var stream = File.OpenRead(full);
        long fileLength = stream.Length;
        Span<byte> lengthBytes = stackalloc byte[8];
        if (fileLength < 8 || stream.Read(lengthBytes) != 8)
        {
            throw new ModelFormatException($"'{full}' is not a safetensors file: it is shorter than the 8-byte header length.", full);
        }

        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > fileLength)
        {
            throw new ModelFormatException($"'{full}' is not a valid safetensors file: its header length ({headerLength} bytes) does not fit the file ({fileLength} bytes); the file may be truncated.", full);
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        try
        {
            return CheckHeader(full, header, fileLength - 8 - headerLength);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.DecoderFallbackException or OverflowException)
        {
            throw new ModelFormatException($"'{full}' has a corrupt safetensors header: {e.Message}", full, e);
        }
    }

    private static Dictionary<string, long[]> CheckHeader(string full, byte[] header, long dataLength)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(header) as JsonObject ?? throw new ModelFormatException($"'{full}' has a safetensors header that is not a JSON object.", full);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"'{full}' has a corrupt safetensors header: {e.Message}", full, e);
        }

        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var ranges = new List<(long Start, long End, string Name)>();
        foreach ((string name, JsonNode? node) in root)
        {
            if (name == "__metadata__")
            {
                continue;
            }

            if (node is not JsonObject entry || entry["dtype"] is not JsonValue dtypeNode || entry["shape"] is not JsonArray shapeNode
                || entry["data_offsets"] is not JsonArray { Count: 2 } offsets)
            {
                throw new ModelFormatException($"'{full}' has a malformed header entry for tensor '{name}' (it needs dtype, shape and data_offsets).", full);
            }

            string dtype = dtypeNode.GetValue<string>();
            int elementSize = dtype switch
            {
                "F64" or "I64" or "U64" => 8,
                "F32" or "I32" or "U32" => 4,
                "F16" or "BF16" or "I16" or "U16" => 2,
                "I8" or "U8" or "BOOL" => 1,
                _ => throw new ModelFormatException($"'{full}': tensor '{name}' has dtype '{dtype}', which this library does not read.", full),
            };
            long[] shape = [.. shapeNode.Select(static d => d!.GetValue<long>())];
            long count = 1;
            foreach (long d in shape)
            {
                if (d < 0)
                {
                    throw new ModelFormatException($"'{full}': tensor '{name}' has a negative dimension in shape [{string.Join(", ", shape)}].", full);
                }

                count *= d;
            }

            long start = offsets[0]!.GetValue<long>();
            long end = offsets[1]!.GetValue<long>();
            if (start < 0 || end < start || end > dataLength)
            {
                throw new ModelFormatException($"'{full}': tensor '{name}' claims bytes {start}..{end} of a data section of {dataLength} bytes; the file is truncated or corrupt.", full);
            }

            if (end - start != count * elementSize)
            {
                throw new ModelFormatException($"'{full}': tensor '{name}' ({dtype}, shape [{string.Join(", ", shape)}]) needs {count * elementSize} bytes but its header gives {end - start}.", full);
            }

            shapes[name] = shape;
            ranges.Add((start, end, name));
        }

        ranges.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        long expected = 0;
        foreach ((long start, long end, string name) in ranges)
        {
            if (start != expected)
            {
                throw new ModelFormatException($"'{full}': tensor '{name}' starts at byte {start} of the data, expected {expected} (overlapping or missing data).", full);
            }

            expected = end;
        }

        if (expected != dataLength)
        {
            throw new ModelFormatException($"'{full}' has {dataLength} bytes of tensor data but its header accounts for {expected}; the file is truncated or has trailing bytes.", full);
        }

        return shapes;
    }

    /// <summary>Loads every tensor of a checked file as float32 (BF16, F16 and F64 are converted).</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        _ = ReadHeader(path);
        Dictionary<string, Tensor> loaded;
        try
        {
            loaded = Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelFormatException($"'{Path.GetFullPath(path)}' could not be read as safetensors: {e.Message}", path, e);
        }

        var result = new Dictionary<string, Tensor>(loaded.Count, StringComparer.Ordinal);
        foreach ((string name, Tensor value) in loaded)
        {
            if (value.dtype == ScalarType.Float32)
            {
                result[name] = value;
            }
            else
            {
                result[name] = value.to(ScalarType.Float32);
                value.Dispose();
            }
        }

        return result;
    }

    /// <summary>Writes tensors (float32, contiguous) to a safetensors file atomically: a temporary file, then a rename.</summary>
    public static void Save(string path, Dictionary<string, Tensor> tensors)
    {
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        Safetensors.SaveStateDict(temporary, tensors);
        File.Move(temporary, full, overwrite: true);
    }
}
