using Microsoft.Data.Sqlite;

namespace Automations.Sqlite.Internal;

/// <summary>
/// Serialises this process's writes to one database and commits them in groups. A writer enqueues its work and
/// awaits it; one drain loop at a time (on the thread pool) runs everything queued in one <c>BEGIN IMMEDIATE</c>
/// transaction (each piece of work inside its own savepoint, so one failure rolls back only that work), commits
/// once, then completes every waiter. Writes queued meanwhile form the next group. So concurrent writers share
/// one fsync instead of each blocking a thread on a lock and paying its own, and no caller's thread is blocked
/// waiting for another's write.
/// </summary>
internal sealed class GroupCommitWriter(Func<SqliteConnection> open)
{
    private readonly object _gate = new();
    private List<IWork> _queue = [];
    private bool _running;

    private interface IWork
    {
        void Run(SqliteConnection connection, SqliteTransaction transaction);

        void Complete();

        void Fail(Exception exception);
    }

    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        var item = new Work<T>(work);
        bool start;
        lock (_gate)
        {
            _queue.Add(item);
            start = !_running;
            _running = true;
        }

        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.Drain(), this, preferLocal: false);
        }

        return item.Task;
    }

    private void Drain()
    {
        while (true)
        {
            List<IWork> group;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }

                group = _queue;
                _queue = [];
            }

            RunGroup(group);
        }
    }

    private void RunGroup(List<IWork> group)
    {
        var failed = new bool[group.Count];
        try
        {
            using var connection = open();
            using var transaction = connection.BeginTransaction(deferred: false);
            for (var i = 0; i < group.Count; i++)
            {
                if (group.Count == 1)
                {
                    group[i].Run(connection, transaction);
                    continue;
                }

                transaction.Save("w");
                try
                {
                    group[i].Run(connection, transaction);
                    transaction.Release("w");
                }
                catch (Exception ex)
                {
                    transaction.Rollback("w");
                    transaction.Release("w");
                    failed[i] = true;
                    group[i].Fail(ex);
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            for (var i = 0; i < group.Count; i++)
            {
                if (!failed[i])
                {
                    failed[i] = true;
                    group[i].Fail(ex);
                }
            }
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (!failed[i])
            {
                group[i].Complete();
            }
        }
    }

    private sealed class Work<T>(Func<SqliteConnection, SqliteTransaction, T> work) : IWork
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = work(connection, transaction);

        public void Complete() => _done.TrySetResult(_result!);

        public void Fail(Exception exception) => _done.TrySetException(exception);
    }
}
