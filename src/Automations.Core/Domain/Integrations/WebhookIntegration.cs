using System.Text;
using System.Text.RegularExpressions;
using Automations.Core.Signing;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Domain.Integrations;

/// <summary>
/// A team's webhook integration, as W&amp;B's team settings define it: a name, an endpoint URL, and optionally the
/// NAMES of the team secrets used to sign deliveries and as the bearer access token (never the secret values).
/// Immutable and validated: <see cref="Create"/> reports every problem at once; the URL must pass the static
/// SSRF policy. <see cref="object.ToString"/> shows the URL's origin only, since webhook URLs can carry secrets.
/// </summary>
public sealed partial record WebhookIntegration
{
    /// <summary>The longest integration name W&amp;B accepts.</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest id and entity name accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The longest secret name accepted.</summary>
    public const int MaxSecretNameLength = 128;

    /// <summary>The longest disable reason accepted.</summary>
    public const int MaxDisabledReasonLength = 1024;

    private WebhookIntegration(
        string id, string entityName, string name, Uri url, string? signingSecretName, string? accessTokenSecretName,
        WebhookSigningScheme signingScheme, bool isEnabled, string? disabledReason, DateTimeOffset? failingSince = null)
    {
        Id = id;
        EntityName = entityName;
        Name = name;
        Url = url;
        SigningSecretName = signingSecretName;
        AccessTokenSecretName = accessTokenSecretName;
        SigningScheme = signingScheme;
        IsEnabled = isEnabled;
        DisabledReason = disabledReason;
        FailingSince = failingSince;
    }

    /// <summary>The integration's id.</summary>
    public string Id { get; }

    /// <summary>The team (entity) that owns the integration.</summary>
    public string EntityName { get; }

    /// <summary>The integration's name: at most 64 characters, words of letters, digits, <c>_</c> and <c>-</c> separated by spaces.</summary>
    public string Name { get; }

    /// <summary>The endpoint URL (passed the static endpoint policy when created).</summary>
    public Uri Url { get; }

    /// <summary>The name of the team secret that signs deliveries, or <see langword="null"/> for unsigned deliveries.</summary>
    public string? SigningSecretName { get; }

    /// <summary>The name of the team secret sent as <c>Authorization: Bearer …</c>, or <see langword="null"/>.</summary>
    public string? AccessTokenSecretName { get; }

    /// <summary>Which signature headers a signed delivery carries (default <see cref="WebhookSigningScheme.Wandb"/>); used only with a signing secret.</summary>
    public WebhookSigningScheme SigningScheme { get; }

    /// <summary>Whether deliveries are signed: a signing secret is named and the scheme is not <see cref="WebhookSigningScheme.None"/>.</summary>
    public bool IsSigned => SigningSecretName is not null && SigningScheme != WebhookSigningScheme.None;

    /// <summary>Whether the integration receives deliveries.</summary>
    public bool IsEnabled { get; }

    /// <summary>Why the integration was disabled (for example after 410 Gone); <see langword="null"/> when enabled.</summary>
    public string? DisabledReason { get; }

    /// <summary>Creates and validates an integration.</summary>
    /// <param name="id">The id: non-blank, at most 128 characters, no whitespace or control characters.</param>
    /// <param name="entityName">The owning team: same rules as <paramref name="id"/>.</param>
    /// <param name="name">The name (W&amp;B rule: at most 64 characters, <c>^[-\w]+([ ]+[-\w]+)*$</c>).</param>
    /// <param name="url">The endpoint URL; must pass <paramref name="endpointPolicy"/>'s static check.</param>
    /// <param name="signingSecretName">The signing secret's name (letters, digits, <c>_</c>), or <see langword="null"/>.</param>
    /// <param name="accessTokenSecretName">The access token secret's name (letters, digits, <c>_</c>), or <see langword="null"/>.</param>
    /// <param name="signingScheme">The signature headers to send; not <see cref="WebhookSigningScheme.None"/> when a signing secret is named.</param>
    /// <param name="isEnabled">Whether the integration is enabled.</param>
    /// <param name="disabledReason">Why it is disabled; only allowed when <paramref name="isEnabled"/> is <see langword="false"/>.</param>
    /// <param name="endpointPolicy">The policy the URL must pass; <see cref="EndpointPolicy.Strict"/> when <see langword="null"/>.</param>
    /// <param name="failingSince">When the current run of failed deliveries began, or <see langword="null"/> (see <see cref="FailingSince"/>).</param>
    /// <returns>The integration.</returns>
    /// <exception cref="AutomationValidationException">Any value is invalid; every problem is listed with its path.</exception>
    public static WebhookIntegration Create(
        string id,
        string entityName,
        string name,
        string url,
        string? signingSecretName = null,
        string? accessTokenSecretName = null,
        WebhookSigningScheme signingScheme = WebhookSigningScheme.Wandb,
        bool isEnabled = true,
        string? disabledReason = null,
        EndpointPolicy? endpointPolicy = null,
        DateTimeOffset? failingSince = null)
    {
        var problems = new ValidationProblemCollector();
        ValidateIdentifier(nameof(Id), id, problems);
        ValidateIdentifier(nameof(EntityName), entityName, problems);
        ValidateName(name, problems);

        Uri? parsedUrl = null;
        var decision = (endpointPolicy ?? EndpointPolicy.Strict).CheckUrl(url);
        if (!decision.IsAllowed)
        {
            problems.Add(nameof(Url), decision.Message);
        }
        else
        {
            parsedUrl = new Uri(url, UriKind.Absolute);
        }

        ValidateSecretName(nameof(SigningSecretName), signingSecretName, problems);
        ValidateSecretName(nameof(AccessTokenSecretName), accessTokenSecretName, problems);

        const WebhookSigningScheme known = WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks;
        if ((signingScheme & ~known) != 0)
        {
            problems.Add(nameof(SigningScheme), "has unknown flags; use Wandb, StandardWebhooks or both");
        }
        else if (signingSecretName is not null && signingScheme == WebhookSigningScheme.None)
        {
            problems.Add(nameof(SigningScheme), "is None although a signing secret is named; choose Wandb, StandardWebhooks or both");
        }

        if (disabledReason is not null)
        {
            if (isEnabled)
            {
                problems.Add(nameof(DisabledReason), "must be null while the integration is enabled");
            }
            else if (string.IsNullOrWhiteSpace(disabledReason) || disabledReason.Length > MaxDisabledReasonLength)
            {
                problems.Add(nameof(DisabledReason), $"must be non-blank text of at most {MaxDisabledReasonLength} characters");
            }
        }

        problems.ThrowIfInvalid();
        return new WebhookIntegration(id, entityName, name, parsedUrl!, signingSecretName, accessTokenSecretName,
            signingScheme, isEnabled, disabledReason, failingSince);
    }

    /// <summary>Returns a disabled copy with the reason (for example "endpoint answered 410 Gone").</summary>
    /// <param name="reason">Non-blank, at most 1024 characters.</param>
    /// <returns>The disabled integration.</returns>
    /// <exception cref="AutomationValidationException">The reason is blank or too long.</exception>
    public WebhookIntegration Disable(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxDisabledReasonLength)
        {
            throw new AutomationValidationException(nameof(DisabledReason), $"must be non-blank text of at most {MaxDisabledReasonLength} characters");
        }

        return new WebhookIntegration(Id, EntityName, Name, Url, SigningSecretName, AccessTokenSecretName, SigningScheme, false, reason, FailingSince);
    }

    /// <summary>Returns an enabled copy without a disable reason.</summary>
    /// <returns>The enabled integration.</returns>
    public WebhookIntegration Enable() =>
        new(Id, EntityName, Name, Url, SigningSecretName, AccessTokenSecretName, SigningScheme, true, null);

    /// <summary>
    /// When the current run of failed deliveries to this endpoint began (no success since), or <see langword="null"/>
    /// when the last delivery succeeded. Kept in the store so that "failing for 5 days" survives restarts.
    /// </summary>
    public DateTimeOffset? FailingSince { get; }

    /// <summary>Returns a copy recording a failed delivery: <see cref="FailingSince"/> is set if it was not.</summary>
    /// <param name="at">When the delivery failed.</param>
    /// <returns>The copy (this instance when a run of failures was already recorded).</returns>
    public WebhookIntegration WithFailure(DateTimeOffset at) => FailingSince is not null
        ? this
        : new(Id, EntityName, Name, Url, SigningSecretName, AccessTokenSecretName, SigningScheme, IsEnabled, DisabledReason, at);

    /// <summary>Returns a copy recording a successful delivery: <see cref="FailingSince"/> is cleared.</summary>
    /// <returns>The copy (this instance when no failure was recorded).</returns>
    public WebhookIntegration WithSuccess() => FailingSince is null
        ? this
        : new(Id, EntityName, Name, Url, SigningSecretName, AccessTokenSecretName, SigningScheme, IsEnabled, DisabledReason);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id)
            .Append(", EntityName = ").Append(EntityName)
            .Append(", Name = ").Append(Name)
            .Append(", Url = ").Append(EndpointPolicy.Origin(Url)).Append("/…")
            .Append(", SigningSecretName = ").Append(SigningSecretName ?? "(none)")
            .Append(", AccessTokenSecretName = ").Append(AccessTokenSecretName ?? "(none)")
            .Append(", SigningScheme = ").Append(SigningScheme)
            .Append(", IsEnabled = ").Append(IsEnabled);
        if (FailingSince is { } since)
        {
            builder.Append(", FailingSince = ").Append(since.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (DisabledReason is not null)
        {
            builder.Append(", DisabledReason = ").Append(DisabledReason);
        }

        return true;
    }

    private static void ValidateIdentifier(string path, string value, ValidationProblemCollector problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(path, "must not be empty");
        }
        else if (value.Length > MaxIdLength)
        {
            problems.Add(path, $"must be at most {MaxIdLength} characters");
        }
        else if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add(path, "must not contain whitespace or control characters");
        }
    }

    private static void ValidateName(string name, ValidationProblemCollector problems)
    {
        if (string.IsNullOrEmpty(name))
        {
            problems.Add(nameof(Name), "must not be empty");
        }
        else if (name.Length > MaxNameLength)
        {
            problems.Add(nameof(Name), $"must be at most {MaxNameLength} characters");
        }
        else if (!NamePattern().IsMatch(name))
        {
            problems.Add(nameof(Name), "must be words of letters, digits, '_' or '-' separated by spaces, without leading or trailing spaces");
        }
    }

    private static void ValidateSecretName(string path, string? value, ValidationProblemCollector problems)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > MaxSecretNameLength || value.AsSpan().ContainsAnyExcept(s_secretNameChars))
        {
            problems.Add(path, $"must be a secret name of 1 to {MaxSecretNameLength} letters, digits or '_'");
        }
    }

    private static readonly System.Buffers.SearchValues<char> s_secretNameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    // W&B's integration-name rule. Linear: the space-separated groups cannot overlap.
    [GeneratedRegex(@"^[-\w]+( +[-\w]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
