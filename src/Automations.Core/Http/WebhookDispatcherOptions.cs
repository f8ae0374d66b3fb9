using Automations.Core.Domain;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Http;

/// <summary>Settings of the webhook dispatcher, validated when the dispatcher is built (and at host start-up).</summary>
public sealed class WebhookDispatcherOptions
{
    /// <summary>The default per-request timeout: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest per-request timeout accepted: 10 minutes.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The default response body cap: 16 KiB.</summary>
    public const int DefaultMaxResponseBodyBytes = 16 * 1024;

    /// <summary>The largest response body cap accepted: 1 MiB.</summary>
    public const int MaxResponseBodyBytesLimit = 1024 * 1024;

    /// <summary>How long one attempt may take, from connecting to reading the capped body. Default 30 s; more than zero, at most 10 minutes.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>How many bytes of the response body are read and kept. Default 16 KiB; more than zero, at most 1 MiB.</summary>
    public int MaxResponseBodyBytes { get; set; } = DefaultMaxResponseBodyBytes;

    /// <summary>The SSRF endpoint policy's opt-ins (all off by default).</summary>
    public EndpointPolicyOptions EndpointPolicy { get; set; } = new();

    /// <summary>
    /// An explicit egress proxy (absolute http/https URI), or <see langword="null"/> (default) to connect directly.
    /// Ambient proxies (<c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, system settings) are never used.
    /// </summary>
    public Uri? EgressProxy { get; set; }

    /// <summary>Checks every setting.</summary>
    /// <exception cref="AutomationValidationException">A setting is invalid; every problem is listed.</exception>
    public void Validate()
    {
        var problems = new ValidationProblemCollector();
        Validate(problems);
        problems.ThrowIfInvalid();
    }

    internal void Validate(ValidationProblemCollector problems)
    {
        if (Timeout <= TimeSpan.Zero || Timeout > MaxTimeout)
        {
            problems.Add(nameof(Timeout), $"must be more than zero and at most {MaxTimeout.TotalMinutes:0} minutes");
        }

        if (MaxResponseBodyBytes is <= 0 or > MaxResponseBodyBytesLimit)
        {
            problems.Add(nameof(MaxResponseBodyBytes), $"must be more than zero and at most {MaxResponseBodyBytesLimit} bytes");
        }

        if (EndpointPolicy is null)
        {
            problems.Add(nameof(EndpointPolicy), "must not be null");
        }

        if (EgressProxy is not null
            && (!EgressProxy.IsAbsoluteUri || EgressProxy.Scheme is not ("http" or "https") || EgressProxy.Host.Length == 0))
        {
            problems.Add(nameof(EgressProxy), "must be an absolute http or https URI with a host");
        }
    }
}
