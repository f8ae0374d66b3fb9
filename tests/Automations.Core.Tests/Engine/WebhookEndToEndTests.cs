using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Integrations;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Storage.InMemory;
using Automations.Core.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Engine;

/// <summary>
/// The engine as a host embeds it (DI, in-memory stores, the real dispatcher with loopback allowed) delivering to a
/// real Kestrel receiver on 127.0.0.1; the clock is a <see cref="FakeTimeProvider"/> registered as the
/// <see cref="TimeProvider"/>, and the worker is driven with <see cref="DeliveryWorker.RunOnceAsync"/>.
/// </summary>
public sealed class WebhookEndToEndTests
{
    private const string Entity = "acme";
    private const string AccessToken = "ghp_e2eAccessToken7c1d";
    private const string PayloadKey = "pk-live-0b9e4c7a51";
    private static readonly string SigningSecret = WebhookSigningKey.GenerateStandardWebhooksSecret();
    private static readonly string[] SecretValues = [SigningSecret, AccessToken, PayloadKey];

    private const string Template = """
        {"event_type": "${event_type}", "author": "${event_author}", "version": "${artifact_version}",
         "version_string": "${artifact_version_string}", "collection": "${artifact_collection_name}",
         "project": "${project_name}", "entity": "${entity_name}", "accuracy": "${artifact_metadata.accuracy}",
         "api_key": "${PAYLOAD_KEY}"}
        """;

    [Fact]
    public async Task Delivery_arrives_signed_with_both_schemes_and_bearer_token_and_carries_the_events_values()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, "accepted"));
        await using var rig = Rig.Create();
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/hooks/ci"), WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks);
        var automation = await rig.CreateWebhookAutomationAsync("deploy classifier", hook, Template);

        var published = await rig.Engine.PublishAsync(rig.Link("evt-1", author: "dana \"ops\" o'neil"));
        Assert.Equal(1, await rig.Worker.RunOnceAsync());

        var deliveryId = Assert.Single(published.DeliveryIds);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/hooks/ci", request.Target);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(deliveryId, request.Headers[WebhookDispatcher.DeliveryIdHeaderName]);
        Assert.Equal("Bearer " + AccessToken, request.Headers["Authorization"]);

        var wandb = new WandbSignatureVerifier(SigningSecret).Verify(request.Body, request.Headers[WebhookHeaderNames.WandbSignature]);
        Assert.True(wandb.IsValid, wandb.ToString());
        Assert.Equal(deliveryId, request.Headers[WebhookHeaderNames.WebhookId]);
        var standard = new StandardWebhooksVerifier([WebhookSigningKey.ForStandardWebhooks(SigningSecret)], rig.Time).Verify(
            request.Body,
            request.Headers[WebhookHeaderNames.WebhookId],
            request.Headers[WebhookHeaderNames.WebhookTimestamp],
            request.Headers[WebhookHeaderNames.WebhookSignature]);
        Assert.True(standard.IsValid, standard.ToString());
        Assert.False(new WandbSignatureVerifier("another-secret").Verify(request.Body, request.Headers[WebhookHeaderNames.WandbSignature]).IsValid);

        using var payload = JsonDocument.Parse(request.Body);
        var root = payload.RootElement;
        Assert.Equal("LINK_ARTIFACT", root.GetProperty("event_type").GetString());
        Assert.Equal("dana \"ops\" o'neil", root.GetProperty("author").GetString());
        Assert.Equal("wandb-artifact://_id/" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Artifact:517889887")), root.GetProperty("version").GetString());
        Assert.Equal("acme/vision/classifier:v3", root.GetProperty("version_string").GetString());
        Assert.Equal("classifier", root.GetProperty("collection").GetString());
        Assert.Equal("vision", root.GetProperty("project").GetString());
        Assert.Equal(Entity, root.GetProperty("entity").GetString());
        Assert.Equal("0.93", root.GetProperty("accuracy").GetString());
        Assert.Equal(PayloadKey, root.GetProperty("api_key").GetString());

        var delivery = await rig.DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(1, delivery.Attempts);

        var history = await rig.HistoryAsync(automation.Id);
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Pending], history.Select(r => r.Status));
        var attempt = history[0];
        Assert.Equal(1, attempt.Attempt);
        Assert.Equal(200, attempt.ResponseStatus);
        Assert.Equal("accepted", attempt.ResponseBody);
        Assert.Equal(receiver.Url("/hooks/ci").ToString(), attempt.Target);
        Assert.Contains("\"api_key\": \"${PAYLOAD_KEY}\"", attempt.RequestBody, StringComparison.Ordinal);
        Assert.Contains("\"version_string\": \"acme/vision/classifier:v3\"", attempt.RequestBody, StringComparison.Ordinal);
        Assert.DoesNotContain(PayloadKey, attempt.RequestBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wandb_only_integration_sends_no_standard_webhooks_headers()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 204));
        await using var rig = Rig.Create();
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/hooks/wandb"), WebhookSigningScheme.Wandb);
        await rig.CreateWebhookAutomationAsync("notify", hook, Template);

        await rig.Engine.PublishAsync(rig.Link("evt-1"));
        await rig.Worker.RunOnceAsync();

        var request = Assert.Single(receiver.Requests);
        Assert.True(new WandbSignatureVerifier(SigningSecret).Verify(request.Body, request.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        Assert.False(request.Headers.ContainsKey(WebhookHeaderNames.WebhookSignature));
        Assert.False(request.Headers.ContainsKey(WebhookHeaderNames.WebhookTimestamp));
    }

    [Fact]
    public async Task Service_unavailable_then_ok_is_retried_on_the_schedule_with_the_same_delivery_id()
    {
        var calls = 0;
        await using var receiver = await TestReceiver.StartAsync(c => Interlocked.Increment(ref calls) == 1 ? Respond(c, 503, "busy") : Respond(c, 200, "ok"));
        await using var rig = Rig.Create(o =>
        {
            o.RetrySchedule.Clear();
            o.RetrySchedule.Add(TimeSpan.Zero);
            o.RetrySchedule.Add(TimeSpan.FromSeconds(10));
            o.RetrySchedule.Add(TimeSpan.FromMinutes(1));
        });
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/hooks/flaky"), WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks);
        var automation = await rig.CreateWebhookAutomationAsync("flaky", hook, Template);

        var deliveryId = Assert.Single((await rig.Engine.PublishAsync(rig.Link("evt-1"))).DeliveryIds);
        Assert.Equal(1, await rig.Worker.RunOnceAsync());

        var afterFirst = await rig.DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Pending, afterFirst.Status);
        Assert.Equal(1, afterFirst.Attempts);
        Assert.Equal(rig.Time.GetUtcNow() + TimeSpan.FromSeconds(10), afterFirst.DueAt);
        Assert.Equal(0, await rig.Worker.RunOnceAsync());

        rig.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await rig.Worker.RunOnceAsync());
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await rig.Worker.RunOnceAsync());

        var done = await rig.DeliveryAsync(deliveryId);
        Assert.Equal(DeliveryStatus.Succeeded, done.Status);
        Assert.Equal(2, done.Attempts);

        var requests = receiver.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal(deliveryId, r.Headers[WebhookDispatcher.DeliveryIdHeaderName]));
        Assert.All(requests, r => Assert.Equal(deliveryId, r.Headers[WebhookHeaderNames.WebhookId]));
        Assert.All(requests, r => Assert.True(new WandbSignatureVerifier(SigningSecret).Verify(r.Body, r.Headers[WebhookHeaderNames.WandbSignature]).IsValid));

        var history = await rig.HistoryAsync(automation.Id);
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Pending], history.Select(r => r.Status));
        Assert.Equal([2, 1], history.Take(2).Select(r => r.Attempt));
        Assert.Equal(503, history[1].ResponseStatus);
        Assert.Contains("503", history[1].Error, StringComparison.Ordinal);
        Assert.Equal(200, history[0].ResponseStatus);
    }

    [Fact]
    public async Task Gone_410_disables_the_integration_with_a_reason_and_later_deliveries_are_refused_without_a_request()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 410, "unsubscribed"));
        await using var rig = Rig.Create();
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/hooks/gone"), WebhookSigningScheme.Wandb);
        var automation = await rig.CreateWebhookAutomationAsync("gone", hook, Template);

        var first = Assert.Single((await rig.Engine.PublishAsync(rig.Link("evt-1"))).DeliveryIds);
        await rig.Worker.RunOnceAsync();

        var dead = await rig.DeliveryAsync(first);
        Assert.Equal(DeliveryStatus.Dead, dead.Status);
        Assert.Equal(1, dead.Attempts);
        var integration = await rig.Integrations.GetAsync(rig.Admin, hook.Id);
        Assert.False(integration.IsEnabled);
        Assert.Contains("410", integration.DisabledReason, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);

        rig.Time.Advance(TimeSpan.FromMinutes(1));
        var second = Assert.Single((await rig.Engine.PublishAsync(rig.Link("evt-2"))).DeliveryIds);
        await rig.Worker.RunOnceAsync();

        var refused = await rig.DeliveryAsync(second);
        Assert.Equal(DeliveryStatus.Dead, refused.Status);
        Assert.Contains("disabled", refused.LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
        var history = await rig.HistoryAsync(automation.Id);
        Assert.Equal(410, history.Single(r => r.DeliveryId == first && r.Status == ExecutionStatus.Dead).ResponseStatus);
    }

    [Fact]
    public async Task An_endpoint_failing_longer_than_the_limit_is_disabled_and_the_clock_lives_in_the_store()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 503, "down"));
        await using var rig = Rig.Create(o =>
        {
            o.RetrySchedule.Clear();
            o.RetrySchedule.Add(TimeSpan.Zero);
            o.RetrySchedule.Add(TimeSpan.FromDays(3));
            o.RetrySchedule.Add(TimeSpan.FromDays(3));
            o.DisableEndpointAfterFailingFor = TimeSpan.FromDays(5);
        });
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/hooks/down"), WebhookSigningScheme.Wandb);
        await rig.CreateWebhookAutomationAsync("down", hook, Template);
        var start = rig.Time.GetUtcNow();

        await rig.Engine.PublishAsync(rig.Link("evt-1"));
        await rig.Worker.RunOnceAsync();
        var stored = await rig.Services.GetRequiredService<IIntegrationStore>().GetAsync(hook.Id);
        Assert.Equal(start, stored!.FailingSince);
        Assert.True(stored.IsEnabled);

        rig.Time.Advance(TimeSpan.FromDays(3));
        await rig.Worker.RunOnceAsync();
        Assert.True((await rig.Integrations.GetAsync(rig.Admin, hook.Id)).IsEnabled);

        rig.Time.Advance(TimeSpan.FromDays(3));
        await rig.Worker.RunOnceAsync();
        var disabled = await rig.Integrations.GetAsync(rig.Admin, hook.Id);
        Assert.False(disabled.IsEnabled);
        Assert.Contains("failed since", disabled.DisabledReason, StringComparison.Ordinal);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task A_success_clears_the_failing_since_clock()
    {
        var answers = new ConcurrentQueue<int>([503, 200]);
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, answers.TryDequeue(out var code) ? code : 200, "x"));
        await using var rig = Rig.Create();
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/hooks/flaky"), WebhookSigningScheme.Wandb);
        await rig.CreateWebhookAutomationAsync("flaky", hook, Template);
        var store = rig.Services.GetRequiredService<IIntegrationStore>();

        await rig.Engine.PublishAsync(rig.Link("evt-1"));
        await rig.Worker.RunOnceAsync();
        Assert.NotNull((await store.GetAsync(hook.Id))!.FailingSince);

        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await rig.Worker.RunOnceAsync();

        var healthy = (await store.GetAsync(hook.Id))!;
        Assert.Null(healthy.FailingSince);
        Assert.True(healthy.IsEnabled);
    }

    [Fact]
    public async Task Notification_is_posted_as_slack_blocks_through_a_signed_integration()
    {
        await using var receiver = await TestReceiver.StartAsync(c => Respond(c, 200, "ok"));
        await using var rig = Rig.Create();
        var hook = await rig.CreateIntegrationAsync(receiver.Url("/slack"), WebhookSigningScheme.Wandb);
        await rig.Manager.CreateAsync(rig.Admin, new AutomationDefinition(
            "promoted",
            new AutomationTrigger(ArtifactEventType.AddArtifactAlias, AutomationScope.ForProject(Entity, "vision"), EventFilter.Parse("""{"alias": {"$regex": "^prod"}}""")),
            new NotificationAction(hook.Id, "${artifact_collection_name} promoted", "${event_author} added ${alias} to ${artifact_version_string}", NotificationSeverity.Warn)));

        await rig.Engine.PublishAsync(rig.Alias("evt-1", "staging"));
        await rig.Engine.PublishAsync(rig.Alias("evt-2", "production"));
        await rig.Worker.RunOnceAsync();

        var request = Assert.Single(receiver.Requests);
        Assert.True(new WandbSignatureVerifier(SigningSecret).Verify(request.Body, request.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        using var payload = JsonDocument.Parse(request.Body);
        Assert.Equal("[WARN] classifier promoted", payload.RootElement.GetProperty("text").GetString());
        var section = payload.RootElement.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString();
        Assert.Equal("*[WARN]* alice added production to acme/vision/classifier:production", section);
    }

    [Fact]
    public async Task No_secret_value_appears_in_any_history_row_or_delivery_even_when_the_receiver_echoes_the_request()
    {
        // An echo endpoint (like httpbin's /anything) sends back the body and the Authorization header it received.
        TestReceiver? echoing = null;
        await using var receiver = echoing = await TestReceiver.StartAsync(c =>
        {
            var deliveryId = c.Request.Headers[WebhookDispatcher.DeliveryIdHeaderName].ToString();
            var received = echoing!.Requests.Last(r => r.Headers[WebhookDispatcher.DeliveryIdHeaderName] == deliveryId);
            var status = c.Request.Path == "/echo-fail" ? 503 : 200;
            return Respond(c, status, JsonSerializer.Serialize(new { authorization = c.Request.Headers.Authorization.ToString(), data = Encoding.UTF8.GetString(received.Body) }));
        });
        await using var rig = Rig.Create(o =>
        {
            o.RetrySchedule.Clear();
            o.RetrySchedule.Add(TimeSpan.Zero);
            o.RetrySchedule.Add(TimeSpan.FromSeconds(5));
        });
        var echo = await rig.CreateIntegrationAsync(receiver.Url("/echo"), WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, "echo");
        var failing = await rig.CreateIntegrationAsync(receiver.Url("/echo-fail"), WebhookSigningScheme.Wandb, "echo fail");
        var ok = await rig.CreateWebhookAutomationAsync("echo", echo, Template);
        var bad = await rig.CreateWebhookAutomationAsync("echo fail", failing, Template);

        await rig.Engine.PublishAsync(rig.Link("evt-1"));
        await rig.Worker.RunOnceAsync();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await rig.Worker.RunOnceAsync();

        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Contains(PayloadKey, Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));

        var rows = (await rig.HistoryAsync(ok.Id)).Concat(await rig.HistoryAsync(bad.Id)).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Contains(rows, r => r.ResponseBody?.Contains("${PAYLOAD_KEY}", StringComparison.Ordinal) == true);
        Assert.Contains(rows, r => r.ResponseBody?.Contains("Bearer ${ACCESS_TOKEN}", StringComparison.Ordinal) == true);
        var deliveries = (await rig.Manager.ListDeliveriesAsync(rig.Admin, ok.Id)).Items.Concat((await rig.Manager.ListDeliveriesAsync(rig.Admin, bad.Id)).Items).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.Contains(deliveries, d => d.Status == DeliveryStatus.Dead);

        foreach (var text in rows.Select(r => JsonSerializer.Serialize(r)).Concat(deliveries.Select(d => d + " " + d.LastError)))
        {
            foreach (var secret in SecretValues)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    private static Task Respond(HttpContext context, int status, string body = "")
    {
        context.Response.StatusCode = status;
        return body.Length == 0 ? Task.CompletedTask : context.Response.WriteAsync(body);
    }

    /// <summary>The engine registered through DI, with a fake clock, loopback allowed and the team's secrets set.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(ServiceProvider services, FakeTimeProvider time)
        {
            Services = services;
            Time = time;
            services.GrantAdmin(Entity, Admin.UserName);
            services.SetSecret(Entity, "SIGNING_SECRET", SigningSecret);
            services.SetSecret(Entity, "ACCESS_TOKEN", AccessToken);
            services.SetSecret(Entity, "PAYLOAD_KEY", PayloadKey);
        }

        public ServiceProvider Services { get; }

        public FakeTimeProvider Time { get; }

        public AutomationActor Admin { get; } = new("alice");

        public AutomationEngine Engine => Services.GetRequiredService<AutomationEngine>();

        public DeliveryWorker Worker => Services.GetRequiredService<DeliveryWorker>();

        public AutomationManager Manager => Services.GetRequiredService<AutomationManager>();

        public WebhookIntegrationManager Integrations => Services.GetRequiredService<WebhookIntegrationManager>();

        public static Rig Create(Action<AutomationEngineOptions>? configure = null)
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(time);
            services.AddAutomations(o =>
            {
                o.RetryJitter = 0;
                configure?.Invoke(o);
            });
            services.AddAutomationsWebhookDispatcher(o => o.EndpointPolicy.AllowLoopback = true);
            return new Rig(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), time);
        }

        public Task<WebhookIntegration> CreateIntegrationAsync(Uri url, WebhookSigningScheme scheme, string name = "ci hook")
            => Integrations.CreateAsync(Admin, new WebhookIntegrationDefinition(Entity, name, url.ToString(), "SIGNING_SECRET", "ACCESS_TOKEN", scheme));

        public Task<Automation> CreateWebhookAutomationAsync(string name, WebhookIntegration hook, string template)
            => Manager.CreateAsync(Admin, new AutomationDefinition(
                name,
                new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject(Entity, "vision"), collection: "classifier"),
                new WebhookAction(hook.Id, template)));

        public ArtifactEvent Link(string eventId, string author = "alice")
            => new(eventId, ArtifactEventType.LinkArtifact, ArtifactContainer.Project(Entity, "vision"), "classifier", Version(), author, Time.GetUtcNow());

        public ArtifactEvent Alias(string eventId, string alias)
            => new(eventId, ArtifactEventType.AddArtifactAlias, ArtifactContainer.Project(Entity, "vision"), "classifier", Version(), "alice", Time.GetUtcNow(), alias: alias);

        public async Task<Delivery> DeliveryAsync(string id)
            => (await Services.GetRequiredService<IDeliveryStore>().GetAsync(id))!;

        public async Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string automationId)
            => (await Manager.GetHistoryAsync(Admin, automationId, new PageRequest(PageRequest.MaxPageSize))).Items;

        public ValueTask DisposeAsync() => Services.DisposeAsync();

        private static ArtifactVersion Version()
            => new("517889887", "classifier", "v3", ["latest"], metadata: new Dictionary<string, JsonElement> { ["accuracy"] = JsonSerializer.SerializeToElement(0.93) });
    }
}
