using System.Collections.Concurrent;
using Automations.Core.Abstractions;

namespace Automations.Core.Authorization;

/// <summary>
/// A role table in process memory: the default <see cref="ITeamRoleProvider"/> (tests, the demo, small hosts). It
/// grants nothing until roles are granted, so an unconfigured host refuses everyone. User names and teams compare
/// ordinally.
/// </summary>
/// <example>
/// <code>
/// services.AddAutomations().AddTeamRoles(roles =>
/// {
///     roles.Grant("acme", "alice", TeamRole.Admin);
///     roles.Grant("acme", "bob", TeamRole.Member);
/// });
/// </code>
/// </example>
public sealed class InMemoryTeamRoleProvider : ITeamRoleProvider
{
    private readonly ConcurrentDictionary<(string Entity, string UserName), TeamRole> _roles = new();

    /// <summary>Gives a user a role in a team (replacing any role they had); <see cref="TeamRole.None"/> revokes.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="userName">The user, as <see cref="AutomationActor.UserName"/> carries it.</param>
    /// <param name="role">The role.</param>
    /// <returns>This table.</returns>
    /// <exception cref="ArgumentException">The team or user is empty, or the role is not defined.</exception>
    public InMemoryTeamRoleProvider Grant(string entity, string userName, TeamRole role)
    {
        ArgumentException.ThrowIfNullOrEmpty(entity);
        ArgumentException.ThrowIfNullOrEmpty(userName);
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentException($"Unknown team role {(int)role}.", nameof(role));
        }

        if (role == TeamRole.None)
        {
            _roles.TryRemove((entity, userName), out _);
        }
        else
        {
            _roles[(entity, userName)] = role;
        }

        return this;
    }

    /// <summary>Removes a user's role in a team.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="userName">The user.</param>
    /// <returns>Whether they had one.</returns>
    public bool Revoke(string entity, string userName) => _roles.TryRemove((entity, userName), out _);

    /// <inheritdoc />
    public ValueTask<TeamRole> GetRoleAsync(AutomationActor actor, string entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ValueTask.FromResult(entity is null || actor.UserName is null ? TeamRole.None : _roles.GetValueOrDefault((entity, actor.UserName)));
    }

    /// <summary>Describes the table by size.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"{nameof(InMemoryTeamRoleProvider)} ({_roles.Count} grants)";
}
