#include "governance/policy.h"

#include <openssl/rand.h>

#include <algorithm>
#include <set>
#include <utility>

#include "core/hash.h"
#include "core/json.h"
#include "core/time.h"
#include "governance/audit_log.h"
#include "governance/pseudonym.h"
#include "governance/tlp.h"

namespace tessera::governance {
namespace {

using store::NowMicros;

using core::ErrorCode;
using core::MakeError;
using core::Result;
using core::Status;

core::Error NotAllowed(std::string_view what) {
  return MakeError(ErrorCode::kPermissionDenied, std::string(what));
}

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string DetailsCount(size_t objects) {
  std::string details = R"({"objects":)";
  details.append(std::to_string(objects)).append("}");
  return details;
}

}  // namespace

std::string Reader::Actor() const {
  switch (kind) {
    case Kind::kOperator: return "operator";
    case Kind::kPublic: return "public";
    case Kind::kPartner: break;
  }
  std::string actor;
  if (!token_id.empty()) actor.append("token:").append(token_id).append(" ");
  actor.append("partner:").append(partner);
  return actor;
}

bool Reader::Has(Role role) const {
  if (kind == Kind::kOperator) return true;
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// Shows results to one restricted reader: pseudonyms for other partners'
// anonymous contributions, redaction of personal data the reader is not
// entitled to, and sharing details cut to what concerns the reader.
class Policy::Presenter {
 public:
  Presenter(Policy& policy, const Reader& reader, const store::Scope& scope)
      : policy_(policy), reader_(reader), scope_(scope) {}

  Status Init() {
    if (reader_.kind == Reader::Kind::kPartner) {
      auto communities = policy_.registry_->CommunitiesOf(reader_.partner);
      if (!communities.ok()) return communities.error();
      communities_ = std::move(*communities);
      auto self = policy_.registry_->GetPartner(reader_.partner);
      if (!self.ok()) return self.error();
      entitled_to_personal_data_ = *self && (*self)->personal_data;
    }
    auto partners = policy_.registry_->ListPartners();
    if (!partners.ok()) return partners.error();
    for (const store::PartnerRecord& p : *partners) {
      if (p.anonymous) anonymous_identities_[p.identity_id] = p.name;
    }
    return {};
  }

  Status Object(store::StoredObject* object) {
    if (reader_.kind == Reader::Kind::kOperator) return {};
    auto json = core::ParseJson(object->json);
    if (!json.ok() || !json->is_object()) {
      // Fail closed: nothing is shown that could not be checked.
      return MakeError(ErrorCode::kInternal, "a stored object is not a JSON object", object->id);
    }
    bool changed = false;
    if (object->type == "identity") {
      auto owner = AnonymousOwner(object->id);
      if (!owner.ok()) return owner.error();
      if (*owner) {
        Pseudonym p = PseudonymOf(**owner);
        object->json = PseudonymIdentityJson(p);
        object->id = p.identity_id;
        return {};
      }
    }
    if (object->type != "relationship" && object->type != "sighting") {
      // (Their own ends are checked by the store's predicate.)
      auto dropped = DropHiddenRefs(&*json);
      if (!dropped.ok()) return dropped.error();
      changed |= *dropped;
    }
    if (const core::Json* ref = json->Find("created_by_ref"); ref != nullptr && ref->is_string()) {
      auto owner = AnonymousOwner(ref->as_string());
      if (!owner.ok()) return owner.error();
      if (*owner) {
        json->Set("created_by_ref", core::Json::String(PseudonymOf(**owner).identity_id));
        changed = true;
      }
    }
    if (changed) object->json = core::WriteJson(*json);
    if (!entitled_to_personal_data_) {
      object->json = RedactRefs(object->json, policy_.rules_, policy_.hub_key_);
      if (object->personal_data || policy_.rules_.IsPersonal(object->type)) {
        object->json =
            Redact(object->json, policy_.rules_, policy_.hub_key_, object->personal_data);
        auto redacted = core::ParseJson(object->json);
        if (redacted.ok()) {
          if (const core::Json* id = redacted->Find("id"); id != nullptr && id->is_string()) {
            object->id = id->as_string();
          }
        }
      }
    }
    return {};
  }

  void Record(store::ProvenanceRecord* record) {
    if (reader_.kind == Reader::Kind::kOperator) return;
    if (record->decision.anonymous && record->partner != reader_.partner) {
      record->partner = PseudonymOf(record->partner).name;
      record->file.clear();  // a file name can name its sender
      record->run_id = 0;
    }
    auto keep = [](std::vector<std::string>* list, auto&& pred) {
      list->erase(std::remove_if(list->begin(), list->end(),
                                 [&](const std::string& v) { return !pred(v); }),
                  list->end());
    };
    keep(&record->sharing.communities,
         [&](const std::string& c) { return Contains(communities_, c); });
    keep(&record->sharing.recipients, [&](const std::string& r) { return r == reader_.partner; });
    keep(&record->decision.audience,
         [&](const std::string& k) { return Contains(scope_.keys, k); });
  }

 private:
  // Whether `id` is a stored object the reader may not see (an id the store
  // does not hold reveals nothing stored, and stays).
  Result<bool> Hidden(const std::string& id) {
    if (auto it = hidden_.find(id); it != hidden_.end()) return it->second;
    auto stored = policy_.store_.Exists(id);
    if (!stored.ok()) return stored.error();
    bool hidden = false;
    if (*stored) {
      auto seen = policy_.store_.Exists(id, scope_);
      if (!seen.ok()) return seen.error();
      hidden = !*seen;
    }
    hidden_[id] = hidden;
    return hidden;
  }

  // Removes, at any depth, references (members named *_ref, lists named
  // *_refs) to objects the reader may not see: a report's object_refs, an SCO's
  // resolves_to_refs. True when something was removed.
  Result<bool> DropHiddenRefs(core::Json* json) {
    bool dropped = false;
    if (json->is_array()) {
      for (core::Json& item : json->as_array()) {
        auto d = DropHiddenRefs(&item);
        if (!d.ok()) return d.error();
        dropped |= *d;
      }
      return dropped;
    }
    if (!json->is_object()) return false;
    core::Json::Object& members = json->as_object();
    for (size_t i = 0; i < members.size();) {
      auto& [key, value] = members[i];
      bool remove = false;
      if (key.ends_with("_ref") && value.is_string()) {
        auto hidden = Hidden(value.as_string());
        if (!hidden.ok()) return hidden.error();
        remove = *hidden;
      } else if (key.ends_with("_refs") && value.is_array()) {
        core::Json::Array& refs = value.as_array();
        for (size_t j = 0; j < refs.size();) {
          bool hide = false;
          if (refs[j].is_string()) {
            auto hidden = Hidden(refs[j].as_string());
            if (!hidden.ok()) return hidden.error();
            hide = *hidden;
          }
          if (hide) {
            refs.erase(refs.begin() + static_cast<std::ptrdiff_t>(j));
            dropped = true;
          } else {
            ++j;
          }
        }
      } else {
        auto d = DropHiddenRefs(&value);
        if (!d.ok()) return d.error();
        dropped |= *d;
      }
      if (remove) {
        members.erase(members.begin() + static_cast<std::ptrdiff_t>(i));
        dropped = true;
      } else {
        ++i;
      }
    }
    return dropped;
  }

  // The context of a pseudonym: the first community the reader shares with the
  // contributor, or "" (the public view, and recipients outside any community).
  std::string ContextFor(const std::string& partner) {
    if (auto it = contexts_.find(partner); it != contexts_.end()) return it->second;
    std::string context;
    auto theirs = policy_.registry_->CommunitiesOf(partner);
    if (theirs.ok()) {
      for (const std::string& c : communities_) {
        if (Contains(*theirs, c)) {
          context = c;
          break;
        }
      }
    }
    contexts_[partner] = context;
    return context;
  }

  Pseudonym PseudonymOf(const std::string& partner) {
    return PseudonymFor(policy_.hub_key_, partner, ContextFor(partner));
  }

  // The anonymous partner an identity stands for, when the reader must not
  // learn it: the registered identity of an anonymous partner, or an identity
  // object only anonymous contributions brought. Never the reader itself.
  Result<std::optional<std::string>> AnonymousOwner(const std::string& identity_id) {
    if (auto it = owners_.find(identity_id); it != owners_.end()) return it->second;
    std::optional<std::string> owner;
    if (auto it = anonymous_identities_.find(identity_id); it != anonymous_identities_.end()) {
      owner = it->second;
    } else {
      auto records = policy_.store_.Provenance(identity_id);
      if (!records.ok()) return records.error();
      bool all_anonymous = !records->empty();
      for (const store::ProvenanceRecord& r : *records) all_anonymous &= r.decision.anonymous;
      if (all_anonymous) owner = records->front().partner;
    }
    if (owner && *owner == reader_.partner) owner.reset();
    owners_[identity_id] = owner;
    return owner;
  }

  Policy& policy_;
  const Reader& reader_;
  const store::Scope& scope_;
  std::vector<std::string> communities_;
  bool entitled_to_personal_data_ = false;
  std::map<std::string, std::string> anonymous_identities_;  // identity id -> partner
  std::map<std::string, std::optional<std::string>> owners_;
  std::map<std::string, std::string> contexts_;
  std::map<std::string, bool> hidden_;
};

Policy::Policy(store::Store& store, RedactionRules rules)
    : store_(store),
      registry_(std::make_unique<store::Registry>(store)),
      audit_(std::make_unique<AuditLog>(*registry_)),
      rules_(std::move(rules)) {}

Policy::~Policy() = default;

Result<std::unique_ptr<Policy>> Policy::Open(store::Store& store) {
  std::unique_ptr<Policy> policy(new Policy(store, RedactionRules::Builtin()));
  auto configured = policy->registry_->GetSetting(kRedactionRulesSetting);
  if (!configured.ok()) return configured.error();
  if (*configured) {
    auto rules = RedactionRules::FromToml(**configured, "redaction rules (tessera redaction)");
    if (!rules.ok()) return rules.error();
    policy->rules_ = std::move(*rules);
  }
  // Read first: only the first use of a database takes the writer lock to create it.
  auto stored = policy->registry_->GetSetting("hub_key");
  if (!stored.ok()) return stored.error();
  if (*stored) {
    policy->hub_key_ = std::move(**stored);
  } else {
    auto key = policy->registry_->GetOrCreateSetting("hub_key", [] {
      unsigned char bytes[32];
      if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no randomness: nothing is safe
      return core::HexEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
    });
    if (!key.ok()) return key.error();
    policy->hub_key_ = std::move(*key);
  }
  return policy;
}

Reader Policy::Operator() { return Reader{}; }

Reader Policy::Public() {
  Reader r;
  r.kind = Reader::Kind::kPublic;
  return r;
}

Result<Reader> Policy::AsPartner(std::string_view name) {
  auto partner = registry_->GetPartner(name);
  if (!partner.ok()) return partner.error();
  if (!*partner) {
    return MakeError(ErrorCode::kNotFound, "no partner named " + std::string(name),
                     "--as");
  }
  Reader r;
  r.kind = Reader::Kind::kPartner;
  r.partner = std::string(name);
  r.roles = {Role::kConsumer};
  return r;
}

Result<Reader> Policy::Authenticate(std::string_view token, store::Micros now) {
  std::string failure;
  std::optional<store::TokenRecord> record;
  auto parsed = ParseToken(token);
  if (!parsed) {
    failure = "malformed token";
  } else {
    auto found = registry_->GetToken(parsed->id);
    if (!found.ok()) return found.error();
    record = std::move(*found);
    if (!record) {
      failure = "unknown token";
    } else {
      switch (Check(*record, parsed->secret, now)) {
        case TokenState::kValid: break;
        case TokenState::kWrongSecret: failure = "wrong secret"; break;
        case TokenState::kExpired: failure = "expired"; break;
        case TokenState::kRevoked: failure = "revoked"; break;
      }
    }
  }
  std::string target = parsed ? "token:" + parsed->id : std::string("token");
  if (!failure.empty()) {
    std::string details = R"({"reason":")";
    details.append(failure).append("\"}");
    auto logged = audit_->Append("public", "auth.failure", target, details);
    if (!logged.ok()) return logged.error();
    // One answer for every failure: a caller learns nothing about which tokens exist.
    return NotAllowed("token refused (unknown, revoked or expired)");
  }
  Reader r;
  r.kind = Reader::Kind::kPartner;
  r.partner = record->partner;
  r.token_id = record->id;
  for (const std::string& name : record->roles) {
    if (auto role = ParseRole(name)) r.roles.push_back(*role);
  }
  auto logged = audit_->Append(r.Actor(), "auth.success", target);
  if (!logged.ok()) return logged.error();
  return r;
}

Result<store::Scope> Policy::ScopeFor(const Reader& reader, store::Micros now) {
  if (reader.kind == Reader::Kind::kOperator) return store::Scope::Everything();
  store::Scope scope;
  scope.everything = false;
  scope.now = now;
  scope.keys.push_back("*");
  if (reader.kind == Reader::Kind::kPartner) {
    scope.partner = reader.partner;
    scope.keys.push_back(std::string("p:").append(reader.partner));
    auto communities = registry_->CommunitiesOf(reader.partner);
    if (!communities.ok()) return communities.error();
    for (const std::string& c : *communities) scope.keys.push_back(std::string("c:").append(c));
  }
  return scope;
}

Status Policy::RequireReader(const Reader& reader) {
  if (reader.kind != Reader::Kind::kPartner || reader.Has(Role::kConsumer) ||
      reader.Has(Role::kAdmin)) {
    return {};
  }
  return NotAllowed("this token may not read (it needs the consumer role)");
}

Status Policy::AuditRead(const Reader& reader, std::string_view what, size_t objects) {
  if (reader.kind != Reader::Kind::kPartner || objects == 0) return {};
  auto logged = audit_->Append(reader.Actor(), "read", what, DetailsCount(objects));
  if (!logged.ok()) return logged.error();
  return {};
}

Result<store::Page> Policy::Search(const Reader& reader, const store::Query& query) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  auto page = store_.Search(query, *scope);
  if (!page.ok()) return page.error();
  Presenter present(*this, reader, *scope);
  TESSERA_RETURN_IF_ERROR(present.Init());
  for (store::StoredObject& object : page->objects) TESSERA_RETURN_IF_ERROR(present.Object(&object));
  TESSERA_RETURN_IF_ERROR(AuditRead(reader, "search", page->objects.size()));
  return page;
}

Result<uint64_t> Policy::Count(const Reader& reader, const store::Query& query) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  return store_.Count(query, *scope);
}

Result<std::optional<store::StoredObject>> Policy::Get(const Reader& reader, std::string_view id,
                                                       std::optional<store::Micros> modified) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  auto object = store_.Get(id, modified, *scope);
  if (!object.ok() || !*object) return object;
  Presenter present(*this, reader, *scope);
  TESSERA_RETURN_IF_ERROR(present.Init());
  TESSERA_RETURN_IF_ERROR(present.Object(&**object));
  TESSERA_RETURN_IF_ERROR(AuditRead(reader, id, 1));
  return object;
}

Result<std::vector<store::StoredObject>> Policy::Versions(const Reader& reader,
                                                          std::string_view id) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  auto versions = store_.Versions(id, *scope);
  if (!versions.ok()) return versions.error();
  Presenter present(*this, reader, *scope);
  TESSERA_RETURN_IF_ERROR(present.Init());
  for (store::StoredObject& object : *versions) TESSERA_RETURN_IF_ERROR(present.Object(&object));
  TESSERA_RETURN_IF_ERROR(AuditRead(reader, id, versions->size()));
  return versions;
}

Result<std::vector<store::ProvenanceRecord>> Policy::Provenance(const Reader& reader,
                                                                std::string_view id) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  auto records = store_.Provenance(id, *scope);
  if (!records.ok()) return records.error();
  Presenter present(*this, reader, *scope);
  TESSERA_RETURN_IF_ERROR(present.Init());
  for (store::ProvenanceRecord& r : *records) present.Record(&r);
  return records;
}

Result<std::optional<store::Aggregates>> Policy::AggregatesOf(const Reader& reader,
                                                              std::string_view id) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  return store_.AggregatesOf(id, *scope);
}

Result<store::StoreStats> Policy::Stats(const Reader& reader) {
  TESSERA_RETURN_IF_ERROR(RequireReader(reader));
  auto scope = ScopeFor(reader, NowMicros());
  if (!scope.ok()) return scope.error();
  return store_.Stats(*scope);
}

Result<SharingOutcome> Policy::Decide(const stix::StixObject& object,
                                      const store::SharingRequest& request,
                                      const std::string& partner, store::Micros received) {
  auto cached = partners_.find(partner);
  if (cached == partners_.end()) {
    auto record = registry_->GetPartner(partner);
    if (!record.ok()) return record.error();
    cached = partners_.emplace(partner, std::move(*record)).first;
  }
  if (!retention_) {
    auto rules = registry_->RetentionRules();
    if (!rules.ok()) return rules.error();
    retention_ = std::move(*rules);
  }
  SharingInput input;
  input.marking_refs = object.object_marking_refs.list();
  input.request = request;
  input.contributor = partner;
  input.partner = cached->second ? &*cached->second : nullptr;
  input.received = received;
  input.type_retention = *retention_;
  input.type = object.type;
  auto outcome = DecideSharing(input);
  if (!outcome.ok()) return outcome;
  // The TLP and PAP marking definitions are public standards: whoever sees an
  // object may resolve its markings.
  if (object.type == "marking-definition" &&
      (TlpFromMarkingId(object.id) || PapFromMarkingId(object.id))) {
    outcome->decision.tlp = std::string(TlpName(Tlp::kClear));
    outcome->decision.audience = {"*"};
    outcome->notes.clear();
    return outcome;
  }
  // MISP distribution narrows the audience further: "your organisation only"
  // keeps it to the contributor; a sharing group to the community of that name.
  std::vector<std::string>& audience = outcome->decision.audience;
  const std::string self = std::string("p:").append(partner);
  if (request.distribution == "organisation") {
    audience = {self};
    outcome->notes.push_back("MISP distribution 'your organisation only': only the contributor sees it");
  } else if (request.distribution == "sharing-group") {
    auto known = known_communities_.find(request.sharing_group);
    if (known == known_communities_.end()) {
      auto community = registry_->GetCommunity(request.sharing_group);
      if (!community.ok()) return community.error();
      known = known_communities_.emplace(request.sharing_group, community->has_value()).first;
    }
    audience = {self};
    if (known->second) {
      audience.push_back(std::string("c:").append(request.sharing_group));
    } else {
      outcome->notes.push_back("MISP sharing group '" + request.sharing_group +
                               "' is no community here: only the contributor sees it");
    }
  }
  return outcome;
}

Result<std::optional<std::string>> Policy::ResolvePseudonym(const Reader& reader,
                                                            std::string_view pseudonym) {
  if (!reader.Has(Role::kAuditor)) return NotAllowed("resolving a pseudonym needs the auditor role");
  auto partners = registry_->ListPartners();
  if (!partners.ok()) return partners.error();
  std::optional<std::string> found;
  for (const store::PartnerRecord& p : *partners) {
    auto communities = registry_->CommunitiesOf(p.name);
    if (!communities.ok()) return communities.error();
    communities->push_back("");
    for (const std::string& context : *communities) {
      Pseudonym candidate = PseudonymFor(hub_key_, p.name, context);
      if (candidate.name == pseudonym || candidate.identity_id == pseudonym) found = p.name;
    }
  }
  std::string details = R"({"resolved":)";
  details.append(found ? "true" : "false").append("}");
  auto logged = audit_->Append(reader.Actor(), "pseudonym.resolve", pseudonym, details);
  if (!logged.ok()) return logged.error();
  return found;
}

store::Registry& Policy::registry() { return *registry_; }
AuditLog& Policy::audit() { return *audit_; }
std::string_view Policy::hub_key() const { return hub_key_; }

}  // namespace tessera::governance
