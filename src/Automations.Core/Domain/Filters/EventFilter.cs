namespace Automations.Core.Domain.Filters;

/// <summary>Placeholder replaced by the filter-language branch.</summary>
public sealed class EventFilter
{
    private EventFilter()
    {
    }

    /// <summary>The empty filter.</summary>
    public static EventFilter MatchAll { get; } = new();
}
