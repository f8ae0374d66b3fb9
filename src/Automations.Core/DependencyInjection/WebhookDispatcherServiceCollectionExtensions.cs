using Automations.Core.Domain;
using Automations.Core.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.DependencyInjection;

/// <summary>Registers the SSRF-guarded webhook dispatcher.</summary>
public static class WebhookDispatcherServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWebhookDispatcher"/> on <see cref="IHttpClientFactory"/>: the named client
    /// <see cref="WebhookDispatcher.HttpClientName"/> with the guarded primary handler (no redirects, no ambient
    /// proxy, connect-time address vetting) and without the factory's default request loggers (they would log
    /// full URLs, which can carry secrets). Also registers, if absent, <see cref="IHostAddressResolver"/>
    /// (<see cref="DnsHostAddressResolver"/>), <see cref="EndpointPolicy"/> and <see cref="EndpointGuard"/> built
    /// from the options. Uses the registered <see cref="TimeProvider"/>, or <see cref="TimeProvider.System"/>.
    /// Calling it again only adds the <paramref name="configure"/> action.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options (timeout, body cap, policy opt-ins, egress proxy).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddAutomationsWebhookDispatcher(this IServiceCollection services, Action<WebhookDispatcherOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WebhookDispatcherOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(RegistrationMarker)))
        {
            return services;
        }

        services.AddSingleton<RegistrationMarker>();
        options.ValidateOnStart();
        CollectedOptionsValidator<WebhookDispatcherOptions>.Register(services, static (o, problems) => o.Validate(problems));
        services.TryAddSingleton<IHostAddressResolver>(DnsHostAddressResolver.Instance);
        services.TryAddSingleton(sp => new EndpointPolicy(sp.GetRequiredService<IOptions<WebhookDispatcherOptions>>().Value.EndpointPolicy));
        services.TryAddSingleton(sp => new EndpointGuard(sp.GetRequiredService<EndpointPolicy>(), sp.GetRequiredService<IHostAddressResolver>()));

        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigureHttpClient(WebhookDispatcher.ConfigureClient)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<EndpointGuard>()
                .CreateHandler(sp.GetRequiredService<IOptions<WebhookDispatcherOptions>>().Value.EgressProxy))
            .RemoveAllLoggers();

        services.TryAddSingleton<IWebhookDispatcher>(sp => new WebhookDispatcher(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<WebhookDispatcherOptions>>().Value,
            sp.GetRequiredService<EndpointPolicy>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<WebhookDispatcher>>(),
            HandlerFactoryIfClientUnconfigured(sp)));
        return services;
    }

    /// <summary>
    /// The handler factory, when the dispatcher can send through the named client's handler without an
    /// <see cref="HttpClient"/>: the factory is one, and the client carries no configuration but ours (a host that
    /// added its own, say default headers, gets a client per request as configured).
    /// </summary>
    internal static IHttpMessageHandlerFactory? HandlerFactoryIfClientUnconfigured(IServiceProvider services)
    {
        if (services.GetService<IHttpClientFactory>() is not IHttpMessageHandlerFactory handlers)
        {
            return null;
        }

        var clientActions = services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(WebhookDispatcher.HttpClientName).HttpClientActions;
        foreach (var action in clientActions)
        {
            if (!ReferenceEquals(action, WebhookDispatcher.ConfigureClient))
            {
                return null;
            }
        }

        return handlers;
    }

    private sealed class RegistrationMarker;

}
