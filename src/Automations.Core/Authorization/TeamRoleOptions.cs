using Microsoft.Extensions.Options;

namespace Automations.Core.Authorization;

/// <summary>
/// Options of the default <see cref="RoleBasedAuthorizer"/>. Members always view; secrets and webhook integrations
/// are always admin-only (W&amp;B's rule); who manages automations is configurable.
/// </summary>
public sealed class TeamRoleOptions
{
    /// <summary>
    /// The least role that creates, changes, enables/disables and deletes automations and redelivers their
    /// deliveries: <see cref="Abstractions.TeamRole.Admin"/> (default) or <see cref="Abstractions.TeamRole.Member"/>.
    /// </summary>
    public Abstractions.TeamRole ManageAutomations { get; set; } = Abstractions.TeamRole.Admin;

    /// <summary>Validates the options at start-up.</summary>
    internal sealed class Validator : IValidateOptions<TeamRoleOptions>
    {
        public ValidateOptionsResult Validate(string? name, TeamRoleOptions options)
            => options.ManageAutomations is Abstractions.TeamRole.Admin or Abstractions.TeamRole.Member
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"{nameof(TeamRoleOptions)}.{nameof(ManageAutomations)}: must be Admin or Member.");
    }
}
