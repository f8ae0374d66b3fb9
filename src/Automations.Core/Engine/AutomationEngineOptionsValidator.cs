using Microsoft.Extensions.Options;

namespace Automations.Core.Engine;

/// <summary>Validates <see cref="AutomationEngineOptions"/> at start-up, reporting every problem at once.</summary>
internal sealed class AutomationEngineOptionsValidator : IValidateOptions<AutomationEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, AutomationEngineOptions options)
    {
        var failures = new List<string>();
        if (options.RetrySchedule.Count == 0)
        {
            failures.Add("RetrySchedule must have at least one entry (the first attempt).");
        }

        if (options.RetrySchedule.Any(d => d < TimeSpan.Zero))
        {
            failures.Add("RetrySchedule delays must not be negative.");
        }

        if (options.RetryJitter is < 0 or > 1 || double.IsNaN(options.RetryJitter))
        {
            failures.Add("RetryJitter must be between 0 and 1.");
        }

        Positive(failures, options.MaxRetryAfter, nameof(options.MaxRetryAfter));
        Positive(failures, options.LeaseDuration, nameof(options.LeaseDuration));
        Positive(failures, options.EndpointBusyDelay, nameof(options.EndpointBusyDelay));
        Positive(failures, options.PollInterval, nameof(options.PollInterval));
        Positive(failures, options.RateLimitWindow, nameof(options.RateLimitWindow));
        Positive(failures, options.DisableEndpointAfterFailingFor, nameof(options.DisableEndpointAfterFailingFor));
        if (options.MaxConcurrency < 1)
        {
            failures.Add("MaxConcurrency must be at least 1.");
        }

        if (options.MaxConcurrencyPerEndpoint < 1)
        {
            failures.Add("MaxConcurrencyPerEndpoint must be at least 1.");
        }

        if (options.RateLimitPerAutomation is < 1)
        {
            failures.Add("RateLimitPerAutomation must be at least 1, or null to disable the limit.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static void ThrowIfInvalid(AutomationEngineOptions options)
    {
        var result = new AutomationEngineOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(AutomationEngineOptions), typeof(AutomationEngineOptions), result.Failures);
        }
    }

    private static void Positive(List<string> failures, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive.");
        }
    }
}
