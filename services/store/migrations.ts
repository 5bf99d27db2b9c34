// Data: the schema's history, one entry per version, appended to and never edited; exempt from the 400-line rule.
/**
 * Versioned schema migrations, applied in order inside one transaction each.
 * Never edit a released migration: add a new one.
 */
export const MIGRATIONS: { version: number; sql: string }[] = [
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
  {
    version: 4,
    sql: `
      -- Victim data at rest (issue 5): request contents and responses are encrypted with a
      -- key per case, wrapped by the node's data key. Destroying the key erases the case.
      CREATE TABLE case_keys (
        request_id TEXT PRIMARY KEY,
        wrapped BLOB,
        nonce BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        destroyed_at INTEGER
      );
      ALTER TABLE requests ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE transitions ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 5,
    sql: `
      -- Append-only audit log (issue 5): who read or erased a case's contents, and when.
      -- Each row carries the hash of the previous one, so a removed or edited row shows.
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        roles TEXT NOT NULL,
        action TEXT NOT NULL,
        request_id TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_request ON audit_log (request_id, seq);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 6,
    sql: `
      -- Attachments (issue 5): documents of a request, on both nodes. File name and content
      -- are encrypted with the case key (sealed = 1), so erasing the case erases them too.
      CREATE TABLE attachments (
        request_id TEXT NOT NULL REFERENCES requests (id),
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        file_name BLOB NOT NULL,
        media_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        content BLOB NOT NULL,
        sealed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (request_id, id)
      );
    `,
  },
  {
    version: 7,
    sql: `
      -- The relay's "never overtake an unpublished envelope" check, without a scan per row
      -- (20,000 queued envelopes: 1.2 s per query before, a few ms after).
      CREATE INDEX outbox_unpublished ON outbox (destination, seq, next_attempt_at) WHERE last_published_at IS NULL;
    `,
  },
  {
    version: 8,
    sql: `
      -- Signature verdicts stored with what they were checked against (a receipt or a step
      -- received from a peer). Rows from before this version were never recorded as checked.
      ALTER TABLE receipts ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE receipts ADD COLUMN verified_kid TEXT NOT NULL DEFAULT '';
      ALTER TABLE receipts ADD COLUMN checked_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE receipts ADD COLUMN verdict_detail TEXT NOT NULL DEFAULT 'recorded before signature verdicts were stored';
      ALTER TABLE transitions ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE transitions ADD COLUMN verified_kid TEXT NOT NULL DEFAULT '';
      ALTER TABLE transitions ADD COLUMN checked_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE transitions ADD COLUMN verdict_detail TEXT NOT NULL DEFAULT '';
      -- The shared timeline (docs/protocol.md §19): position assigned by the requested state,
      -- 0 for a proposal not yet ordered; the state of a proposal; the requested state's
      -- envelope that ordered a proposal.
      ALTER TABLE transitions ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE transitions ADD COLUMN state TEXT NOT NULL DEFAULT 'ordered';
      ALTER TABLE transitions ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE transitions ADD COLUMN order_sha256 BLOB;
      UPDATE transitions SET seq = (SELECT COUNT(*) FROM transitions t WHERE t.request_id = transitions.request_id AND t.rowid <= transitions.rowid);
      CREATE INDEX transitions_order ON transitions (order_id) WHERE order_id <> '';
      -- Steps received ahead of their turn (a later position, or before their request): applied
      -- in order once what comes before them is there.
      CREATE TABLE held_steps (
        envelope_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        sender TEXT NOT NULL,
        bytes BLOB NOT NULL,
        body BLOB NOT NULL,
        sender_kid TEXT NOT NULL,
        accept_reply BLOB NOT NULL,
        refuse_reply BLOB,
        held_at INTEGER NOT NULL
      );
      CREATE INDEX held_steps_request ON held_steps (request_id, seq);
    `,
  },
  {
    version: 9,
    sql: `
      -- ListRequests with updated_since (an integrator polling for what changed) without a scan.
      CREATE INDEX requests_updated ON requests (updated_at);
    `,
  },
  {
    version: 10,
    sql: `
      -- Free text is case content (issue 11): the subject and step notes are encrypted with the
      -- case key in these columns (the clear columns are emptied by the store, which holds the
      -- data key). Timeline lines no longer carry a step's note: it is cut from earlier lines.
      ALTER TABLE requests ADD COLUMN subject_sealed BLOB;
      ALTER TABLE transitions ADD COLUMN note_sealed BLOB;
      UPDATE timeline SET detail = substr(detail, 1, instr(detail, ' (') - 1) || substr(detail, -56)
        WHERE type = 'proposed' AND instr(detail, ' (') > 0 AND detail LIKE '%: proposed to __, which orders the steps of this request';
      UPDATE timeline SET detail = substr(detail, 1, instr(detail, ' (') - 1)
        WHERE type = 'transition' AND instr(detail, ' (') > 0 AND detail NOT LIKE '%: case data erased at this node (retention period of % days ended)';
    `,
  },
  {
    version: 11,
    sql: `
      -- Every read is audited with the classes of the fields it returned (issue 11): a
      -- comma-separated subset of identity, sensitive, metadata (services/requests/field-classes.ts).
      ALTER TABLE audit_log ADD COLUMN fields TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 12,
    sql: `
      -- Bilateral erasure (docs/protocol.md §21): a legal hold recorded at this node, and what
      -- became of the other state's copy (requested, erased, legal_hold, asked_by_peer).
      ALTER TABLE requests ADD COLUMN legal_hold TEXT NOT NULL DEFAULT '';
      ALTER TABLE requests ADD COLUMN peer_erasure TEXT NOT NULL DEFAULT '';
      ALTER TABLE requests ADD COLUMN peer_erasure_reason TEXT NOT NULL DEFAULT '';
      -- Envelopes this node sent about a request that are neither the request nor a step
      -- (an erasure, an erasure answer): their receipts are matched here.
      CREATE TABLE sent_envelopes (
        envelope_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        sha256 BLOB NOT NULL
      );
    `,
  },
  {
    version: 13,
    sql: `
      -- A held step's decoded body carries its note: sealed with the case key (sealed = 1) like
      -- the rows it becomes. Bodies held before this version stay as they are (sealed = 0).
      ALTER TABLE held_steps ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 14,
    sql: `
      -- A victim withdrew her consent (docs/protocol.md §21.4): her identity data is erased
      -- from the contents ('erased'), or kept restricted under a legal ground ('restricted'):
      -- the full contents move, sealed as they were, to restricted_payload and
      -- restricted_response, which no read path opens. peer_consent is the other state's answer.
      ALTER TABLE requests ADD COLUMN consent_withdrawal TEXT NOT NULL DEFAULT '';
      ALTER TABLE requests ADD COLUMN consent_legal_ground TEXT NOT NULL DEFAULT '';
      ALTER TABLE requests ADD COLUMN consent_withdrawn_at INTEGER;
      ALTER TABLE requests ADD COLUMN peer_consent TEXT NOT NULL DEFAULT '';
      ALTER TABLE requests ADD COLUMN peer_consent_reason TEXT NOT NULL DEFAULT '';
      ALTER TABLE requests ADD COLUMN restricted_payload BLOB;
      ALTER TABLE transitions ADD COLUMN restricted_response BLOB;
      -- The documents of a request about the victim herself, kept restricted: not served.
      ALTER TABLE attachments ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 15,
    sql: `
      -- Attachment ciphertext received in parts on a sender's lane (docs/protocol.md §18.4),
      -- held until the request that names them is applied (then deleted), or for at most an
      -- envelope lifetime. A part is keyed by its sender's lane and its id: a copy changes nothing.
      CREATE TABLE attachment_parts (
        sender TEXT NOT NULL,
        request_id TEXT NOT NULL,
        attachment_id TEXT NOT NULL,
        offset INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (sender, request_id, attachment_id, offset)
      );
      CREATE INDEX attachment_parts_age ON attachment_parts (received_at);
      CREATE INDEX attachment_parts_request ON attachment_parts (request_id);
    `,
  },
];
