using System.Collections.Immutable;

namespace PromptKit.OnnxRuntime;

/// <summary>Argument checks shared by the exported weight types.</summary>
internal static class WeightValidation
{
    public static ImmutableArray<float> CopyFinite(ReadOnlySpan<float> values, int expectedLength, string shape, string paramName)
    {
        if (values.Length != expectedLength)
        {
            throw new ArgumentException(
                $"{paramName} has {values.Length} values but the shape {shape} needs {expectedLength}. Pass the tensor flattened in row-major order.",
                paramName);
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"{paramName} holds {values[i]} at index {i}; weights must be finite numbers.", paramName);
            }
        }

        return ImmutableArray.Create(values);
    }

    public static void DefinedActivation(DenseActivation activation, string paramName)
    {
        if (activation is not (DenseActivation.None or DenseActivation.Relu or DenseActivation.Tanh))
        {
            throw new ArgumentOutOfRangeException(paramName, activation, $"Activation {(int)activation} is not a defined {nameof(DenseActivation)} value.");
        }
    }
}
