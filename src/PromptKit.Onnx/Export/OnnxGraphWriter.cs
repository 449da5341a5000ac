using System.Runtime.InteropServices;
using Google.Protobuf;

namespace PromptKit.OnnxRuntime;

/// <summary>Assembles an ONNX <see cref="ModelProto"/> from nodes, float initializers and typed inputs and outputs.</summary>
internal sealed class OnnxGraphWriter
{
    private readonly GraphProto _graph;

    public OnnxGraphWriter(string graphName) => _graph = new GraphProto { Name = graphName };

    public void AddFloatInitializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims.ToArray());
        tensor.RawData = ToLittleEndian(values);
        _graph.Initializer.Add(tensor);
    }

    public void AddInt64Initializer(string name, ReadOnlySpan<long> values, params ReadOnlySpan<long> dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(dims.ToArray());
        tensor.Int64Data.Add(values.ToArray());
        _graph.Initializer.Add(tensor);
    }

    public NodeProto AddNode(string opType, string name, ReadOnlySpan<string> inputs, ReadOnlySpan<string> outputs)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        foreach (string input in inputs)
        {
            node.Input.Add(input);
        }

        foreach (string output in outputs)
        {
            node.Output.Add(output);
        }

        _graph.Node.Add(node);
        return node;
    }

    public void AddInput(string name, TensorProto.Types.DataType elementType, params ReadOnlySpan<Dim> shape) =>
        _graph.Input.Add(ValueInfo(name, elementType, shape));

    public void AddOutput(string name, TensorProto.Types.DataType elementType, params ReadOnlySpan<Dim> shape) =>
        _graph.Output.Add(ValueInfo(name, elementType, shape));

    public byte[] ToModelBytes(long opsetVersion, long irVersion, OnnxExportOptions options)
    {
        var model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "PromptKit",
            ProducerVersion = typeof(OnnxGraphWriter).Assembly.GetName().Version?.ToString() ?? string.Empty,
            ModelVersion = options.ModelVersion,
            DocString = options.Description ?? string.Empty,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opsetVersion });
        foreach (KeyValuePair<string, string> entry in options.Metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = entry.Key, Value = entry.Value });
        }

        return model.ToByteArray();
    }

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntsAttribute(string name, params ReadOnlySpan<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values.ToArray());
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType elementType, ReadOnlySpan<Dim> shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (Dim dim in shape)
        {
            tensorShape.Dim.Add(dim.Symbol is null
                ? new TensorShapeProto.Types.Dimension { DimValue = dim.Value }
                : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = tensorShape } },
        };
    }

    private static ByteString ToLittleEndian(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }

        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return ByteString.CopyFrom(bytes);
    }

    /// <summary>One dimension of a value's shape: a fixed size or a named symbolic size (e.g. the batch).</summary>
    internal readonly record struct Dim(long Value, string? Symbol)
    {
        public static Dim Fixed(long value) => new(value, null);

        public static Dim Symbolic(string symbol) => new(0, symbol);
    }
}
