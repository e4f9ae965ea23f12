#include "store/schema.h"

#include <string_view>

namespace tessera::store {
namespace {

// Dialect tokens: {seq} an ever-increasing integer key (never reused), {blob} bytes, {int} a 64-bit integer, {without_rowid} after a
// table whose primary key is its only index (SQLite then keeps one B-tree, not
// a table plus an index).
// objects.seq is the cursor order: the store assigns it from counters, under
// the writer lock, so it only grows and is never reused, even after deletes.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value {int} NOT NULL
);
INSERT INTO counters (name, value) VALUES ('object_seq', 0);

CREATE TABLE objects (
  seq {int} PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  canonical_seq {int},
  type TEXT NOT NULL,
  created {int},
  modified {int} NOT NULL,
  added {int} NOT NULL,
  first_seen {int} NOT NULL,
  last_seen {int} NOT NULL,
  partners {int} NOT NULL,
  reports {int} NOT NULL,
  revoked INTEGER NOT NULL,
  warninglisted INTEGER NOT NULL
);
CREATE INDEX objects_type ON objects (type, seq);
CREATE INDEX objects_canonical ON objects (canonical_seq) WHERE canonical_seq IS NOT NULL;

CREATE TABLE object_versions (
  object_seq {int} NOT NULL,
  modified {int} NOT NULL,
  added {int} NOT NULL,
  revoked INTEGER NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (object_seq, modified)
){without_rowid};

CREATE TABLE observables (
  object_seq {int} NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  rdomain TEXT,
  ip_low {blob},
  ip_high {blob},
  PRIMARY KEY (object_seq, kind, value)
){without_rowid};
CREATE INDEX observables_value ON observables (value);
CREATE INDEX observables_rdomain ON observables (rdomain) WHERE rdomain IS NOT NULL;
CREATE INDEX observables_ip ON observables (ip_low, ip_high) WHERE ip_low IS NOT NULL;

CREATE TABLE names (
  object_seq {int} NOT NULL,
  name TEXT NOT NULL,
  folded TEXT NOT NULL,
  PRIMARY KEY (object_seq, name)
){without_rowid};
CREATE TABLE labels (
  object_seq {int} NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (object_seq, label)
){without_rowid};
CREATE INDEX labels_label ON labels (label);
CREATE TABLE markings (
  object_seq {int} NOT NULL,
  marking_ref TEXT NOT NULL,
  PRIMARY KEY (object_seq, marking_ref)
){without_rowid};
CREATE INDEX markings_ref ON markings (marking_ref);

CREATE TABLE identity_keys (
  key TEXT PRIMARY KEY,
  object_seq {int} NOT NULL
){without_rowid};

CREATE TABLE sources (
  id {seq},
  partner TEXT NOT NULL,
  file TEXT NOT NULL,
  format TEXT NOT NULL,
  UNIQUE (partner, file, format)
);
CREATE TABLE sharing_requests (
  id {seq},
  tlp TEXT NOT NULL,
  communities TEXT NOT NULL,
  recipients TEXT NOT NULL,
  distribution TEXT NOT NULL,
  sharing_group TEXT NOT NULL,
  UNIQUE (tlp, communities, recipients, distribution, sharing_group)
);
CREATE TABLE provenance (
  object_seq {int} NOT NULL,
  source_id {int} NOT NULL,
  position TEXT NOT NULL,
  submitted_id TEXT NOT NULL,
  first_received {int} NOT NULL,
  last_received {int} NOT NULL,
  reports {int} NOT NULL,
  run_id {int} NOT NULL,
  sharing_id {int} NOT NULL,
  PRIMARY KEY (object_seq, source_id, position, submitted_id)
){without_rowid};
CREATE INDEX provenance_source ON provenance (source_id, object_seq);

CREATE TABLE warnings (
  object_seq {int} NOT NULL,
  list TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (object_seq, list)
){without_rowid};

CREATE TABLE quarantine (
  id {seq},
  run_id {int} NOT NULL,
  partner TEXT NOT NULL,
  format TEXT NOT NULL,
  file TEXT NOT NULL,
  position TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw {blob} NOT NULL,
  truncated INTEGER NOT NULL,
  received {int} NOT NULL
);
CREATE INDEX quarantine_partner ON quarantine (partner, id);

CREATE TABLE ingest_runs (
  id {seq},
  partner TEXT NOT NULL,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  started {int} NOT NULL,
  finished {int} NOT NULL,
  status TEXT NOT NULL,
  records {int} NOT NULL,
  bytes {int} NOT NULL,
  new_objects {int} NOT NULL,
  updated {int} NOT NULL,
  duplicates {int} NOT NULL,
  merged {int} NOT NULL,
  quarantined {int} NOT NULL,
  errors {int} NOT NULL,
  message TEXT NOT NULL
);
)sql";

// Governance: who may read what (audiences), the registry of partners,
// communities and tokens, settings, and the audit chain.
// An audience is a set of keys: "*" (everyone, also unauthenticated), "p:NAME"
// (a partner), "c:NAME" (the members of a community, resolved when reading).
// A provenance record admits the readers of its audience until it expires.
// Records stored before governance get their contributor alone as audience.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE audiences (
  id {seq},
  members TEXT NOT NULL UNIQUE
);
CREATE TABLE audience_members (
  member TEXT NOT NULL,
  audience_id {int} NOT NULL,
  PRIMARY KEY (member, audience_id)
){without_rowid};

ALTER TABLE provenance ADD COLUMN audience_id {int} NOT NULL DEFAULT 0;
ALTER TABLE provenance ADD COLUMN tlp TEXT NOT NULL DEFAULT '';
ALTER TABLE provenance ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
ALTER TABLE provenance ADD COLUMN expires {int};
INSERT INTO audiences (members) SELECT DISTINCT 'p:' || partner FROM sources;
INSERT INTO audience_members (member, audience_id) SELECT members, id FROM audiences;
UPDATE provenance SET audience_id = (SELECT a.id FROM sources s JOIN audiences a
  ON a.members = 'p:' || s.partner WHERE s.id = provenance.source_id);

ALTER TABLE objects ADD COLUMN valid_until {int};
ALTER TABLE objects ADD COLUMN personal_data INTEGER NOT NULL DEFAULT 0;

CREATE TABLE object_ends (
  object_seq {int} NOT NULL,
  end_id TEXT NOT NULL,
  PRIMARY KEY (object_seq, end_id)
){without_rowid};

CREATE TABLE partners (
  name TEXT PRIMARY KEY,
  identity_id TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  default_tlp TEXT NOT NULL,
  default_communities TEXT NOT NULL,
  anonymous INTEGER NOT NULL,
  recognition INTEGER NOT NULL,
  retention_days {int},
  personal_data INTEGER NOT NULL,
  created {int} NOT NULL
);
CREATE TABLE communities (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  confidential INTEGER NOT NULL,
  created {int} NOT NULL
);
CREATE TABLE community_members (
  community TEXT NOT NULL,
  partner TEXT NOT NULL,
  joined {int} NOT NULL,
  PRIMARY KEY (community, partner)
);
CREATE INDEX community_members_partner ON community_members (partner, community);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  partner TEXT NOT NULL,
  roles TEXT NOT NULL,
  hash {blob} NOT NULL,
  description TEXT NOT NULL,
  created {int} NOT NULL,
  expires {int},
  revoked {int}
);
CREATE INDEX tokens_partner ON tokens (partner);
CREATE TABLE retention_rules (
  type TEXT PRIMARY KEY,
  days {int} NOT NULL
);
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE audit_log (
  seq {int} PRIMARY KEY,
  time {int} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
)sql";

std::string Expand(std::string_view text, sql::Dialect dialect) {
  const bool pg = dialect == sql::Dialect::kPostgres;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      std::string_view token = text.substr(i + 1, close - i - 1);
      if (token == "seq") {
        out.append(pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
      } else if (token == "without_rowid") {
        out.append(pg ? "" : " WITHOUT ROWID");
      } else if (token == "blob") {
        out.append(pg ? "BYTEA" : "BLOB");
      } else {
        out.append(pg ? "BIGINT" : "INTEGER");
      }
      i = close;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<Migration> Migrations(sql::Dialect dialect) {
  return {
      {1, "objects, versions, observables, names, provenance, warnings, quarantine, runs",
       Expand(kVersion1, dialect)},
      {2, "governance: audiences, partners, communities, tokens, retention, settings, audit log",
       Expand(kVersion2, dialect)},
  };
}

}  // namespace tessera::store
