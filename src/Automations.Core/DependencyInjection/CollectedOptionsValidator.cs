using Automations.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Automations.Core.DependencyInjection;

/// <summary>
/// Validates options at start-up through their own <c>Validate(ValidationProblemCollector)</c>, reporting every
/// problem at once, each prefixed with the options' type name (<c>SecretOptions.RotationGracePeriod: …</c>).
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class CollectedOptionsValidator<TOptions>(Action<TOptions, ValidationProblemCollector> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = new ValidationProblemCollector();
        validate(options, problems);
        return problems.IsValid
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problems.Problems.Select(p => $"{typeof(TOptions).Name}.{p}"));
    }

    /// <summary>Registers <paramref name="validate"/> for <typeparamref name="TOptions"/> once (a second call adds nothing).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="validate">Adds every problem of the options to the collector.</param>
    public static void Register(IServiceCollection services, Action<TOptions, ValidationProblemCollector> validate)
        => services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>>(new CollectedOptionsValidator<TOptions>(validate)));
}
