using System.Globalization;
using static PromptKit.OnnxRuntime.OnnxGraphWriter;
using DataType = PromptKit.OnnxRuntime.TensorProto.Types.DataType;

namespace PromptKit.OnnxRuntime;

/// <summary>Writes a Llama-family decoder (<see cref="DecoderModelWeights"/>) as an ONNX model with a KV cache, in the
/// layout <c>OnnxChatClient</c> (PromptKit.OnnxRuntime) runs by default.</summary>
/// <remarks>
/// <para>Inputs: <c>input_ids</c> int64 [batch, sequence], <c>attention_mask</c> int64 [batch, past + sequence],
/// <c>position_ids</c> int64 [batch, sequence], and per layer i <c>past_key_values.i.key</c> / <c>.value</c> float
/// [batch, key/value heads, past, head size] (past may be 0). Outputs: <c>logits</c> float [batch, sequence, V] and
/// <c>present.i.key</c> / <c>.value</c> [batch, key/value heads, past + sequence, head size]. Token t attends to the
/// cached and new positions up to its own whose mask is 1.</para>
/// <para>ONNX IR <see cref="OnnxPolicyExporter.IrVersion"/>, opset <see cref="OnnxPolicyExporter.OpsetVersion"/>; weights
/// are float32 initializers in the one file, so the model must stay under protobuf's 2 GB (about 500 million parameters);
/// external data files are not written. Thread-safe.</para>
/// </remarks>
public static class OnnxDecoderExporter
{
    /// <summary>Serializes the model.</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="options">Graph name and metadata (the policy input/output names are not used), or <see langword="null"/>.</param>
    /// <returns>The ONNX model bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The model would exceed protobuf's 2 GB limit.</exception>
    public static byte[] Export(DecoderModelWeights weights, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        long values = weights.Tensors.Values.Sum(static t => (long)t.Length) + (weights.TiedHead ? (long)weights.VocabularySize * weights.HiddenSize : 0);
        if (values * sizeof(float) > 2_000_000_000L)
        {
            throw new ArgumentException($"The model has {values:N0} float weights ({values * 4 / 1_000_000:N0} MB); one ONNX file holds at most 2 GB (external data is not written).", nameof(weights));
        }

        options ??= new OnnxExportOptions { GraphName = "promptkit_decoder" };
        var g = new Builder(new OnnxGraphWriter(options.GraphName));
        return g.Build(weights).ToModelBytes(OnnxPolicyExporter.OpsetVersion, OnnxPolicyExporter.IrVersion, options);
    }

    /// <summary>Writes the model to a file (through a temporary file, then a rename).</summary>
    /// <param name="weights">The weights.</param>
    /// <param name="path">The file.</param>
    /// <param name="options">Graph name and metadata, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="weights"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or blank, or the model exceeds 2 GB.</exception>
    public static void ExportToFile(DecoderModelWeights weights, string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes = Export(weights, options);
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, full, overwrite: true);
    }

    private sealed class Builder(OnnxGraphWriter writer)
    {
        private int _next;

        public OnnxGraphWriter Build(DecoderModelWeights w)
        {
            int kvHeads = w.KeyValueHeadCount, heads = w.HeadCount, d = w.HeadSize, groups = heads / kvHeads;
            writer.AddInput("input_ids", DataType.Int64, Dim.Symbolic("batch"), Dim.Symbolic("sequence"));
            writer.AddInput("attention_mask", DataType.Int64, Dim.Symbolic("batch"), Dim.Symbolic("total"));
            writer.AddInput("position_ids", DataType.Int64, Dim.Symbolic("batch"), Dim.Symbolic("sequence"));
            for (int i = 0; i < w.LayerCount; i++)
            {
                writer.AddInput($"past_key_values.{i}.key", DataType.Float, Dim.Symbolic("batch"), Dim.Fixed(kvHeads), Dim.Symbolic("past"), Dim.Fixed(d));
                writer.AddInput($"past_key_values.{i}.value", DataType.Float, Dim.Symbolic("batch"), Dim.Fixed(kvHeads), Dim.Symbolic("past"), Dim.Fixed(d));
            }

            writer.AddOutput("logits", DataType.Float, Dim.Symbolic("batch"), Dim.Symbolic("sequence"), Dim.Fixed(w.VocabularySize));
            for (int i = 0; i < w.LayerCount; i++)
            {
                writer.AddOutput($"present.{i}.key", DataType.Float, Dim.Symbolic("batch"), Dim.Fixed(kvHeads), Dim.Symbolic("total"), Dim.Fixed(d));
                writer.AddOutput($"present.{i}.value", DataType.Float, Dim.Symbolic("batch"), Dim.Fixed(kvHeads), Dim.Symbolic("total"), Dim.Fixed(d));
            }

            // Constants.
            string eps = Scalar("rms_eps", (float)w.RmsNormEpsilon);
            string two = Scalar("two", 2f);
            string scale = Scalar("attention_scale", 1f / MathF.Sqrt(d));
            string lowest = Scalar("masked_score", float.MinValue);
            string zero = Int64Scalar("zero", 0);
            string one = Int64Scalar("one", 1);
            string halves = Int64s("rotary_split", d / 2, d / 2);
            writer.AddFloatInitializer("rotary_inverse_frequencies", [.. w.InverseFrequencies], w.InverseFrequencies.Count);

            // Rotary tables for the fed positions: [batch, 1, sequence, d].
            string positions = Op("Cast", ["position_ids"], IntAttribute("to", (long)DataType.Float));
            string angles = Op("Mul", [Op("Unsqueeze", [positions, Int64s("axis_last", 2)]), "rotary_inverse_frequencies"]);
            string doubled = Op("Concat", [angles, angles], IntAttribute("axis", -1));
            string cos = Op("Unsqueeze", [Op("Cos", [doubled]), Int64s("axis_heads", 1)]);
            string sin = Op("Unsqueeze", [Op("Sin", [doubled]), "axis_heads"]);

            // Attention mask [batch, 1, sequence, total]: key j is visible to new token i when j <= past + i and mask[j] = 1.
            string total = Op("Gather", [Op("Shape", ["attention_mask"]), one], IntAttribute("axis", 0));
            string fed = Op("Gather", [Op("Shape", ["input_ids"]), one], IntAttribute("axis", 0));
            string keys = Op("Range", [zero, total, one]);
            string queries = Op("Range", [Op("Sub", [total, fed]), total, one]);
            string causal = Op("LessOrEqual", [Op("Unsqueeze", [keys, Int64s("axis_first", 0)]), Op("Unsqueeze", [queries, "axis_heads"])]);
            string padding = Op("Unsqueeze", [Op("Cast", ["attention_mask"], IntAttribute("to", (long)DataType.Bool)), Int64s("axes_mask", 1, 2)]);
            string visible = Op("And", [causal, padding]);

            string hidden = Op("Gather", [Weight(w, "model.embed_tokens.weight", transpose: false), "input_ids"], IntAttribute("axis", 0));
            long[] qShape = [0, 0, heads, d], kvShape = [0, 0, kvHeads, d];
            string qReshape = Int64s("q_shape", qShape), kvReshape = Int64s("kv_shape", kvShape);
            string merge = Int64s("merge_shape", 0, 0, (long)heads * d);
            string repeatShape = Int64s("repeat_shape", 0, heads, -1, d);
            string tiles = Int64s("repeat_tiles", 1, 1, groups, 1, 1);
            for (int i = 0; i < w.LayerCount; i++)
            {
                string p = $"model.layers.{i}.";
                string normed = RmsNorm(hidden, Weight(w, p + "input_layernorm.weight", false), eps, two);
                string q = Heads(Linear(w, normed, p + "self_attn.q_proj"), qReshape);
                string k = Heads(Linear(w, normed, p + "self_attn.k_proj"), kvReshape);
                string v = Heads(Linear(w, normed, p + "self_attn.v_proj"), kvReshape);
                q = Rotate(q, cos, sin, halves);
                k = Rotate(k, cos, sin, halves);
                writer.AddNode("Concat", $"present_key_{i}", [$"past_key_values.{i}.key", k], [$"present.{i}.key"]).Attribute.Add(IntAttribute("axis", 2));
                writer.AddNode("Concat", $"present_value_{i}", [$"past_key_values.{i}.value", v], [$"present.{i}.value"]).Attribute.Add(IntAttribute("axis", 2));
                string allKeys = $"present.{i}.key", allValues = $"present.{i}.value";
                if (groups > 1)
                {
                    allKeys = Op("Reshape", [Op("Tile", [Op("Unsqueeze", [allKeys, Int64s($"axis_group_{i}k", 2)]), tiles]), repeatShape]);
                    allValues = Op("Reshape", [Op("Tile", [Op("Unsqueeze", [allValues, Int64s($"axis_group_{i}v", 2)]), tiles]), repeatShape]);
                }

                string scores = Op("Mul", [Op("MatMul", [q, Op("Transpose", [allKeys], IntsAttribute("perm", 0, 1, 3, 2))]), scale]);
                string probabilities = Op("Softmax", [Op("Where", [visible, scores, lowest])], IntAttribute("axis", -1));
                string attended = Op("Reshape", [Op("Transpose", [Op("MatMul", [probabilities, allValues])], IntsAttribute("perm", 0, 2, 1, 3)), merge]);
                hidden = Op("Add", [hidden, Linear(w, attended, p + "self_attn.o_proj")]);

                string normed2 = RmsNorm(hidden, Weight(w, p + "post_attention_layernorm.weight", false), eps, two);
                string gate = Linear(w, normed2, p + "mlp.gate_proj");
                string activated = Op("Mul", [Op("Mul", [gate, Op("Sigmoid", [gate])]), Linear(w, normed2, p + "mlp.up_proj")]);
                hidden = Op("Add", [hidden, Linear(w, activated, p + "mlp.down_proj")]);
            }

            string final = RmsNorm(hidden, Weight(w, "model.norm.weight", false), eps, two);
            string head = w.TiedHead ? Weight(w, "model.embed_tokens.weight", transpose: true) : Weight(w, "lm_head.weight", transpose: true);
            writer.AddNode("MatMul", "lm_head", [final, head], ["logits"]);
            return writer;
        }

        private string RmsNorm(string x, string weight, string eps, string two)
        {
            string variance = Op("ReduceMean", [Op("Pow", [x, two])], IntsAttribute("axes", -1), IntAttribute("keepdims", 1));
            return Op("Mul", [Op("Div", [x, Op("Sqrt", [Op("Add", [variance, eps])])]), weight]);
        }

        private string Linear(DecoderModelWeights w, string x, string module)
        {
            string y = Op("MatMul", [x, Weight(w, module + ".weight", transpose: true)]);
            return w.Tensors.ContainsKey(module + ".bias") ? Op("Add", [y, Weight(w, module + ".bias", false)]) : y;
        }

        private string Heads(string x, string shape) => Op("Transpose", [Op("Reshape", [x, shape])], IntsAttribute("perm", 0, 2, 1, 3));

        private string Rotate(string x, string cos, string sin, string halves)
        {
            var split = writer.AddNode("Split", Name("split"), [x, halves], [Name("first"), Name("second")]);
            split.Attribute.Add(IntAttribute("axis", -1));
            string first = split.Output[0], second = split.Output[1];
            string rotated = Op("Concat", [Op("Neg", [second]), first], IntAttribute("axis", -1));
            return Op("Add", [Op("Mul", [x, cos]), Op("Mul", [rotated, sin])]);
        }

        private string Weight(DecoderModelWeights w, string name, bool transpose)
        {
            string initializer = transpose ? name + ".T" : name;
            if (_initializers.Add(initializer))
            {
                float[] values = w.Tensors[name];
                if (!transpose)
                {
                    long[] dims = name.EndsWith(".bias", StringComparison.Ordinal) || name.EndsWith("norm.weight", StringComparison.Ordinal)
                        ? [values.Length]
                        : [values.Length / w.HiddenSize, w.HiddenSize];
                    writer.AddFloatInitializer(initializer, values, dims);
                }
                else
                {
                    int rows = Rows(w, name), columns = values.Length / rows;
                    var transposed = new float[values.Length];
                    for (int r = 0; r < rows; r++)
                    {
                        for (int c = 0; c < columns; c++)
                        {
                            transposed[(c * rows) + r] = values[(r * columns) + c];
                        }
                    }

                    writer.AddFloatInitializer(initializer, transposed, columns, rows);
                }
            }

            return initializer;
        }

        private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);

        private static int Rows(DecoderModelWeights w, string name) => name switch
        {
            _ when name.EndsWith("q_proj.weight", StringComparison.Ordinal) => w.HeadCount * w.HeadSize,
            _ when name.EndsWith("k_proj.weight", StringComparison.Ordinal) || name.EndsWith("v_proj.weight", StringComparison.Ordinal) => w.KeyValueHeadCount * w.HeadSize,
            _ when name.EndsWith("gate_proj.weight", StringComparison.Ordinal) || name.EndsWith("up_proj.weight", StringComparison.Ordinal) => w.IntermediateSize,
            _ when name.EndsWith("embed_tokens.weight", StringComparison.Ordinal) || name == "lm_head.weight" => w.VocabularySize,
            _ => w.HiddenSize, // o_proj, down_proj
        };

        private string Scalar(string name, float value)
        {
            writer.AddFloatInitializer(name, [value]);
            return name;
        }

        private string Int64Scalar(string name, long value)
        {
            writer.AddInt64Initializer(name, [value]);
            return name;
        }

        private string Int64s(string name, params long[] values)
        {
            writer.AddInt64Initializer(name, values, values.Length);
            return name;
        }

        private string Op(string opType, string[] inputs, params AttributeProto[] attributes)
        {
            string output = Name(opType);
            NodeProto node = writer.AddNode(opType, output + "_node", inputs, [output]);
            node.Attribute.Add(attributes);
            return output;
        }

        private string Name(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix.ToLowerInvariant()}_{_next++}");
    }
}
