using System.Text;
using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Secrets;
using Automations.Core.Signing;
using Automations.Core.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Engine;

/// <summary>Secrets at delivery time, against a real Kestrel receiver on 127.0.0.1.</summary>
public class SecretDeliveryTests
{
    private const string Template = """{"event": "${event_type}", "key": "${API_KEY}"}""";

    private static Task Ok(HttpContext context) => context.Response.WriteAsync("ok");

    private static string Secret(string seed) => "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(seed.PadRight(32, '-')));

    [Fact]
    public async Task Grace_period_signs_with_both_values_then_only_the_new_one()
    {
        await using var receiver = await TestReceiver.StartAsync(Ok);
        await using var host = SecretsTestHost.Create();
        var oldSecret = Secret("old signing secret");
        var newSecret = Secret("new signing secret");
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "HOOK", oldSecret);
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "API_KEY", "k");
        var integration = await host.CreateIntegrationAsync(receiver.Url("/hook"), signing: "HOOK", scheme: WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks);
        await host.CreateWebhookAutomationAsync(integration.Id, Template);

        await host.PublishAndDeliverAsync();
        await host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "HOOK", newSecret, TimeSpan.FromHours(24));
        await host.PublishAndDeliverAsync();
        host.Time.Advance(TimeSpan.FromHours(24));
        await host.PublishAndDeliverAsync();

        var requests = receiver.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.Equal([1, 2, 1], requests.Select(r => r.Headers[WebhookHeaderNames.WebhookSignature].Split(' ').Length));

        // Standard Webhooks: receivers on either secret accept the delivery made during the grace period.
        Assert.Equal([true, true, false], requests.Select(r => VerifyStandard(oldSecret, r)));
        Assert.Equal([false, true, true], requests.Select(r => VerifyStandard(newSecret, r)));

        // X-Wandb-Signature carries one signature: the current value's.
        Assert.Equal([true, false, false], requests.Select(r => VerifyWandb(oldSecret, r)));
        Assert.Equal([false, true, true], requests.Select(r => VerifyWandb(newSecret, r)));
    }

    [Fact]
    public async Task Forced_delete_makes_deliveries_fail_with_a_reason_naming_the_secret()
    {
        await using var receiver = await TestReceiver.StartAsync(Ok);
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "API_KEY", "k");
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "HOOK", "wandb-style-secret");
        var integration = await host.CreateIntegrationAsync(receiver.Url("/hook"), signing: "HOOK");
        var templated = await host.CreateWebhookAutomationAsync(integration.Id, Template, "templated");
        var plain = await host.CreateWebhookAutomationAsync(integration.Id, """{"v": "${artifact_version_string}"}""", "plain");

        await host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "API_KEY", force: true);
        await host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "HOOK", force: true);
        await host.PublishAndDeliverAsync();

        Assert.Empty(receiver.Requests);
        var templatedRow = Assert.Single(await host.HistoryAsync(templated.Id), r => r.Attempt > 0);
        Assert.Equal(ExecutionStatus.Dead, templatedRow.Status);
        Assert.Equal("A secret the template uses is missing from team 'acme' (deleted or renamed?): the template references secret 'API_KEY', which was not provided.", templatedRow.Error);
        var plainRow = Assert.Single(await host.HistoryAsync(plain.Id), r => r.Attempt > 0);
        Assert.Equal("The signing secret 'HOOK' does not exist in team 'acme'.", plainRow.Error);
        Assert.All(await host.DeliveriesAsync(plain.Id), d => Assert.Equal(DeliveryStatus.Dead, d.Status));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_row_is_a_clear_delivery_error_not_a_crash()
    {
        await using var receiver = await TestReceiver.StartAsync(Ok);
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "API_KEY", "the-real-key");
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "OTHER", "another-value");
        var integration = await host.CreateIntegrationAsync(receiver.Url("/hook"));
        var automation = await host.CreateWebhookAutomationAsync(integration.Id, Template);

        // Someone with database access copies OTHER's ciphertext into API_KEY's row.
        var target = (await host.SecretStore.FindByNameAsync("acme", "API_KEY"))!;
        var source = (await host.SecretStore.FindByNameAsync("acme", "OTHER"))!;
        await host.SecretStore.UpdateAsync(target.WithValue(source.Value, target.UpdatedAt));
        await host.PublishAndDeliverAsync();

        Assert.Empty(receiver.Requests);
        var row = Assert.Single(await host.HistoryAsync(automation.Id), r => r.Attempt > 0);
        Assert.Equal(ExecutionStatus.Dead, row.Status);
        Assert.Equal(
            "Secret 'API_KEY' of team 'acme' cannot be decrypted: The stored ciphertext does not authenticate: it was altered, or copied from another secret or team.",
            row.Error);
    }

    [Fact]
    public async Task A_tampered_signing_secret_refuses_the_delivery_with_the_reason()
    {
        await using var receiver = await TestReceiver.StartAsync(Ok);
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "HOOK", "wandb-style-secret");
        var integration = await host.CreateIntegrationAsync(receiver.Url("/hook"), signing: "HOOK");
        var automation = await host.CreateWebhookAutomationAsync(integration.Id, """{"v": 1}""");

        var record = (await host.SecretStore.FindByNameAsync("acme", "HOOK"))!;
        var bytes = record.Value.ToArray();
        bytes[^1] ^= 0x80;
        await host.SecretStore.UpdateAsync(record.WithValue(new SecretCiphertext(record.Value.KeyId, bytes), record.UpdatedAt));
        await host.PublishAndDeliverAsync();

        Assert.Empty(receiver.Requests);
        var row = Assert.Single(await host.HistoryAsync(automation.Id), r => r.Attempt > 0);
        Assert.StartsWith("Secret 'HOOK' of team 'acme' cannot be decrypted:", row.Error, StringComparison.Ordinal);
    }

    /// <summary>Verifies as a receiver would at the moment the request arrived (the clock moves between deliveries).</summary>
    private static bool VerifyStandard(string secret, TestReceiver.ReceivedRequest r)
        => new StandardWebhooksVerifier(
                [WebhookSigningKey.ForStandardWebhooks(secret)],
                new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(r.Headers[WebhookHeaderNames.WebhookTimestamp], System.Globalization.CultureInfo.InvariantCulture))))
            .Verify(r.Body, r.Headers[WebhookHeaderNames.WebhookId], r.Headers[WebhookHeaderNames.WebhookTimestamp], r.Headers[WebhookHeaderNames.WebhookSignature])
            .IsValid;

    private static bool VerifyWandb(string secret, TestReceiver.ReceivedRequest r)
        => new WandbSignatureVerifier(secret).Verify(r.Body, r.Headers[WebhookHeaderNames.WandbSignature]).IsValid;
}
