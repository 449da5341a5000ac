using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PromptKit;
using PromptKit.OnnxRuntime;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds PromptKit's ONNX Runtime services (policies, text encoders, a local chat client) to the PromptKit builder.</summary>
/// <remarks>
/// Each method registers a singleton that owns its ONNX Runtime session (the container disposes it) and validated
/// options: the same rules as the types' constructors, checked when the host starts and listed together in one
/// <see cref="OptionsValidationException"/>.
/// </remarks>
public static class OnnxRuntimeServiceCollectionExtensions
{
    /// <summary>Adds an <see cref="OnnxPolicy"/> served from an <c>.onnx</c> actor, also as the <see cref="IDiscretePolicy"/>.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="modelPath">The path of the exported actor.</param>
    /// <param name="configure">Configures input/output names and the session, or <see langword="null"/> for the defaults.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="modelPath"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is empty or white space.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="OnnxPolicy"/> is already registered.</exception>
    public static IPromptKitBuilder AddOnnxPolicy(this IPromptKitBuilder builder, string modelPath, Action<OnnxPolicyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ThrowIfRegistered(builder.Services, typeof(OnnxPolicy), nameof(AddOnnxPolicy));
        OptionsBuilder<OnnxPolicyOptions> options = builder.Services.AddOptionsWithValidateOnStart<OnnxPolicyOptions, OnnxPolicyOptionsValidator>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton(sp => new OnnxPolicy(
            modelPath,
            sp.GetRequiredService<IOptions<OnnxPolicyOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxPolicy>()));
        builder.Services.TryAddSingleton<IDiscretePolicy>(static sp => sp.GetRequiredService<OnnxPolicy>());
        return builder;
    }

    /// <summary>Adds an <see cref="OnnxTextEncoder"/>, also as the <see cref="IStateEncoder{TState}"/> of strings.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="configure">Sets the model and vocabulary paths and the other options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="OnnxTextEncoder"/> is already registered.</exception>
    public static IPromptKitBuilder AddOnnxTextEncoder(this IPromptKitBuilder builder, Action<OnnxTextEncoderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ThrowIfRegistered(builder.Services, typeof(OnnxTextEncoder), nameof(AddOnnxTextEncoder));
        builder.Services.AddOptionsWithValidateOnStart<OnnxTextEncoderOptions, OnnxTextEncoderOptionsValidator>().Configure(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxTextEncoderOptions>, OnnxTextEncoderOptionsCrossValidator>());
        builder.Services.TryAddSingleton(static sp => new OnnxTextEncoder(
            sp.GetRequiredService<IOptions<OnnxTextEncoderOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxTextEncoder>()));
        builder.Services.TryAddSingleton<IStateEncoder<string>>(static sp => sp.GetRequiredService<OnnxTextEncoder>());
        return builder;
    }

    /// <summary>Adds an <see cref="OnnxChatClient"/> — a fully local frozen model — also as the <see cref="IChatClient"/> unless one is registered already.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="configure">Sets the model path, tokenizer, template and the other options.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Register it before anything that needs the <see cref="IChatClient"/>; the <see cref="PromptEvaluator"/> that <c>AddPromptKit</c> adds then calls this local model.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">An <see cref="OnnxChatClient"/> is already registered.</exception>
    public static IPromptKitBuilder AddOnnxChatClient(this IPromptKitBuilder builder, Action<OnnxChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ThrowIfRegistered(builder.Services, typeof(OnnxChatClient), nameof(AddOnnxChatClient));
        builder.Services.AddOptions<OnnxChatClientOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxChatClientOptions>, OnnxChatClientOptionsValidator>());
        builder.Services.TryAddSingleton(static sp => new OnnxChatClient(
            sp.GetRequiredService<IOptions<OnnxChatClientOptions>>().Value,
            sp.GetService<ILoggerFactory>()?.CreateLogger<OnnxChatClient>()));
        builder.Services.TryAddSingleton<IChatClient>(static sp => sp.GetRequiredService<OnnxChatClient>());
        return builder;
    }

    private static void ThrowIfRegistered(IServiceCollection services, Type serviceType, string method)
    {
        foreach (ServiceDescriptor descriptor in services)
        {
            if (descriptor.ServiceType == serviceType && !descriptor.IsKeyedService)
            {
                throw new InvalidOperationException(
                    $"{serviceType.Name} is already registered; {method} adds one per container. Create further instances directly (they own their sessions) or register them as keyed services.");
            }
        }
    }
}
