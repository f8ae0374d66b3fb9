namespace Automations.Sqlite.Internal;

/// <summary>
/// The schema, as an ordered list of migrations. Each runs once, inside the transaction that records its version
/// in <c>schema_version</c>. Never edit a shipped migration: add a new one.
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE automations (
                id          TEXT    NOT NULL PRIMARY KEY,
                entity      TEXT    NOT NULL,
                scope_key   TEXT    NOT NULL,
                name        TEXT    NOT NULL,
                event_type  INTEGER NOT NULL,
                collection  TEXT,
                enabled     INTEGER NOT NULL,
                revision    INTEGER NOT NULL,
                created_at  INTEGER NOT NULL,
                updated_at  INTEGER NOT NULL,
                body        TEXT    NOT NULL
            );
            CREATE UNIQUE INDEX ux_automations_scope_name ON automations (scope_key, name);
            CREATE INDEX ix_automations_candidates ON automations (scope_key, event_type, enabled);
            CREATE INDEX ix_automations_entity_name ON automations (entity, name, id);

            CREATE TABLE events (
                seq         INTEGER PRIMARY KEY,
                event_id    TEXT    NOT NULL UNIQUE,
                event_type  INTEGER NOT NULL,
                entity      TEXT    NOT NULL,
                occurred_at INTEGER NOT NULL,
                body        TEXT    NOT NULL
            );

            CREATE TABLE deliveries (
                seq              INTEGER PRIMARY KEY,
                id               TEXT    NOT NULL UNIQUE,
                event_seq        INTEGER NOT NULL REFERENCES events (seq),
                automation_id    TEXT    NOT NULL,
                automation_body  TEXT    NOT NULL,
                status           INTEGER NOT NULL,
                attempts         INTEGER NOT NULL,
                created_at       INTEGER NOT NULL,
                due_at           INTEGER NOT NULL,
                next_at          INTEGER NOT NULL,
                completed_at     INTEGER,
                last_error       TEXT,
                lease_token      TEXT,
                lease_expires_at INTEGER
            );
            CREATE INDEX ix_deliveries_queue ON deliveries (next_at, seq) WHERE status = 0;
            CREATE INDEX ix_deliveries_automation ON deliveries (automation_id, seq);
            CREATE INDEX ix_deliveries_automation_status ON deliveries (automation_id, status, seq);

            CREATE TABLE execution_history (
                seq             INTEGER PRIMARY KEY,
                id              TEXT    NOT NULL UNIQUE,
                delivery_id     TEXT    NOT NULL,
                automation_id   TEXT    NOT NULL,
                entity          TEXT    NOT NULL,
                event_id        TEXT    NOT NULL,
                event_type      INTEGER NOT NULL,
                at              INTEGER NOT NULL,
                attempt         INTEGER NOT NULL,
                status          INTEGER NOT NULL,
                target          TEXT,
                request_body    TEXT,
                response_status INTEGER,
                response_body   TEXT,
                error           TEXT,
                duration_ticks  INTEGER
            );
            CREATE INDEX ix_history_automation ON execution_history (automation_id, seq);
            CREATE INDEX ix_history_delivery ON execution_history (delivery_id, seq);
            """),
        (2, """
            CREATE TABLE webhook_integrations (
                id                       TEXT    NOT NULL PRIMARY KEY,
                entity                   TEXT    NOT NULL,
                name                     TEXT    NOT NULL,
                url                      TEXT    NOT NULL,
                signing_secret_name      TEXT,
                access_token_secret_name TEXT,
                signing_scheme           INTEGER NOT NULL,
                enabled                  INTEGER NOT NULL,
                disabled_reason          TEXT
            );
            CREATE UNIQUE INDEX ux_webhook_integrations_entity_name ON webhook_integrations (entity, name);

            CREATE TABLE secrets (
                id                  TEXT    NOT NULL PRIMARY KEY,
                entity              TEXT    NOT NULL,
                name                TEXT    NOT NULL,
                version             INTEGER NOT NULL,
                key_id              TEXT    NOT NULL,
                ciphertext          BLOB    NOT NULL,
                previous_key_id     TEXT,
                previous_ciphertext BLOB,
                previous_expires_at INTEGER,
                created_at          INTEGER NOT NULL,
                updated_at          INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX ux_secrets_entity_name ON secrets (entity, name);

            CREATE INDEX ix_history_automation_at ON execution_history (automation_id, at, seq);
            """),
        (3, """
            ALTER TABLE webhook_integrations ADD COLUMN failing_since INTEGER;
            """),
    ];

    public static int Latest => All[^1].Version;
}
