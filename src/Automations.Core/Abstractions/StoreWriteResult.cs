namespace Automations.Core.Abstractions;

/// <summary>The outcome of a store write that can conflict.</summary>
public enum StoreWriteResult
{
    /// <summary>The write was applied.</summary>
    Applied = 0,

    /// <summary>The object to update or delete does not exist.</summary>
    NotFound = 1,

    /// <summary>Another object already has this id.</summary>
    IdConflict = 2,

    /// <summary>Another object in the same scope already has this name.</summary>
    NameConflict = 3,

    /// <summary>The object changed since it was read (optimistic concurrency: its version moved on).</summary>
    StaleVersion = 4,
}
