// AlienVault OTX pulses: one record per pulse. The pulse becomes a report whose
// object_refs are everything mapped from it; each indicator becomes its SCO and
// an indicator by its OTX type; tags are labels, TLP a marking, the author an
// identity, adversary a threat-actor, malware_families malware, attack_ids
// attack-patterns, references external references.
#include "formats/jsonfeeds/otx.h"

#include <algorithm>
#include <utility>

#include "core/time.h"
#include "formats/jsonfeeds/feed_spec.h"
#include "formats/jsonfeeds/feed_time.h"
#include "formats/stix_build.h"
#include "normalize/stix_mapping.h"
#include "stix/ids.h"

namespace tessera::formats::jsonfeeds {

using core::Json;
using normalize::Kind;

namespace {

std::string Str(const Json& object, std::string_view key) {
  const Json* v = object.Find(key);
  if (v == nullptr) return {};
  if (v->is_string()) return v->as_string();
  if (v->is_number()) return v->as_number().literal;
  return {};
}

// A name from a string or an object ({"display_name"}, {"name"}, {"id"}).
std::string NameOf(const Json& value) {
  if (value.is_string()) return value.as_string();
  if (!value.is_object()) return {};
  for (std::string_view key : {"display_name", "name", "id"}) {
    std::string s = Str(value, key);
    if (!s.empty()) return s;
  }
  return {};
}

struct OtxType {
  std::string_view word;
  ValueKind value_kind;
  Kind kind;
};

// OTX indicator types with a normalize kind.
constexpr OtxType kOtxTypes[] = {
    {"IPv4", ValueKind::kFixed, Kind::kIpv4},
    {"IPv6", ValueKind::kFixed, Kind::kIpv6},
    {"domain", ValueKind::kFixed, Kind::kDomain},
    {"hostname", ValueKind::kFixed, Kind::kDomain},
    {"URL", ValueKind::kFixed, Kind::kUrl},
    {"URI", ValueKind::kFixed, Kind::kUrl},
    {"FileHash-MD5", ValueKind::kFixed, Kind::kMd5},
    {"FileHash-SHA1", ValueKind::kFixed, Kind::kSha1},
    {"FileHash-SHA256", ValueKind::kFixed, Kind::kSha256},
    {"FileHash-SHA512", ValueKind::kFixed, Kind::kSha512},
    {"email", ValueKind::kFixed, Kind::kEmail},
    {"CVE", ValueKind::kFixed, Kind::kCve},
    {"CIDR", ValueKind::kNetwork, Kind::kIpv4Network},
    {"BitcoinAddress", ValueKind::kFixed, Kind::kBitcoinAddress},
};

class PulseMapper {
 public:
  PulseMapper(const Json& pulse, ReadState& state, Record* record)
      : pulse_(pulse), state_(state), record_(record), now_(state.context().now) {}

  bool Map(std::string* reason) {
    const Json* indicators = pulse_.Find("indicators");
    if (indicators == nullptr || !indicators->is_array()) {
      *reason = "not an OTX pulse: no \"indicators\" array";
      return false;
    }
    pulse_id_ = Str(pulse_, "id");
    created_ = Time("created", now_);
    modified_ = Time("modified", created_);
    if (auto a = core::ParseStixTimestamp(created_), b = core::ParseStixTimestamp(modified_);
        a.ok() && b.ok() && *b < *a) {
      modified_ = created_;
    }
    std::string tlp = Str(pulse_, "TLP");
    if (tlp.empty()) tlp = Str(pulse_, "tlp");
    if (!tlp.empty()) {
      tlp_ = stix::TlpLevelFromTag("tlp:" + tlp);
      if (!tlp_) record_->notes.push_back("TLP '" + tlp + "' is not a TLP level; kept as a source field");
    }
    if (const Json* tags = pulse_.Find("tags"); !tlp_ && tags != nullptr && tags->is_array()) {
      for (const Json& t : tags->as_array()) {
        if (t.is_string() && !tlp_) tlp_ = stix::TlpLevelFromTag(t.as_string());
      }
    }
    Families();
    Adversary();
    AttackPatterns();
    const Json::Array& list = indicators->as_array();
    for (size_t i = 0; i < list.size(); ++i) Indicator(list[i], i);
    if (refs_.empty()) {
      *reason = "no indicator of the pulse could be mapped";
      if (!record_->notes.empty()) *reason += " (" + record_->notes.back() + ")";
      return false;
    }
    Report();
    return true;
  }

 private:
  std::string Time(std::string_view key, const std::string& fallback) {
    const Json* v = pulse_.Find(key);
    if (v == nullptr || v->is_null()) return fallback;
    auto t = FeedTime(*v);
    if (!t.ok()) {
      record_->notes.push_back(std::string(key) + ": " + t.error().message);
      return fallback;
    }
    consumed_.push_back(std::string(key));
    return *t;
  }

  void Ref(const std::string& id) {
    if (std::find(refs_.begin(), refs_.end(), id) == refs_.end()) refs_.push_back(id);
  }

  void Add(Json object) {
    std::string id = object.Find("id")->as_string();
    if (std::find(added_.begin(), added_.end(), id) != added_.end()) return;
    added_.push_back(id);
    record_->Add(object);
  }

  void Mark(Json* object) {
    if (tlp_) state_.Mark(record_, object, *tlp_);
  }

  void Families() {
    const Json* families = pulse_.Find("malware_families");
    if (families == nullptr || !families->is_array()) return;
    consumed_.push_back("malware_families");
    for (const Json& f : families->as_array()) {
      std::string name = NameOf(f);
      if (FamilyKey(name).empty()) continue;
      Json m = MalwareSdo(name, now_);
      std::string id = m.Find("id")->as_string();
      if (std::find(malware_.begin(), malware_.end(), id) != malware_.end()) continue;
      malware_.push_back(id);
      Add(std::move(m));
      Ref(id);
    }
  }

  void Adversary() {
    std::string adversary = Str(pulse_, "adversary");
    if (FamilyKey(adversary).empty()) return;
    consumed_.push_back("adversary");
    Json actor = NewObject("threat-actor", DeterministicId("threat-actor", FamilyKey(adversary)),
                           now_, now_);
    actor.Set("name", Json::String(adversary));
    actor_ = actor.Find("id")->as_string();
    Add(std::move(actor));
    Ref(actor_);
  }

  void AttackPatterns() {
    const Json* ids = pulse_.Find("attack_ids");
    if (ids == nullptr || !ids->is_array()) return;
    consumed_.push_back("attack_ids");
    for (const Json& a : ids->as_array()) {
      std::string technique = a.is_string() ? a.as_string() : Str(a, "id");
      if (technique.empty()) continue;
      std::string name = a.is_object() ? Str(a, "name") : technique;
      if (name.empty() && a.is_object()) name = NameOf(a);
      Json pattern = NewObject("attack-pattern",
                               DeterministicId("attack-pattern", "mitre-attack|" + technique),
                               now_, now_);
      pattern.Set("name", Json::String(name.empty() ? technique : name));
      Json ref = Json::MakeObject();
      ref.Set("source_name", Json::String("mitre-attack"));
      ref.Set("external_id", Json::String(technique));
      pattern.Set("external_references", Json::MakeArray({std::move(ref)}));
      std::string id = pattern.Find("id")->as_string();
      Add(std::move(pattern));
      Ref(id);
      patterns_.push_back(id);
    }
  }

  void Unmapped(const Json& indicator, const std::string& why) {
    record_->notes.push_back(why + "; kept as a source field");
    Json copy = indicator;
    if (copy.is_object()) copy.Set("tessera_reason", Json::String(why));
    unmapped_.as_array().push_back(std::move(copy));
  }

  void Relationship(const std::string& from, std::string_view type, const std::string& to,
                    const std::string& timestamp) {
    Json rel = NewRelationship(from, type, to, timestamp);
    Mark(&rel);
    std::string id = rel.Find("id")->as_string();
    Add(std::move(rel));
    Ref(id);
  }

  void Indicator(const Json& item, size_t index) {
    std::string where = "/indicators/" + std::to_string(index);
    if (!item.is_object()) {
      Unmapped(item, where + ": not an object");
      return;
    }
    std::string type = Str(item, "type");
    std::string value = Str(item, "indicator");
    std::string own_id = Str(item, "id");
    if (own_id.empty()) own_id = Str(item, "_id");
    std::string created = created_;
    if (const Json* c = item.Find("created"); c != nullptr && !c->is_null()) {
      if (auto t = FeedTime(*c); t.ok()) created = *t;
    }
    std::string pattern;
    std::string pattern_type = "stix";
    std::string sco_id;
    if (type == "YARA") {
      pattern = Str(item, "content");
      pattern_type = "yara";
      if (pattern.empty()) {
        Unmapped(item, where + ": a YARA indicator without the rule text (\"content\")");
        return;
      }
    } else if (type == "Mutex") {
      Json mutex = Json::MakeObject();
      mutex.Set("type", Json::String("mutex"));
      mutex.Set("spec_version", Json::String("2.1"));
      mutex.Set("id", Json::String(""));
      mutex.Set("name", Json::String(value));
      auto id = stix::ComputeScoId(mutex);
      if (value.empty() || !id.ok()) {
        Unmapped(item, where + ": an empty mutex name");
        return;
      }
      mutex.Set("id", Json::String(id->id));
      sco_id = id->id;
      Add(std::move(mutex));
      Ref(sco_id);
      pattern = "[mutex:name = " + normalize::QuotePatternLiteral(value) + "]";
    } else {
      const OtxType* known = nullptr;
      for (const OtxType& t : kOtxTypes) {
        if (t.word == type) known = &t;
      }
      if (known == nullptr) {
        Unmapped(item, where + ": OTX type '" + type + "' has no STIX observable here");
        return;
      }
      EventObservable o;
      o.value_kind = known->value_kind;
      o.kind = known->kind;
      o.raw = value;
      std::optional<int64_t> port;
      auto observable = NormalizeEventValue(o, state_.context().normalize, &port);
      if (!observable.ok()) {
        Unmapped(item, where + ": " + type + " '" + value + "': " + observable.error().message);
        return;
      }
      Json sco = normalize::ToStixObject(*observable);
      if (sco.Find("type")->as_string() == "vulnerability") {
        sco.Set("created", Json::String(created_));
        sco.Set("modified", Json::String(created_));
      }
      sco_id = sco.Find("id")->as_string();
      for (const std::string& n : observable->notes) {
        record_->notes.push_back(observable->value + ": " + n);
      }
      Add(std::move(sco));
      Ref(sco_id);
      pattern = normalize::ToStixPattern(*observable);
      value = observable->value;
      if (pattern.empty()) return;  // a CVE: the vulnerability is the object
    }
    Json indicator = NewIndicator(pattern, pattern_type, created);
    if (!own_id.empty()) {
      indicator.Set("id", Json::String(DeterministicId("indicator", "otx|" + own_id + "|" + pattern)));
    }
    std::string title = Str(item, "title");
    indicator.Set("name", Json::String(!title.empty() && pattern_type != "stix" ? title : value));
    std::string description = Str(item, "description");
    if (!description.empty()) indicator.Set("description", Json::String(description));
    indicator.Set("indicator_types", Json::MakeArray({Json::String("malicious-activity")}));
    if (const Json* e = item.Find("expiration"); e != nullptr && !e->is_null()) {
      auto until = FeedTime(*e);
      if (until.ok()) {
        auto from = core::ParseStixTimestamp(created);
        auto to = core::ParseStixTimestamp(*until);
        if (from.ok() && to.ok() && *from < *to) {
          indicator.Set("valid_until", Json::String(*until));
        }
      }
    }
    Mark(&indicator);
    // The indicator's other OTX fields (is_active, role, observations, ...).
    Json rest = Json::MakeObject();
    for (const auto& [key, v] : item.as_object()) {
      if (key == "indicator" || key == "type" || key == "created" || key == "id" ||
          key == "_id" || key == "description" || (key == "content" && pattern_type == "yara") ||
          v.is_null() || (v.is_string() && v.as_string().empty()) ||
          (v.is_array() && v.as_array().empty())) {
        continue;
      }
      if (key == "expiration" && indicator.Find("valid_until") != nullptr) continue;
      if (key == "title" && pattern_type != "stix") continue;
      rest.Set(key, v);
    }
    if (!own_id.empty()) rest.Set("otx_indicator_id", Json::String(own_id));
    state_.Keep(record_, &indicator, std::move(rest));
    std::string indicator_id = indicator.Find("id")->as_string();
    Add(std::move(indicator));
    Ref(indicator_id);
    if (!sco_id.empty()) Relationship(indicator_id, "based-on", sco_id, created);
    for (const std::string& m : malware_) Relationship(indicator_id, "indicates", m, created);
    if (!actor_.empty()) Relationship(indicator_id, "indicates", actor_, created);
  }

  void Report() {
    for (const std::string& m : malware_) {
      if (!actor_.empty()) Relationship(actor_, "uses", m, created_);
    }
    for (const std::string& p : patterns_) {
      if (!actor_.empty()) Relationship(actor_, "uses", p, created_);
    }
    std::string report_key = pulse_id_.empty() ? Str(pulse_, "name") + "|" + created_ : pulse_id_;
    Json report =
        NewObject("report", DeterministicId("report", "otx|" + report_key), created_, modified_);
    std::string name = Str(pulse_, "name");
    report.Set("name", Json::String(name.empty() ? "OTX pulse " + pulse_id_ : name));
    std::string description = Str(pulse_, "description");
    if (!description.empty()) report.Set("description", Json::String(description));
    report.Set("report_types", Json::MakeArray({Json::String("threat-report")}));
    report.Set("published", Json::String(created_));
    std::string author = Str(pulse_, "author_name");
    if (!author.empty()) {
      Json identity = NewObject("identity", DeterministicId("identity", "otx|" + author), now_, now_);
      identity.Set("name", Json::String(author));
      std::string id = identity.Find("id")->as_string();
      Add(std::move(identity));
      report.Set("created_by_ref", Json::String(id));
    }
    if (const Json* tags = pulse_.Find("tags"); tags != nullptr && tags->is_array()) {
      for (const Json& t : tags->as_array()) {
        if (!t.is_string() || t.as_string().empty()) continue;
        if (!stix::TlpLevelFromTag(t.as_string())) AddToList(&report, "labels", t.as_string());
      }
    }
    Json refs = Json::MakeArray();
    if (!pulse_id_.empty()) {
      Json otx = Json::MakeObject();
      otx.Set("source_name", Json::String("AlienVault OTX"));
      otx.Set("external_id", Json::String(pulse_id_));
      otx.Set("url", Json::String("https://otx.alienvault.com/pulse/" + pulse_id_));
      refs.as_array().push_back(std::move(otx));
    }
    if (const Json* references = pulse_.Find("references");
        references != nullptr && references->is_array()) {
      for (const Json& r : references->as_array()) {
        if (!r.is_string() || r.as_string().empty()) continue;
        Json ref = Json::MakeObject();
        ref.Set("source_name", Json::String("reference"));
        const std::string& text = r.as_string();
        if (text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0) {
          ref.Set("url", Json::String(text));
        } else {
          ref.Set("description", Json::String(text));
        }
        refs.as_array().push_back(std::move(ref));
      }
    }
    if (!refs.as_array().empty()) report.Set("external_references", std::move(refs));
    Json object_refs = Json::MakeArray();
    for (const std::string& id : refs_) object_refs.as_array().push_back(Json::String(id));
    report.Set("object_refs", std::move(object_refs));
    Mark(&report);
    Json rest = Json::MakeObject();
    for (const auto& [key, v] : pulse_.as_object()) {
      if (key == "id" || key == "name" || key == "description" || key == "author_name" ||
          key == "tags" || key == "references" || key == "indicators" ||
          ((key == "TLP" || key == "tlp") && tlp_) ||
          std::find(consumed_.begin(), consumed_.end(), key) != consumed_.end() || v.is_null() ||
          (v.is_string() && v.as_string().empty()) || (v.is_array() && v.as_array().empty())) {
        continue;
      }
      rest.Set(key, v);
    }
    if (!unmapped_.as_array().empty()) rest.Set("unmapped_indicators", unmapped_);
    state_.Keep(record_, &report, std::move(rest));
    record_->Add(report);
  }

  const Json& pulse_;
  ReadState& state_;
  Record* record_;
  const std::string& now_;
  std::string pulse_id_, created_, modified_;
  std::optional<stix::TlpLevel> tlp_;
  std::vector<std::string> consumed_;
  std::vector<std::string> added_;  // ids already in the record
  std::vector<std::string> refs_;   // the report's object_refs
  std::vector<std::string> malware_;
  std::vector<std::string> patterns_;
  std::string actor_;
  Json unmapped_ = Json::MakeArray();
};

}  // namespace

Detection DetectOtx(std::string_view head) {
  if (HasKey(head, "indicators") &&
      (HasKey(head, "author_name") || HasKey(head, "pulse_source") ||
       (HasKey(head, "indicator") && HasKey(head, "adversary")))) {
    return {85, "AlienVault OTX pulse keys \"indicators\" and \"author_name\""};
  }
  return {};
}

core::Status ReadOtx(Input& input, const ReadContext& context, Sink& sink) {
  ReadState state("otx", context, input.name());
  return ReadJsonRecords(
      input, FeedShape({"results"}, {"count", "next", "previous"}), {"a pulse", "OTX pulses"},
      state, sink, [&](const core::Json& pulse, const JsonElement& r) {
        if (!pulse.is_object()) {
          state.Reject(sink, r.offset, r.line, "the entry is not a JSON object", r.bytes);
          return;
        }
        Record record = state.NewRecord(r.offset, r.line);
        std::string reason;
        PulseMapper mapper(pulse, state, &record);
        if (!mapper.Map(&reason)) {
          state.Reject(sink, record, reason, r.bytes);
          return;
        }
        sink.Accept(std::move(record));
      });
}

}  // namespace tessera::formats::jsonfeeds
