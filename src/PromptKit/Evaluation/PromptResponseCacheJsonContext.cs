using System.Text.Json.Serialization;

namespace PromptKit;

/// <summary>Source-generated JSON metadata for <see cref="PromptResponseCacheEntry"/>, so the distributed cache serializes without reflection (trim and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PromptResponseCacheEntry))]
internal sealed partial class PromptResponseCacheJsonContext : JsonSerializerContext
{
}
