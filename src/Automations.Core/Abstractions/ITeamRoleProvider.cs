namespace Automations.Core.Abstractions;

/// <summary>A user's role in one team (entity).</summary>
public enum TeamRole
{
    /// <summary>Not a member of the team: no access at all, not even to know what exists.</summary>
    None = 0,

    /// <summary>A team member: sees the team's automations, integrations (names, URLs' origins) and history.</summary>
    Member = 1,

    /// <summary>A team admin: also manages secrets, webhook integrations and (by default) automations.</summary>
    Admin = 2,
}

/// <summary>
/// The host's identity seam for the default role-based authorizer: maps the acting user (as the host identifies
/// them) to their role in a team. Register one with <c>AddTeamRoleProvider&lt;T&gt;()</c>; the default is an
/// in-memory table that grants nothing until the host fills it.
/// </summary>
public interface ITeamRoleProvider
{
    /// <summary>Gets the actor's role in a team.</summary>
    /// <param name="actor">Who is acting.</param>
    /// <param name="entity">The entity (team).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The role; <see cref="TeamRole.None"/> for anyone outside the team.</returns>
    ValueTask<TeamRole> GetRoleAsync(AutomationActor actor, string entity, CancellationToken cancellationToken = default);
}
