#include "store/registry.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/json.h"
#include "store/sql/connection.h"
#include "store/sql/util.h"

namespace tessera::store {
namespace {

using core::ErrorCode;
using core::MakeError;
using core::Result;
using core::Status;
using sql::InWriteTransaction;
using sql::JsonArray;
using sql::ParseJsonArray;
using sql::StatementsReset;

// The code of "that name is taken".
constexpr ErrorCode kTaken = ErrorCode::kAlreadyExists;

constexpr size_t kMaxAuditPage = 10'000;
constexpr int64_t kScanPage = 1'000;

// Runs a statement to its end (a write, or a read whose rows are not wanted).
Status Run(sql::Statement& statement) { return sql::Done(statement.Step()); }


// Whether a query with one text parameter returns a row.
Result<bool> Exists(sql::Connection& db, std::string_view sql_text, std::string_view key) {
  auto s = db.Prepare(sql_text);
  if (!s.ok()) return s.error();
  (*s)->BindText(0, key);
  return (*s)->Step();
}

// kTaken when the query (one text parameter) finds `key`: "WHAT KEY already exists".
Status RefuseTaken(sql::Connection& db, std::string_view sql_text, std::string_view what,
                   const std::string& key) {
  auto taken = Exists(db, sql_text, key);
  if (!taken.ok()) return taken.error();
  if (!*taken) return {};
  std::string message(what);
  message.append(" ").append(key).append(" already exists");
  return MakeError(kTaken, std::move(message), key);
}


void BindOptionalInt(sql::Statement& s, int index, const std::optional<int64_t>& value) {
  if (value) {
    s.BindInt(index, *value);
  } else {
    s.BindNull(index);
  }
}

// Replaces (or, with nullopt, removes) a setting; inside the caller's write
// transaction.
Status ReplaceSetting(sql::Connection& db, std::string_view name,
                      std::optional<std::string_view> value) {
  auto remove = db.Prepare("DELETE FROM settings WHERE name = ?");
  if (!remove.ok()) return remove.error();
  (*remove)->BindText(0, name);
  TESSERA_RETURN_IF_ERROR(Run(**remove));
  if (!value) return {};
  auto insert = db.Prepare("INSERT INTO settings (name, value) VALUES (?, ?)");
  if (!insert.ok()) return insert.error();
  (*insert)->BindText(0, name);
  (*insert)->BindText(1, *value);
  return Run(**insert);
}

// The settings columns of `partners`, in the order both the INSERT and the
// UPDATE bind them (0-7); the name follows at 8.
constexpr std::string_view kPartnerSettings =
    "identity_id, description, default_tlp, default_communities, anonymous, recognition, "
    "retention_days, personal_data";

void BindPartnerSettings(sql::Statement& s, const PartnerRecord& partner) {
  s.BindText(0, partner.identity_id);
  s.BindText(1, partner.description);
  s.BindText(2, partner.default_tlp);
  s.BindText(3, JsonArray(partner.default_communities));
  s.BindInt(4, partner.anonymous ? 1 : 0);
  s.BindInt(5, partner.recognition ? 1 : 0);
  BindOptionalInt(s, 6, partner.retention_days);
  s.BindInt(7, partner.personal_data ? 1 : 0);
  s.BindText(8, partner.name);
}

std::optional<int64_t> OptionalInt(const sql::Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return s.ColumnInt(column);
}

// Characters (UTF-8 code points) in `text`: SQL substr() counts characters.
int64_t CharacterCount(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

constexpr std::string_view kSelectPartner =
    "SELECT name, identity_id, description, default_tlp, default_communities, anonymous, "
    "recognition, retention_days, personal_data, created FROM partners";

PartnerRecord ReadPartner(const sql::Statement& s) {
  PartnerRecord p;
  p.name = std::string(s.ColumnText(0));
  p.identity_id = std::string(s.ColumnText(1));
  p.description = std::string(s.ColumnText(2));
  p.default_tlp = std::string(s.ColumnText(3));
  p.default_communities = ParseJsonArray(s.ColumnText(4));
  p.anonymous = s.ColumnInt(5) != 0;
  p.recognition = s.ColumnInt(6) != 0;
  p.retention_days = OptionalInt(s, 7);
  p.personal_data = s.ColumnInt(8) != 0;
  p.created = s.ColumnInt(9);
  return p;
}

constexpr std::string_view kSelectToken =
    "SELECT id, partner, roles, hash, description, created, expires, revoked FROM tokens";

TokenRecord ReadToken(const sql::Statement& s) {
  TokenRecord t;
  t.id = std::string(s.ColumnText(0));
  t.partner = std::string(s.ColumnText(1));
  t.roles = ParseJsonArray(s.ColumnText(2));
  t.hash = s.ColumnBlob(3);
  t.description = std::string(s.ColumnText(4));
  t.created = s.ColumnInt(5);
  t.expires = OptionalInt(s, 6);
  t.revoked = OptionalInt(s, 7);
  return t;
}

constexpr std::string_view kSelectAudit =
    "SELECT seq, time, actor, action, target, details, prev_hash, hash FROM audit_log";

AuditRecord ReadAudit(const sql::Statement& s) {
  AuditRecord a;
  a.seq = s.ColumnInt(0);
  a.time = s.ColumnInt(1);
  a.actor = std::string(s.ColumnText(2));
  a.action = std::string(s.ColumnText(3));
  a.target = std::string(s.ColumnText(4));
  a.details = std::string(s.ColumnText(5));
  a.prev_hash = std::string(s.ColumnText(6));
  a.hash = std::string(s.ColumnText(7));
  return a;
}

// Checks a partner's identity is not another partner's (`name` may keep its own).
Status CheckIdentityFree(sql::Connection& db, const PartnerRecord& partner) {
  auto s = db.Prepare("SELECT name FROM partners WHERE identity_id = ? AND name <> ?");
  if (!s.ok()) return s.error();
  (*s)->BindText(0, partner.identity_id);
  (*s)->BindText(1, partner.name);
  auto row = (*s)->Step();
  if (!row.ok()) return row.error();
  if (*row) {
    std::string message = "identity ";
    message.append(partner.identity_id)
        .append(" already exists: it is partner ")
        .append((*s)->ColumnText(0));
    return MakeError(kTaken, std::move(message), partner.name);
  }
  return {};
}

}  // namespace

Registry::Registry(Store& store) : store_(store) {}

// --- Partners ---------------------------------------------------------------

Status Registry::AddPartner(const PartnerRecord& partner) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  return InWriteTransaction(db, [&]() -> Status {
    TESSERA_RETURN_IF_ERROR(RefuseTaken(db, "SELECT 1 FROM partners WHERE name = ?", "partner", partner.name));
    TESSERA_RETURN_IF_ERROR(CheckIdentityFree(db, partner));
    std::string text = "INSERT INTO partners (";
    text.append(kPartnerSettings).append(", name, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto s = db.Prepare(text);
    if (!s.ok()) return s.error();
    BindPartnerSettings(**s, partner);
    (*s)->BindInt(9, partner.created);
    return Run(**s);
  });
}

Status Registry::UpdatePartner(const PartnerRecord& partner) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  return InWriteTransaction(db, [&]() -> Status {
    auto exists = Exists(db, "SELECT 1 FROM partners WHERE name = ?", partner.name);
    if (!exists.ok()) return exists.error();
    if (!*exists) {
      std::string message = "no partner ";
      message.append(partner.name);
      return MakeError(ErrorCode::kNotFound, std::move(message), partner.name);
    }
    TESSERA_RETURN_IF_ERROR(CheckIdentityFree(db, partner));
    // `created` stays as it was first recorded.
    auto s = db.Prepare(
        "UPDATE partners SET identity_id = ?, description = ?, default_tlp = ?, "
        "default_communities = ?, anonymous = ?, recognition = ?, retention_days = ?, "
        "personal_data = ? WHERE name = ?");
    if (!s.ok()) return s.error();
    BindPartnerSettings(**s, partner);
    return Run(**s);
  });
}

Result<std::optional<PartnerRecord>> Registry::GetPartner(std::string_view name) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  std::string text(kSelectPartner);
  text.append(" WHERE name = ?");
  auto s = db.Prepare(text);
  if (!s.ok()) return s.error();
  (*s)->BindText(0, name);
  auto row = (*s)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<PartnerRecord>();
  return std::optional<PartnerRecord>(ReadPartner(**s));
}

Result<std::vector<PartnerRecord>> Registry::ListPartners() {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  auto s = db.Prepare(kSelectPartner);
  if (!s.ok()) return s.error();
  std::vector<PartnerRecord> partners;
  while (true) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    partners.push_back(ReadPartner(**s));
  }
  // Sorted here, by bytes: PostgreSQL's ORDER BY follows the database's collation.
  std::sort(partners.begin(), partners.end(),
            [](const PartnerRecord& a, const PartnerRecord& b) { return a.name < b.name; });
  return partners;
}

Result<bool> Registry::RemovePartner(std::string_view name) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  bool removed = false;
  Status status = InWriteTransaction(db, [&]() -> Status {
    auto exists = Exists(db, "SELECT 1 FROM partners WHERE name = ?", name);
    if (!exists.ok()) return exists.error();
    if (!*exists) return {};
    for (std::string_view text :
         {"DELETE FROM community_members WHERE partner = ?", "DELETE FROM tokens WHERE partner = ?",
          "DELETE FROM partners WHERE name = ?"}) {
      auto s = db.Prepare(text);
      if (!s.ok()) return s.error();
      (*s)->BindText(0, name);
      TESSERA_RETURN_IF_ERROR(Run(**s));
    }
    removed = true;
    return {};
  });
  if (!status.ok()) return status.error();
  return removed;
}

// --- Communities ------------------------------------------------------------

Status Registry::AddCommunity(const CommunityRecord& community) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  return InWriteTransaction(db, [&]() -> Status {
    TESSERA_RETURN_IF_ERROR(RefuseTaken(db, "SELECT 1 FROM communities WHERE name = ?", "community", community.name));
    auto s = db.Prepare(
        "INSERT INTO communities (name, description, confidential, created) VALUES (?, ?, ?, ?)");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, community.name);
    (*s)->BindText(1, community.description);
    (*s)->BindInt(2, community.confidential ? 1 : 0);
    (*s)->BindInt(3, community.created);
    return Run(**s);
  });
}

Result<std::optional<CommunityRecord>> Registry::GetCommunity(std::string_view name) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  auto s =
      db.Prepare("SELECT name, description, confidential, created FROM communities WHERE name = ?");
  if (!s.ok()) return s.error();
  (*s)->BindText(0, name);
  auto row = (*s)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<CommunityRecord>();
  CommunityRecord community;
  community.name = std::string((*s)->ColumnText(0));
  community.description = std::string((*s)->ColumnText(1));
  community.confidential = (*s)->ColumnInt(2) != 0;
  community.created = (*s)->ColumnInt(3);

  auto m = db.Prepare("SELECT partner FROM community_members WHERE community = ?");
  if (!m.ok()) return m.error();
  (*m)->BindText(0, name);
  while (true) {
    auto member = (*m)->Step();
    if (!member.ok()) return member.error();
    if (!*member) break;
    community.members.emplace_back((*m)->ColumnText(0));
  }
  std::sort(community.members.begin(), community.members.end());
  return std::optional<CommunityRecord>(std::move(community));
}

Result<std::vector<CommunityRecord>> Registry::ListCommunities() {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  std::map<std::string, CommunityRecord> by_name;  // sorted by bytes
  auto s = db.Prepare("SELECT name, description, confidential, created FROM communities");
  if (!s.ok()) return s.error();
  while (true) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    CommunityRecord community;
    community.name = std::string((*s)->ColumnText(0));
    community.description = std::string((*s)->ColumnText(1));
    community.confidential = (*s)->ColumnInt(2) != 0;
    community.created = (*s)->ColumnInt(3);
    std::string key = community.name;
    by_name.emplace(std::move(key), std::move(community));
  }
  auto m = db.Prepare("SELECT community, partner FROM community_members");
  if (!m.ok()) return m.error();
  while (true) {
    auto row = (*m)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    auto it = by_name.find(std::string((*m)->ColumnText(0)));
    if (it != by_name.end()) it->second.members.emplace_back((*m)->ColumnText(1));
  }
  std::vector<CommunityRecord> communities;
  communities.reserve(by_name.size());
  for (auto& [name, community] : by_name) {
    std::sort(community.members.begin(), community.members.end());
    communities.push_back(std::move(community));
  }
  return communities;
}

Result<bool> Registry::Join(std::string_view community, std::string_view partner, Micros when) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  bool joined = false;
  Status status = InWriteTransaction(db, [&]() -> Status {
    auto has_community = Exists(db, "SELECT 1 FROM communities WHERE name = ?", community);
    if (!has_community.ok()) return has_community.error();
    if (!*has_community) {
      std::string message = "no community ";
      message.append(community);
      return MakeError(ErrorCode::kNotFound, std::move(message), std::string(community));
    }
    auto has_partner = Exists(db, "SELECT 1 FROM partners WHERE name = ?", partner);
    if (!has_partner.ok()) return has_partner.error();
    if (!*has_partner) {
      std::string message = "no partner ";
      message.append(partner);
      return MakeError(ErrorCode::kNotFound, std::move(message), std::string(partner));
    }
    auto member = db.Prepare("SELECT 1 FROM community_members WHERE community = ? AND partner = ?");
    if (!member.ok()) return member.error();
    (*member)->BindText(0, community);
    (*member)->BindText(1, partner);
    auto is_member = (*member)->Step();
    if (!is_member.ok()) return is_member.error();
    if (*is_member) return {};
    auto s =
        db.Prepare("INSERT INTO community_members (community, partner, joined) VALUES (?, ?, ?)");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, community);
    (*s)->BindText(1, partner);
    (*s)->BindInt(2, when);
    TESSERA_RETURN_IF_ERROR(Run(**s));
    joined = true;
    return {};
  });
  if (!status.ok()) return status.error();
  return joined;
}

Result<bool> Registry::Leave(std::string_view community, std::string_view partner) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  bool left = false;
  Status status = InWriteTransaction(db, [&]() -> Status {
    auto member = db.Prepare("SELECT 1 FROM community_members WHERE community = ? AND partner = ?");
    if (!member.ok()) return member.error();
    (*member)->BindText(0, community);
    (*member)->BindText(1, partner);
    auto is_member = (*member)->Step();
    if (!is_member.ok()) return is_member.error();
    if (!*is_member) return {};
    auto s = db.Prepare("DELETE FROM community_members WHERE community = ? AND partner = ?");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, community);
    (*s)->BindText(1, partner);
    TESSERA_RETURN_IF_ERROR(Run(**s));
    left = true;
    return {};
  });
  if (!status.ok()) return status.error();
  return left;
}

Result<std::vector<std::string>> Registry::CommunitiesOf(std::string_view partner) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  auto s = db.Prepare("SELECT community FROM community_members WHERE partner = ?");
  if (!s.ok()) return s.error();
  (*s)->BindText(0, partner);
  std::vector<std::string> communities;
  while (true) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    communities.emplace_back((*s)->ColumnText(0));
  }
  std::sort(communities.begin(), communities.end());
  return communities;
}

// --- Tokens -----------------------------------------------------------------

Status Registry::AddToken(const TokenRecord& token) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  return InWriteTransaction(db, [&]() -> Status {
    TESSERA_RETURN_IF_ERROR(RefuseTaken(db, "SELECT 1 FROM tokens WHERE id = ?", "token", token.id));
    auto s = db.Prepare(
        "INSERT INTO tokens (id, partner, roles, hash, description, created, expires, revoked) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s.ok()) return s.error();
    sql::Statement& insert = **s;
    insert.BindText(0, token.id);
    insert.BindText(1, token.partner);
    insert.BindText(2, JsonArray(token.roles));
    insert.BindBlob(3, token.hash);
    insert.BindText(4, token.description);
    insert.BindInt(5, token.created);
    BindOptionalInt(insert, 6, token.expires);
    BindOptionalInt(insert, 7, token.revoked);
    return Run(insert);
  });
}

Result<std::optional<TokenRecord>> Registry::GetToken(std::string_view id) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  std::string text(kSelectToken);
  text.append(" WHERE id = ?");
  auto s = db.Prepare(text);
  if (!s.ok()) return s.error();
  (*s)->BindText(0, id);
  auto row = (*s)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<TokenRecord>();
  return std::optional<TokenRecord>(ReadToken(**s));
}

Result<std::vector<TokenRecord>> Registry::ListTokens(std::string_view partner) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  std::string text(kSelectToken);
  if (!partner.empty()) text.append(" WHERE partner = ?");
  auto s = db.Prepare(text);
  if (!s.ok()) return s.error();
  if (!partner.empty()) (*s)->BindText(0, partner);
  std::vector<TokenRecord> tokens;
  while (true) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    tokens.push_back(ReadToken(**s));
  }
  std::sort(tokens.begin(), tokens.end(),
            [](const TokenRecord& a, const TokenRecord& b) { return a.id < b.id; });
  return tokens;
}

Result<bool> Registry::RevokeToken(std::string_view id, Micros when) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  bool revoked = false;
  Status status = InWriteTransaction(db, [&]() -> Status {
    auto live = Exists(db, "SELECT 1 FROM tokens WHERE id = ? AND revoked IS NULL", id);
    if (!live.ok()) return live.error();
    if (!*live) return {};
    auto s = db.Prepare("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL");
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, when);
    (*s)->BindText(1, id);
    TESSERA_RETURN_IF_ERROR(Run(**s));
    revoked = true;
    return {};
  });
  if (!status.ok()) return status.error();
  return revoked;
}

// --- Retention --------------------------------------------------------------

Status Registry::SetRetention(std::string_view type, std::optional<int64_t> days) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  return InWriteTransaction(db, [&]() -> Status {
    auto remove = db.Prepare("DELETE FROM retention_rules WHERE type = ?");
    if (!remove.ok()) return remove.error();
    (*remove)->BindText(0, type);
    TESSERA_RETURN_IF_ERROR(Run(**remove));
    if (!days) return {};
    auto insert = db.Prepare("INSERT INTO retention_rules (type, days) VALUES (?, ?)");
    if (!insert.ok()) return insert.error();
    (*insert)->BindText(0, type);
    (*insert)->BindInt(1, *days);
    return Run(**insert);
  });
}

Result<std::vector<std::pair<std::string, int64_t>>> Registry::RetentionRules() {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  auto s = db.Prepare("SELECT type, days FROM retention_rules");
  if (!s.ok()) return s.error();
  std::vector<std::pair<std::string, int64_t>> rules;
  while (true) {
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    rules.emplace_back(std::string((*s)->ColumnText(0)), (*s)->ColumnInt(1));
  }
  std::sort(rules.begin(), rules.end());
  return rules;
}

// --- Settings ---------------------------------------------------------------

Result<std::optional<std::string>> Registry::GetSetting(std::string_view name) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  auto s = db.Prepare("SELECT value FROM settings WHERE name = ?");
  if (!s.ok()) return s.error();
  (*s)->BindText(0, name);
  auto row = (*s)->Step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*s)->ColumnText(0)));
}

Result<std::string> Registry::GetOrCreateSetting(std::string_view name,
                                                 const std::function<std::string()>& make) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  std::string value;
  // Read and insert under the writer lock: two processes racing both end up
  // with the value the first one stored.
  Status status = InWriteTransaction(db, [&]() -> Status {
    auto s = db.Prepare("SELECT value FROM settings WHERE name = ?");
    if (!s.ok()) return s.error();
    (*s)->BindText(0, name);
    auto row = (*s)->Step();
    if (!row.ok()) return row.error();
    if (*row) {
      value = std::string((*s)->ColumnText(0));
      return {};
    }
    value = make();
    auto insert = db.Prepare("INSERT INTO settings (name, value) VALUES (?, ?)");
    if (!insert.ok()) return insert.error();
    (*insert)->BindText(0, name);
    (*insert)->BindText(1, value);
    return Run(**insert);
  });
  if (!status.ok()) return status.error();
  return value;
}

Status Registry::SetSetting(std::string_view name, std::optional<std::string_view> value) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  return InWriteTransaction(db, [&]() -> Status { return ReplaceSetting(db, name, value); });
}

// --- Audit log --------------------------------------------------------------

Result<AuditRecord> Registry::AppendAudit(
    AuditRecord entry, const std::function<std::string(const AuditRecord&)>& hash) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  Status status = InWriteTransaction(db, [&]() -> Status {
    auto last = db.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last.ok()) return last.error();
    auto row = (*last)->Step();
    if (!row.ok()) return row.error();
    entry.seq = *row ? (*last)->ColumnInt(0) + 1 : 1;
    entry.prev_hash = *row ? std::string((*last)->ColumnText(1)) : std::string();
    entry.hash = hash(entry);

    auto s = db.Prepare(
        "INSERT INTO audit_log (seq, time, actor, action, target, details, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s.ok()) return s.error();
    sql::Statement& insert = **s;
    insert.BindInt(0, entry.seq);
    insert.BindInt(1, entry.time);
    insert.BindText(2, entry.actor);
    insert.BindText(3, entry.action);
    insert.BindText(4, entry.target);
    insert.BindText(5, entry.details);
    insert.BindText(6, entry.prev_hash);
    insert.BindText(7, entry.hash);
    TESSERA_RETURN_IF_ERROR(Run(insert));

    std::string head = std::to_string(entry.seq);
    head.append(":").append(entry.hash);
    return ReplaceSetting(db, "audit_head", head);
  });
  if (!status.ok()) return status.error();
  return entry;
}

Result<std::vector<AuditRecord>> Registry::ListAudit(const AuditFilter& filter) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  // The SQL text is made of fixed clauses only (a handful of cached variants);
  // every value is a parameter.
  std::string text(kSelectAudit);
  text.append(" WHERE seq > ?");
  if (!filter.actor.empty()) text.append(" AND actor = ?");
  const bool prefix = !filter.action.empty() && filter.action.back() == '.';
  if (prefix) {
    // substr() rather than LIKE: exact and case-sensitive on both engines
    // (SQLite's LIKE ignores ASCII case) with no wildcard escaping to get wrong.
    text.append(" AND substr(action, 1, ?) = ?");
  } else if (!filter.action.empty()) {
    text.append(" AND action = ?");
  }
  if (filter.from) text.append(" AND time >= ?");
  if (filter.to) text.append(" AND time <= ?");
  text.append(" ORDER BY seq LIMIT ?");

  auto s = db.Prepare(text);
  if (!s.ok()) return s.error();
  sql::Statement& query = **s;
  int index = 0;
  query.BindInt(index++, filter.after_seq);
  if (!filter.actor.empty()) query.BindText(index++, filter.actor);
  if (prefix) {
    query.BindInt(index++, CharacterCount(filter.action));
    query.BindText(index++, filter.action);
  } else if (!filter.action.empty()) {
    query.BindText(index++, filter.action);
  }
  if (filter.from) query.BindInt(index++, *filter.from);
  if (filter.to) query.BindInt(index++, *filter.to);
  size_t limit = std::clamp<size_t>(filter.limit, 1, kMaxAuditPage);
  query.BindInt(index, static_cast<int64_t>(limit));

  std::vector<AuditRecord> entries;
  while (true) {
    auto row = query.Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    entries.push_back(ReadAudit(query));
  }
  return entries;
}

Status Registry::ScanAudit(const std::function<bool(const AuditRecord&)>& visit) {
  sql::Connection& db = store_.connection();
  StatementsReset done(db);
  std::string text(kSelectAudit);
  text.append(" WHERE seq > ? ORDER BY seq LIMIT ?");
  int64_t last = 0;
  std::vector<AuditRecord> page;
  while (true) {
    // A page is read whole and its statement ended before `visit` runs, so a
    // visitor may use the store, and memory holds one page at a time.
    page.clear();
    auto s = db.Prepare(text);
    if (!s.ok()) return s.error();
    (*s)->BindInt(0, last);
    (*s)->BindInt(1, kScanPage);
    while (true) {
      auto row = (*s)->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      page.push_back(ReadAudit(**s));
    }
    db.ResetStatements();
    for (const AuditRecord& entry : page) {
      if (!visit(entry)) return {};
    }
    if (page.size() < static_cast<size_t>(kScanPage)) return {};
    last = page.back().seq;
  }
}

}  // namespace tessera::store
