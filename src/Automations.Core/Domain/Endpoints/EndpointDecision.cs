using System.Net;

namespace Automations.Core.Domain.Endpoints;

/// <summary>
/// The endpoint policy's answer for a URL, a host or an address: allowed, or refused with a reason. An ordinary
/// refusal is this value, not an exception. Messages name the host and the address, never the URL's path or query
/// (webhook URLs such as Slack's carry secrets there).
/// </summary>
public sealed class EndpointDecision
{
    private EndpointDecision(EndpointRefusalReason reason, string message, IPAddress? address, IpAddressCategory? category)
    {
        Reason = reason;
        Message = message;
        Address = address;
        Category = category;
    }

    /// <summary>The decision that allows the target.</summary>
    public static EndpointDecision Allowed { get; } = new(EndpointRefusalReason.None, "allowed", null, null);

    /// <summary>Whether the target is allowed.</summary>
    public bool IsAllowed => Reason == EndpointRefusalReason.None;

    /// <summary>Why the target was refused; <see cref="EndpointRefusalReason.None"/> when allowed.</summary>
    public EndpointRefusalReason Reason { get; }

    /// <summary>A clear, human-readable explanation (<c>allowed</c> when allowed).</summary>
    public string Message { get; }

    /// <summary>The offending address, when the refusal is about an address (a literal or a resolved one).</summary>
    public IPAddress? Address { get; }

    /// <summary>The category of <see cref="Address"/>, when there is one.</summary>
    public IpAddressCategory? Category { get; }

    /// <summary>Formats the decision as <c>allowed</c> or <c>refused (Reason): message</c>.</summary>
    /// <returns>The formatted decision.</returns>
    public override string ToString() => IsAllowed ? "allowed" : $"refused ({Reason}): {Message}";

    internal static EndpointDecision Refuse(EndpointRefusalReason reason, string message, IPAddress? address = null, IpAddressCategory? category = null)
    {
        if (reason == EndpointRefusalReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), "A refusal needs a reason.");
        }

        return new EndpointDecision(reason, message, address, category);
    }
}
