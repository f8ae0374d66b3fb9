namespace Automations.Core.Abstractions;

/// <summary>One page of a listing, with the token of the next page (null on the last page).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items on this page.</param>
/// <param name="NextPageToken">Opaque token for the next page, or null when there is none.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);

/// <summary>Which page of a listing to return.</summary>
/// <param name="PageSize">Items per page (1–1000).</param>
/// <param name="PageToken">The token from the previous page, or null for the first page.</param>
public readonly record struct PageRequest(int PageSize = 50, string? PageToken = null)
{
    /// <summary>The largest page size a store must honour.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The first page with the default size.</summary>
    public static PageRequest First => new(50);

    /// <summary>The page size clamped to 1–<see cref="MaxPageSize"/>.</summary>
    public int EffectivePageSize => Math.Clamp(PageSize, 1, MaxPageSize);
}
