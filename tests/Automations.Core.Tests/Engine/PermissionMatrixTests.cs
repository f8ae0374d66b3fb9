using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Engine;

namespace Automations.Core.Tests.Engine;

/// <summary>
/// Every management operation, tried by a team admin (ada), a team member (mel) and an admin of another team
/// (otto): allowed only with the role the operation needs; refused with the permission named; and an outsider can
/// never tell an existing object from a missing one.
/// </summary>
public class PermissionMatrixTests
{
    private static readonly Uri Hook = new("http://127.0.0.1:9/hook");

    /// <summary>One operation on seeded objects, and the least role it needs.</summary>
    private sealed record Operation(TeamRole Needs, AutomationPermission Permission, bool AddressedById, Func<SecretsTestHost, Seed, AutomationActor, Task> Run);

    private sealed record Seed(string IntegrationId, string SpareIntegrationId, string AutomationId, string SpareAutomationId, string DeliveryId);

    private static readonly Dictionary<string, Operation> s_operations = new()
    {
        // Secrets: admin only, addressed by team.
        ["secret.create"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.CreateAsync(a, "acme", "NEW_ONE", "v")),
        ["secret.replace"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.ReplaceValueAsync(a, "acme", "HOOK_SECRET", "v2")),
        ["secret.rename"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.RenameAsync(a, "acme", "SPARE", "SPARE_2")),
        ["secret.delete"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.DeleteAsync(a, "acme", "SPARE")),
        ["secret.list"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.ListAsync(a, "acme")),
        ["secret.get"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.GetAsync(a, "acme", "SPARE")),
        ["secret.usages"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.FindUsagesAsync(a, "acme", "HOOK_SECRET")),
        ["secret.reprotect"] = Admin(AutomationPermission.ManageSecrets, (h, _, a) => h.Secrets.ReprotectAsync(a, "acme")),

        // Integrations: admins manage, members view.
        ["integration.create"] = Admin(AutomationPermission.ManageIntegrations, (h, _, a) => h.Integrations.CreateAsync(a, new WebhookIntegrationDefinition("acme", "new hook", Hook.ToString()))),
        ["integration.update"] = Admin(AutomationPermission.ManageIntegrations, (h, s, a) => h.Integrations.UpdateAsync(a, s.SpareIntegrationId, new WebhookIntegrationDefinition("acme", "renamed hook", Hook.ToString())), byId: true),
        ["integration.disable"] = Admin(AutomationPermission.ManageIntegrations, (h, s, a) => h.Integrations.SetEnabledAsync(a, s.SpareIntegrationId, false, "maintenance"), byId: true),
        ["integration.delete"] = Admin(AutomationPermission.ManageIntegrations, (h, s, a) => h.Integrations.DeleteAsync(a, s.SpareIntegrationId), byId: true),
        ["integration.get"] = Member((h, s, a) => h.Integrations.GetAsync(a, s.IntegrationId), byId: true),
        ["integration.list"] = Member((h, _, a) => h.Integrations.ListAsync(a, "acme")),

        // Automations: admins manage (the default), members view.
        ["automation.create"] = Admin(AutomationPermission.ManageAutomations, (h, _, a) => h.Automations.CreateAsync(a, new AutomationDefinition("new", EngineHarness.OnLink(), NoOpAction.Instance))),
        ["automation.update"] = Admin(AutomationPermission.ManageAutomations, (h, s, a) => h.Automations.UpdateAsync(a, s.SpareAutomationId, new AutomationDefinition("spare2", EngineHarness.OnLink(), NoOpAction.Instance)), byId: true),
        ["automation.disable"] = Admin(AutomationPermission.ManageAutomations, (h, s, a) => h.Automations.SetEnabledAsync(a, s.SpareAutomationId, false), byId: true),
        ["automation.delete"] = Admin(AutomationPermission.ManageAutomations, (h, s, a) => h.Automations.DeleteAsync(a, s.SpareAutomationId), byId: true),
        ["automation.redeliver"] = Admin(AutomationPermission.ManageAutomations, (h, s, a) => IgnoreConflict(h.Automations.RedeliverAsync(a, s.DeliveryId)), byId: true),
        ["automation.redeliver-dead"] = Admin(AutomationPermission.ManageAutomations, (h, s, a) => h.Automations.RedeliverDeadAsync(a, s.AutomationId), byId: true),
        ["automation.get"] = Member((h, s, a) => h.Automations.GetAsync(a, s.AutomationId), byId: true),
        ["automation.list"] = Member((h, _, a) => h.Automations.ListAsync(a, "acme")),
        ["automation.history"] = Member((h, s, a) => h.Automations.GetHistoryAsync(a, s.AutomationId), byId: true),
        ["automation.deliveries"] = Member((h, s, a) => h.Automations.ListDeliveriesAsync(a, s.AutomationId), byId: true),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var op in s_operations.Keys)
        {
            foreach (var actor in new[] { "ada", "mel", "otto" })
            {
                data.Add(op, actor);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_on_each_operation(string operation, string user)
    {
        var op = s_operations[operation];
        await using var host = SecretsTestHost.Create();
        var seed = await SeedAsync(host);
        var actor = new AutomationActor(user);
        var role = user switch { "ada" => TeamRole.Admin, "mel" => TeamRole.Member, _ => TeamRole.None };

        var error = await Record.ExceptionAsync(() => op.Run(host, seed, actor));

        if (role >= op.Needs)
        {
            Assert.Null(error);
        }
        else if (role == TeamRole.None && op.AddressedById)
        {
            // An outsider gets exactly what a missing object gives: existence never leaks.
            var notFound = Assert.IsType<AutomationNotFoundException>(error);
            var missing = await Record.ExceptionAsync(() => op.Run(host, seed with
            {
                IntegrationId = "whk_missing", SpareIntegrationId = "whk_missing", AutomationId = "aut_missing", SpareAutomationId = "aut_missing", DeliveryId = "dlv_missing",
            }, actor));
            Assert.Equal(notFound.Message, Assert.IsType<AutomationNotFoundException>(missing).Message);
        }
        else
        {
            var denied = Assert.IsType<AutomationAccessDeniedException>(error);
            Assert.Equal(op.Permission.ToString(), denied.Permission);
            Assert.Equal($"Permission {op.Permission} is required.", denied.Message);
        }
    }

    [Fact]
    public async Task A_host_can_let_members_manage_automations_but_not_integrations_or_secrets()
    {
        await using var host = SecretsTestHost.Create(configure: b => b.ConfigureTeamRoles(o => o.ManageAutomations = TeamRole.Member));
        var seed = await SeedAsync(host);
        var mel = SecretsTestHost.Mel;

        await host.Automations.SetEnabledAsync(mel, seed.SpareAutomationId, false);
        await host.Automations.CreateAsync(mel, new AutomationDefinition("by member", EngineHarness.OnLink(), NoOpAction.Instance));
        await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Integrations.DeleteAsync(mel, seed.SpareIntegrationId));
        await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.ListAsync(mel, "acme"));
    }

    private static Operation Admin(AutomationPermission permission, Func<SecretsTestHost, Seed, AutomationActor, Task> run, bool byId = false)
        => new(TeamRole.Admin, permission, byId, run);

    private static Operation Member(Func<SecretsTestHost, Seed, AutomationActor, Task> run, bool byId = false)
        => new(TeamRole.Member, AutomationPermission.ViewAutomations, byId, run);

    private static async Task IgnoreConflict(Task task)
    {
        try
        {
            await task;
        }
        catch (AutomationConflictException)
        {
            // Authorized; the seeded delivery is merely not dead.
        }
    }

    private static async Task<Seed> SeedAsync(SecretsTestHost host)
    {
        var ada = SecretsTestHost.Ada;
        await host.Secrets.CreateAsync(ada, "acme", "HOOK_SECRET", "hook-secret-value");
        await host.Secrets.CreateAsync(ada, "acme", "SPARE", "spare-value");
        var integration = await host.CreateIntegrationAsync(Hook, signing: "HOOK_SECRET");
        var spareIntegration = await host.CreateIntegrationAsync(Hook, name: "spare hook");
        var automation = await host.CreateWebhookAutomationAsync(integration.Id, """{"v": "${artifact_version_string}"}""");
        var spare = await host.Automations.CreateAsync(ada, new AutomationDefinition("spare", EngineHarness.OnLink(), NoOpAction.Instance));
        await host.Engine.PublishAsync(host.Link());
        var delivery = (await host.DeliveriesAsync(automation.Id)).Single();
        return new Seed(integration.Id, spareIntegration.Id, automation.Id, spare.Id, delivery.Id);
    }
}
