// The store: STIX 2.1 objects with their versions, their provenance (which
// partner sent what, when, from which file and position), the sharing request
// of each submission, warninglist flags, quarantined records and ingest runs.
// Objects are deduplicated across partners on the way in (docs/STORE.md has the
// merge rules). OpenStore picks the backend from a URL: a file path or
// `sqlite:PATH` (embedded SQLite, the default) or `postgresql://...`.
// A Store object belongs to one thread at a time; several processes may share
// one database (writers are serialized per batch).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "stix/bundle.h"

namespace tessera::store {

namespace sql {
class Connection;
}

// Microseconds since 1970-01-01T00:00:00Z; the store's time unit.
using Micros = int64_t;

// Where a batch came from: one partner, one source, one ingest run.
struct Source {
  std::string partner;  // the contributing partner's name
  std::string format;   // the reader that produced the objects ("stix", "misp", ...)
  std::string file;     // the file, feed or URL the batch was read from
  int64_t run_id = 0;   // the ingest run (BeginRun), or 0
  Micros received = 0;  // when the hub received the data
};

// What the submitter asked about sharing; governance decides on it.
struct SharingRequest {
  std::string tlp;                       // "clear", "green", "amber", "amber+strict", "red" or empty
  std::vector<std::string> communities;  // community names
  std::vector<std::string> recipients;   // partner names (TLP:RED)
  std::string distribution;              // MISP distribution, when the source said
  std::string sharing_group;             // MISP sharing group, when the source said
};

// What governance decided for a submission: who may read it and until when.
// An audience key is "*" (everyone, also unauthenticated readers), "p:NAME"
// (a partner) or "c:NAME" (whoever is a member of the community when reading).
struct SharingDecision {
  std::string tlp;                 // the effective TLP 2.0 level ("" when undecided)
  std::vector<std::string> audience;  // empty: the contributing partner alone
  bool anonymous = false;          // the contributor appears under a pseudonym
  std::optional<Micros> expires;   // leaves dissemination at this time
  bool personal_data = false;      // the submitter marked the object as personal data
};

// Whose view a read is. Everything: the operator's unrestricted view.
// Otherwise a reader is admitted by the audience keys it holds (governance
// makes them: its partner, its communities, "*"), and sees a record only while
// the record has not expired. governance::Policy builds Scopes; nothing else
// should.
struct Scope {
  bool everything = true;
  std::vector<std::string> keys;
  std::string partner;  // the reading partner; "" for the public view
  Micros now = 0;       // the time expiry is judged at

  static Scope Everything() { return Scope{}; }
};

// A warninglist the object's value is on ("known benign"): flagged, not dropped.
struct WarninglistHit {
  std::string list;
  std::string reason;
};

// One object as a partner submitted it.
struct Submission {
  stix::StixObject object;  // valid STIX 2.1; json is the whole object
  // Where in Source::file: ":12" (line), "@byte 3456", " (record 7)", or
  // "other-file:12" for a file inside a folder layout (a MISP feed).
  std::string position;
  SharingRequest sharing;
  SharingDecision decision;
  std::vector<WarninglistHit> warnings;
};

// A record a reader could not map, kept with its bytes for `quarantine retry`.
struct Rejection {
  std::string position;  // as in Submission
  std::string reason;
  std::string raw;  // the record's bytes (possibly cut; see truncated)
  bool truncated = false;
};

struct Batch {
  Source source;
  std::vector<Submission> objects;
  std::vector<Rejection> rejected;
  // Quarantine entries this batch resolves (`quarantine retry`): dropped in
  // the same transaction, so a crash cannot leave both the entry and its objects.
  std::vector<int64_t> resolves_quarantined;
};

// What a batch changed. Every submitted object counts once in new_objects,
// updated or duplicates.
struct PutStats {
  uint64_t new_objects = 0;  // a logical object the store did not have
  uint64_t updated = 0;      // a new version, or new properties of an SCO
  uint64_t duplicates = 0;   // nothing new; provenance and last-seen updated
  uint64_t merged = 0;       // of the duplicates: identified with an object of another id
  uint64_t quarantined = 0;

  PutStats& operator+=(const PutStats& other);
};

// One version of an object as stored.
struct StoredObject {
  int64_t seq = 0;           // the object's place in the store's order (cursors)
  std::string id;            // the canonical id (the one a merged id resolves to)
  std::string type;
  std::string json;          // this version, as submitted
  Micros modified = 0;       // 0 for objects without `modified` (SCOs)
  Micros added = 0;          // when this version was first stored
  Micros first_seen = 0;     // the object's aggregates (all versions, all partners)
  Micros last_seen = 0;
  bool revoked = false;
  bool latest = false;       // this is the object's current version
  bool personal_data = false;  // a submitter marked the object as personal data
};

// A time window, inclusive at both ends; an unset end is open.
struct TimeRange {
  std::optional<Micros> from;
  std::optional<Micros> to;
  bool empty() const { return !from && !to; }
};

// A search over the latest versions of canonical objects. Every set filter must
// hold (AND); lists inside one filter are alternatives (OR).
struct Query {
  std::vector<std::string> types;
  std::string value;      // exact canonical observable value (SCOs, and STIX-pattern indicators)
  std::string domain;     // this domain and every name under it
  std::string inside;     // addresses and networks inside this CIDR (or address)
  std::string containing; // networks (and addresses) that contain this address
  TimeRange created, modified, added, first_seen, last_seen;
  std::vector<std::string> partners;  // reported by any of these partners
  std::vector<std::string> markings;  // has any of these marking-definition ids
  std::string label;                  // has this label
  std::string text;                   // name or alias contains this (case-insensitive)
  bool include_revoked = false;
  bool include_warninglisted = true;  // false: leave out objects on a warninglist
  std::string cursor;                 // from Page::next; empty: from the start
  size_t limit = 100;                 // at most kMaxPageSize
};

inline constexpr size_t kMaxPageSize = 10'000;

struct Page {
  std::vector<StoredObject> objects;
  std::string next;  // the cursor of the following page; empty when this was the last
};

// One source record of an object: who sent it from where, and how often.
struct ProvenanceRecord {
  std::string partner;
  std::string format;
  std::string file;
  std::string position;
  std::string submitted_id;  // the id the partner used (differs when merged)
  Micros first_received = 0;
  Micros last_received = 0;
  uint64_t reports = 0;  // times this record was ingested
  int64_t run_id = 0;    // the latest run that reported it
  SharingRequest sharing;
  SharingDecision decision;
};

struct Aggregates {
  Micros first_seen = 0;  // first received from any partner
  Micros last_seen = 0;
  uint64_t partners = 0;  // distinct partners that reported it
  uint64_t reports = 0;   // reports over all partners and runs
  std::vector<std::string> merged_ids;  // other ids identified with this object
  std::vector<WarninglistHit> warnings;
};

struct QuarantineEntry {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string partner;
  std::string format;
  std::string file;
  std::string position;
  std::string reason;
  std::string raw;
  bool truncated = false;
  Micros received = 0;
};

struct QuarantineFilter {
  std::string partner;  // empty: all
  int64_t run_id = 0;   // 0: all
  int64_t after_id = 0; // entries with a larger id (pagination)
  size_t limit = 100;
};

struct IngestRun {
  int64_t id = 0;
  std::string partner;
  std::string source;  // files or URLs, as given
  std::string format;
  Micros started = 0;
  Micros finished = 0;           // 0 while running (or when the process died)
  std::string status = "running";  // running, done, failed
  uint64_t records = 0;
  uint64_t bytes = 0;
  PutStats stats;
  uint64_t errors = 0;
  std::string message;  // the error that ended a failed run
};

struct StoreStats {
  int schema_version = 0;
  std::string backend;  // "sqlite" or "postgresql"
  std::vector<std::pair<std::string, uint64_t>> objects_by_type;
  uint64_t objects = 0;  // canonical objects
  uint64_t merged = 0;   // ids merged into another object
  uint64_t versions = 0;
  uint64_t provenance = 0;
  uint64_t partners = 0;
  uint64_t quarantined = 0;
  uint64_t runs = 0;
  uint64_t warninglisted = 0;
};

// What Store::Purge removed.
struct PurgeStats {
  uint64_t reports = 0;   // provenance records past their expiry
  uint64_t objects = 0;   // canonical objects no report kept, or past valid_until
  uint64_t versions = 0;  // their stored versions (merged ids' included)
};

struct OpenOptions {
  // Create the database and apply pending migrations. When false, a database
  // without the current schema is an error (read-only commands)...
  bool migrate = true;
  // ...unless this is false too: then any schema version opens (`db migrate`
  // and `db check` look at an outdated database).
  bool require_current_schema = true;
};

// The schema version this build writes.
int CurrentSchemaVersion();

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores a batch in one transaction: all of it or, on error, none of it.
  core::Result<PutStats> Put(const Batch& batch);

  // Reads take the reader's Scope (default: the operator's, everything). What a
  // scope does not admit is absent: a refused read looks like a missing object,
  // and counts, aggregates and provenance include only what it admits.

  // An object by id (a merged id resolves to its canonical object): the latest
  // version, or the version whose `modified` is `modified`. nullopt: unknown.
  // A restricted reader admitted only through another partner's merged object
  // gets that partner's body (never one it was not given).
  core::Result<std::optional<StoredObject>> Get(std::string_view id,
                                                std::optional<Micros> modified = {},
                                                const Scope& scope = {});
  // Every version, oldest first.
  core::Result<std::vector<StoredObject>> Versions(std::string_view id, const Scope& scope = {});
  // Whether the id (or the object it was merged into) is stored and the scope
  // sees it.
  core::Result<bool> Exists(std::string_view id, const Scope& scope = {});

  core::Result<Page> Search(const Query& query, const Scope& scope = {});
  core::Result<uint64_t> Count(const Query& query, const Scope& scope = {});

  core::Result<std::vector<ProvenanceRecord>> Provenance(std::string_view id,
                                                         const Scope& scope = {});
  core::Result<std::optional<Aggregates>> AggregatesOf(std::string_view id,
                                                       const Scope& scope = {});

  core::Result<std::vector<QuarantineEntry>> ListQuarantine(const QuarantineFilter& filter);
  core::Result<std::optional<QuarantineEntry>> GetQuarantined(int64_t id);
  core::Result<bool> DropQuarantined(int64_t id);

  // Ingest runs: BeginRun commits at once, so a killed run is still listed.
  core::Result<int64_t> BeginRun(const IngestRun& run);
  core::Status FinishRun(const IngestRun& run);
  core::Result<std::vector<IngestRun>> Runs(size_t limit);

  core::Result<int> SchemaVersion();
  // Applies pending migrations; returns how many.
  core::Result<int> Migrate();
  // Integrity problems found (empty: clean): the engine's own check plus the
  // store's invariants (every object has its latest version, indexes point at
  // existing objects).
  core::Result<std::vector<std::string>> Check();
  core::Result<StoreStats> Stats(const Scope& scope = {});
  // Deletes reports whose expiry is at or before `cutoff`, then every object
  // no report keeps or whose valid_until is at or before `cutoff`.
  core::Result<PurgeStats> Purge(Micros cutoff);

  std::string_view backend() const;

 private:
  friend core::Result<std::unique_ptr<Store>> OpenStore(const std::string&, const OpenOptions&);
  friend class Registry;
  sql::Connection& connection();
  class Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Opens a store: "postgresql://..." or "postgres://..." (libpq; also any
// libpq "key=value" string after "postgresql:"), "sqlite:PATH", or a path.
core::Result<std::unique_ptr<Store>> OpenStore(const std::string& url,
                                               const OpenOptions& options = {});

// The default database: $TESSERA_DB, else $XDG_DATA_HOME/tessera/tessera.db,
// else ~/.local/share/tessera/tessera.db.
std::string DefaultStoreUrl();

// The current time.
Micros NowMicros();

// Parses a STIX timestamp into Micros (sub-microsecond digits are dropped).
core::Result<Micros> ParseMicros(std::string_view stix_timestamp);
// Formats Micros as a STIX timestamp with milliseconds (or microseconds when
// the value has them).
std::string FormatMicros(Micros micros);

}  // namespace tessera::store
