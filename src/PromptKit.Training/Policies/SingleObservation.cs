using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>Stages one observation as a <c>[1, length]</c> float tensor on a network's device, for the single-observation
/// policy and value adapters.</summary>
internal static class SingleObservation
{
    /// <summary>The device of a network's first parameter (CPU for a network without parameters).</summary>
    public static Device DeviceOf(nn.Module<Tensor, Tensor> network)
    {
        foreach (var parameter in network.parameters())
        {
            return parameter.device;
        }

        return CPU;
    }

    /// <summary>Copies the observation into a new tensor (owned by the caller's dispose scope) on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(ReadOnlySpan<float> observation, Device device)
    {
        Tensor input = empty([1, observation.Length], ScalarType.Float32);
        input.data<float>().CopyFrom(observation);
        return device.type == DeviceType.CPU ? input : input.to(device);
    }
}
