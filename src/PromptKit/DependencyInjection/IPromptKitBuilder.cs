using Microsoft.Extensions.DependencyInjection;

namespace PromptKit;

/// <summary>Configures PromptKit's services; returned by <c>services.AddPromptKit(...)</c>.</summary>
public interface IPromptKitBuilder
{
    /// <summary>Gets the service collection the services are added to.</summary>
    IServiceCollection Services { get; }
}
