using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Secrets;
using Automations.Core.Signing;
using Automations.Core.Storage.InMemory;
using Automations.Core.Templates;
using Automations.Core.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.DependencyInjection;

/// <summary>The embedding example of docs/getting-started.md and README.md, run as written against a real receiver.</summary>
public sealed class GettingStartedTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("automations-getting-started-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leaked temp directory must not fail a test.
        }
    }

    [Fact]
    public async Task The_getting_started_host_delivers_a_signed_webhook_in_the_background()
    {
        var arrived = new TaskCompletionSource<TestReceiver.ReceivedRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        TestReceiver? receiver = null;
        await using var _ = receiver = await TestReceiver.StartAsync(c =>
        {
            arrived.TrySetResult(receiver!.Requests.Last());
            c.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        string[] args = ["--environment=Development", "--Logging:LogLevel:Default=Warning"];
        var webhookUrl = receiver.Url("/hooks/wandb").ToString();
        var signingSecret = "a-long-random-team-secret";
        var databasePath = Path.Combine(_directory, "automations.db");
        var secretsKey = SecretKeyRing.GenerateKey();

        // <getting-started>
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddAutomations()                     // engine, background worker
            .UseSqlite($"Data Source={databasePath}")         // durable stores, one file; survives restarts
            .ConfigureSecrets(o => { o.CurrentKeyId = "k1"; o.Keys["k1"] = secretsKey; }) // encrypts team secrets
            .AddTeamRoles(r => r.Grant("acme", "alice", TeamRole.Admin)); // your users' team roles
        builder.Services.AddAutomationsWebhookDispatcher(o => // SSRF policy: public https endpoints only,
            o.EndpointPolicy.AllowLoopback = builder.Environment.IsDevelopment()); // plus loopback in development
        using var host = builder.Build();
        await host.StartAsync();

        // A team secret, a signed webhook integration and an automation: what W&B's UI does.
        var admin = new AutomationActor("alice");
        await host.Services.GetRequiredService<SecretManager>().CreateAsync(admin, "acme", "WEBHOOK_SECRET", signingSecret);
        var hook = await host.Services.GetRequiredService<WebhookIntegrationManager>().CreateAsync(admin,
            new WebhookIntegrationDefinition("acme", "ci", webhookUrl, SigningSecretName: "WEBHOOK_SECRET"));
        await host.Services.GetRequiredService<AutomationManager>().CreateAsync(admin, new AutomationDefinition(
            "deploy new model versions",
            new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "vision"), collection: "classifier"),
            new WebhookAction(hook.Id, PayloadTemplatePresets.GitHubRepositoryDispatchText)));

        // Publish what happens to your artifacts; the worker POSTs the signed payload in the background.
        await host.Services.GetRequiredService<AutomationEngine>().PublishAsync(new ArtifactEvent(
            "evt-1", ArtifactEventType.LinkArtifact, ArtifactContainer.Project("acme", "vision"), "classifier",
            new ArtifactVersion("517889887", "classifier", "v3"), "alice", TimeProvider.System.GetUtcNow()));
        // </getting-started>

        var request = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await host.StopAsync();

        Assert.Equal("/hooks/wandb", request.Target);
        Assert.True(new WandbSignatureVerifier(signingSecret).Verify(request.Body, request.Headers[WebhookHeaderNames.WandbSignature]).IsValid);
        using var payload = JsonDocument.Parse(request.Body);
        Assert.Equal("BUILD_AND_DEPLOY", payload.RootElement.GetProperty("event_type").GetString());
        Assert.Equal("acme/vision/classifier:v3", payload.RootElement.GetProperty("client_payload").GetProperty("artifact_version_string").GetString());

        // Everything was kept in the SQLite file, the secret encrypted.
        Assert.IsType<Automations.Sqlite.SqliteSecretStore>(host.Services.GetRequiredService<ISecretStore>());
        Assert.Single(await host.Services.GetRequiredService<IIntegrationStore>().ListAsync("acme"));
        Assert.True(File.Exists(databasePath));
    }

    [Fact]
    public async Task Without_the_development_opt_in_a_loopback_url_is_refused_when_saved()
    {
        var builder = Host.CreateApplicationBuilder(["--environment=Production"]);
        builder.Services.AddAutomations().AddTeamRoles(r => r.Grant("acme", "alice", TeamRole.Admin));
        builder.Services.AddAutomationsWebhookDispatcher(o => o.EndpointPolicy.AllowLoopback = builder.Environment.IsDevelopment());
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<Automations.Core.Domain.AutomationValidationException>(() => host.Services.GetRequiredService<WebhookIntegrationManager>()
            .CreateAsync(new AutomationActor("alice"), new WebhookIntegrationDefinition("acme", "ci", "http://127.0.0.1:8080/hooks")));

        Assert.Contains(ex.Problems, p => p.Path.Contains("url", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_docs_show_the_tested_code()
    {
        var snippet = DocSnippets.Snippet("tests/Automations.Core.Tests/DependencyInjection/GettingStartedTests.cs", "getting-started");
        DocSnippets.AssertDocContains("docs/getting-started.md", snippet);
        DocSnippets.AssertDocContains("README.md", snippet);
    }
}
