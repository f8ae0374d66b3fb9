using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace Automations.Core.Tests;

/// <summary>Test set-up helpers for team roles and secrets on an engine built through DI.</summary>
internal static class TestSecrets
{
    /// <summary>The actor the helpers use to manage secrets (made admin of the team first).</summary>
    public static readonly AutomationActor SetupAdmin = new("test-setup-admin");

    /// <summary>Makes <paramref name="userName"/> an admin of <paramref name="entity"/> in the in-memory role table.</summary>
    public static void GrantAdmin(this IServiceProvider services, string entity, string userName)
        => services.GetRequiredService<InMemoryTeamRoleProvider>().Grant(entity, userName, TeamRole.Admin);

    /// <summary>Creates (or replaces) a team secret through <see cref="SecretManager"/>, as a team admin would.</summary>
    public static async Task SetSecretAsync(this IServiceProvider services, string entity, string name, string value)
    {
        services.GrantAdmin(entity, SetupAdmin.UserName);
        var manager = services.GetRequiredService<SecretManager>();
        var existing = await manager.ListAsync(SetupAdmin, entity);
        if (existing.Any(s => s.Name == name))
        {
            await manager.ReplaceValueAsync(SetupAdmin, entity, name, value);
        }
        else
        {
            await manager.CreateAsync(SetupAdmin, entity, name, value);
        }
    }

    /// <summary>Synchronous form for constructors of test rigs.</summary>
    public static void SetSecret(this IServiceProvider services, string entity, string name, string value)
        => services.SetSecretAsync(entity, name, value).GetAwaiter().GetResult();
}
