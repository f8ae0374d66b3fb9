namespace Automations.Sqlite.Internal;

/// <summary>Times are stored as UTC ticks (INTEGER): exact, ordered, and comparable in SQL.</summary>
internal static class Times
{
    public static long ToDb(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset FromDb(long ticks) => new(ticks, TimeSpan.Zero);
}
