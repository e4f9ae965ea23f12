#include "store/store.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/json.h"
#include "core/time.h"
#include "store/object_index.h"
#include "store/schema.h"
#include "store/sql/connection.h"
#include "store/sql/util.h"

namespace tessera::store {
namespace {

using core::Error;
using core::ErrorCode;
using core::MakeError;
using core::Result;
using core::Status;
using sql::Done;
using sql::JsonArray;
using sql::ParseJsonArray;
using sql::StatementsReset;


// "a\nb" -> {"a", "b"}; "" -> {}.
std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}


// Adds to `base` every top-level member of `extra` it does not have. Returns
// whether anything was added.
bool MergeMissingMembers(const std::string& extra, std::string* base) {
  auto a = core::ParseJson(*base);
  auto b = core::ParseJson(extra);
  if (!a.ok() || !b.ok() || !a->is_object() || !b->is_object()) return false;
  bool added = false;
  for (const auto& [key, value] : b->as_object()) {
    if (a->Find(key) == nullptr) {
      a->Set(key, value);
      added = true;
    }
  }
  if (added) *base = core::WriteJson(*a);
  return added;
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// A version row: ReadStoredObject's columns.
constexpr std::string_view kSelectVersion =
    "SELECT o.seq, o.id, o.type, v.json, v.modified, v.added, v.revoked, o.modified, "
    "o.first_seen, o.last_seen, o.personal_data FROM objects o "
    "JOIN object_versions v ON v.object_seq = o.seq ";

StoredObject ReadStoredObject(const sql::Statement& s) {
  StoredObject object;
  object.seq = s.ColumnInt(0);
  object.id = std::string(s.ColumnText(1));
  object.type = std::string(s.ColumnText(2));
  object.json = std::string(s.ColumnText(3));
  object.modified = s.ColumnInt(4);
  object.added = s.ColumnInt(5);
  object.revoked = s.ColumnInt(6) != 0;
  object.latest = s.ColumnInt(4) == s.ColumnInt(7);
  object.first_seen = s.ColumnInt(8);
  object.last_seen = s.ColumnInt(9);
  object.personal_data = s.ColumnInt(10) != 0;
  return object;
}

// A query's WHERE clause with its parameters, bound in order.
struct Filter {
  std::string sql;
  struct Param {
    enum class Kind { kInt, kText, kBlob } kind;
    int64_t number = 0;
    std::string text;
  };
  std::vector<Param> params;

  void And(std::string_view condition) { sql.append(" AND ").append(condition); }
  void Int(int64_t value) { params.push_back({Param::Kind::kInt, value, {}}); }
  void Text(std::string value) { params.push_back({Param::Kind::kText, 0, std::move(value)}); }
  void Blob(std::string value) { params.push_back({Param::Kind::kBlob, 0, std::move(value)}); }

  void Bind(sql::Statement* s, int first = 0) const {
    int i = first;
    for (const Param& p : params) {
      switch (p.kind) {
        case Param::Kind::kInt: s->BindInt(i++, p.number); break;
        case Param::Kind::kText: s->BindText(i++, p.text); break;
        case Param::Kind::kBlob: s->BindBlob(i++, p.text); break;
      }
    }
  }
};

void AddTimeRange(std::string_view column, const TimeRange& range, Filter* f) {
  if (range.from) {
    f->And(std::string("o.").append(column).append(" >= ?"));
    f->Int(*range.from);
  }
  if (range.to) {
    f->And(std::string("o.").append(column).append(" <= ?"));
    f->Int(*range.to);
  }
}

void AddInList(std::string_view prefix, const std::vector<std::string>& values, Filter* f) {
  std::string condition(prefix);
  condition.append(" IN (");
  for (size_t i = 0; i < values.size(); ++i) {
    condition.append(i == 0 ? "?" : ", ?");
    f->Text(values[i]);
  }
  condition.append(")");
  f->And(condition);
}

// Whether a reader's scope admits provenance row `p`: the row's audience holds
// one of the reader's keys and the row has not expired. Appends its parameters.
std::string Admits(const Scope& scope, std::string_view p, Filter* f) {
  std::string c(p);
  c.append(".audience_id IN (SELECT am.audience_id FROM audience_members am WHERE am.member IN (");
  if (scope.keys.empty()) c.append("NULL");
  for (size_t i = 0; i < scope.keys.size(); ++i) {
    c.append(i == 0 ? "?" : ", ?");
    f->Text(scope.keys[i]);
  }
  c.append(")) AND (").append(p).append(".expires IS NULL OR ").append(p).append(".expires > ?)");
  f->Int(scope.now);
  return c;
}

// Whether the reader sees canonical object `o`: a report admits it, it is
// still valid, and every object it reveals (a relationship's ends, a
// sighting's refs) is admitted and valid too.
std::string Visible(const Scope& scope, Filter* f) {
  std::string c = "EXISTS (SELECT 1 FROM provenance vp WHERE vp.object_seq = o.seq AND ";
  c.append(Admits(scope, "vp", f));
  c.append(") AND (o.valid_until IS NULL OR o.valid_until > ?)");
  f->Int(scope.now);
  c.append(
      " AND NOT EXISTS (SELECT 1 FROM object_ends e WHERE e.object_seq = o.seq AND NOT EXISTS ("
      "SELECT 1 FROM objects eo JOIN objects ec ON ec.seq = coalesce(eo.canonical_seq, eo.seq) "
      "JOIN provenance ep ON ep.object_seq = ec.seq WHERE eo.id = e.end_id "
      "AND (ec.valid_until IS NULL OR ec.valid_until > ?) AND ");
  f->Int(scope.now);
  c.append(Admits(scope, "ep", f)).append("))");
  return c;
}

// An aggregate over the reports of `o` that admit the reader:
// "(SELECT min(ap.first_received) FROM provenance ap WHERE ...)".
std::string AdmittedAggregate(const Scope& scope, std::string_view expression, Filter* f) {
  std::string c("(SELECT ");
  c.append(expression).append(" FROM provenance ap WHERE ap.object_seq = o.seq AND ");
  c.append(Admits(scope, "ap", f)).append(")");
  return c;
}

// Search's select list: ReadStoredObject's columns, then whether the
// canonical object's own body is admitted. For a restricted reader first and
// last seen count only the reports it may see.
std::string SelectPage(const Scope& scope, Filter* f) {
  if (scope.everything) {
    return std::string(kSelectVersion).insert(kSelectVersion.find(" FROM"), ", 1");
  }
  std::string c =
      "SELECT o.seq, o.id, o.type, v.json, v.modified, v.added, v.revoked, o.modified, ";
  c.append(AdmittedAggregate(scope, "min(ap.first_received)", f)).append(", ");
  c.append(AdmittedAggregate(scope, "max(ap.last_received)", f)).append(", o.personal_data, ");
  c.append("CASE WHEN EXISTS (SELECT 1 FROM provenance bp WHERE bp.object_seq = o.seq AND "
           "bp.submitted_id = '' AND ");
  c.append(Admits(scope, "bp", f));
  c.append(") THEN 1 ELSE 0 END FROM objects o JOIN object_versions v ON v.object_seq = o.seq ");
  return c;
}

void AddSeenRange(const Scope& scope, std::string_view column, std::string_view aggregate,
                  const TimeRange& range, Filter* f) {
  if (scope.everything) return AddTimeRange(column, range, f);
  for (const auto& [bound, op] : {std::pair{range.from, " >= ?"}, std::pair{range.to, " <= ?"}}) {
    if (!bound) continue;
    f->sql.append(" AND ");
    f->sql.append(AdmittedAggregate(scope, aggregate, f)).append(op);
    f->Int(*bound);
  }
}

// Escapes LIKE wildcards; the pattern uses ESCAPE '\'.
std::string LikeContains(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  out.push_back('%');
  return out;
}

Result<Filter> BuildFilter(const Query& q, const Scope& scope) {
  Filter f;
  f.sql = "o.canonical_seq IS NULL";
  if (!scope.everything) f.And(Visible(scope, &f));
  if (!q.types.empty()) AddInList("o.type", q.types, &f);
  if (!q.value.empty()) {
    f.And("o.seq IN (SELECT ob.object_seq FROM observables ob WHERE ob.value = ?)");
    f.Text(q.value);
  }
  if (!q.domain.empty()) {
    std::string low = ReverseDomain(q.domain);
    std::string high = low;
    high.back() = '/';  // the character after '.'
    f.And("o.seq IN (SELECT ob.object_seq FROM observables ob "
          "WHERE ob.rdomain >= ? AND ob.rdomain < ?)");
    f.Text(std::move(low));
    f.Text(std::move(high));
  }
  if (!q.inside.empty()) {
    auto range = ParseIpRange(q.inside);
    if (!range) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "not an IP address or CIDR: " + q.inside, "--inside");
    }
    f.And("o.seq IN (SELECT ob.object_seq FROM observables ob "
          "WHERE ob.ip_low >= ? AND ob.ip_low <= ? AND ob.ip_high <= ?)");
    f.Blob(range->low);
    f.Blob(range->high);
    f.Blob(range->high);
  }
  if (!q.containing.empty()) {
    auto range = ParseIpRange(q.containing);
    if (!range) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "not an IP address or CIDR: " + q.containing, "--containing");
    }
    f.And("o.seq IN (SELECT ob.object_seq FROM observables ob "
          "WHERE ob.ip_low <= ? AND ob.ip_high >= ?)");
    f.Blob(range->low);
    f.Blob(range->high);
  }
  AddTimeRange("created", q.created, &f);
  AddTimeRange("modified", q.modified, &f);
  AddTimeRange("added", q.added, &f);
  AddSeenRange(scope, "first_seen", "min(ap.first_received)", q.first_seen, &f);
  AddSeenRange(scope, "last_seen", "max(ap.last_received)", q.last_seen, &f);
  if (!q.partners.empty()) {
    std::string condition =
        "EXISTS (SELECT 1 FROM provenance p JOIN sources s ON s.id = p.source_id "
        "WHERE p.object_seq = o.seq AND s.partner IN (";
    for (size_t i = 0; i < q.partners.size(); ++i) {
      condition.append(i == 0 ? "?" : ", ?");
      f.Text(q.partners[i]);
    }
    condition.append(")");
    if (!scope.everything) {
      // Only reports the reader sees, and an anonymous report only for its own author.
      condition.append(" AND ").append(Admits(scope, "p", &f));
      condition.append(" AND (p.anonymous = 0 OR s.partner = ?)");
      f.Text(scope.partner);
    }
    condition.append(")");
    f.And(condition);
  }
  if (!q.markings.empty()) {
    AddInList("EXISTS (SELECT 1 FROM markings m WHERE m.object_seq = o.seq AND m.marking_ref",
              q.markings, &f);
    f.sql.append(")");
  }
  if (!q.label.empty()) {
    f.And("EXISTS (SELECT 1 FROM labels l WHERE l.object_seq = o.seq AND l.label = ?)");
    f.Text(q.label);
  }
  if (!q.text.empty()) {
    f.And("EXISTS (SELECT 1 FROM names n WHERE n.object_seq = o.seq "
          "AND n.folded LIKE ? ESCAPE '\\')");
    f.Text(LikeContains(q.text));
  }
  if (!q.include_revoked) f.And("o.revoked = 0");
  if (!q.include_warninglisted) f.And("o.warninglisted = 0");
  return f;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

PutStats& PutStats::operator+=(const PutStats& other) {
  new_objects += other.new_objects;
  updated += other.updated;
  duplicates += other.duplicates;
  merged += other.merged;
  quarantined += other.quarantined;
  return *this;
}

int CurrentSchemaVersion() { return static_cast<int>(Migrations(sql::Dialect::kSqlite).size()); }

class Store::Impl {
 public:
  Impl(std::unique_ptr<sql::Connection> db, std::string backend)
      : db_(std::move(db)), backend_(std::move(backend)) {}

  std::string_view backend() const { return backend_; }
  sql::Connection& db() { return *db_; }

  Result<sql::Statement*> Prepare(std::string_view text) { return db_->Prepare(text); }

  // Runs `body` in a write transaction; rolls back on error.
  template <typename F>
  Status InWriteTransaction(F&& body) {
    Status s = sql::InWriteTransaction(*db_, std::forward<F>(body));
    if (!s.ok()) {
      source_ids_.clear();
      sharing_ids_.clear();
      audience_ids_.clear();
      last_source_id_ = last_sharing_id_ = 0;
    }
    return s;
  }

  Result<int> SchemaVersion() {
    std::string_view exists =
        db_->dialect() == sql::Dialect::kSqlite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
              "'schema_migrations'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_name = "
              "'schema_migrations' AND table_schema = current_schema()";
    auto s = Prepare(exists);
    if (!s.ok()) return s.error();
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if ((*s)->ColumnInt(0) == 0) return 0;
    auto v = Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!v.ok()) return v.error();
    auto vrow = (*v)->Step();
    if (!vrow.ok()) return vrow.error();
    return static_cast<int>((*v)->ColumnInt(0));
  }

  Result<int> Migrate() {
    int applied = 0;
    Status s = InWriteTransaction([&]() -> Status {
      TESSERA_RETURN_IF_ERROR(db_->Execute(
          db_->dialect() == sql::Dialect::kSqlite
              ? "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "description TEXT NOT NULL, applied INTEGER NOT NULL)"
              : "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "description TEXT NOT NULL, applied BIGINT NOT NULL)"));
      auto current = SchemaVersion();
      if (!current.ok()) return current.error();
      std::vector<Migration> migrations = Migrations(db_->dialect());
      if (*current > static_cast<int>(migrations.size())) {
        return MakeError(ErrorCode::kUnsupported,
                         "the database schema is version " + std::to_string(*current) +
                             ", newer than this tessera understands (" +
                             std::to_string(migrations.size()) + "); upgrade tessera");
      }
      for (const Migration& m : migrations) {
        if (m.version <= *current) continue;
        TESSERA_RETURN_IF_ERROR(db_->Execute(m.sql));
        if (m.version == 2) TESSERA_RETURN_IF_ERROR(BackfillVersion2());
        auto insert = Prepare(
            "INSERT INTO schema_migrations (version, description, applied) VALUES (?, ?, ?)");
        if (!insert.ok()) return insert.error();
        (*insert)->BindInt(0, m.version);
        (*insert)->BindText(1, m.description);
        (*insert)->BindInt(2, NowMicros());
        TESSERA_RETURN_IF_ERROR((*insert)->Step());
        ++applied;
      }
      return {};
    });
    if (!s.ok()) return s.error();
    return applied;
  }


  Result<PutStats> Put(const Batch& batch) {
    PutStats stats;
    Status s = InWriteTransaction([&]() -> Status {
      auto counter = ScalarInt("SELECT value FROM counters WHERE name = 'object_seq'");
      if (!counter.ok()) return counter.error();
      const int64_t first_seq = *counter + 1;
      next_seq_ = first_seq;
      for (const Rejection& r : batch.rejected) {
        TESSERA_RETURN_IF_ERROR(Quarantine(batch.source, r));
        ++stats.quarantined;
      }
      for (int64_t id : batch.resolves_quarantined) {
        auto drop = Prepare("DELETE FROM quarantine WHERE id = ?");
        if (!drop.ok()) return drop.error();
        (*drop)->BindInt(0, id);
        TESSERA_RETURN_IF_ERROR(Done((*drop)->Step()));
      }
      // Objects before the relationships and sightings that refer to them, so
      // references resolve to merged objects within one batch.
      // Within each group, in id order: the id index is then written in key
      // order, page after page, instead of at random (a large batch into a
      // large store runs much faster). Submissions of one id keep their order.
      std::vector<const Submission*> order;
      order.reserve(batch.objects.size());
      for (const Submission& sub : batch.objects) order.push_back(&sub);
      auto is_sro = [](const Submission* sub) {
        return sub->object.type == "relationship" || sub->object.type == "sighting";
      };
      std::stable_sort(order.begin(), order.end(), [&](const Submission* a, const Submission* b) {
        bool sa = is_sro(a), sb = is_sro(b);
        if (sa != sb) return sb;
        return a->object.id < b->object.id;
      });
      std::vector<ObjectIndex> indexes;
      indexes.reserve(order.size());
      for (const Submission* sub : order) {
        auto index = IndexObject(sub->object);
        if (!index.ok()) return index.error();
        indexes.push_back(std::move(*index));
      }
      BatchCache cache;
      cache_ = &cache;
      Status done = Prefetch(batch.source.partner, order, indexes);
      for (size_t i = 0; done.ok() && i < order.size(); ++i) {
        done = PutOne(batch.source, *order[i], std::move(indexes[i]), &stats);
      }
      cache_ = nullptr;
      TESSERA_RETURN_IF_ERROR(done);
      if (next_seq_ == first_seq) return {};
      auto update = Prepare("UPDATE counters SET value = ? WHERE name = 'object_seq'");
      if (!update.ok()) return update.error();
      (*update)->BindInt(0, next_seq_ - 1);
      return Done((*update)->Step());
    });
    if (!s.ok()) return s.error();
    return stats;
  }

  Status Quarantine(const Source& source, const Rejection& r) {
    auto s = Prepare(
        "INSERT INTO quarantine (run_id, partner, format, file, position, reason, raw, "
        "truncated, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s.ok()) return s.error();
    sql::Statement& st = **s;
    st.BindInt(0, source.run_id);
    st.BindText(1, source.partner);
    st.BindText(2, source.format);
    st.BindText(3, source.file);
    st.BindText(4, r.position);
    st.BindText(5, r.reason);
    st.BindBlob(6, r.raw);
    st.BindInt(7, r.truncated ? 1 : 0);
    st.BindInt(8, source.received);
    return Done(st.Step());
  }


  struct ObjectRow {
    int64_t seq = 0;
    int64_t canonical_seq = 0;  // the row's own seq when canonical
    Micros modified = 0;
  };

  // What one Put knows about the rows its batch touches: read up front in a few
  // queries with long IN lists (on PostgreSQL one round trip per few hundred
  // ids instead of several per object), then kept current as the batch writes.
  // A lookup outside what was read falls back to a query.
  struct BatchCache {
    std::unordered_map<std::string, ObjectRow> rows;  // existing ids among those read
    std::unordered_set<std::string> rows_read;        // ids read (existing or not)
    std::unordered_map<int64_t, std::string> ids;     // seq -> id of canonical objects
    std::unordered_map<std::string, int64_t> identity;
    std::unordered_set<std::string> identity_read;
    std::unordered_set<int64_t> partner_read;  // canonical seqs checked for the partner
    std::unordered_set<int64_t> partner_has;   // ... and those it already reported
    // Stored versions of rows (seq, modified): the JSON of SCO versions
    // (modified 0), empty for others.
    std::map<std::pair<int64_t, Micros>, std::string> versions;
    std::unordered_set<int64_t> versions_read;  // row seqs whose versions are all in `versions`
  };

  static constexpr size_t kInListSize = 256;

  // Runs `head (?, ?, ...) tail` over `keys` in chunks of kInListSize (the last
  // chunk padded by repeating a key, so every chunk has the same text and
  // prepared statement), after `prefix` text parameters; calls on_row per row.
  template <typename Key, typename OnRow>
  Status InChunks(std::string_view head, std::string_view tail,
                  const std::vector<std::string>& prefix, const std::vector<Key>& keys,
                  OnRow&& on_row) {
    if (keys.empty()) return {};
    std::string text(head);
    text.append(" IN (");
    for (size_t i = 0; i < kInListSize; ++i) text.append(i == 0 ? "?" : ", ?");
    text.append(")").append(tail);
    for (size_t first = 0; first < keys.size(); first += kInListSize) {
      auto s = Prepare(text);
      if (!s.ok()) return s.error();
      int p = 0;
      for (const std::string& value : prefix) (*s)->BindText(p++, value);
      for (size_t i = 0; i < kInListSize; ++i) {
        const Key& key = keys[std::min(first + i, keys.size() - 1)];
        if constexpr (std::is_same_v<Key, std::string>) {
          (*s)->BindText(p++, key);
        } else {
          (*s)->BindInt(p++, key);
        }
      }
      while (true) {
        auto row = (*s)->Step();
        if (!row.ok()) return row.error();
        if (!*row) break;
        on_row(**s);
      }
    }
    return {};
  }

  Status Prefetch(const std::string& partner, const std::vector<const Submission*>& order,
                  const std::vector<ObjectIndex>& indexes) {
    BatchCache& c = *cache_;
    std::vector<std::string> ids;
    for (size_t i = 0; i < order.size(); ++i) {
      ids.push_back(order[i]->object.id);
      if (!indexes[i].source_ref.empty()) ids.push_back(indexes[i].source_ref);
      if (!indexes[i].target_ref.empty()) ids.push_back(indexes[i].target_ref);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    c.rows_read.insert(ids.begin(), ids.end());
    TESSERA_RETURN_IF_ERROR(InChunks("SELECT id, seq, canonical_seq, modified FROM objects WHERE id", "", {},
                         ids, [&](const sql::Statement& st) {
                           ObjectRow r;
                           r.seq = st.ColumnInt(1);
                           r.canonical_seq = st.IsNull(2) ? r.seq : st.ColumnInt(2);
                           r.modified = st.ColumnInt(3);
                           if (r.seq == r.canonical_seq) c.ids[r.seq] = std::string(st.ColumnText(0));
                           c.rows.emplace(std::string(st.ColumnText(0)), r);
                         }));
    // Canonical objects of merged ids, for resolving references.
    std::vector<int64_t> canonical;
    for (const auto& [id, row] : c.rows) {
      if (!c.ids.count(row.canonical_seq)) canonical.push_back(row.canonical_seq);
    }
    // Identity keys, relationship keys with their ends resolved as they are now.
    std::vector<std::string> keys;
    for (size_t i = 0; i < order.size(); ++i) {
      if (c.rows.count(order[i]->object.id)) continue;  // known by id: keys not needed
      keys.insert(keys.end(), indexes[i].identity_keys.begin(), indexes[i].identity_keys.end());
      if (!indexes[i].source_ref.empty() && order[i]->object.type == "relationship") {
        keys.push_back(RelationshipKey(CachedResolve(indexes[i].source_ref),
                                       indexes[i].relationship_type,
                                       CachedResolve(indexes[i].target_ref)));
      }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    c.identity_read.insert(keys.begin(), keys.end());
    TESSERA_RETURN_IF_ERROR(InChunks("SELECT key, object_seq FROM identity_keys WHERE key", "", {}, keys,
                         [&](const sql::Statement& st) {
                           c.identity[std::string(st.ColumnText(0))] = st.ColumnInt(1);
                         }));
    for (const auto& [key, seq] : c.identity) {
      if (!c.ids.count(seq)) canonical.push_back(seq);
    }
    std::sort(canonical.begin(), canonical.end());
    canonical.erase(std::unique(canonical.begin(), canonical.end()), canonical.end());
    TESSERA_RETURN_IF_ERROR(InChunks("SELECT seq, id FROM objects WHERE seq", "", {}, canonical,
                         [&](const sql::Statement& st) {
                           c.ids[st.ColumnInt(0)] = std::string(st.ColumnText(1));
                         }));
    // Which of the canonical objects the partner reported before.
    std::vector<int64_t> seqs;
    for (const auto& [id, row] : c.rows) seqs.push_back(row.canonical_seq);
    for (const auto& [key, seq] : c.identity) seqs.push_back(seq);
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    c.partner_read.insert(seqs.begin(), seqs.end());
    TESSERA_RETURN_IF_ERROR(InChunks(
        "SELECT DISTINCT p.object_seq FROM provenance p JOIN sources s ON s.id = p.source_id "
        "WHERE s.partner = ? AND p.object_seq",
        "", {partner}, seqs, [&](const sql::Statement& st) { c.partner_has.insert(st.ColumnInt(0)); }));
    // The stored versions of the rows known by id.
    std::vector<int64_t> own;
    for (const auto& [id, row] : c.rows) own.push_back(row.seq);
    std::sort(own.begin(), own.end());
    c.versions_read.insert(own.begin(), own.end());
    return InChunks(
        "SELECT object_seq, modified, CASE WHEN modified = 0 THEN json ELSE '' END "
        "FROM object_versions WHERE object_seq",
        "", {}, own, [&](const sql::Statement& st) {
          c.versions[{st.ColumnInt(0), st.ColumnInt(1)}] = std::string(st.ColumnText(2));
        });
  }

  static std::string RelationshipKey(const std::string& source, const std::string& type,
                                     const std::string& target) {
    std::string key = "relationship|";
    key.append(source).append("|").append(type).append("|").append(target);
    return key;
  }

  // ResolveRef from the cache alone (Prefetch uses it before anything is written).
  std::string CachedResolve(const std::string& ref) {
    auto row = cache_->rows.find(ref);
    if (row == cache_->rows.end()) return ref;
    auto id = cache_->ids.find(row->second.canonical_seq);
    return id == cache_->ids.end() ? ref : id->second;
  }

  Result<std::optional<ObjectRow>> FindRow(const std::string& id) {
    if (auto it = cache_->rows.find(id); it != cache_->rows.end()) {
      return std::optional<ObjectRow>(it->second);
    }
    if (cache_->rows_read.count(id)) return std::optional<ObjectRow>();
    auto s = Prepare("SELECT seq, canonical_seq, modified FROM objects WHERE id = ?");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, id);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    cache_->rows_read.insert(id);
    if (!*row) return std::optional<ObjectRow>();
    ObjectRow r;
    r.seq = (*s)->ColumnInt(0);
    r.canonical_seq = (*s)->IsNull(1) ? r.seq : (*s)->ColumnInt(1);
    r.modified = (*s)->ColumnInt(2);
    (*s)->Reset();
    cache_->rows.emplace(id, r);
    return std::optional<ObjectRow>(r);
  }

  Result<std::optional<int64_t>> FindIdentityKey(const std::string& key) {
    if (auto it = cache_->identity.find(key); it != cache_->identity.end()) {
      return std::optional<int64_t>(it->second);
    }
    if (cache_->identity_read.count(key)) return std::optional<int64_t>();
    auto s = Prepare("SELECT object_seq FROM identity_keys WHERE key = ?");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, key);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    std::optional<int64_t> seq;
    if (*row) seq = (*s)->ColumnInt(0);
    (*s)->Reset();
    cache_->identity_read.insert(key);
    if (seq) cache_->identity[key] = *seq;
    return seq;
  }

  // The id of a canonical object, by seq.
  Result<std::string> CanonicalId(int64_t seq) {
    if (auto it = cache_->ids.find(seq); it != cache_->ids.end()) return it->second;
    auto s = Prepare("SELECT id FROM objects WHERE seq = ?");
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, seq);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return MakeError(ErrorCode::kInternal, "no object with seq " + std::to_string(seq));
    std::string id((*s)->ColumnText(0));
    (*s)->Reset();
    cache_->ids[seq] = id;
    return id;
  }

  // The canonical id a reference resolves to (itself when unknown or canonical).
  Result<std::string> ResolveRef(const std::string& ref) {
    auto row = FindRow(ref);
    if (!row.ok()) return row.error();
    if (!*row || (*row)->canonical_seq == (*row)->seq) return ref;
    return CanonicalId((*row)->canonical_seq);
  }

  Status PutOne(const Source& source, const Submission& sub, ObjectIndex index, PutStats* stats) {
    const stix::StixObject& object = sub.object;
    Micros modified = 0;
    if (!object.modified.empty()) {
      auto m = ParseMicros(object.modified);
      if (!m.ok()) return MakeError(m.error().code, m.error().message, object.id);
      modified = *m;
    }
    std::optional<Micros> created;
    if (!object.created.empty()) {
      auto c = ParseMicros(object.created);
      if (!c.ok()) return MakeError(c.error().code, c.error().message, object.id);
      created = *c;
    }
    if (object.type == "relationship" && !index.source_ref.empty()) {
      auto src = ResolveRef(index.source_ref);
      if (!src.ok()) return src.error();
      auto dst = ResolveRef(index.target_ref);
      if (!dst.ok()) return dst.error();
      index.identity_keys.push_back(RelationshipKey(*src, index.relationship_type, *dst));
    }

    auto existing = FindRow(object.id);
    if (!existing.ok()) return existing.error();
    int64_t canonical = 0;
    bool is_new_logical = false;
    bool merged_id = false;  // the partner's id is not the canonical object's
    if (*existing) {
      const ObjectRow& row = **existing;
      canonical = row.canonical_seq;
      merged_id = row.canonical_seq != row.seq;
      auto outcome = AddVersion(row, object, modified, index);
      if (outcome.ok() && *outcome && modified > row.modified) {
        cache_->rows[object.id].modified = modified;
      }
      if (!outcome.ok()) return outcome.error();
      if (*outcome) {
        ++stats->updated;
      } else {
        ++stats->duplicates;
      }
    } else {
      std::optional<int64_t> same;
      for (const std::string& key : index.identity_keys) {
        auto hit = FindIdentityKey(key);
        if (!hit.ok()) return hit.error();
        if (*hit) {
          same = *hit;
          break;
        }
      }
      auto seq = InsertObject(object, created, modified, index.revoked, same, source.received);
      if (!seq.ok()) return seq.error();
      cache_->rows[object.id] = ObjectRow{*seq, same.value_or(*seq), modified};
      cache_->versions_read.insert(*seq);
      if (!same) cache_->ids[*seq] = object.id;
      TESSERA_RETURN_IF_ERROR(InsertVersion(*seq, modified, index.revoked, object.json, source.received));
      if (same) {
        canonical = *same;
        merged_id = true;
        ++stats->duplicates;
        ++stats->merged;
        TESSERA_RETURN_IF_ERROR(InsertNames(canonical, index.names));
      } else {
        canonical = *seq;
        is_new_logical = true;
        ++stats->new_objects;
        TESSERA_RETURN_IF_ERROR(InsertIndex(canonical, object, index));
      }
    }
    for (const std::string& key : index.identity_keys) {
      auto s = Prepare(
          "INSERT INTO identity_keys (key, object_seq) VALUES (?, ?) ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      (*s)->BindText(0, key);
      (*s)->BindInt(1, canonical);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
      cache_->identity.emplace(key, canonical);  // an existing key keeps its object
      cache_->identity_read.insert(key);
    }
    TESSERA_RETURN_IF_ERROR(AddProvenance(source, sub, canonical, is_new_logical,
                              merged_id ? std::string_view(object.id) : std::string_view()));
    for (const WarninglistHit& hit : sub.warnings) {
      auto s = Prepare(
          "INSERT INTO warnings (object_seq, list, reason) VALUES (?, ?, ?) "
          "ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, canonical);
      (*s)->BindText(1, hit.list);
      (*s)->BindText(2, hit.reason);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    if (!sub.warnings.empty()) {
      auto s = Prepare("UPDATE objects SET warninglisted = 1 WHERE seq = ?");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, canonical);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    return {};
  }

  Result<int64_t> InsertObject(const stix::StixObject& object, std::optional<Micros> created,
                               Micros modified, bool revoked, std::optional<int64_t> canonical,
                               Micros received) {
    auto s = Prepare(
        "INSERT INTO objects (id, canonical_seq, type, created, modified, added, first_seen, "
        "last_seen, partners, reports, revoked, warninglisted, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)");
    if (!s.ok()) return s.error();
    sql::Statement& st = **s;
    const int64_t seq = next_seq_++;
    st.BindText(0, object.id);
    if (canonical) {
      st.BindInt(1, *canonical);
    } else {
      st.BindNull(1);
    }
    st.BindText(2, object.type);
    if (created) {
      st.BindInt(3, *created);
    } else {
      st.BindNull(3);
    }
    st.BindInt(4, modified);
    st.BindInt(5, received);
    st.BindInt(6, received);
    st.BindInt(7, received);
    // A new canonical object starts with its first report (AddProvenance counts
    // later ones); a merged id's own row keeps no aggregates.
    st.BindInt(8, canonical ? 0 : 1);
    st.BindInt(9, canonical ? 0 : 1);
    st.BindInt(10, revoked ? 1 : 0);
    st.BindInt(11, seq);
    TESSERA_RETURN_IF_ERROR(Done(st.Step()));
    return seq;
  }

  Status InsertVersion(int64_t seq, Micros modified, bool revoked, std::string_view json,
                       Micros added) {
    auto s = Prepare(
        "INSERT INTO object_versions (object_seq, modified, added, revoked, json) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, seq);
    (*s)->BindInt(1, modified);
    (*s)->BindInt(2, added);
    (*s)->BindInt(3, revoked ? 1 : 0);
    (*s)->BindText(4, json);
    if (cache_ != nullptr) {
      cache_->versions[{seq, modified}] = modified == 0 ? std::string(json) : std::string();
    }
    return Done((*s)->Step());
  }

  // The stored version (seq, modified): its JSON for an SCO version (modified
  // 0), empty for others; nullopt when not stored.
  Result<std::optional<std::string>> StoredVersion(int64_t seq, Micros modified) {
    if (cache_->versions_read.count(seq)) {
      auto it = cache_->versions.find({seq, modified});
      if (it == cache_->versions.end()) return std::optional<std::string>();
      return std::optional<std::string>(it->second);
    }
    auto s = Prepare("SELECT json FROM object_versions WHERE object_seq = ? AND modified = ?");
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, seq);
    (*s)->BindInt(1, modified);
    auto found = (*s)->Step();
    if (!found.ok()) return found.error();
    if (!*found) return std::optional<std::string>();
    std::string json = modified == 0 ? std::string((*s)->ColumnText(0)) : std::string();
    (*s)->Reset();
    return std::optional<std::string>(std::move(json));
  }

  // Stores what an object with a known id brings. True when something changed
  // (a new version, or new properties of an SCO); false for a duplicate.
  Result<bool> AddVersion(const ObjectRow& row, const stix::StixObject& object, Micros modified,
                          const ObjectIndex& index) {
    auto stored_version = StoredVersion(row.seq, modified);
    if (!stored_version.ok()) return stored_version.error();
    if (*stored_version) {
      // A version with this `modified` is stored: STIX versions are immutable.
      if (!object.modified.empty()) return false;
      // An SCO has one version: keep the first submission, add what later ones bring.
      std::string stored = std::move(**stored_version);
      if (stored == object.json || !MergeMissingMembers(object.json, &stored)) return false;
      cache_->versions[{row.seq, modified}] = stored;
      auto u = Prepare("UPDATE object_versions SET json = ? WHERE object_seq = ? AND modified = ?");
      if (!u.ok()) return u.error();
      (*u)->BindText(0, stored);
      (*u)->BindInt(1, row.seq);
      (*u)->BindInt(2, modified);
      TESSERA_RETURN_IF_ERROR(Done((*u)->Step()));
      return true;
    }
    if (modified > row.modified) {
      auto same = SameAsCurrentVersion(row, object.json);
      if (!same.ok()) return same.error();
      if (*same) return false;
    }
    Micros now = NowMicros();
    TESSERA_RETURN_IF_ERROR(InsertVersion(row.seq, modified, index.revoked, object.json, now));
    if (modified > row.modified) {
      auto u = Prepare("UPDATE objects SET modified = ?, revoked = ? WHERE seq = ?");
      if (!u.ok()) return u.error();
      (*u)->BindInt(0, modified);
      (*u)->BindInt(1, index.revoked ? 1 : 0);
      (*u)->BindInt(2, row.seq);
      TESSERA_RETURN_IF_ERROR(Done((*u)->Step()));
      if (row.seq == row.canonical_seq) {
        TESSERA_RETURN_IF_ERROR(ReplaceIndex(row.seq, object, index));
      } else {
        TESSERA_RETURN_IF_ERROR(InsertNames(row.canonical_seq, index.names));
      }
    }
    return true;
  }

  // Whether `json` says nothing the current version does not: equal but for
  // `created` and `modified`. Readers that make objects with deterministic ids
  // but no source timestamps (a CVE found in free text) stamp them with the
  // ingest time; reading the same input again is then no new version.
  Result<bool> SameAsCurrentVersion(const ObjectRow& row, const std::string& json) {
    auto s = Prepare("SELECT json FROM object_versions WHERE object_seq = ? AND modified = ?");
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, row.seq);
    (*s)->BindInt(1, row.modified);
    auto found = (*s)->Step();
    if (!found.ok()) return found.error();
    if (!*found) return false;
    auto current = core::ParseJson((*s)->ColumnText(0));
    (*s)->Reset();
    auto incoming = core::ParseJson(json);
    if (!current.ok() || !incoming.ok() || !current->is_object() || !incoming->is_object()) {
      return false;
    }
    for (core::Json* j : {&*current, &*incoming}) {
      j->Erase("created");
      j->Erase("modified");
    }
    return *current == *incoming;
  }

  Status InsertNames(int64_t seq, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      auto s = Prepare(
          "INSERT INTO names (object_seq, name, folded) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, seq);
      (*s)->BindText(1, name);
      (*s)->BindText(2, LowerAscii(name));
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    return {};
  }

  // `first_index`: the object is new, so there is no older valid_until to clear.
  Status InsertIndex(int64_t seq, const stix::StixObject& object, const ObjectIndex& index,
                     bool first_index = true) {
    for (const ObservableKey& key : index.observables) {
      auto s = Prepare(
          "INSERT INTO observables (object_seq, kind, value, rdomain, ip_low, ip_high) "
          "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      sql::Statement& st = **s;
      st.BindInt(0, seq);
      st.BindText(1, key.kind);
      st.BindText(2, key.value);
      if (key.reversed_domain.empty()) {
        st.BindNull(3);
      } else {
        st.BindText(3, key.reversed_domain);
      }
      if (key.ip_low.empty()) {
        st.BindNull(4);
        st.BindNull(5);
      } else {
        st.BindBlob(4, key.ip_low);
        st.BindBlob(5, key.ip_high);
      }
      TESSERA_RETURN_IF_ERROR(Done(st.Step()));
    }
    TESSERA_RETURN_IF_ERROR(InsertNames(seq, index.names));
    for (const std::string& label : index.labels) {
      auto s = Prepare(
          "INSERT INTO labels (object_seq, label) VALUES (?, ?) ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, seq);
      (*s)->BindText(1, label);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    for (const std::string& ref : object.object_marking_refs) {
      auto s = Prepare(
          "INSERT INTO markings (object_seq, marking_ref) VALUES (?, ?) ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, seq);
      (*s)->BindText(1, ref);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    // The objects a relationship or sighting reveals: readers see it only
    // when they see these too.
    std::vector<std::string_view> ends(index.sighting_refs.begin(), index.sighting_refs.end());
    if (!index.source_ref.empty()) ends.push_back(index.source_ref);
    if (!index.target_ref.empty()) ends.push_back(index.target_ref);
    for (std::string_view end : ends) {
      auto s = Prepare(
          "INSERT INTO object_ends (object_seq, end_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, seq);
      (*s)->BindText(1, end);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    if (!index.valid_until.empty() || !first_index) {
      std::optional<Micros> until;
      if (!index.valid_until.empty()) {
        auto parsed = ParseMicros(index.valid_until);
        if (!parsed.ok()) return MakeError(parsed.error().code, parsed.error().message, object.id);
        until = *parsed;
      }
      auto s = Prepare("UPDATE objects SET valid_until = ? WHERE seq = ?");
      if (!s.ok()) return s.error();
      if (until) {
        (*s)->BindInt(0, *until);
      } else {
        (*s)->BindNull(0);
      }
      (*s)->BindInt(1, seq);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    return {};
  }

  // A newer version of a canonical object: its labels, markings and observables
  // are those of the new version; names accumulate.
  Status ReplaceIndex(int64_t seq, const stix::StixObject& object, const ObjectIndex& index) {
    for (std::string_view table : {"observables", "labels", "markings", "object_ends"}) {
      auto s = Prepare(std::string("DELETE FROM ").append(table).append(" WHERE object_seq = ?"));
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, seq);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    return InsertIndex(seq, object, index, false);
  }

  // The id of a row of `sources` or `sharing_requests`, inserted when missing.
  // Ids are cached: rows are never changed, and the caches are cleared when a
  // transaction rolls back (its new rows are gone).
  Result<int64_t> GetOrInsert(std::string_view insert, std::string_view select,
                              const std::vector<std::string>& values,
                              std::map<std::vector<std::string>, int64_t>* cache) {
    if (auto it = cache->find(values); it != cache->end()) return it->second;
    for (std::string_view text : {insert, select}) {
      auto s = Prepare(text);
      if (!s.ok()) return s.error();
      for (size_t i = 0; i < values.size(); ++i) (*s)->BindText(static_cast<int>(i), values[i]);
      auto row = (*s)->Step();
      if (!row.ok()) return row.error();
      if (text == select) {
        if (!*row) return MakeError(ErrorCode::kInternal, "inserted row not found");
        int64_t id = (*s)->ColumnInt(0);
        (*s)->Reset();
        cache->emplace(values, id);
        return id;
      }
    }
    return MakeError(ErrorCode::kInternal, "unreachable");
  }

  Result<int64_t> SourceId(const Source& source) {
    // Every submission of a batch has the batch's source.
    if (last_source_id_ != 0 && source.partner == last_source_.partner &&
        source.file == last_source_.file && source.format == last_source_.format) {
      return last_source_id_;
    }
    auto id = GetOrInsert(
        "INSERT INTO sources (partner, file, format) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        "SELECT id FROM sources WHERE partner = ? AND file = ? AND format = ?",
        {source.partner, source.file, source.format}, &source_ids_);
    if (id.ok()) {
      last_source_ = source;
      last_source_id_ = *id;
    }
    return id;
  }

  Result<int64_t> SharingId(const SharingRequest& sharing) {
    // Submissions of a batch usually share one request.
    if (last_sharing_id_ != 0 && sharing.tlp == last_sharing_.tlp &&
        sharing.communities == last_sharing_.communities &&
        sharing.recipients == last_sharing_.recipients &&
        sharing.distribution == last_sharing_.distribution &&
        sharing.sharing_group == last_sharing_.sharing_group) {
      return last_sharing_id_;
    }
    auto id = GetOrInsert(
        "INSERT INTO sharing_requests (tlp, communities, recipients, distribution, sharing_group) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        "SELECT id FROM sharing_requests WHERE tlp = ? AND communities = ? AND recipients = ? "
        "AND distribution = ? AND sharing_group = ?",
        {sharing.tlp, JsonArray(sharing.communities), JsonArray(sharing.recipients),
         sharing.distribution, sharing.sharing_group},
        &sharing_ids_);
    if (id.ok()) {
      last_sharing_ = sharing;
      last_sharing_id_ = *id;
    }
    return id;
  }

  // The audience row for a decision's keys (the contributor alone when it
  // names none), inserted with its members when new. Cached like SourceId.
  Result<int64_t> AudienceId(const Source& source, const SharingDecision& decision) {
    std::vector<std::string> keys = decision.audience;
    if (keys.empty()) keys.push_back(std::string("p:").append(source.partner));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (auto it = audience_ids_.find(keys); it != audience_ids_.end()) return it->second;
    std::string members;
    for (const std::string& key : keys) members.append(members.empty() ? "" : "\n").append(key);
    auto select = [&]() -> Result<std::optional<int64_t>> {
      auto s = Prepare("SELECT id FROM audiences WHERE members = ?");
      if (!s.ok()) return s.error();
      (*s)->BindText(0, members);
      auto row = (*s)->Step();
      if (!row.ok()) return row.error();
      if (!*row) return std::optional<int64_t>();
      int64_t id = (*s)->ColumnInt(0);
      (*s)->Reset();
      return std::optional<int64_t>(id);
    };
    auto found = select();
    if (!found.ok()) return found.error();
    if (!*found) {
      auto insert = Prepare("INSERT INTO audiences (members) VALUES (?)");
      if (!insert.ok()) return insert.error();
      (*insert)->BindText(0, members);
      TESSERA_RETURN_IF_ERROR(Done((*insert)->Step()));
      found = select();
      if (!found.ok()) return found.error();
      if (!*found) return MakeError(ErrorCode::kInternal, "inserted audience not found");
      for (const std::string& key : keys) {
        auto m = Prepare("INSERT INTO audience_members (member, audience_id) VALUES (?, ?)");
        if (!m.ok()) return m.error();
        (*m)->BindText(0, key);
        (*m)->BindInt(1, **found);
        TESSERA_RETURN_IF_ERROR(Done((*m)->Step()));
      }
    }
    audience_ids_.emplace(std::move(keys), **found);
    return **found;
  }

  // Records that the source reported the object; `submitted_id` is empty when
  // the partner used the canonical object's own id.
  Status AddProvenance(const Source& source, const Submission& sub, int64_t canonical,
                       bool is_new_logical, std::string_view submitted_id) {
    auto source_id = SourceId(source);
    if (!source_id.ok()) return source_id.error();
    auto sharing_id = SharingId(sub.sharing);
    if (!sharing_id.ok()) return sharing_id.error();
    auto audience_id = AudienceId(source, sub.decision);
    if (!audience_id.ok()) return audience_id.error();
    bool new_partner = is_new_logical;
    if (!is_new_logical && cache_->partner_read.count(canonical)) {
      new_partner = !cache_->partner_has.count(canonical);
    } else if (!is_new_logical) {
      auto s = Prepare(
          "SELECT 1 FROM provenance p JOIN sources s ON s.id = p.source_id "
          "WHERE p.object_seq = ? AND s.partner = ? LIMIT 1");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, canonical);
      (*s)->BindText(1, source.partner);
      auto row = (*s)->Step();
      if (!row.ok()) return row.error();
      new_partner = !*row;
      (*s)->Reset();
    }
    cache_->partner_read.insert(canonical);
    cache_->partner_has.insert(canonical);
    auto s = Prepare(
        "INSERT INTO provenance (object_seq, source_id, position, submitted_id, first_received, "
        "last_received, reports, run_id, sharing_id, audience_id, tlp, anonymous, expires) "
        "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (object_seq, source_id, position, submitted_id) DO UPDATE SET "
        "last_received = excluded.last_received, reports = provenance.reports + 1, "
        "run_id = excluded.run_id, anonymous = excluded.anonymous, expires = excluded.expires, "
        "sharing_id = CASE WHEN ? = 1 THEN provenance.sharing_id ELSE excluded.sharing_id END, "
        "audience_id = CASE WHEN ? = 1 THEN provenance.audience_id ELSE excluded.audience_id END, "
        "tlp = CASE WHEN ? = 1 THEN provenance.tlp ELSE excluded.tlp END");
    if (!s.ok()) return s.error();
    sql::Statement& st = **s;
    st.BindInt(0, canonical);
    st.BindInt(1, *source_id);
    st.BindText(2, sub.position);
    st.BindText(3, submitted_id);
    st.BindInt(4, source.received);
    st.BindInt(5, source.received);
    st.BindInt(6, source.run_id);
    st.BindInt(7, *sharing_id);
    st.BindInt(8, *audience_id);
    st.BindText(9, sub.decision.tlp);
    st.BindInt(10, sub.decision.anonymous ? 1 : 0);
    if (sub.decision.expires) {
      st.BindInt(11, *sub.decision.expires);
    } else {
      st.BindNull(11);
    }
    // A report that states no sharing request keeps the one stated before, and
    // the decision made on it (a re-run without --tlp must not silently widen
    // what was asked).
    const SharingRequest& r = sub.sharing;
    bool states_nothing = r.tlp.empty() && r.communities.empty() && r.recipients.empty() &&
                          r.distribution.empty() && r.sharing_group.empty();
    for (int i = 12; i <= 14; ++i) st.BindInt(i, states_nothing ? 1 : 0);
    TESSERA_RETURN_IF_ERROR(Done(st.Step()));
    if (sub.decision.personal_data) {
      auto p = Prepare("UPDATE objects SET personal_data = 1 WHERE seq = ?");
      if (!p.ok()) return p.error();
      (*p)->BindInt(0, canonical);
      TESSERA_RETURN_IF_ERROR(Done((*p)->Step()));
    }
    if (is_new_logical) return {};  // InsertObject set the aggregates

    auto u = Prepare(
        "UPDATE objects SET reports = reports + 1, partners = partners + ?, "
        "first_seen = CASE WHEN first_seen < ? THEN first_seen ELSE ? END, "
        "last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END WHERE seq = ?");
    if (!u.ok()) return u.error();
    (*u)->BindInt(0, new_partner ? 1 : 0);
    (*u)->BindInt(1, source.received);
    (*u)->BindInt(2, source.received);
    (*u)->BindInt(3, source.received);
    (*u)->BindInt(4, source.received);
    (*u)->BindInt(5, canonical);
    return Done((*u)->Step());
  }

  // The canonical row for an id: (seq, latest modified), or nullopt.
  Result<std::optional<ObjectRow>> CanonicalRow(std::string_view id) {
    auto s = Prepare(
        "SELECT c.seq, c.modified FROM objects o "
        "JOIN objects c ON c.seq = coalesce(o.canonical_seq, o.seq) WHERE o.id = ?");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, id);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<ObjectRow>();
    ObjectRow r;
    r.seq = r.canonical_seq = (*s)->ColumnInt(0);
    r.modified = (*s)->ColumnInt(1);
    (*s)->Reset();
    return std::optional<ObjectRow>(r);
  }

  // Runs a statement that yields one int row; nullopt when it yields none.
  Result<std::optional<int64_t>> OptionalInt(std::string_view text, const Filter& f) {
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    f.Bind(*s);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<int64_t>();
    int64_t value = (*s)->ColumnInt(0);
    (*s)->Reset();
    return std::optional<int64_t>(value);
  }

  // The first column of every row a statement yields.
  Result<std::vector<int64_t>> IntColumn(std::string_view text, const Filter& f) {
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    f.Bind(*s);
    std::vector<int64_t> out;
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      out.push_back((*s)->ColumnInt(0));
    }
    return out;
  }

  // The row whose versions a reader gets for canonical object `seq`: the
  // object's own when a report of the canonical id admits the reader, else the
  // first admitted report's merged id (that partner's own body: a reader never
  // sees a body it was not given). nullopt: the reader does not see the object.
  Result<std::optional<int64_t>> BodySeq(const Scope& scope, int64_t seq) {
    if (scope.everything) return std::optional<int64_t>(seq);
    Filter f;
    std::string text = "SELECT CASE WHEN EXISTS (SELECT 1 FROM provenance bp WHERE "
                       "bp.object_seq = o.seq AND bp.submitted_id = '' AND ";
    text.append(Admits(scope, "bp", &f)).append(") THEN o.seq ELSE 0 END FROM objects o ");
    text.append("WHERE o.seq = ? AND ");
    f.Int(seq);
    text.append(Visible(scope, &f));
    auto own = OptionalInt(text, f);
    if (!own.ok() || !*own || **own != 0) return own;
    return MergedBodySeq(scope, seq);
  }

  Result<std::optional<int64_t>> MergedBodySeq(const Scope& scope, int64_t seq) {
    Filter f;
    f.Int(seq);
    std::string text =
        "SELECT mo.seq FROM provenance bp JOIN objects mo ON mo.id = bp.submitted_id "
        "WHERE bp.object_seq = ? AND bp.submitted_id <> '' AND ";
    text.append(Admits(scope, "bp", &f)).append(" ORDER BY bp.first_received, mo.seq LIMIT 1");
    return OptionalInt(text, f);
  }

  // First and last seen over the reports of `seq` that admit the reader.
  Status AdmittedSeen(const Scope& scope, int64_t seq, StoredObject* object) {
    Filter f;
    std::string text = "SELECT min(p.first_received), max(p.last_received) FROM provenance p "
                       "WHERE p.object_seq = ? AND ";
    f.Int(seq);
    text.append(Admits(scope, "p", &f));
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    f.Bind(*s);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    object->first_seen = (*s)->ColumnInt(0);
    object->last_seen = (*s)->ColumnInt(1);
    (*s)->Reset();
    return {};
  }

  // Reads the versions of the body row for a restricted reader, presented as
  // canonical object `seq` (its cursor place and admitted aggregates).
  Result<std::vector<StoredObject>> BodyVersions(const Scope& scope, int64_t seq, int64_t body,
                                                 std::optional<Micros> modified, bool latest) {
    std::string text(kSelectVersion);
    text.append("WHERE o.seq = ?");
    if (modified) text.append(" AND v.modified = ?");
    if (latest) text.append(" AND v.modified = o.modified");
    text.append(" ORDER BY v.modified");
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, body);
    if (modified) (*s)->BindInt(1, *modified);
    std::vector<StoredObject> out;
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      out.push_back(ReadStoredObject(**s));
    }
    std::optional<int64_t> personal;  // a merged body takes its canonical object's flag
    if (body != seq) {
      Filter f;
      f.Int(seq);
      auto flag = OptionalInt("SELECT personal_data FROM objects WHERE seq = ?", f);
      if (!flag.ok()) return flag.error();
      personal = flag->value_or(0);
    }
    for (StoredObject& object : out) {
      object.seq = seq;
      if (personal) object.personal_data = *personal != 0;
      if (!scope.everything) TESSERA_RETURN_IF_ERROR(AdmittedSeen(scope, seq, &object));
    }
    return out;
  }

  Result<std::optional<StoredObject>> Get(std::string_view id, std::optional<Micros> modified,
                                          const Scope& scope) {
    auto row = CanonicalRow(id);
    if (!row.ok()) return row.error();
    if (!*row) return std::optional<StoredObject>();
    auto body = BodySeq(scope, (*row)->seq);
    if (!body.ok()) return body.error();
    if (!*body) return std::optional<StoredObject>();
    auto versions = BodyVersions(scope, (*row)->seq, **body, modified, !modified);
    if (!versions.ok()) return versions.error();
    if (versions->empty()) return std::optional<StoredObject>();
    return std::optional<StoredObject>(std::move(versions->front()));
  }

  Result<std::vector<StoredObject>> Versions(std::string_view id, const Scope& scope) {
    auto row = CanonicalRow(id);
    if (!row.ok()) return row.error();
    if (!*row) return std::vector<StoredObject>();
    auto body = BodySeq(scope, (*row)->seq);
    if (!body.ok()) return body.error();
    if (!*body) return std::vector<StoredObject>();
    return BodyVersions(scope, (*row)->seq, **body, std::nullopt, false);
  }

  Result<Page> Search(const Query& query, const Scope& scope) {
    Filter select;
    std::string text = SelectPage(scope, &select);
    auto filter = BuildFilter(query, scope);
    if (!filter.ok()) return filter.error();
    int64_t after = 0;
    if (!query.cursor.empty()) {
      char* end = nullptr;
      after = std::strtoll(query.cursor.c_str(), &end, 10);
      if (end == nullptr || *end != '\0' || after <= 0) {
        return MakeError(ErrorCode::kInvalidArgument, "not a cursor: " + query.cursor, "cursor");
      }
    }
    size_t limit = std::clamp<size_t>(query.limit, 1, kMaxPageSize);
    text.append("AND v.modified = o.modified WHERE ")
        .append(filter->sql)
        .append(" AND o.seq > ? ORDER BY o.seq LIMIT ?");
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    select.Bind(*s);
    int n = static_cast<int>(select.params.size());
    filter->Bind(*s, n);
    n += static_cast<int>(filter->params.size());
    (*s)->BindInt(n, after);
    (*s)->BindInt(n + 1, static_cast<int64_t>(limit) + 1);
    Page page;
    std::vector<size_t> merged_bodies;  // objects whose own body the reader was not given
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      if (page.objects.size() == limit) {
        page.next = std::to_string(page.objects.back().seq);
        break;
      }
      if ((*s)->ColumnInt(11) == 0) merged_bodies.push_back(page.objects.size());
      page.objects.push_back(ReadStoredObject(**s));
    }
    (*s)->Reset();
    for (size_t i : merged_bodies) {
      StoredObject& object = page.objects[i];
      auto body = MergedBodySeq(scope, object.seq);
      if (!body.ok()) return body.error();
      if (!*body) return MakeError(ErrorCode::kInternal, "visible object without a body");
      auto versions = BodyVersions(scope, object.seq, **body, std::nullopt, true);
      if (!versions.ok()) return versions.error();
      if (versions->empty()) return MakeError(ErrorCode::kInternal, "merged body missing");
      object = std::move(versions->front());
    }
    return page;
  }

  Result<uint64_t> Count(const Query& query, const Scope& scope) {
    auto filter = BuildFilter(query, scope);
    if (!filter.ok()) return filter.error();
    auto n = OptionalInt("SELECT count(*) FROM objects o WHERE " + filter->sql, *filter);
    if (!n.ok()) return n.error();
    return static_cast<uint64_t>(n->value_or(0));
  }

  // The canonical object of `id` when the reader sees it.
  Result<std::optional<int64_t>> VisibleSeq(std::string_view id, const Scope& scope) {
    auto row = CanonicalRow(id);
    if (!row.ok()) return row.error();
    if (!*row || scope.everything) {
      return *row ? std::optional<int64_t>((*row)->seq) : std::optional<int64_t>();
    }
    Filter f;
    f.Int((*row)->seq);
    return OptionalInt("SELECT o.seq FROM objects o WHERE o.seq = ? AND " + Visible(scope, &f), f);
  }

  Result<std::vector<ProvenanceRecord>> Provenance(std::string_view id, const Scope& scope) {
    std::vector<ProvenanceRecord> out;
    auto seq = VisibleSeq(id, scope);
    if (!seq.ok()) return seq.error();
    if (!*seq) return out;
    Filter f;
    f.Int(**seq);
    std::string text =
        "SELECT src.partner, src.format, src.file, p.position, "
        "CASE WHEN p.submitted_id = '' THEN o.id ELSE p.submitted_id END, p.first_received, "
        "p.last_received, p.reports, p.run_id, sh.tlp, sh.communities, sh.recipients, "
        "sh.distribution, sh.sharing_group, p.tlp, a.members, p.anonymous, p.expires "
        "FROM provenance p "
        "JOIN objects o ON o.seq = p.object_seq JOIN sources src ON src.id = p.source_id "
        "JOIN sharing_requests sh ON sh.id = p.sharing_id "
        "LEFT JOIN audiences a ON a.id = p.audience_id WHERE p.object_seq = ?";
    if (!scope.everything) text.append(" AND ").append(Admits(scope, "p", &f));
    text.append(" ORDER BY p.first_received, src.partner, src.file, p.position");
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    f.Bind(*s);
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      const sql::Statement& st = **s;
      ProvenanceRecord p;
      p.partner = std::string(st.ColumnText(0));
      p.format = std::string(st.ColumnText(1));
      p.file = std::string(st.ColumnText(2));
      p.position = std::string(st.ColumnText(3));
      p.submitted_id = std::string(st.ColumnText(4));
      p.first_received = st.ColumnInt(5);
      p.last_received = st.ColumnInt(6);
      p.reports = static_cast<uint64_t>(st.ColumnInt(7));
      p.run_id = st.ColumnInt(8);
      p.sharing.tlp = std::string(st.ColumnText(9));
      p.sharing.communities = ParseJsonArray(st.ColumnText(10));
      p.sharing.recipients = ParseJsonArray(st.ColumnText(11));
      p.sharing.distribution = std::string(st.ColumnText(12));
      p.sharing.sharing_group = std::string(st.ColumnText(13));
      p.decision.tlp = std::string(st.ColumnText(14));
      p.decision.audience = SplitLines(st.IsNull(15) ? std::string_view() : st.ColumnText(15));
      p.decision.anonymous = st.ColumnInt(16) != 0;
      if (!st.IsNull(17)) p.decision.expires = st.ColumnInt(17);
      out.push_back(std::move(p));
    }
    return out;
  }

  Result<std::optional<Aggregates>> AggregatesOf(std::string_view id, const Scope& scope) {
    auto visible = VisibleSeq(id, scope);
    if (!visible.ok()) return visible.error();
    if (!*visible) return std::optional<Aggregates>();
    int64_t seq = **visible;
    Aggregates a;
    Filter f;
    f.Int(seq);
    std::string text =
        scope.everything
            ? "SELECT first_seen, last_seen, partners, reports FROM objects WHERE seq = ?"
            : "SELECT min(p.first_received), max(p.last_received), count(DISTINCT s.partner), "
              "sum(p.reports) FROM provenance p JOIN sources s ON s.id = p.source_id "
              "WHERE p.object_seq = ? AND ";
    if (!scope.everything) text.append(Admits(scope, "p", &f));
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    f.Bind(*s);
    auto found = (*s)->Step();
    if (!found.ok()) return found.error();
    a.first_seen = (*s)->ColumnInt(0);
    a.last_seen = (*s)->ColumnInt(1);
    a.partners = static_cast<uint64_t>((*s)->ColumnInt(2));
    a.reports = static_cast<uint64_t>((*s)->ColumnInt(3));
    (*s)->Reset();
    // Merged ids: for a restricted reader only those its admitted reports used.
    Filter mf;
    mf.Int(seq);
    std::string merged = "SELECT id FROM objects WHERE canonical_seq = ?";
    if (!scope.everything) {
      merged.append(" AND id IN (SELECT p.submitted_id FROM provenance p WHERE p.object_seq = ? AND ");
      mf.Int(seq);
      merged.append(Admits(scope, "p", &mf)).append(")");
    }
    merged.append(" ORDER BY seq");
    auto m = Prepare(merged);
    if (!m.ok()) return m.error();
    mf.Bind(*m);
    while (true) {
      auto next = (*m)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      a.merged_ids.emplace_back((*m)->ColumnText(0));
    }
    auto w = Prepare("SELECT list, reason FROM warnings WHERE object_seq = ? ORDER BY list");
    if (!w.ok()) return w.error();
    (*w)->BindInt(0, seq);
    while (true) {
      auto next = (*w)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      a.warnings.push_back({std::string((*w)->ColumnText(0)), std::string((*w)->ColumnText(1))});
    }
    return std::optional<Aggregates>(std::move(a));
  }

  static QuarantineEntry ReadQuarantine(const sql::Statement& st) {
    QuarantineEntry q;
    q.id = st.ColumnInt(0);
    q.run_id = st.ColumnInt(1);
    q.partner = std::string(st.ColumnText(2));
    q.format = std::string(st.ColumnText(3));
    q.file = std::string(st.ColumnText(4));
    q.position = std::string(st.ColumnText(5));
    q.reason = std::string(st.ColumnText(6));
    q.raw = st.ColumnBlob(7);
    q.truncated = st.ColumnInt(8) != 0;
    q.received = st.ColumnInt(9);
    return q;
  }

  static constexpr std::string_view kSelectQuarantine =
      "SELECT id, run_id, partner, format, file, position, reason, raw, truncated, received "
      "FROM quarantine ";

  Result<std::vector<QuarantineEntry>> ListQuarantine(const QuarantineFilter& filter) {
    std::string text(kSelectQuarantine);
    text.append("WHERE id > ?");
    if (!filter.partner.empty()) text.append(" AND partner = ?");
    if (filter.run_id != 0) text.append(" AND run_id = ?");
    text.append(" ORDER BY id LIMIT ?");
    auto s = Prepare(text);
    if (!s.ok()) return s.error();
    int i = 0;
    (*s)->BindInt(i++, filter.after_id);
    if (!filter.partner.empty()) (*s)->BindText(i++, filter.partner);
    if (filter.run_id != 0) (*s)->BindInt(i++, filter.run_id);
    (*s)->BindInt(i, static_cast<int64_t>(std::clamp<size_t>(filter.limit, 1, kMaxPageSize)));
    std::vector<QuarantineEntry> out;
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      out.push_back(ReadQuarantine(**s));
    }
    return out;
  }

  Result<std::optional<QuarantineEntry>> GetQuarantined(int64_t id) {
    auto s = Prepare(std::string(kSelectQuarantine).append("WHERE id = ?"));
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, id);
    auto found = (*s)->Step();
    if (!found.ok()) return found.error();
    if (!*found) return std::optional<QuarantineEntry>();
    QuarantineEntry q = ReadQuarantine(**s);
    (*s)->Reset();
    return std::optional<QuarantineEntry>(std::move(q));
  }

  Result<bool> DropQuarantined(int64_t id) {
    bool dropped = false;
    Status s = InWriteTransaction([&]() -> Status {
      auto d = Prepare("DELETE FROM quarantine WHERE id = ? RETURNING id");
      if (!d.ok()) return d.error();
      (*d)->BindInt(0, id);
      auto row = (*d)->Step();
      if (!row.ok()) return row.error();
      dropped = *row;
      (*d)->Reset();
      return {};
    });
    if (!s.ok()) return s.error();
    return dropped;
  }

  Result<int64_t> BeginRun(const IngestRun& run) {
    int64_t id = 0;
    Status s = InWriteTransaction([&]() -> Status {
      auto ins = Prepare(
          "INSERT INTO ingest_runs (partner, source, format, started, finished, status, records, "
          "bytes, new_objects, updated, duplicates, merged, quarantined, errors, message) "
          "VALUES (?, ?, ?, ?, 0, 'running', 0, 0, 0, 0, 0, 0, 0, 0, '') RETURNING id");
      if (!ins.ok()) return ins.error();
      (*ins)->BindText(0, run.partner);
      (*ins)->BindText(1, run.source);
      (*ins)->BindText(2, run.format);
      (*ins)->BindInt(3, run.started);
      auto row = (*ins)->Step();
      if (!row.ok()) return row.error();
      id = (*ins)->ColumnInt(0);
      (*ins)->Reset();
      return {};
    });
    if (!s.ok()) return s.error();
    return id;
  }

  Status FinishRun(const IngestRun& run) {
    return InWriteTransaction([&]() -> Status {
      auto u = Prepare(
          "UPDATE ingest_runs SET finished = ?, status = ?, records = ?, bytes = ?, "
          "new_objects = ?, updated = ?, duplicates = ?, merged = ?, quarantined = ?, "
          "errors = ?, message = ?, format = ? WHERE id = ?");
      if (!u.ok()) return u.error();
      sql::Statement& st = **u;
      st.BindInt(0, run.finished);
      st.BindText(1, run.status);
      st.BindInt(2, static_cast<int64_t>(run.records));
      st.BindInt(3, static_cast<int64_t>(run.bytes));
      st.BindInt(4, static_cast<int64_t>(run.stats.new_objects));
      st.BindInt(5, static_cast<int64_t>(run.stats.updated));
      st.BindInt(6, static_cast<int64_t>(run.stats.duplicates));
      st.BindInt(7, static_cast<int64_t>(run.stats.merged));
      st.BindInt(8, static_cast<int64_t>(run.stats.quarantined));
      st.BindInt(9, static_cast<int64_t>(run.errors));
      st.BindText(10, run.message);
      st.BindText(11, run.format);
      st.BindInt(12, run.id);
      return Done(st.Step());
    });
  }

  Result<std::vector<IngestRun>> Runs(size_t limit) {
    auto s = Prepare(
        "SELECT id, partner, source, format, started, finished, status, records, bytes, "
        "new_objects, updated, duplicates, merged, quarantined, errors, message "
        "FROM ingest_runs ORDER BY id DESC LIMIT ?");
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, static_cast<int64_t>(std::clamp<size_t>(limit, 1, kMaxPageSize)));
    std::vector<IngestRun> out;
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      const sql::Statement& st = **s;
      IngestRun r;
      r.id = st.ColumnInt(0);
      r.partner = std::string(st.ColumnText(1));
      r.source = std::string(st.ColumnText(2));
      r.format = std::string(st.ColumnText(3));
      r.started = st.ColumnInt(4);
      r.finished = st.ColumnInt(5);
      r.status = std::string(st.ColumnText(6));
      r.records = static_cast<uint64_t>(st.ColumnInt(7));
      r.bytes = static_cast<uint64_t>(st.ColumnInt(8));
      r.stats.new_objects = static_cast<uint64_t>(st.ColumnInt(9));
      r.stats.updated = static_cast<uint64_t>(st.ColumnInt(10));
      r.stats.duplicates = static_cast<uint64_t>(st.ColumnInt(11));
      r.stats.merged = static_cast<uint64_t>(st.ColumnInt(12));
      r.stats.quarantined = static_cast<uint64_t>(st.ColumnInt(13));
      r.errors = static_cast<uint64_t>(st.ColumnInt(14));
      r.message = std::string(st.ColumnText(15));
      out.push_back(std::move(r));
    }
    return out;
  }

  // Collects the first column of up to `limit` rows as problems, prefixed.
  Status CollectProblems(std::string_view query, std::string_view prefix,
                         std::vector<std::string>* problems) {
    auto s = Prepare(query);
    if (!s.ok()) return s.error();
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      std::string problem(prefix);
      problem.append((*s)->ColumnText(0));
      problems->push_back(std::move(problem));
    }
    return {};
  }

  // Migration 2 added what readers' visibility needs from the objects
  // themselves: the ends of relationships and sightings, and valid_until.
  Status BackfillVersion2() {
    auto s = Prepare(
        "SELECT o.seq, o.type, v.json FROM objects o JOIN object_versions v "
        "ON v.object_seq = o.seq AND v.modified = o.modified WHERE o.canonical_seq IS NULL "
        "AND o.type IN ('relationship', 'sighting', 'indicator')");
    if (!s.ok()) return s.error();
    std::vector<std::pair<int64_t, stix::StixObject>> objects;
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      stix::StixObject object;
      object.type = std::string((*s)->ColumnText(1));
      object.json = std::string((*s)->ColumnText(2));
      objects.emplace_back((*s)->ColumnInt(0), std::move(object));
    }
    for (const auto& [seq, object] : objects) {
      auto index = IndexObject(object);
      if (!index.ok()) continue;  // stored objects are valid JSON
      ObjectIndex ends_only;
      ends_only.source_ref = index->source_ref;
      ends_only.target_ref = index->target_ref;
      ends_only.sighting_refs = index->sighting_refs;
      ends_only.valid_until = index->valid_until;
      TESSERA_RETURN_IF_ERROR(InsertIndex(seq, object, ends_only));
    }
    return {};
  }

  Result<PurgeStats> Purge(Micros cutoff) {
    PurgeStats stats;
    Status status = InWriteTransaction([&]() -> Status {
      Filter f;
      f.Int(cutoff);
      auto touched = IntColumn(
          "SELECT DISTINCT object_seq FROM provenance WHERE expires IS NOT NULL AND expires <= ?", f);
      if (!touched.ok()) return touched.error();
      auto reports = OptionalInt(
          "SELECT count(*) FROM provenance WHERE expires IS NOT NULL AND expires <= ?", f);
      if (!reports.ok()) return reports.error();
      stats.reports = static_cast<uint64_t>(reports->value_or(0));
      {
        auto s = Prepare("DELETE FROM provenance WHERE expires IS NOT NULL AND expires <= ?");
        if (!s.ok()) return s.error();
        (*s)->BindInt(0, cutoff);
        TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
      }
      // Objects no report keeps any longer, and objects past valid_until.
      auto doomed = IntColumn(
          "SELECT o.seq FROM objects o WHERE o.canonical_seq IS NULL AND ("
          "(o.valid_until IS NOT NULL AND o.valid_until <= ?) OR "
          "NOT EXISTS (SELECT 1 FROM provenance p WHERE p.object_seq = o.seq))",
          f);
      if (!doomed.ok()) return doomed.error();
      for (int64_t seq : *doomed) TESSERA_RETURN_IF_ERROR(DeleteObject(seq, &stats));
      // What remains of partly purged objects: aggregates from the reports left.
      for (int64_t seq : *touched) {
        auto s = Prepare(
            "UPDATE objects SET "
            "reports = (SELECT coalesce(sum(p.reports), 0) FROM provenance p WHERE p.object_seq = ?), "
            "partners = (SELECT count(DISTINCT s.partner) FROM provenance p JOIN sources s "
            "ON s.id = p.source_id WHERE p.object_seq = ?), "
            "first_seen = coalesce((SELECT min(p.first_received) FROM provenance p "
            "WHERE p.object_seq = ?), first_seen), "
            "last_seen = coalesce((SELECT max(p.last_received) FROM provenance p "
            "WHERE p.object_seq = ?), last_seen) WHERE seq = ?");
        if (!s.ok()) return s.error();
        for (int i = 0; i < 5; ++i) (*s)->BindInt(i, seq);
        TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
      }
      return {};
    });
    if (!status.ok()) return status.error();
    return stats;
  }

  // Deletes canonical object `seq` with its merged ids, versions, index rows
  // and provenance.
  Status DeleteObject(int64_t seq, PurgeStats* stats) {
    Filter by_canonical;
    by_canonical.Int(seq);
    auto merged = IntColumn("SELECT seq FROM objects WHERE canonical_seq = ?", by_canonical);
    if (!merged.ok()) return merged.error();
    std::vector<int64_t> rows{seq};
    rows.insert(rows.end(), merged->begin(), merged->end());
    for (int64_t row : rows) {
      Filter f;
      f.Int(row);
      auto versions = OptionalInt("SELECT count(*) FROM object_versions WHERE object_seq = ?", f);
      if (!versions.ok()) return versions.error();
      stats->versions += static_cast<uint64_t>(versions->value_or(0));
      for (std::string_view table :
           {"object_versions", "observables", "names", "labels", "markings", "warnings",
            "object_ends", "provenance", "identity_keys"}) {
        auto s = Prepare(std::string("DELETE FROM ").append(table).append(" WHERE object_seq = ?"));
        if (!s.ok()) return s.error();
        (*s)->BindInt(0, row);
        TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
      }
      auto s = Prepare("DELETE FROM objects WHERE seq = ?");
      if (!s.ok()) return s.error();
      (*s)->BindInt(0, row);
      TESSERA_RETURN_IF_ERROR(Done((*s)->Step()));
    }
    ++stats->objects;
    return {};
  }

  Result<std::vector<std::string>> Check() {
    std::vector<std::string> problems;
    auto version = SchemaVersion();
    if (!version.ok()) return version.error();
    if (*version != CurrentSchemaVersion()) {
      problems.push_back("schema version " + std::to_string(*version) + ", expected " +
                         std::to_string(CurrentSchemaVersion()) + " (run tessera db migrate)");
      return problems;
    }
    if (db_->dialect() == sql::Dialect::kSqlite) {
      auto s = Prepare("PRAGMA integrity_check");
      if (!s.ok()) return s.error();
      while (true) {
        auto next = (*s)->Step();
        if (!next.ok()) return next.error();
        if (!*next) break;
        std::string_view line = (*s)->ColumnText(0);
        if (line != "ok") problems.push_back("sqlite integrity_check: " + std::string(line));
      }
    }
    static constexpr std::pair<std::string_view, std::string_view> kInvariants[] = {
        {"SELECT o.id FROM objects o LEFT JOIN object_versions v ON v.object_seq = o.seq AND "
         "v.modified = o.modified WHERE v.object_seq IS NULL LIMIT 20",
         "object without its latest version: "},
        {"SELECT o.id FROM objects o LEFT JOIN objects c ON c.seq = o.canonical_seq WHERE "
         "o.canonical_seq IS NOT NULL AND (c.seq IS NULL OR c.canonical_seq IS NOT NULL) LIMIT 20",
         "merged object whose canonical object is missing or merged itself: "},
        {"SELECT o.id FROM objects o WHERE o.canonical_seq IS NULL AND NOT EXISTS (SELECT 1 "
         "FROM provenance p WHERE p.object_seq = o.seq) LIMIT 20",
         "object without provenance: "},
        {"SELECT p.position FROM provenance p LEFT JOIN objects o ON o.seq = p.object_seq "
         "WHERE o.seq IS NULL LIMIT 20",
         "provenance for a missing object, at: "},
        {"SELECT p.position FROM provenance p LEFT JOIN sources s ON s.id = p.source_id "
         "LEFT JOIN sharing_requests sh ON sh.id = p.sharing_id "
         "WHERE s.id IS NULL OR sh.id IS NULL LIMIT 20",
         "provenance with a missing source or sharing request, at: "},
        {"SELECT p.position FROM provenance p LEFT JOIN audiences a ON a.id = p.audience_id "
         "WHERE a.id IS NULL LIMIT 20",
         "provenance without an audience (no reader would see it), at: "},
        {"SELECT ob.value FROM observables ob LEFT JOIN objects o ON o.seq = ob.object_seq "
         "WHERE o.seq IS NULL LIMIT 20",
         "observable index entry for a missing object: "},
        {"SELECT k.key FROM identity_keys k LEFT JOIN objects o ON o.seq = k.object_seq "
         "WHERE o.seq IS NULL OR o.canonical_seq IS NOT NULL LIMIT 20",
         "identity key pointing at a missing or merged object: "},
    };
    for (const auto& [query, prefix] : kInvariants) {
      TESSERA_RETURN_IF_ERROR(CollectProblems(query, prefix, &problems));
    }
    return problems;
  }

  Result<int64_t> ScalarInt(std::string_view query) {
    auto s = Prepare(query);
    if (!s.ok()) return s.error();
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    int64_t value = *row ? (*s)->ColumnInt(0) : 0;
    (*s)->Reset();
    return value;
  }

  Result<StoreStats> Stats(const Scope& scope) {
    StoreStats stats;
    stats.backend = backend_;
    auto version = SchemaVersion();
    if (!version.ok()) return version.error();
    stats.schema_version = *version;
    // Restricted readers count what they see: visible objects, the reports
    // on them that admit the reader, and their own partner's quarantine and runs.
    Filter visible;
    std::string where = "o.canonical_seq IS NULL";
    if (!scope.everything) where.append(" AND ").append(Visible(scope, &visible));
    auto s = Prepare("SELECT o.type, count(*) FROM objects o WHERE " + where +
                     " GROUP BY o.type ORDER BY o.type");
    if (!s.ok()) return s.error();
    visible.Bind(*s);
    while (true) {
      auto next = (*s)->Step();
      if (!next.ok()) return next.error();
      if (!*next) break;
      auto n = static_cast<uint64_t>((*s)->ColumnInt(1));
      stats.objects_by_type.emplace_back(std::string((*s)->ColumnText(0)), n);
      stats.objects += n;
    }
    if (scope.everything) {
      const std::pair<std::string_view, uint64_t*> scalars[] = {
          {"SELECT count(*) FROM objects WHERE canonical_seq IS NOT NULL", &stats.merged},
          {"SELECT count(*) FROM object_versions", &stats.versions},
          {"SELECT count(*) FROM provenance", &stats.provenance},
          {"SELECT count(DISTINCT s.partner) FROM provenance p JOIN sources s ON s.id = "
           "p.source_id",
           &stats.partners},
          {"SELECT count(*) FROM quarantine", &stats.quarantined},
          {"SELECT count(*) FROM ingest_runs", &stats.runs},
          {"SELECT count(*) FROM objects WHERE warninglisted = 1 AND canonical_seq IS NULL",
           &stats.warninglisted},
      };
      for (const auto& [query, out] : scalars) {
        auto value = ScalarInt(query);
        if (!value.ok()) return value.error();
        *out = static_cast<uint64_t>(*value);
      }
      return stats;
    }
    auto count = [&](std::string text, Filter f, uint64_t* out) -> Status {
      auto n = OptionalInt(text, f);
      if (!n.ok()) return n.error();
      *out = static_cast<uint64_t>(n->value_or(0));
      return {};
    };
    {
      Filter f;
      std::string admitted = Admits(scope, "p", &f);
      std::string vis = Visible(scope, &f);
      TESSERA_RETURN_IF_ERROR(count("SELECT count(*) FROM provenance p JOIN objects o ON o.seq = p.object_seq "
                        "WHERE " + admitted + " AND " + vis, f, &stats.provenance));
      TESSERA_RETURN_IF_ERROR(count("SELECT count(*) FROM provenance p JOIN objects o ON o.seq = p.object_seq "
                        "WHERE p.submitted_id <> '' AND " + admitted + " AND " + vis,
                        f, &stats.merged));
      TESSERA_RETURN_IF_ERROR(count("SELECT count(DISTINCT s.partner) FROM provenance p JOIN sources s ON "
                        "s.id = p.source_id JOIN objects o ON o.seq = p.object_seq WHERE " +
                        admitted + " AND " + vis, f, &stats.partners));
    }
    TESSERA_RETURN_IF_ERROR(count("SELECT count(*) FROM object_versions v JOIN objects o ON o.seq = "
                      "v.object_seq WHERE " + where, visible, &stats.versions));
    TESSERA_RETURN_IF_ERROR(count("SELECT count(*) FROM objects o WHERE o.warninglisted = 1 AND " + where,
                      visible, &stats.warninglisted));
    Filter own;
    own.Text(scope.partner);
    TESSERA_RETURN_IF_ERROR(count("SELECT count(*) FROM quarantine WHERE partner = ?", own, &stats.quarantined));
    TESSERA_RETURN_IF_ERROR(count("SELECT count(*) FROM ingest_runs WHERE partner = ?", own, &stats.runs));
    return stats;
  }

 private:
  std::unique_ptr<sql::Connection> db_;
  std::string backend_;
  std::map<std::vector<std::string>, int64_t> source_ids_;
  std::map<std::vector<std::string>, int64_t> sharing_ids_;
  std::map<std::vector<std::string>, int64_t> audience_ids_;
  int64_t next_seq_ = 0;  // the seq the next new object gets (inside Put)
  BatchCache* cache_ = nullptr;  // inside Put
  Source last_source_;
  int64_t last_source_id_ = 0;
  SharingRequest last_sharing_;
  int64_t last_sharing_id_ = 0;
};

namespace {
// Ends every statement's run when an operation returns (see
// sql::Connection::ResetStatements).
}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<PutStats> Store::Put(const Batch& batch) {
  StatementsReset done(impl_->db());
  return impl_->Put(batch);
}
Result<std::optional<StoredObject>> Store::Get(std::string_view id,
                                               std::optional<Micros> modified,
                                               const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->Get(id, modified, scope);
}
Result<std::vector<StoredObject>> Store::Versions(std::string_view id, const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->Versions(id, scope);
}
Result<bool> Store::Exists(std::string_view id, const Scope& scope) {
  StatementsReset done(impl_->db());
  auto seq = impl_->VisibleSeq(id, scope);
  if (!seq.ok()) return seq.error();
  return seq->has_value();
}
Result<Page> Store::Search(const Query& query, const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->Search(query, scope);
}
Result<uint64_t> Store::Count(const Query& query, const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->Count(query, scope);
}
Result<std::vector<ProvenanceRecord>> Store::Provenance(std::string_view id, const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->Provenance(id, scope);
}
Result<std::optional<Aggregates>> Store::AggregatesOf(std::string_view id, const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->AggregatesOf(id, scope);
}
Result<std::vector<QuarantineEntry>> Store::ListQuarantine(const QuarantineFilter& filter) {
  StatementsReset done(impl_->db());
  return impl_->ListQuarantine(filter);
}
Result<std::optional<QuarantineEntry>> Store::GetQuarantined(int64_t id) {
  StatementsReset done(impl_->db());
  return impl_->GetQuarantined(id);
}
Result<bool> Store::DropQuarantined(int64_t id) {
  StatementsReset done(impl_->db());
  return impl_->DropQuarantined(id);
}
Result<int64_t> Store::BeginRun(const IngestRun& run) {
  StatementsReset done(impl_->db());
  return impl_->BeginRun(run);
}
Status Store::FinishRun(const IngestRun& run) {
  StatementsReset done(impl_->db());
  return impl_->FinishRun(run);
}
Result<std::vector<IngestRun>> Store::Runs(size_t limit) {
  StatementsReset done(impl_->db());
  return impl_->Runs(limit);
}
Result<int> Store::SchemaVersion() {
  StatementsReset done(impl_->db());
  return impl_->SchemaVersion();
}
sql::Connection& Store::connection() { return impl_->db(); }

Result<int> Store::Migrate() {
  StatementsReset done(impl_->db());
  return impl_->Migrate();
}
Result<std::vector<std::string>> Store::Check() {
  StatementsReset done(impl_->db());
  return impl_->Check();
}
Result<PurgeStats> Store::Purge(Micros cutoff) {
  StatementsReset done(impl_->db());
  return impl_->Purge(cutoff);
}
Result<StoreStats> Store::Stats(const Scope& scope) {
  StatementsReset done(impl_->db());
  return impl_->Stats(scope);
}
std::string_view Store::backend() const { return impl_->backend(); }

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options) {
  std::unique_ptr<sql::Connection> connection;
  std::string backend;
  if (url.starts_with("postgresql:") || url.starts_with("postgres:")) {
    std::string conninfo = url;
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
      conninfo = url.substr(url.find(':') + 1);  // "postgresql:dbname=x host=y"
    }
    auto c = sql::OpenPostgres(conninfo);
    if (!c.ok()) return c.error();
    connection = std::move(*c);
    backend = "postgresql";
  } else {
    std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
    if (path.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty database path");
    if (!options.migrate && !FileExists(path)) {
      return MakeError(ErrorCode::kNotFound,
                       "no database here (create one with 'tessera db init' or 'tessera ingest')",
                       path);
    }
    auto c = sql::OpenSqlite(path);
    if (!c.ok()) return c.error();
    connection = std::move(*c);
    backend = "sqlite";
  }
  auto impl = std::make_unique<Store::Impl>(std::move(connection), std::move(backend));
  if (options.migrate) {
    auto m = impl->Migrate();
    if (!m.ok()) return m.error();
  } else if (options.require_current_schema) {
    auto version = impl->SchemaVersion();
    if (!version.ok()) return version.error();
    if (*version != CurrentSchemaVersion()) {
      return MakeError(ErrorCode::kUnsupported,
                       "database schema version " + std::to_string(*version) + ", this tessera "
                       "uses " + std::to_string(CurrentSchemaVersion()) +
                       " (run 'tessera db migrate')", url);
    }
  }
  impl->db().ResetStatements();
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

std::string DefaultStoreUrl() {
  if (const char* db = std::getenv("TESSERA_DB"); db != nullptr && *db != '\0') return db;
  std::string base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    base = std::string(home).append("/.local/share");
  } else {
    base = ".";
  }
  return base.append("/tessera/tessera.db");
}

Micros NowMicros() {
  core::Timestamp now = core::Now(6);
  return now.seconds * 1'000'000 + now.nanos / 1000;
}

Result<Micros> ParseMicros(std::string_view stix_timestamp) {
  auto ts = core::ParseStixTimestamp(stix_timestamp);
  if (!ts.ok()) return ts.error();
  return ts->seconds * 1'000'000 + ts->nanos / 1000;
}

std::string FormatMicros(Micros micros) {
  core::Timestamp ts;
  ts.seconds = micros / 1'000'000;
  int64_t rest = micros % 1'000'000;
  if (rest < 0) {
    rest += 1'000'000;
    ts.seconds -= 1;
  }
  ts.nanos = static_cast<int32_t>(rest * 1000);
  ts.frac_digits = rest % 1000 == 0 ? 3 : 6;
  return core::FormatTimestamp(ts);
}

}  // namespace tessera::store
