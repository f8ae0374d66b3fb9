using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Domain.Scopes;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace Automations.Core.Tests.Authorization;

public class RoleBasedAuthorizerTests
{
    private static readonly AutomationActor Ada = new("ada");

    public static TheoryData<TeamRole, AutomationPermission, bool> DefaultMatrix() => new()
    {
        { TeamRole.None, AutomationPermission.ViewAutomations, false },
        { TeamRole.None, AutomationPermission.ManageAutomations, false },
        { TeamRole.None, AutomationPermission.ManageIntegrations, false },
        { TeamRole.None, AutomationPermission.ManageSecrets, false },
        { TeamRole.Member, AutomationPermission.ViewAutomations, true },
        { TeamRole.Member, AutomationPermission.ManageAutomations, false },
        { TeamRole.Member, AutomationPermission.ManageIntegrations, false },
        { TeamRole.Member, AutomationPermission.ManageSecrets, false },
        { TeamRole.Admin, AutomationPermission.ViewAutomations, true },
        { TeamRole.Admin, AutomationPermission.ManageAutomations, true },
        { TeamRole.Admin, AutomationPermission.ManageIntegrations, true },
        { TeamRole.Admin, AutomationPermission.ManageSecrets, true },
    };

    [Theory]
    [MemberData(nameof(DefaultMatrix))]
    public async Task Default_role_matrix(TeamRole role, AutomationPermission permission, bool allowed)
    {
        var roles = new InMemoryTeamRoleProvider().Grant("acme", "ada", role);
        IAutomationAuthorizer authorizer = new RoleBasedAuthorizer(roles);

        Assert.Equal(allowed, await authorizer.IsAllowedAsync(Ada, permission, "acme"));
        Assert.Equal(allowed, await authorizer.IsAllowedOnScopeAsync(Ada, permission, AutomationScope.ForProject("acme", "vision")));
    }

    [Theory]
    [InlineData(AutomationPermission.ViewAutomations)]
    [InlineData(AutomationPermission.ManageAutomations)]
    [InlineData(AutomationPermission.ManageIntegrations)]
    [InlineData(AutomationPermission.ManageSecrets)]
    public async Task An_admin_of_one_team_has_nothing_in_another(AutomationPermission permission)
    {
        var roles = new InMemoryTeamRoleProvider().Grant("acme", "ada", TeamRole.Admin);
        var authorizer = new RoleBasedAuthorizer(roles);

        Assert.False(await authorizer.IsAllowedAsync(Ada, permission, "globex"));
        Assert.False(await authorizer.IsAllowedAsync(Ada, permission, "ACME"));
        Assert.False(await authorizer.IsAllowedAsync(Ada, permission, ""));
    }

    [Fact]
    public async Task Members_may_manage_automations_when_the_host_says_so_but_never_secrets_or_integrations()
    {
        var roles = new InMemoryTeamRoleProvider().Grant("acme", "ada", TeamRole.Member);
        var authorizer = new RoleBasedAuthorizer(roles, Options.Create(new TeamRoleOptions { ManageAutomations = TeamRole.Member }));

        Assert.True(await authorizer.IsAllowedAsync(Ada, AutomationPermission.ManageAutomations, "acme"));
        Assert.False(await authorizer.IsAllowedAsync(Ada, AutomationPermission.ManageIntegrations, "acme"));
        Assert.False(await authorizer.IsAllowedAsync(Ada, AutomationPermission.ManageSecrets, "acme"));
    }

    [Fact]
    public async Task Unknown_roles_and_permissions_are_refused()
    {
        var roles = Substitute.For<ITeamRoleProvider>();
        roles.GetRoleAsync(Ada, "acme", Arg.Any<CancellationToken>()).Returns((TeamRole)7);
        var authorizer = new RoleBasedAuthorizer(roles);

        Assert.False(await authorizer.IsAllowedAsync(Ada, AutomationPermission.ViewAutomations, "acme"));

        var admin = new RoleBasedAuthorizer(new InMemoryTeamRoleProvider().Grant("acme", "ada", TeamRole.Admin));
        Assert.False(await admin.IsAllowedAsync(Ada, (AutomationPermission)99, "acme"));
    }

    [Fact]
    public async Task The_host_seam_is_asked_for_the_actor_and_team()
    {
        var roles = Substitute.For<ITeamRoleProvider>();
        roles.GetRoleAsync(Arg.Any<AutomationActor>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(TeamRole.Admin);
        var authorizer = new RoleBasedAuthorizer(roles);

        Assert.True(await authorizer.IsAllowedAsync(Ada, AutomationPermission.ManageSecrets, "acme"));
        await roles.Received(1).GetRoleAsync(Ada, "acme", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Role_table_grants_replaces_and_revokes()
    {
        var roles = new InMemoryTeamRoleProvider().Grant("acme", "ada", TeamRole.Member).Grant("acme", "ada", TeamRole.Admin);
        Assert.Equal(TeamRole.Admin, await roles.GetRoleAsync(Ada, "acme"));
        roles.Grant("acme", "ada", TeamRole.None);
        Assert.Equal(TeamRole.None, await roles.GetRoleAsync(Ada, "acme"));
        roles.Grant("acme", "ada", TeamRole.Member);
        Assert.True(roles.Revoke("acme", "ada"));
        Assert.False(roles.Revoke("acme", "ada"));
        Assert.Throws<ArgumentException>(() => roles.Grant("acme", "ada", (TeamRole)9));
        Assert.Throws<ArgumentException>(() => roles.Grant("", "ada", TeamRole.Admin));
    }
}
