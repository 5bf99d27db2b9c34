/**
 * The schema's first three versions: requests, their timeline, the outbox, the
 * de-duplication log, receipts and the quarantine (1); the registry's logs, entries and
 * descriptors (2); the lifecycle and its steps (3). Never edited; see migrations.ts.
 */
export const EARLY_MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE requests (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
        from_addr TEXT NOT NULL,
        to_addr TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        payload BLOB NOT NULL,
        payload_type TEXT NOT NULL,
        sender_reference TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('submitted', 'delivered', 'received', 'failed')),
        failure_reason TEXT NOT NULL DEFAULT '',
        idempotency_key TEXT,
        request_hash BLOB,
        envelope BLOB NOT NULL,
        envelope_sha256 BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX requests_idempotency ON requests (idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX requests_listing ON requests (direction, status, counterpart, seq);

      CREATE TABLE timeline (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL REFERENCES requests (id),
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX timeline_request ON timeline (request_id, seq);

      -- Envelopes waiting to be published (requests until their receipt, receipts until published).
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        envelope_id TEXT NOT NULL UNIQUE,
        destination TEXT NOT NULL,
        kind TEXT NOT NULL,
        bytes BLOB NOT NULL,
        expects_receipt INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_published_at INTEGER,
        last_error TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at, seq);

      -- Permanent de-duplication: an envelope id is accepted once, ever.
      CREATE TABLE inbox_dedup (
        envelope_id TEXT PRIMARY KEY,
        sha256 BLOB NOT NULL,
        sender TEXT NOT NULL,
        kind TEXT NOT NULL,
        accepted_at INTEGER NOT NULL,
        receipt_bytes BLOB,
        duplicates INTEGER NOT NULL DEFAULT 0,
        last_duplicate_at INTEGER
      );

      CREATE TABLE receipts (
        receipt_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        signer_country TEXT NOT NULL,
        signer_kid TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
        reason_code TEXT NOT NULL DEFAULT '',
        received_at INTEGER NOT NULL,
        envelope_sha256 BLOB NOT NULL,
        matches_sent INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        stored_at INTEGER NOT NULL
      );
      CREATE INDEX receipts_request ON receipts (request_id);

      -- Messages that failed to open or to apply: kept as evidence, never shown as requests.
      CREATE TABLE quarantine (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        code TEXT NOT NULL,
        envelope_id TEXT NOT NULL DEFAULT '',
        from_addr TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        sha256 BLOB NOT NULL,
        bytes BLOB NOT NULL,
        rejection_receipt_id TEXT NOT NULL DEFAULT ''
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- Registry (services/registry): every country's signed change log, as received and verified.
      CREATE TABLE registry_log (
        country TEXT NOT NULL,
        seq INTEGER NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        signer_kid TEXT NOT NULL,
        by TEXT NOT NULL,
        at INTEGER NOT NULL,
        jws TEXT NOT NULL,
        kv_revision INTEGER NOT NULL DEFAULT 0,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (country, seq)
      );

      -- The current state of every entry, derived from the logs (the search cache).
      CREATE TABLE registry_entries (
        country TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('contact', 'country')),
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
        data TEXT NOT NULL,
        seq INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (country, type, id)
      );

      -- Every node descriptor this node accepted, from its trust folder or from the registry.
      CREATE TABLE registry_descriptors (
        country TEXT NOT NULL,
        serial INTEGER NOT NULL,
        status TEXT NOT NULL,
        jws TEXT NOT NULL,
        source TEXT NOT NULL,
        accepted_at INTEGER NOT NULL,
        PRIMARY KEY (country, serial)
      );

      -- Records that failed verification: kept as evidence, never used or shown as entries.
      CREATE TABLE rejected_registry_records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        kv_key TEXT NOT NULL,
        kv_revision INTEGER NOT NULL DEFAULT 0,
        code TEXT NOT NULL,
        detail TEXT NOT NULL,
        claimed_country TEXT NOT NULL DEFAULT '',
        sha256 TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (kv_key, sha256)
      );

      CREATE TABLE registry_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    sql: `
      -- Lifecycle (issue 5): more statuses, urgency, extradition stage, deadlines.
      -- SQLite cannot change a CHECK constraint in place, so the table is rebuilt
      -- (migrate() turns foreign keys off around migrations, as SQLite documents).
      CREATE TABLE requests_v3 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
        from_addr TEXT NOT NULL,
        to_addr TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        payload BLOB NOT NULL,
        payload_type TEXT NOT NULL,
        sender_reference TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('submitted', 'delivered', 'received', 'acknowledged', 'in_progress',
          'information_requested', 'completed', 'partially_executed', 'refused', 'withdrawn', 'failed')),
        failure_reason TEXT NOT NULL DEFAULT '',
        idempotency_key TEXT,
        request_hash BLOB,
        envelope BLOB NOT NULL,
        envelope_sha256 BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        urgency TEXT NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
        stage TEXT NOT NULL DEFAULT '',
        received_at INTEGER,
        due_at INTEGER,
        paused_at INTEGER
      );
      INSERT INTO requests_v3 (seq, id, direction, from_addr, to_addr, counterpart, kind, subject, payload, payload_type,
        sender_reference, status, failure_reason, idempotency_key, request_hash, envelope, envelope_sha256, created_at, updated_at)
        SELECT seq, id, direction, from_addr, to_addr, counterpart, kind, subject, payload, payload_type,
        sender_reference, status, failure_reason, idempotency_key, request_hash, envelope, envelope_sha256, created_at, updated_at FROM requests;
      DROP TABLE requests;
      ALTER TABLE requests_v3 RENAME TO requests;
      CREATE UNIQUE INDEX requests_idempotency ON requests (idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX requests_listing ON requests (direction, status, counterpart, seq);
      CREATE INDEX requests_due ON requests (due_at) WHERE due_at IS NOT NULL;
      CREATE INDEX outbox_destination ON outbox (destination, seq);

      -- Lifecycle steps, by this node (origin local) or by the other node (origin remote),
      -- each one a signed status envelope kept as evidence.
      CREATE TABLE transitions (
        event_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL REFERENCES requests (id),
        origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
        action TEXT NOT NULL,
        status_after TEXT NOT NULL,
        stage TEXT NOT NULL DEFAULT '',
        stage_date TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        response BLOB,
        response_type TEXT NOT NULL DEFAULT '',
        actor_role TEXT NOT NULL DEFAULT '',
        at INTEGER NOT NULL,
        delivery TEXT NOT NULL CHECK (delivery IN ('pending', 'delivered', 'rejected', 'received')),
        reason_code TEXT NOT NULL DEFAULT '',
        envelope BLOB NOT NULL,
        envelope_sha256 BLOB NOT NULL
      );
      CREATE INDEX transitions_request ON transitions (request_id, at);
    `,
  },
];
