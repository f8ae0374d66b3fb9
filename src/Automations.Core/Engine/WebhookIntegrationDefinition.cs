using Automations.Core.Signing;

namespace Automations.Core.Engine;

/// <summary>What a team admin submits to create or update a webhook integration.</summary>
/// <param name="Entity">The entity (team) owning the integration.</param>
/// <param name="Name">The name (W&amp;B's rule: at most 64 characters of words separated by single spaces).</param>
/// <param name="Url">The endpoint URL (checked against the SSRF policy when saved).</param>
/// <param name="SigningSecretName">The team secret used to sign deliveries, or null.</param>
/// <param name="AccessTokenSecretName">The team secret sent as <c>Authorization: Bearer</c>, or null.</param>
/// <param name="SigningScheme">The signature headers to send; W&amp;B's by default.</param>
public sealed record WebhookIntegrationDefinition(
    string Entity,
    string Name,
    string Url,
    string? SigningSecretName = null,
    string? AccessTokenSecretName = null,
    WebhookSigningScheme SigningScheme = WebhookSigningScheme.Wandb);
