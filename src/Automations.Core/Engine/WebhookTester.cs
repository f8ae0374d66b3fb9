using System.Globalization;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Templates;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Engine;

/// <summary>
/// "Test webhook": sends one POST to a webhook endpoint and reports the endpoint's answer (status, headers, capped
/// body, elapsed time) or why nothing was sent — with the same endpoint policy, signing and dispatcher as real
/// deliveries. Either test a saved integration as a team admin (<see cref="TestIntegrationAsync"/>), or any URL with
/// given credentials (<see cref="TestUrlAsync"/>, used by <c>automations webhook test</c>). A test never retries,
/// never follows a redirect, and never changes the integration (a disabled integration can be tested before it is
/// enabled again). Registered by <c>AddAutomations()</c>; thread-safe.
/// </summary>
public sealed class WebhookTester
{
    /// <summary>The prefix of test delivery ids, so receivers can tell a test from a real delivery.</summary>
    public const string DeliveryIdPrefix = "test_";

    /// <summary>The team named by the sample event of <see cref="TestUrlAsync"/> (a URL has no team).</summary>
    public const string SampleEntityName = "sample-team";

    private static AutomationNotFoundException NotFound() => new("The integration was not found.");

    private readonly IIntegrationStore _integrations;
    private readonly IAutomationAuthorizer _authorizer;
    private readonly EndpointPolicy _policy;
    private readonly TimeProvider _time;
    private readonly WebhookSender _sender;

    /// <summary>Creates the tester.</summary>
    /// <param name="integrations">The integration store.</param>
    /// <param name="authorizer">The authorization seam (testing an integration needs <see cref="AutomationPermission.ManageIntegrations"/>).</param>
    /// <param name="secrets">Team secrets: an integration's signing secret and access token are read at test time.</param>
    /// <param name="dispatcher">The dispatcher real deliveries use.</param>
    /// <param name="endpointPolicy">
    /// The endpoint policy the dispatcher applies, used to check a URL given as text before it is parsed; when
    /// <see langword="null"/>, the <see cref="WebhookDispatcher.Policy"/> of a <see cref="WebhookDispatcher"/>, else
    /// <see cref="EndpointPolicy.Strict"/>.
    /// </param>
    /// <param name="timeProvider">The clock for signing timestamps and elapsed time; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public WebhookTester(
        IIntegrationStore integrations,
        IAutomationAuthorizer authorizer,
        ISecretResolver secrets,
        IWebhookDispatcher dispatcher,
        EndpointPolicy? endpointPolicy = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(dispatcher);
        _integrations = integrations;
        _authorizer = authorizer;
        _policy = endpointPolicy ?? (dispatcher as WebhookDispatcher)?.Policy ?? EndpointPolicy.Strict;
        _time = timeProvider ?? TimeProvider.System;
        _sender = new WebhookSender(dispatcher, secrets, _time);
    }

    /// <summary>
    /// The sample event a default test payload is rendered for: a <c>LINK_ARTIFACT</c> of version <c>v0</c> of the
    /// collection <c>sample-dataset</c> in the project <c>sample-project</c> of <paramref name="entityName"/>. Render
    /// your own template with it to test a payload before saving an automation.
    /// </summary>
    /// <param name="entityName">The team (entity) rendered for <c>${entity_name}</c>.</param>
    /// <param name="author">Rendered for <c>${event_author}</c>; <c>sample-user</c> when <see langword="null"/>.</param>
    /// <returns>The template values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entityName"/> is <see langword="null"/>.</exception>
    /// <example>
    /// <code>
    /// var body = template.RenderToUtf8Bytes(WebhookTester.CreateSampleContext("acme", "alice"));
    /// var result = await tester.TestIntegrationAsync(actor, integrationId, body);
    /// </code>
    /// </example>
    public static TemplateContext CreateSampleContext(string entityName, string? author = null)
    {
        ArgumentNullException.ThrowIfNull(entityName);
        return new TemplateContext
        {
            EventType = "LINK_ARTIFACT",
            EventAuthor = author ?? "sample-user",
            ArtifactId = "1234567890",
            ArtifactVersionString = entityName + "/sample-project/sample-dataset:v0",
            ArtifactCollectionName = "sample-dataset",
            ProjectName = "sample-project",
            EntityName = entityName,
        };
    }

    /// <summary>
    /// Tests a saved integration: signs with the integration's scheme(s) and its team's signing secret, adds its
    /// access token, and POSTs once to its URL.
    /// </summary>
    /// <param name="actor">Who is acting (needs <see cref="AutomationPermission.ManageIntegrations"/> on the integration's team).</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="body">
    /// The exact JSON body to send, or <see langword="null"/> for the GitHub <c>repository_dispatch</c> preset rendered
    /// for a sample event of the integration's team, authored by the actor.
    /// </param>
    /// <param name="cancellationToken">Cancels the test; cancellation is thrown as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result; refusals and failed answers are results, not exceptions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actor"/> is <see langword="null"/>.</exception>
    /// <exception cref="AutomationNotFoundException">No such integration, or the actor may not even view its team (reported alike).</exception>
    /// <exception cref="AutomationAccessDeniedException">The actor may view but not manage the team's integrations.</exception>
    /// <exception cref="AutomationValidationException">The body is empty, larger than <see cref="WebhookTestRequest.MaxBodyBytes"/>, or not JSON (path <c>body</c>).</exception>
    public async Task<WebhookTestResult> TestIntegrationAsync(
        AutomationActor actor, string integrationId, ReadOnlyMemory<byte>? body = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var integration = string.IsNullOrEmpty(integrationId) ? null : await _integrations.GetAsync(integrationId, cancellationToken).ConfigureAwait(false);
        if (integration is null)
        {
            throw NotFound();
        }

        await _authorizer.DemandOnExistingAsync(actor, AutomationPermission.ManageIntegrations, integration.EntityName, NotFound, cancellationToken).ConfigureAwait(false);
        if (body is { } given)
        {
            var problems = new ValidationProblemCollector();
            WebhookTestRequest.ValidateBody(given.Span, "body", problems);
            problems.ThrowIfInvalid();
        }

        var deliveryId = NewDeliveryId();
        var credentials = await _sender.ResolveCredentialsAsync(integration, cancellationToken).ConfigureAwait(false);
        if (credentials.RefusalReason is { } reason)
        {
            return new WebhookTestResult(deliveryId, [], null, reason, TimeSpan.Zero);
        }

        // A copy of the caller's body: the request borrows it while sending.
        var payload = body is { } callerBody ? callerBody.ToArray() : PayloadTemplatePresets.GitHubRepositoryDispatch.RenderToUtf8Bytes(CreateSampleContext(integration.EntityName, actor.UserName));
        var scrubber = new SecretScrubber([.. credentials.Secrets, credentials.Token]);
        return await SendAsync(integration.Url, credentials.Signer, payload, deliveryId, scrubber, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tests a URL with the request's credentials: the URL passes the same endpoint policy as deliveries (statically,
    /// then every address its host resolves to), the body is signed exactly as deliveries are, and one POST is sent.
    /// </summary>
    /// <param name="request">The URL, body and credentials.</param>
    /// <param name="cancellationToken">Cancels the test; cancellation is thrown as <see cref="OperationCanceledException"/>.</param>
    /// <returns>The result; a refused URL, a timeout or a failed answer is a result, not an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public async Task<WebhookTestResult> TestUrlAsync(WebhookTestRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deliveryId = NewDeliveryId();
        var decision = _policy.CheckUrl(request.Url);
        if (!decision.IsAllowed || !Uri.TryCreate(request.Url, UriKind.Absolute, out var url))
        {
            if (decision.IsAllowed)
            {
                decision = EndpointDecision.Refuse(EndpointRefusalReason.InvalidUrl, "The URL is not a valid absolute URL.");
            }

            var message = "Refused by the endpoint policy: " + decision.Message;
            var refused = new WebhookDispatchOutcome(WebhookDispatchOutcomeKind.RefusedByPolicy, WebhookFailureReason.RefusedByPolicy,
                deliveryId, message, policyDecision: decision);
            return new WebhookTestResult(deliveryId, [], refused, message, TimeSpan.Zero);
        }

        var payload = request.Body ?? PayloadTemplatePresets.GitHubRepositoryDispatch.RenderToUtf8Bytes(CreateSampleContext(SampleEntityName));
        var scrubber = new SecretScrubber(request.Secret, request.AccessToken);
        return await SendAsync(url, request.Signer, payload, deliveryId, scrubber, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The headers a request carried, with signature and token values redacted (and any secret value scrubbed).</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> DescribeRequestHeaders(WebhookDispatchRequest request, SecretScrubber scrubber)
    {
        var headers = new List<KeyValuePair<string, string>>(4 + request.Headers.Count)
        {
            new("Content-Type", "application/json"),
            new("Content-Length", request.Body.Length.ToString(CultureInfo.InvariantCulture)),
            new("User-Agent", WebhookDispatcher.UserAgent),
            new(WebhookDispatcher.DeliveryIdHeaderName, request.DeliveryId),
        };
        foreach (var (name, value) in request.Headers)
        {
            var shown = name switch
            {
                _ when string.Equals(name, WebhookHeaderNames.Authorization, StringComparison.OrdinalIgnoreCase)
                    => value.StartsWith("Bearer ", StringComparison.Ordinal) ? "Bearer " + WebhookTestResult.Redacted : WebhookTestResult.Redacted,
                _ when string.Equals(name, WebhookHeaderNames.WandbSignature, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(name, WebhookHeaderNames.WebhookSignature, StringComparison.OrdinalIgnoreCase) => WebhookTestResult.Redacted,
                _ => scrubber.Scrub(value),
            };
            headers.Add(new(name, shown));
        }

        return headers.AsReadOnly();
    }

    private string NewDeliveryId() => IdGenerator.NewPrefixedVersion7(DeliveryIdPrefix, _time.GetUtcNow());

    private async Task<WebhookTestResult> SendAsync(
        Uri url, WebhookSigner? signer, ReadOnlyMemory<byte> body, string deliveryId, SecretScrubber scrubber, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var sent = await _sender.SendAsync(url, signer, body, deliveryId, cancellationToken).ConfigureAwait(false);
        var elapsed = _time.GetElapsedTime(started);
        var outcome = scrubber.Scrub(sent.Outcome);
        if (outcome.Kind == WebhookDispatchOutcomeKind.RefusedByPolicy)
        {
            return new WebhookTestResult(deliveryId, [], outcome, outcome.Message, elapsed);
        }

        return new WebhookTestResult(deliveryId, DescribeRequestHeaders(sent.Request, scrubber), outcome, null, elapsed);
    }
}
