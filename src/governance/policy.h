// The one place Tessera decides who may see what. A Policy turns a reader
// (the operator, a partner, a token, or the unauthenticated public) into a
// store::Scope that the store ANDs into every query, and then shows each result
// as that reader may see it: other partners' anonymous contributions under
// per-community pseudonyms, personal data as keyed hashes for readers not
// entitled to it, sharing details cut to what concerns the reader. It also
// makes the sharing decision for every submission and writes the audit log.
// Every way out (CLI reads, exports, TAXII, REST, federation) reads through a
// Policy; none builds its own visibility rule. docs/GOVERNANCE.md has the rules.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "governance/redaction.h"
#include "governance/sharing.h"
#include "governance/token.h"
#include "store/registry.h"
#include "store/store.h"

namespace tessera::governance {

class AuditLog;

// Who reads or acts.
struct Reader {
  enum class Kind { kOperator, kPartner, kPublic };
  Kind kind = Kind::kOperator;
  std::string partner;      // kPartner
  std::vector<Role> roles;  // kPartner: the token's roles (consumer for --as)
  std::string token_id;     // set when authenticated by a token

  // "operator", "public", "partner:NAME" or "token:ID (partner:NAME)".
  std::string Actor() const;
  bool Has(Role role) const;  // the operator has every role
};

class Policy {
 public:
  // A policy over `store`: loads (or creates, on first use) the hub's secret
  // key for pseudonyms and redaction, and the redaction rules (the TOML the
  // operator set with `tessera redaction set`, else the built-in rules).
  static core::Result<std::unique_ptr<Policy>> Open(store::Store& store);

  // The setting that holds the operator's redaction rules (TOML text).
  static constexpr std::string_view kRedactionRulesSetting = "redaction_rules";
  ~Policy();

  static Reader Operator();
  static Reader Public();
  // A registered partner reading with the consumer role (`--as NAME`).
  core::Result<Reader> AsPartner(std::string_view name);
  // A token: its partner and roles. A malformed, unknown, wrong, revoked or
  // expired token is refused (kPermissionDenied, one message for all), and
  // every attempt is audited.
  core::Result<Reader> Authenticate(std::string_view token, store::Micros now);

  // The scope the store applies for `reader` at time `now`.
  core::Result<store::Scope> ScopeFor(const Reader& reader, store::Micros now);

  // Governed reads: what `reader` may see, as it may see it. A partner reader
  // needs the consumer (or admin) role. Reads that return data to a partner are
  // audited.
  core::Result<store::Page> Search(const Reader& reader, const store::Query& query);
  core::Result<uint64_t> Count(const Reader& reader, const store::Query& query);
  core::Result<std::optional<store::StoredObject>> Get(const Reader& reader, std::string_view id,
                                                       std::optional<store::Micros> modified = {});
  core::Result<std::vector<store::StoredObject>> Versions(const Reader& reader,
                                                          std::string_view id);
  core::Result<std::vector<store::ProvenanceRecord>> Provenance(const Reader& reader,
                                                                std::string_view id);
  core::Result<std::optional<store::Aggregates>> AggregatesOf(const Reader& reader,
                                                              std::string_view id);
  core::Result<store::StoreStats> Stats(const Reader& reader);

  // The sharing decision for one submission by `partner` (sharing.h has the
  // rules; a MISP distribution "organisation" keeps it to the contributor, a
  // "sharing-group" to the community of that name). Registered partners'
  // settings, retention rules and communities are read once per Policy.
  core::Result<SharingOutcome> Decide(const stix::StixObject& object,
                                      const store::SharingRequest& request,
                                      const std::string& partner, store::Micros received);

  // The real partner behind a pseudonym (its name or identity id). Auditors
  // only; the resolution is itself audited. nullopt: no partner has it.
  core::Result<std::optional<std::string>> ResolvePseudonym(const Reader& reader,
                                                            std::string_view pseudonym);

  store::Registry& registry();
  AuditLog& audit();
  std::string_view hub_key() const;

 private:
  Policy(store::Store& store, RedactionRules rules);
  class Presenter;
  core::Status RequireReader(const Reader& reader);
  core::Status AuditRead(const Reader& reader, std::string_view what, size_t objects);

  store::Store& store_;
  std::unique_ptr<store::Registry> registry_;
  std::unique_ptr<AuditLog> audit_;
  RedactionRules rules_;
  std::string hub_key_;
  // Decide's caches: partner settings and retention rules, read on first use.
  std::map<std::string, std::optional<store::PartnerRecord>, std::less<>> partners_;
  std::optional<std::vector<std::pair<std::string, int64_t>>> retention_;
  std::map<std::string, bool, std::less<>> known_communities_;  // MISP sharing groups
};

}  // namespace tessera::governance
