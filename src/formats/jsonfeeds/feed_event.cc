#include "formats/jsonfeeds/feed_event.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/hash.h"
#include "core/time.h"
#include "formats/stix_build.h"
#include "normalize/classify.h"
#include "normalize/stix_mapping.h"
#include "stix/ids.h"

namespace tessera::formats::jsonfeeds {

using core::Json;
using normalize::Kind;

namespace {

bool LooksLikeIp(std::string_view s) {
  if (s.find(':') != std::string_view::npos) return true;
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
}

core::Result<normalize::Observable> NormalizeIp(std::string_view raw,
                                                const normalize::NormalizeOptions& options) {
  std::string_view v = normalize::detail::TrimAsciiSpace(raw);
  auto r = normalize::NormalizeAs(v.find(':') != std::string_view::npos ? Kind::kIpv6 : Kind::kIpv4,
                                  v, options);
  if (r.ok() && (r->value == "0.0.0.0" || r->value == "::")) {
    return core::MakeError(core::ErrorCode::kValidation,
                           "the unspecified address (" + r->value + ") stands for no address");
  }
  return r;
}

// "a:b" -> the part after the last ':' when it is a port number.
bool SplitPort(std::string_view text, std::string_view* host, int64_t* port) {
  std::string_view t = normalize::detail::TrimAsciiSpace(text);
  size_t colon = t.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view digits = t.substr(colon + 1);
  if (digits.empty() || digits.size() > 5) return false;
  int64_t p = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    p = p * 10 + (c - '0');
  }
  if (p > 65535) return false;
  std::string_view h = t.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return false;  // a bare IPv6 address, no port
  }
  *host = h;
  *port = p;
  return true;
}

bool Later(const std::string& a, const std::string& b) {
  auto ta = core::ParseStixTimestamp(a);
  auto tb = core::ParseStixTimestamp(b);
  return ta.ok() && tb.ok() && *tb < *ta;
}

void Prune(Json* value) {
  if (value->is_object()) {
    auto& members = value->as_object();
    for (auto& m : members) Prune(&m.second);
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [](const Json::Member& m) {
                                   return m.second.is_null() ||
                                          (m.second.is_object() && m.second.as_object().empty()) ||
                                          (m.second.is_array() && m.second.as_array().empty());
                                 }),
                  members.end());
  } else if (value->is_array()) {
    auto& items = value->as_array();
    for (auto& item : items) Prune(&item);
    bool all_empty = std::all_of(items.begin(), items.end(), [](const Json& j) {
      return j.is_null() || (j.is_object() && j.as_object().empty());
    });
    if (all_empty) items.clear();
  }
}

// Replaces the value at a JSON pointer with null (Prune removes it later; array
// indexes stay valid meanwhile).
void Clear(Json* root, std::string_view pointer) {
  Json* at = root;
  size_t pos = 1;
  while (at != nullptr && pos <= pointer.size()) {
    size_t next = pointer.find('/', pos);
    if (next == std::string_view::npos) next = pointer.size();
    std::string token(pointer.substr(pos, next - pos));
    for (size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      if (i + 1 < token.size()) token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
    }
    if (at->is_object()) {
      at = at->Find(token);
    } else if (at->is_array()) {
      size_t index = 0;
      bool digits = !token.empty();
      for (char c : token) {
        digits = digits && c >= '0' && c <= '9';
        if (digits) index = index * 10 + static_cast<size_t>(c - '0');
      }
      at = digits && index < at->as_array().size() ? &at->as_array()[index] : nullptr;
    } else {
      at = nullptr;
    }
    pos = next + 1;
  }
  if (at != nullptr && at != root) *at = Json::Null();
}

std::string IpVersion(const normalize::Observable& o) {
  return o.kind == Kind::kIpv6 ? "ipv6" : "ipv4";
}

bool IsIp(const normalize::Observable& o) { return o.kind == Kind::kIpv4 || o.kind == Kind::kIpv6; }

Json ExternalReference(std::string_view source, std::string_view url, std::string_view id) {
  Json ref = Json::MakeObject();
  ref.Set("source_name", Json::String(std::string(source)));
  if (!url.empty()) ref.Set("url", Json::String(std::string(url)));
  if (!id.empty()) ref.Set("external_id", Json::String(std::string(id)));
  return ref;
}

// A network-traffic SCO (STIX 2.1 §6.12) with its deterministic id.
Json NetworkTraffic(const std::string& src_ref, const std::string& dst_ref,
                    std::optional<int64_t> src_port, std::optional<int64_t> dst_port,
                    const std::vector<std::string>& protocols) {
  Json nt = Json::MakeObject();
  nt.Set("type", Json::String("network-traffic"));
  nt.Set("spec_version", Json::String("2.1"));
  nt.Set("id", Json::String(""));
  if (!src_ref.empty()) nt.Set("src_ref", Json::String(src_ref));
  if (!dst_ref.empty()) nt.Set("dst_ref", Json::String(dst_ref));
  if (src_port) nt.Set("src_port", Json::Int(*src_port));
  if (dst_port) nt.Set("dst_port", Json::Int(*dst_port));
  Json list = Json::MakeArray();
  for (const std::string& p : protocols) list.as_array().push_back(Json::String(p));
  nt.Set("protocols", std::move(list));
  auto id = stix::ComputeScoId(nt);
  nt.Set("id", Json::String(id.ok() ? id->id : std::string()));
  return nt;
}

struct Added {
  std::string id;
  normalize::Observable observable;
  Side side;
  bool indicate;
  std::optional<int64_t> port;  // from "ip:port"
};

}  // namespace

bool IsIndicatorClass(std::string_view c) {
  static constexpr std::string_view kIndicatorClasses[] = {
      "c2-server", "malware-distribution", "malware-configuration", "phishing",
      "spam",      "blacklist",            "blocklist",             "malware"};
  return std::find(std::begin(kIndicatorClasses), std::end(kIndicatorClasses), c) !=
         std::end(kIndicatorClasses);
}

SourcePosition ReadState::NextPosition(uint64_t offset, uint64_t line) {
  return {.file = file_, .line = line, .byte_offset = offset, .record = records_++};
}

Record ReadState::NewRecord(uint64_t offset, uint64_t line) {
  Record record;
  record.format = format_;
  record.position = NextPosition(offset, line);
  return record;
}

void ReadState::Reject(Sink& sink, uint64_t offset, uint64_t line, std::string reason,
                       std::string_view raw) {
  Rejected rejected;
  rejected.format = format_;
  rejected.position = NextPosition(offset, line);
  rejected.reason = std::move(reason);
  rejected.SetRaw(raw);
  sink.Reject(std::move(rejected));
}

void ReadState::Reject(Sink& sink, const Record& record, std::string reason,
                       std::string_view raw) {
  Rejected rejected;
  rejected.format = format_;
  rejected.position = record.position;
  rejected.reason = std::move(reason);
  rejected.SetRaw(raw);
  sink.Reject(std::move(rejected));
}

void ReadState::Mark(Record* record, Json* object, stix::TlpLevel level) {
  if (marked_.insert(level).second) record->Add(stix::Tlp2MarkingDefinition(level));
  AddMarking(object, stix::Tlp2MarkingId(level));
}

void ReadState::Keep(Record* record, Json* object, Json fields) {
  if (!fields.is_object() || fields.as_object().empty()) return;
  if (!extension_defined_) {
    extension_defined_ = true;
    record->Add(SourceFieldsExtensionDefinition());
  }
  KeepSourceFields(object, format_, std::move(fields));
}

std::string FamilyKey(std::string_view name) {
  std::string key(normalize::detail::TrimAsciiSpace(name));
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

Json MalwareSdo(std::string_view name, std::string_view timestamp) {
  Json m = NewObject("malware", DeterministicId("malware", FamilyKey(name)), timestamp, timestamp);
  m.Set("name", Json::String(std::string(normalize::detail::TrimAsciiSpace(name))));
  m.Set("is_family", Json::Bool(true));
  return m;
}

core::Result<normalize::Observable> NormalizeEventValue(const EventObservable& value,
                                                        const normalize::NormalizeOptions& options,
                                                        std::optional<int64_t>* port) {
  std::string_view raw = normalize::detail::TrimAsciiSpace(value.raw);
  switch (value.value_kind) {
    case ValueKind::kFixed: {
      if (value.kind == Kind::kIpv4 || value.kind == Kind::kIpv6) return NormalizeIp(raw, options);
      return normalize::NormalizeAs(value.kind, raw, options);
    }
    case ValueKind::kIp:
      return NormalizeIp(raw, options);
    case ValueKind::kNetwork:
      return normalize::NormalizeAs(
          raw.find(':') != std::string_view::npos ? Kind::kIpv6Network : Kind::kIpv4Network, raw,
          options);
    case ValueKind::kHost:
      if (LooksLikeIp(raw)) return NormalizeIp(raw, options);
      return normalize::NormalizeAs(Kind::kDomain, raw, options);
    case ValueKind::kUrlOrHost:
      if (raw.find("://") != std::string_view::npos) {
        return normalize::NormalizeAs(Kind::kUrl, raw, options);
      }
      if (LooksLikeIp(raw)) return NormalizeIp(raw, options);
      return normalize::NormalizeAs(Kind::kDomain, raw, options);
    case ValueKind::kHash: {
      Kind kind = Kind::kSha256;
      switch (raw.size()) {
        case 32: kind = Kind::kMd5; break;
        case 40: kind = Kind::kSha1; break;
        case 64: kind = Kind::kSha256; break;
        case 128: kind = Kind::kSha512; break;
        default:
          return core::MakeError(core::ErrorCode::kValidation,
                                 "not an MD5, SHA-1, SHA-256 or SHA-512 hash (" +
                                     std::to_string(raw.size()) + " characters)");
      }
      return normalize::NormalizeAs(kind, raw, options);
    }
    case ValueKind::kIpPort: {
      std::string_view host;
      int64_t p = 0;
      if (SplitPort(raw, &host, &p)) {
        *port = p;
        return NormalizeIp(host, options);
      }
      return NormalizeIp(raw, options);
    }
    case ValueKind::kAsn: {
      std::string text(raw);
      if (text.size() > 2 && (text[0] == 'A' || text[0] == 'a') && (text[1] == 'S' || text[1] == 's')) {
        text = text.substr(2);
      }
      return normalize::NormalizeAs(Kind::kAsn, "AS" + text, options);
    }
  }
  return normalize::NormalizeAs(value.kind, raw, options);
}

std::string AddSco(Record* record, const normalize::Observable& observable,
                   std::string_view timestamp) {
  Json sco = normalize::ToStixObject(observable);
  if (const Json* type = sco.Find("type"); type != nullptr && type->as_string() == "vulnerability") {
    sco.Set("created", Json::String(std::string(timestamp)));
    sco.Set("modified", Json::String(std::string(timestamp)));
  }
  std::string id = sco.Find("id")->as_string();
  record->Add(sco);
  for (const std::string& note : observable.notes) record->notes.push_back(observable.value + ": " + note);
  return id;
}

bool BuildEventRecord(FeedEvent& event, ReadState& state, Record* record, std::string* reason) {
  const ReadContext& context = state.context();
  const std::string& now = context.now;
  // No first time: the last time the feed saw it, else the time of reading.
  std::string first = !event.first_seen.empty() ? event.first_seen
                      : !event.last_seen.empty() ? event.last_seen
                                                 : now;
  std::string last = first;
  if (!event.last_seen.empty()) {
    if (Later(first, event.last_seen)) {
      record->notes.push_back("last seen " + event.last_seen + " is before first seen " + first +
                              "; kept as a source field");
      event.kept.Set("last_seen", Json::String(event.last_seen));
    } else {
      last = event.last_seen;
    }
  }

  // Observables through normalize; the ones that do not normalize stay in the
  // source fields with a note.
  std::vector<Added> added;
  std::vector<std::string> normalized_pointers;
  for (const EventObservable& value : event.observables) {
    std::optional<int64_t> port;
    auto observable = NormalizeEventValue(value, context.normalize, &port);
    if (!observable.ok()) {
      std::string why = value.pointer + ": '" + value.raw + "': " + observable.error().message;
      if (value.required) {
        *reason = why;
        return false;
      }
      event.notes.push_back(why + "; kept as a source field");
      continue;
    }
    normalized_pointers.push_back(value.pointer);
    std::string id = normalize::StixId(*observable);
    auto same = std::find_if(added.begin(), added.end(), [&](const Added& a) { return a.id == id; });
    if (same != added.end()) {
      same->indicate = same->indicate || value.indicate;
      if (port && !same->port) same->port = port;
      continue;
    }
    added.push_back(Added{id, std::move(*observable), value.side, value.indicate, port});
  }
  if (added.empty()) {
    *reason = event.observables.empty()
                  ? "no observable in the entry"
                  : "no observable in the entry normalized (" + event.notes.back() + ")";
    return false;
  }

  // What is left of the entry: the source fields.
  Json kept = std::move(event.kept);
  if (event.source != nullptr && event.source->is_object()) {
    Json rest = *event.source;
    for (const std::string& p : event.consumed) Clear(&rest, p);
    for (const std::string& p : normalized_pointers) Clear(&rest, p);
    Prune(&rest);
    for (auto& [key, value] : rest.as_object()) {
      if (kept.Find(key) == nullptr) kept.Set(key, std::move(value));
    }
  }
  for (const std::string& n : event.notes) record->notes.push_back(n);

  for (const Added& a : added) AddSco(record, a.observable, first);

  // Ports: a network-traffic SCO ties addresses and ports together.
  auto first_ip = [&](Side side) -> const Added* {
    for (const Added& a : added) {
      if (a.side == side && IsIp(a.observable)) return &a;
    }
    return nullptr;
  };
  std::vector<std::string> traffic_ids;
  auto protocols = [&](const Added* ip) {
    std::vector<std::string> p{ip != nullptr ? IpVersion(ip->observable) : "ipv4"};
    if (!event.transport.empty()) p.push_back(FamilyKey(event.transport));
    return p;
  };

  bool indicator_mode = IsIndicatorClass(event.classification) &&
                        std::any_of(added.begin(), added.end(), [](const Added& a) {
                          return a.indicate && !normalize::ToStixPattern(a.observable).empty();
                        });

  // Malware families.
  std::vector<std::string> malware_ids;
  std::vector<std::string> family_keys;
  for (const std::string& name : event.malware) {
    std::string key = FamilyKey(name);
    if (key.empty() || std::find(family_keys.begin(), family_keys.end(), key) != family_keys.end()) {
      continue;
    }
    family_keys.push_back(key);
    Json m = MalwareSdo(name, now);
    for (const std::string& alias : event.malware_aliases) {
      if (FamilyKey(alias) != key && !FamilyKey(alias).empty()) AddToList(&m, "aliases", alias);
    }
    if (!event.malware_links.empty()) {
      Json refs = Json::MakeArray();
      for (const std::string& link : event.malware_links) {
        refs.as_array().push_back(ExternalReference("malpedia", link, ""));
      }
      m.Set("external_references", std::move(refs));
    }
    malware_ids.push_back(m.Find("id")->as_string());
    record->Add(m);
  }

  Json references = Json::MakeArray();
  if (!event.source_id.empty() || !event.self_link.empty()) {
    references.as_array().push_back(
        ExternalReference(state.format(), event.self_link, event.source_id));
  }
  for (const std::string& url : event.references) {
    references.as_array().push_back(ExternalReference("reference", url, ""));
  }

  auto common = [&](Json* object) {
    if (event.confidence) object->Set("confidence", Json::Int(*event.confidence));
    for (const std::string& label : event.labels) AddToList(object, "labels", label);
    if (!references.as_array().empty()) object->Set("external_references", references);
    if (event.tlp) state.Mark(record, object, *event.tlp);
  };
  auto relationship = [&](const std::string& from, std::string_view type, const std::string& to) {
    Json rel = NewRelationship(from, type, to, first);
    if (event.tlp) state.Mark(record, &rel, *event.tlp);
    record->Add(rel);
  };

  if (indicator_mode) {
    bool kept_added = false;
    for (const Added& a : added) {
      if (!a.indicate) continue;
      std::optional<int64_t> port = a.port;
      if (!port && IsIp(a.observable)) {
        port = a.side == Side::kSource ? event.source_port : event.destination_port;
      }
      std::string pattern;
      std::string based_on = a.id;
      if (port && IsIp(a.observable)) {
        Json nt = NetworkTraffic("", a.id, std::nullopt, port, protocols(&a));
        record->Add(nt);
        std::string type = a.observable.kind == Kind::kIpv6 ? "ipv6-addr" : "ipv4-addr";
        pattern = "[network-traffic:dst_ref.type = '" + type +
                  "' AND network-traffic:dst_ref.value = " + normalize::QuotePatternLiteral(a.observable.value) +
                  " AND network-traffic:dst_port = " + std::to_string(*port) + "]";
      } else {
        pattern = normalize::ToStixPattern(a.observable);
      }
      if (pattern.empty()) continue;
      Json indicator = NewIndicator(pattern, "stix", first);
      if (!event.source_id.empty()) {
        std::string key(state.format());
        key.append("|").append(event.source_id).append("|").append(pattern);
        indicator.Set("id", Json::String(DeterministicId("indicator", key)));
      }
      std::string name = a.observable.value;
      if (port && IsIp(a.observable)) name += ":" + std::to_string(*port);
      indicator.Set("name", Json::String(name));
      if (!event.description.empty()) indicator.Set("description", Json::String(event.description));
      indicator.Set("indicator_types", Json::MakeArray({Json::String("malicious-activity")}));
      if (last != first) indicator.Set("modified", Json::String(last));
      if (!event.valid_until.empty()) {
        if (Later(event.valid_until, first)) {
          indicator.Set("valid_until", Json::String(event.valid_until));
        } else if (!kept_added) {
          kept.Set("valid_until", Json::String(event.valid_until));
        }
      }
      common(&indicator);
      state.Keep(record, &indicator, kept);
      kept_added = true;
      std::string indicator_id = indicator.Find("id")->as_string();
      record->Add(indicator);
      relationship(indicator_id, "based-on", based_on);
      for (const std::string& m : malware_ids) relationship(indicator_id, "indicates", m);
    }
    return true;
  }

  // Observation: the SCOs as observed-data, a sighting of each family.
  const Added* src = first_ip(Side::kSource);
  const Added* dst = first_ip(Side::kDestination);
  if ((src != nullptr || dst != nullptr) &&
      (event.source_port || event.destination_port || (src != nullptr && dst != nullptr))) {
    Json nt = NetworkTraffic(src != nullptr ? src->id : "", dst != nullptr ? dst->id : "",
                             src != nullptr ? event.source_port : std::nullopt,
                             dst != nullptr ? event.destination_port : std::nullopt,
                             protocols(src != nullptr ? src : dst));
    traffic_ids.push_back(nt.Find("id")->as_string());
    record->Add(nt);
  }
  std::string key(state.format());
  key += '|';
  key += event.source_id.empty() ? event.record_key : event.source_id;
  Json observed = NewObject("observed-data", DeterministicId("observed-data", key), now, now);
  observed.Set("first_observed", Json::String(first));
  observed.Set("last_observed", Json::String(last));
  observed.Set("number_observed", Json::Int(event.count > 0 ? event.count : 1));
  Json refs = Json::MakeArray();
  for (const Added& a : added) refs.as_array().push_back(Json::String(a.id));
  for (const std::string& t : traffic_ids) refs.as_array().push_back(Json::String(t));
  observed.Set("object_refs", std::move(refs));
  if (!event.description.empty() && kept.Find("description") == nullptr) {
    kept.Set("description", Json::String(event.description));
  }
  if (!event.valid_until.empty()) kept.Set("valid_until", Json::String(event.valid_until));
  common(&observed);
  state.Keep(record, &observed, std::move(kept));
  std::string observed_id = observed.Find("id")->as_string();
  record->Add(observed);
  for (const std::string& m : malware_ids) {
    Json sighting = NewObject("sighting", DeterministicId("sighting", observed_id + "|" + m), now, now);
    sighting.Set("first_seen", Json::String(first));
    sighting.Set("last_seen", Json::String(last));
    sighting.Set("sighting_of_ref", Json::String(m));
    sighting.Set("observed_data_refs", Json::MakeArray({Json::String(observed_id)}));
    if (event.tlp) state.Mark(record, &sighting, *event.tlp);
    record->Add(sighting);
  }
  return true;
}

JsonStreamShape FeedShape(std::vector<std::string_view> record_members,
                          std::vector<std::string_view> leading_members, bool id_keyed) {
  JsonStreamShape shape;
  shape.array_members = std::move(record_members);
  shape.leading_members = std::move(leading_members);
  shape.id_keyed = id_keyed;
  shape.records = true;
  return shape;
}

core::Status ReadJsonRecords(Input& input, const JsonStreamShape& shape, const RecordNames& names,
                             ReadState& state, Sink& sink, const MapRecord& map) {
  JsonStreamSplitter::Callbacks callbacks;
  callbacks.element = [&](const JsonElement& r) {
    if (r.stray || r.too_big) {
      state.Reject(sink, r.offset, r.line,
                   r.stray ? std::string("not a JSON object or array at the top level")
                           : std::string(names.record)
                                 .append(" larger than ")
                                 .append(std::to_string(kMaxRecordBytes))
                                 .append(" bytes"),
                   r.bytes);
      return;
    }
    core::JsonParseLimits limits;
    limits.max_depth = 64;
    auto record = core::ParseJson(r.bytes, limits);
    if (!record.ok()) {
      state.Reject(sink, r.offset, r.line, "not valid JSON: " + record.error().ToString(), r.bytes);
      return;
    }
    map(*record, r);
  };
  JsonStreamSplitter splitter(shape, kMaxRecordBytes, std::move(callbacks));
  std::string_view block;
  core::Status status;
  while (status.ok() && input.NextBlock(&block)) status = splitter.Feed(block);
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "reading failed", input.name());
  if (status.ok()) status = splitter.Finish();
  if (!status.ok()) {
    std::string message = status.error().message;
    message.append(" at ").append(status.error().location);
    if (splitter.elements() == 0) {
      return core::MakeError(status.error().code, "not " + names.input + ": " + message,
                             input.name());
    }
    state.Reject(sink, input.offset(), 0, message, "");
  }
  if (!splitter.saw_value()) {
    return core::MakeError(core::ErrorCode::kParse, "no JSON value in the input", input.name());
  }
  return {};
}

}  // namespace tessera::formats::jsonfeeds
