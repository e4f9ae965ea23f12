// The governance registry as stored: partners, communities and their members,
// API tokens (hashes only), per-type retention rules, settings, and the audit
// log. This is persistence only: governance/ decides what the rows mean
// (token hashing, the audit hash chain, sharing rules). A Registry uses its
// Store's connection and, like it, belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace tessera::store {

struct PartnerRecord {
  std::string name;         // unique; the key every other table uses
  std::string identity_id;  // the partner's STIX identity (identity--uuid)
  std::string description;
  std::string default_tlp;  // for submissions that state none: "clear" ... "red"
  std::vector<std::string> default_communities;
  bool anonymous = false;     // contributes under per-community pseudonyms
  bool recognition = false;   // opted in to public recognition
  std::optional<int64_t> retention_days;  // its data leaves after this; nullopt: kept
  bool personal_data = false;  // entitled to personal data in clear (no redaction)
  Micros created = 0;
};

struct CommunityRecord {
  std::string name;
  std::string description;
  bool confidential = false;  // members do not learn who the other members are
  Micros created = 0;
  std::vector<std::string> members;  // partner names, sorted
};

struct TokenRecord {
  std::string id;  // the public part of the token, unique
  std::string partner;
  std::vector<std::string> roles;  // "admin", "contributor", "consumer", "auditor"
  std::string hash;                // SHA-256 of the secret (32 bytes)
  std::string description;
  Micros created = 0;
  std::optional<Micros> expires;
  std::optional<Micros> revoked;
};

struct AuditRecord {
  int64_t seq = 0;  // 1, 2, 3, ... in append order
  Micros time = 0;
  std::string actor;   // "operator", "partner:NAME", "token:ID", "public"
  std::string action;  // "auth.success", "read", "token.issue", ...
  std::string target;
  std::string details;    // JSON object
  std::string prev_hash;  // hex; "" for the first entry
  std::string hash;       // hex SHA-256 (governance/audit.h defines what it covers)
};

struct AuditFilter {
  std::string actor;   // empty: any
  std::string action;  // empty: any; "token." matches every action starting with it
  std::optional<Micros> from, to;
  int64_t after_seq = 0;  // entries with a larger seq
  size_t limit = 100;
};

class Registry {
 public:
  explicit Registry(Store& store);

  // Partners. AddPartner fails with kAlreadyExists on a taken name or identity.
  core::Status AddPartner(const PartnerRecord& partner);
  core::Status UpdatePartner(const PartnerRecord& partner);  // kNotFound when missing
  core::Result<std::optional<PartnerRecord>> GetPartner(std::string_view name);
  core::Result<std::vector<PartnerRecord>> ListPartners();
  // Removes the partner, its memberships and its tokens (not its data).
  core::Result<bool> RemovePartner(std::string_view name);

  // Communities and members.
  core::Status AddCommunity(const CommunityRecord& community);  // members ignored
  core::Result<std::optional<CommunityRecord>> GetCommunity(std::string_view name);
  core::Result<std::vector<CommunityRecord>> ListCommunities();
  core::Result<bool> Join(std::string_view community, std::string_view partner, Micros when);
  core::Result<bool> Leave(std::string_view community, std::string_view partner);
  // The communities a partner is a member of, sorted.
  core::Result<std::vector<std::string>> CommunitiesOf(std::string_view partner);

  // Tokens.
  core::Status AddToken(const TokenRecord& token);
  core::Result<std::optional<TokenRecord>> GetToken(std::string_view id);
  core::Result<std::vector<TokenRecord>> ListTokens(std::string_view partner);  // "": all
  core::Result<bool> RevokeToken(std::string_view id, Micros when);  // false: unknown or revoked

  // Retention per object type (days).
  core::Status SetRetention(std::string_view type, std::optional<int64_t> days);  // nullopt: remove
  core::Result<std::vector<std::pair<std::string, int64_t>>> RetentionRules();

  // Settings: small named values (the hub's HMAC key, ...).
  core::Result<std::optional<std::string>> GetSetting(std::string_view name);
  // Stores a value (replacing the old one); nullopt removes it.
  core::Status SetSetting(std::string_view name, std::optional<std::string_view> value);
  // The stored value, or `make()` stored now when there is none.
  core::Result<std::string> GetOrCreateSetting(std::string_view name,
                                               const std::function<std::string()>& make);

  // The audit log. Append takes the writer lock, reads the last entry, fills
  // seq and prev_hash, calls `hash` to fill hash, and inserts: one transaction,
  // so concurrent appenders form one chain.
  core::Result<AuditRecord> AppendAudit(AuditRecord entry,
                                        const std::function<std::string(const AuditRecord&)>& hash);
  core::Result<std::vector<AuditRecord>> ListAudit(const AuditFilter& filter);
  // Every entry in seq order, streamed to `visit` (false stops).
  core::Status ScanAudit(const std::function<bool(const AuditRecord&)>& visit);

 private:
  Store& store_;
};

}  // namespace tessera::store
