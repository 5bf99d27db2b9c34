/**
 * Versioned schema migrations, applied in order inside one transaction each.
 * Never edit a released migration: add a new one (versions 1 to 3 are in migrations-early.ts).
 */
import { EARLY_MIGRATIONS } from './migrations-early.js';

export const MIGRATIONS: { version: number; sql: string }[] = [
  ...EARLY_MIGRATIONS,
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
  {
    version: 16,
    sql: `
      -- Cases and linked requests (docs/protocol.md §25). A case groups requests under the
      -- sending state's case reference: owner is this node for its own cases, the sender for
      -- a case an inbound request named. Its title is case content, sealed with a key of its
      -- own in case_keys (row "case:<id>"). parent_id is the request a request follows up on;
      -- handling holds its use restrictions (codes, comma-separated, from the signed body).
      CREATE TABLE cases (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        reference TEXT NOT NULL,
        title BLOB,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (owner, reference)
      );
      ALTER TABLE requests ADD COLUMN case_id TEXT;
      ALTER TABLE requests ADD COLUMN parent_id TEXT;
      ALTER TABLE requests ADD COLUMN handling TEXT NOT NULL DEFAULT '';
      CREATE INDEX requests_case ON requests (case_id);
      CREATE INDEX requests_parent ON requests (parent_id);
    `,
  },
  {
    version: 17,
    sql: `
      -- The SHA-256 of each attachment in clear, computed by the node at submit and at receive,
      -- sealed with the case key like the file name (it can confirm a guessed document). Rows
      -- from before this version have none (NULL).
      ALTER TABLE attachments ADD COLUMN sha256 BLOB;
    `,
  },
  {
    version: 18,
    sql: `
      -- Statistics (docs/protocol.md, "Statistics"): one row of plain coded values per request, written
      -- with the request at submit and at receipt; no identity, no birth date, no free text.
      -- Times are kept while the case lives, to compute process indicators.
      CREATE TABLE stats_rows (
        request_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        direction TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        period TEXT NOT NULL,
        sex TEXT NOT NULL,
        age_group TEXT NOT NULL,
        nationality TEXT NOT NULL,
        forms TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT '',
        outcome_ground TEXT NOT NULL DEFAULT '',
        started_at INTEGER NOT NULL,
        ack_at INTEGER,
        final_at INTEGER
      );
      -- What an erased case leaves: its coded values counted, never linked to the case (no
      -- request id, no times, the period a month; process figures as whole working days).
      CREATE TABLE stats_tally (
        kind TEXT NOT NULL,
        direction TEXT NOT NULL,
        counterpart TEXT NOT NULL,
        period TEXT NOT NULL,
        status TEXT NOT NULL,
        sex TEXT NOT NULL,
        age_group TEXT NOT NULL,
        nationality TEXT NOT NULL,
        forms TEXT NOT NULL,
        outcome TEXT NOT NULL,
        outcome_ground TEXT NOT NULL,
        ack_days INTEGER NOT NULL,
        final_days INTEGER NOT NULL,
        within_deadline INTEGER NOT NULL,
        n INTEGER NOT NULL,
        UNIQUE (kind, direction, counterpart, period, status, sex, age_group, nationality, forms, outcome, outcome_ground, ack_days, final_days, within_deadline)
      );
    `,
  },
  {
    version: 19,
    sql: `
      -- Per-sender order (docs/protocol.md §24). lanes_out: this node's counter per destination,
      -- the last lane_seq it assigned in the epoch it chose when the row was created.
      CREATE TABLE lanes_out (destination TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL);
      -- lanes_in: per sender and epoch, the next lane_seq to apply; gap_since is when an envelope
      -- past it was first held (NULL while nothing is held).
      CREATE TABLE lanes_in (sender TEXT NOT NULL, epoch TEXT NOT NULL, next_seq INTEGER NOT NULL, gap_since INTEGER, PRIMARY KEY (sender, epoch));
      -- Envelopes that arrived ahead of their turn, kept sealed as received until the gap fills.
      CREATE TABLE lanes_held (
        sender TEXT NOT NULL,
        epoch TEXT NOT NULL,
        seq INTEGER NOT NULL,
        envelope_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        bytes BLOB NOT NULL,
        held_at INTEGER NOT NULL,
        PRIMARY KEY (sender, epoch, seq)
      );
    `,
  },
  {
    version: 20,
    sql: `
      -- The grounds people type about a case's protection are case content (docs/protocol.md
      -- §21): sealed with the case key like a subject; the clear column keeps only a mark that
      -- there is one (free-text.ts). Grounds written before are sealed at the next start.
      ALTER TABLE requests ADD COLUMN legal_hold_sealed BLOB;
      ALTER TABLE requests ADD COLUMN peer_erasure_reason_sealed BLOB;
      ALTER TABLE requests ADD COLUMN consent_legal_ground_sealed BLOB;
      ALTER TABLE requests ADD COLUMN peer_consent_reason_sealed BLOB;
    `,
  },
  {
    version: 21,
    sql: `
      -- A timeline event in words a client translates (issue 17): a stable code and its
      -- parameters (JSON object of strings: country, authority, key id, action, reason code),
      -- beside the English detail kept for API users and logs. Rows written before have none.
      ALTER TABLE timeline ADD COLUMN code TEXT NOT NULL DEFAULT '';
      ALTER TABLE timeline ADD COLUMN params TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    // Number 22 was set aside for a change that needed none; kept empty so that the numbers stay contiguous (the store refuses gaps).
    version: 22,
    sql: '',
  },
  {
    version: 23,
    sql: `
      -- Network statistics (docs/protocol.md §27): the aggregate records found in the registry,
      -- one per country and quarter (the latest revision), with the verdict of their check.
      -- Counts only: a record never holds anything finer than the agreed tables.
      CREATE TABLE stats_records (
        country TEXT NOT NULL,
        quarter TEXT NOT NULL,
        jws TEXT NOT NULL,
        revision INTEGER NOT NULL,
        accepted INTEGER NOT NULL,
        reason_code TEXT NOT NULL,
        signed_at INTEGER NOT NULL,
        checked_at INTEGER NOT NULL,
        PRIMARY KEY (country, quarter)
      );
    `,
  },
  {
    version: 24,
    sql: `
      -- Process indicators grouped in SQL (docs/protocol.md §27.1): the working days to the
      -- acknowledgement and to the final answer, computed once when the step is recorded instead of
      -- on every read (-1: not yet). Rows written before are filled with the same rule (stats.ts,
      -- workingDaysSql: weekdays Monday to Friday on UTC dates, day 0 of 1970 a Thursday).
      ALTER TABLE stats_rows ADD COLUMN ack_days INTEGER NOT NULL DEFAULT -1;
      ALTER TABLE stats_rows ADD COLUMN final_days INTEGER NOT NULL DEFAULT -1;
      UPDATE stats_rows SET ack_days = max(0, (5 * ((ack_at / 86400000 + 4) / 7) + min((ack_at / 86400000 + 4) % 7, 5)) - (5 * ((started_at / 86400000 + 4) / 7) + min((started_at / 86400000 + 4) % 7, 5)))
        WHERE ack_at IS NOT NULL;
      UPDATE stats_rows SET final_days = max(0, (5 * ((final_at / 86400000 + 4) / 7) + min((final_at / 86400000 + 4) % 7, 5)) - (5 * ((started_at / 86400000 + 4) / 7) + min((started_at / 86400000 + 4) % 7, 5)))
        WHERE final_at IS NOT NULL;
    `,
  },
];
