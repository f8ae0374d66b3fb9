using System.Text;
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Engine;
using Automations.Core.Secrets;
using Automations.Core.Signing;
using Automations.Core.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automations.Core.Tests.Engine;

/// <summary>
/// The redaction proof: a full engine run with distinctive secret values (template secret, access token, signing
/// secrets before and after a rotation, a W&amp;B pass phrase), a hostile receiver that echoes the body and every
/// header back (with 200 and with 500), retries, refusals, forced deletes, a tampered ciphertext and failed
/// management calls. Every log line (Trace and up), history row, delivery, list view, exception and
/// <c>ToString</c> is then searched for every value, token and signature the receiver saw: none may appear.
/// </summary>
public class SecretRedactionSweepTests
{
    private const string TemplateValue = "tmpl-REDACTME-5b2e1d-\"quoted\"/path";
    private const string Token = "tok-REDACTME-7f3a9c1e";
    private const string WandbPhrase = "wandb-REDACTME-pass-phrase";
    private static readonly string OldSigning = StandardSecret("old-REDACTME-signing");
    private static readonly string NewSigning = StandardSecret("new-REDACTME-signing");

    [Fact]
    public async Task No_secret_value_token_or_signature_appears_anywhere_after_a_full_run()
    {
        await using var receiver = await TestReceiver.StartAsync(EchoAsync);
        await using var host = SecretsTestHost.Create();
        var ada = SecretsTestHost.Ada;
        var exceptions = new List<Exception>();

        await host.Secrets.CreateAsync(ada, "acme", "TMPL", TemplateValue);
        await host.Secrets.CreateAsync(ada, "acme", "TOKEN", Token);
        await host.Secrets.CreateAsync(ada, "acme", "HOOK", OldSigning);
        await host.Secrets.CreateAsync(ada, "acme", "WANDB_HOOK", WandbPhrase);
        var ok = await host.CreateIntegrationAsync(receiver.Url("/ok"), signing: "HOOK", token: "TOKEN", scheme: WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, name: "ok hook");
        var failing = await host.CreateIntegrationAsync(receiver.Url("/fail"), signing: "WANDB_HOOK", token: "TOKEN", name: "fail hook");
        var deploy = await host.CreateWebhookAutomationAsync(ok.Id, """{"ref": "${artifact_version_string}", "secret": "${TMPL}", "again": "x${TMPL}x"}""", "deploy");
        var broken = await host.CreateWebhookAutomationAsync(failing.Id, """{"secret": "${TMPL}"}""", "broken");
        var notify = await host.Automations.CreateAsync(ada, new AutomationDefinition(
            "notify", EngineHarness.OnLink(), new NotificationAction(ok.Id, "Release ${TMPL}", "Version ${artifact_version_string} with ${TMPL}", NotificationSeverity.Warn)));
        var automations = new[] { deploy, broken, notify };

        // Deliveries, a rotation with a grace period (two signatures), retries of the failing endpoint.
        await host.PublishAndDeliverAsync();
        await host.Secrets.ReplaceValueAsync(ada, "acme", "HOOK", NewSigning, TimeSpan.FromHours(1));
        await host.PublishAndDeliverAsync();
        for (var i = 0; i < 3; i++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(10));
            while (await host.Worker.RunOnceAsync() > 0)
            {
            }
        }

        // Failed management calls carrying the values.
        exceptions.Add(await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.CreateAsync(ada, "acme", "bad name", Token)));
        exceptions.Add(await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.ReplaceValueAsync(ada, "acme", "TMPL", TemplateValue + new string('x', SecretManager.MaxValueLength))));
        exceptions.Add(await Assert.ThrowsAsync<AutomationConflictException>(() => host.Secrets.CreateAsync(ada, "acme", "TOKEN", Token)));
        exceptions.Add(await Assert.ThrowsAsync<SecretInUseException>(() => host.Secrets.DeleteAsync(ada, "acme", "TMPL")));
        exceptions.Add(await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.ReplaceValueAsync(SecretsTestHost.Otto, "acme", "TOKEN", Token)));
        exceptions.Add(await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.ListAsync(SecretsTestHost.Mel, "acme")));

        // A tampered signing secret, then a forced delete of the template secret: refusals with reasons.
        var wandb = (await host.SecretStore.FindByNameAsync("acme", "WANDB_HOOK"))!;
        await host.SecretStore.UpdateAsync(wandb.WithValue((await host.SecretStore.FindByNameAsync("acme", "TOKEN"))!.Value, wandb.UpdatedAt));
        await host.PublishAndDeliverAsync();
        await host.Secrets.DeleteAsync(ada, "acme", "TMPL", force: true);
        await host.PublishAndDeliverAsync();

        // What the receiver saw: the sweep below is only meaningful if the values really travelled.
        var requests = receiver.Requests.ToArray();
        var bodies = string.Join("\n", requests.Select(r => Encoding.UTF8.GetString(r.Body)));
        var relaxed = JsonSerializer.Serialize(TemplateValue, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })[1..^1];
        Assert.Contains(relaxed, bodies, StringComparison.Ordinal);
        Assert.Contains(requests, r => r.Headers.GetValueOrDefault("Authorization") == "Bearer " + Token);
        Assert.Contains(requests, r => r.Headers.GetValueOrDefault(WebhookHeaderNames.WebhookSignature)?.Split(' ').Length == 2);
        var forbidden = new List<string> { TemplateValue, Token, OldSigning, NewSigning, WandbPhrase, "Bearer " + Token };
        forbidden.Add(JsonEncodedText.Encode(TemplateValue).ToString());
        forbidden.Add(relaxed);
        foreach (var r in requests)
        {
            forbidden.AddRange(new[] { WebhookHeaderNames.WandbSignature, WebhookHeaderNames.WebhookSignature }
                .Select(h => r.Headers.GetValueOrDefault(h))
                .OfType<string>()
                .SelectMany(v => v.Split(' ').Select(s => s.StartsWith("v1,", StringComparison.Ordinal) ? s[3..] : s)));
        }

        // Everything the library produced.
        var haystack = new StringBuilder(host.Logs.All);
        foreach (var automation in automations)
        {
            haystack.AppendLine(automation.ToString());
            foreach (var row in await host.HistoryAsync(automation.Id))
            {
                haystack.AppendLine(row.ToString()).AppendLine(row.RequestBody).AppendLine(row.ResponseBody).AppendLine(row.Error);
            }

            foreach (var delivery in await host.DeliveriesAsync(automation.Id))
            {
                haystack.AppendLine(delivery.ToString()).AppendLine(delivery.LastError).AppendLine(delivery.Automation.Action.ToString());
            }
        }

        haystack.AppendJoin('\n', await host.Secrets.ListAsync(ada, "acme"));
        haystack.AppendJoin('\n', (await host.Automations.ListAsync(ada, "acme")).Items);
        haystack.AppendJoin('\n', await host.Integrations.ListAsync(ada, "acme"));
        haystack.AppendJoin('\n', exceptions.Select(e => e.ToString()));
        haystack.AppendJoin('\n', (await host.SecretStore.ListAsync("acme")).Select(r => r.ToString()));
        haystack.AppendJoin('\n', new object[]
        {
            host.Secrets, host.SecretStore, host.Roles,
            host.Services.GetRequiredService<ISecretProtector>(),
            host.Services.GetRequiredService<ISecretResolver>(),
            host.Services.GetRequiredService<IAutomationAuthorizer>(),
            host.Services.GetRequiredService<IOptions<SecretOptions>>().Value,
        });
        var text = haystack.ToString();

        Assert.True(host.Logs.Lines.Count > 20, "the run logged at Trace level");
        Assert.Contains("${TMPL}", text, StringComparison.Ordinal);            // history bodies carry markers
        // The echoes were masked: template secrets and the token as their ${NAME} markers, other values as ***.
        Assert.True(text.Contains(SecretRedactor.Mask, StringComparison.Ordinal) || text.Contains("${", StringComparison.Ordinal), "No masked echo found.");
        Assert.Contains("cannot be decrypted", text, StringComparison.Ordinal);
        Assert.Contains("TMPL", text, StringComparison.Ordinal);
        Assert.All(forbidden.Distinct(), value => Assert.False(
            text.Contains(value, StringComparison.Ordinal),
            $"A secret-derived value of {value.Length} characters starting '{value[..4]}' leaked."));
    }

    private static string StandardSecret(string seed) => "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes(seed.PadRight(32, '#')));

    /// <summary>A hostile receiver: answers with the request body and every header it got (200 on /ok, 500 elsewhere).</summary>
    private static async Task EchoAsync(HttpContext context)
    {
        var request = TestReceiver.Current(context);
        context.Response.StatusCode = context.Request.Path == "/ok" ? 200 : 500;
        var headers = string.Join("\n", request.Headers.Select(h => $"{h.Key}: {h.Value}"));
        var body = Encoding.UTF8.GetString(request.Body);
        await context.Response.WriteAsync($"raw body: {body}\nheaders:\n{headers}\njson: " + JsonSerializer.Serialize(new { body, headers }));
    }
}
