using System.ComponentModel.DataAnnotations;
using Microsoft.ML.OnnxRuntime;

namespace PromptKit.OnnxRuntime;

/// <summary>How PromptKit creates ONNX Runtime sessions: execution provider, device, threads and graph optimization.</summary>
public sealed class OnnxSessionOptions
{
    /// <summary>Gets or sets the execution provider.</summary>
    /// <value>The default value is <see cref="OnnxExecutionProvider.Auto"/>.</value>
    [EnumDataType(typeof(OnnxExecutionProvider))]
    public OnnxExecutionProvider ExecutionProvider { get; set; } = OnnxExecutionProvider.Auto;

    /// <summary>Gets or sets the CUDA device id used when the CUDA provider runs the model.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 1024)]
    public int DeviceId { get; set; }

    /// <summary>Gets or sets the number of threads used inside one operator; 0 lets ONNX Runtime choose.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Gets or sets the number of threads used to run independent operators in parallel; 0 lets ONNX Runtime choose.</summary>
    /// <value>The default value is 0.</value>
    [Range(0, 1024)]
    public int InterOpThreads { get; set; }

    /// <summary>Gets or sets the graph optimization level.</summary>
    /// <value>The default value is <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</value>
    [EnumDataType(typeof(GraphOptimizationLevel))]
    public GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_ENABLE_ALL;
}
