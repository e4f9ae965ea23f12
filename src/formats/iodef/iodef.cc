#include "formats/iodef/iodef.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "formats/iodef/iodef_values.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "formats/xml_head.h"
#include "formats/xml_nodes.h"
#include "normalize/classify.h"
#include "normalize/observable.h"
#include "normalize/stix_mapping.h"
#include "stix/ids.h"
#include "stix/tlp.h"

namespace tessera::formats {
namespace {

using core::Json;
using iodef::Collapse;
using iodef::Unwrap;
using normalize::QuotePatternLiteral;

constexpr std::string_view kFormatName = "iodef";
constexpr std::string_view kNamespace1 = "urn:ietf:params:xml:ns:iodef-1.0";
constexpr std::string_view kNamespace2 = "urn:ietf:params:xml:ns:iodef-2.0";
// Elements of an Incident nest at most this deep (the schema needs about 12).
constexpr int kMaxDepth = 64;
// network-traffic objects made from one Flow (source x target addresses).
constexpr size_t kMaxFlowPairs = 64;
// Nested IndicatorExpression levels.
constexpr int kMaxExpressionDepth = 32;
// Observables one Indicator's pattern may expand (ObservableReferences can name
// the same element many times; this bounds the work and the pattern's size).
constexpr int kMaxPatternObservables = 4096;

// ---- XML helpers ------------------------------------------------------------------

using xml::Child;
using xml::IsElement;
using xml::LocalName;
using xml::Text;
using xml::TooDeep;

std::vector<pugi::xml_node> Children(const pugi::xml_node& node, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : node.children()) {
    if (IsElement(c, local)) out.push_back(c);
  }
  return out;
}

// Attribute by local name (v2 documents may prefix attributes too).
std::string Attr(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view name = a.name();
    size_t colon = name.rfind(':');
    if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) {
      return a.value();
    }
  }
  return {};
}

// An element as JSON, for the source-fields extension: attributes as "@name", text
// (trimmed) as "#text" (or the whole value when the element has nothing else), children by
// local name (a list when repeated). `skip` names children left out. Depth is
// bounded by TooDeep before this is called.
Json ElementJson(const pugi::xml_node& node, std::initializer_list<std::string_view> skip = {}) {
  Json out = Json::MakeObject();
  for (pugi::xml_attribute a : node.attributes()) {
    std::string_view name = a.name();
    if (name == "xmlns" || name.substr(0, 6) == "xmlns:" || name.substr(0, 4) == "xsi:") continue;
    out.Set("@" + std::string(name), Json::String(a.value()));
  }
  bool children = false;
  for (pugi::xml_node c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view local = LocalName(c);
    if (std::find(skip.begin(), skip.end(), local) != skip.end()) continue;
    children = true;
    Json value = ElementJson(c);
    if (Json* existing = out.Find(local)) {
      existing->as_array().push_back(std::move(value));
    } else if (Children(node, local).size() > 1) {
      out.Set(local, Json::MakeArray({std::move(value)}));
    } else {
      out.Set(local, std::move(value));
    }
  }
  // Text as written (only the ends trimmed): log excerpts and lists keep their lines.
  std::string text(Trim(Text(node)));
  if (!children && out.as_object().empty()) return Json::String(text);
  if (!text.empty()) out.Set("#text", Json::String(text));
  return out;
}

// The element serialized (a rejected record's raw bytes), at most kMaxRawBytes + 1.
std::string RawXml(const pugi::xml_node& node) {
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      if (out.size() <= kMaxRawBytes) out.append(static_cast<const char*>(data), size);
    }
  } writer;
  node.print(writer, "", pugi::format_raw);
  return std::move(writer.out);
}

// ---- detection --------------------------------------------------------------------

Detection DetectIodef(std::string_view head) {
  XmlRootTag root;
  if (!FindXmlRootTag(head, &root) || root.local != "IODEF-Document") return {};
  if (root.tag.find(kNamespace2) != std::string_view::npos) {
    return {100, "root element <IODEF-Document> in the IODEF 2.0 namespace " +
                     std::string(kNamespace2) + " (RFC 7970)"};
  }
  if (root.tag.find(kNamespace1) != std::string_view::npos) {
    return {100, "root element <IODEF-Document> in the IODEF 1.0 namespace " +
                     std::string(kNamespace1) + " (RFC 5070)"};
  }
  return {70, "root element <IODEF-Document> without the IODEF namespace"};
}

// ---- values -----------------------------------------------------------------------

// An IODEF DATETIME as a STIX timestamp (milliseconds at least); nullopt when
// absent or unreadable.
std::optional<std::string> IodefTime(std::string_view raw) {
  std::string s = Unwrap(raw);
  if (s.empty()) return std::nullopt;
  auto ts = core::ParseRfc3339(s);
  if (!ts.ok()) return std::nullopt;
  if (ts->frac_digits < 3) ts->frac_digits = 3;
  return core::FormatTimestamp(*ts);
}

bool Before(const std::string& a, const std::string& b) {
  auto x = core::ParseStixTimestamp(a);
  auto y = core::ParseStixTimestamp(b);
  return x.ok() && y.ok() && *x < *y;
}

// A pattern's one observation "[x]" as the comparison "x".
std::string Inner(const std::string& observation) {
  if (observation.size() >= 2 && observation.front() == '[' && observation.back() == ']') {
    return observation.substr(1, observation.size() - 2);
  }
  return observation;
}

std::string Join(const std::vector<std::string>& parts, std::string_view op) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out.append(" ").append(op).append(" ");
    out += p;
  }
  return out;
}

// Times an Incident or EventData states (RFC 7970 §3.2, §3.13).
struct Times {
  std::optional<std::string> detect, start, end, report, generation;

  Times Over(const Times& outer) const {
    Times t = *this;
    if (!t.detect) t.detect = outer.detect;
    if (!t.start) t.start = outer.start;
    if (!t.end) t.end = outer.end;
    if (!t.report) t.report = outer.report;
    if (!t.generation) t.generation = outer.generation;
    return t;
  }
  // When the activity was first and last seen, if the source says.
  std::optional<std::string> First() const { return start ? start : detect; }
  std::optional<std::string> Last() const { return end ? end : First(); }
};

Times ReadTimes(const pugi::xml_node& node) {
  Times t;
  auto get = [&](std::string_view name) -> std::optional<std::string> {
    pugi::xml_node n = Child(node, name);
    return n ? IodefTime(Text(n)) : std::nullopt;
  };
  t.detect = get("DetectTime");
  t.start = get("StartTime");
  t.end = get("EndTime");
  t.report = get("ReportTime");
  t.generation = get("GenerationTime");
  return t;
}

// An observable a pattern can name: its SCO (emitted by the caller) and comparison.
struct Observed {
  std::string sco_id;
  std::string comparison;  // without brackets
  std::string type;        // STIX type of the SCO
  std::string value;       // what it is called (the canonical value, a hash, a key)
};

// ---- one Incident -----------------------------------------------------------------

// What one read shares across records: marking definitions and the extension
// definition go into the first record that uses them.
struct ReadState {
  std::set<std::string> emitted_definitions;
};

class IncidentMapper {
 public:
  IncidentMapper(const ReadContext& context, const xml::NodeLocator& locator, ReadState* state)
      : context_(context), locator_(locator), state_(state) {}

  bool Map(const pugi::xml_node& incident, Record* record);
  const std::string& reason() const { return reason_; }

 private:
  bool Fail(const pugi::xml_node& at, std::string what) {
    reason_ = locator_.Location(at).append(": ").append(what);
    return false;
  }
  void Note(std::string note) {
    // Referenced observables are read again for each reference: say things once.
    if (noted_.insert(note).second) notes_.push_back(std::move(note));
  }
  std::string Where(const pugi::xml_node& node) const { return locator_.Location(node); }

  void Emit(Json object);
  void Keep(Json* object, Json fields);
  // object_marking_refs from the element's restriction (its own, or inherited).
  void Mark(Json* object, const pugi::xml_node& source, bool inherit = true);
  Json Common(std::string_view type, const std::string& id);

  std::string MapContact(const pugi::xml_node& contact);
  void RelateContacts(const pugi::xml_node& parent);
  std::optional<Observed> EmitObservable(const normalize::Observable& o,
                                         const pugi::xml_node& source);
  std::optional<Observed> AddressObserved(const pugi::xml_node& address);
  std::optional<Observed> DomainObserved(const pugi::xml_node& name);
  std::optional<Observed> FileObserved(const pugi::xml_node& file);
  std::optional<Observed> KeyObserved(const pugi::xml_node& key);
  std::vector<Observed> SystemObserved(const pugi::xml_node& system);
  std::vector<Observed> RecordObserved(const pugi::xml_node& record_data);

  void MapEventData(const pugi::xml_node& event, const std::string& path, const Times& outer);
  void MapIndicator(const pugi::xml_node& indicator, size_t index);
  std::string Observation(const pugi::xml_node& element, std::vector<std::string>* scos,
                          int depth);
  std::string Expression(const pugi::xml_node& expression, std::vector<std::string>* scos,
                         int depth);
  std::string Referenced(const pugi::xml_node& reference, std::vector<std::string>* scos,
                         int depth);
  void CollectReferences(const pugi::xml_node& method);

  const ReadContext& context_;
  const xml::NodeLocator& locator_;
  ReadState* state_;
  std::string reason_;
  std::vector<std::string> notes_;
  std::set<std::string> noted_;
  std::vector<Json> objects_;
  std::set<std::string> ids_;
  std::set<std::string> markings_;
  bool source_fields_ = false;

  std::string incident_key_;
  std::string incident_id_;
  std::string created_;
  std::string modified_;
  std::string reporter_id_;
  Times incident_times_;
  std::vector<std::string> campaign_ids_;
  std::vector<std::string> actor_ids_;
  std::map<std::string, pugi::xml_node> observables_;  // observable-id -> element
  Json references_ = Json::MakeArray();
  std::set<std::string> reference_keys_;
  Json unmapped_event_data_ = Json::MakeArray();
  Json unmapped_indicators_ = Json::MakeArray();
  int expanded_ = 0;                 // observables expanded for the current Indicator
  std::set<std::string> expanding_;  // observable-ids being expanded (cycle guard)
};

void IncidentMapper::Emit(Json object) {
  std::string id = object.Find("id")->as_string();
  if (ids_.insert(id).second) {
    objects_.push_back(std::move(object));
    return;
  }
  // Seen again (an SCO under two restrictions): it carries every marking it got.
  const Json* refs = object.Find("object_marking_refs");
  if (refs == nullptr) return;
  for (Json& existing : objects_) {
    if (existing.Find("id")->as_string() != id) continue;
    for (const Json& r : refs->as_array()) AddMarking(&existing, r.as_string());
  }
}

void IncidentMapper::Keep(Json* object, Json fields) {
  if (!fields.is_object() || fields.as_object().empty()) return;
  KeepSourceFields(object, kFormatName, std::move(fields));
  source_fields_ = true;
}

void IncidentMapper::Mark(Json* object, const pugi::xml_node& source, bool inherit) {
  for (pugi::xml_node n = source; n && n.type() == pugi::node_element; n = n.parent()) {
    std::string restriction = Attr(n, "restriction");
    if (!restriction.empty()) {
      std::optional<stix::TlpLevel> level =
          iodef::RestrictionLevel(restriction, Attr(n, "ext-restriction"));
      if (level) {
        std::string id(stix::Tlp2MarkingId(*level));
        AddMarking(object, id);
        markings_.insert(id);
      }
      return;  // the nearest restriction decides, even "default"
    }
    if (!inherit) return;
  }
}

Json IncidentMapper::Common(std::string_view type, const std::string& id) {
  Json o = NewObject(type, id, created_, modified_);
  if (!reporter_id_.empty()) o.Set("created_by_ref", Json::String(reporter_id_));
  return o;
}

std::string IncidentMapper::MapContact(const pugi::xml_node& contact) {
  std::string name = Collapse(Text(Child(contact, "ContactName")));
  std::vector<std::string> emails;
  for (pugi::xml_node e : Children(contact, "Email")) {
    std::vector<pugi::xml_node> to = Children(e, "EmailTo");  // v2
    if (to.empty()) {
      emails.push_back(Unwrap(Text(e)));
    } else {
      for (pugi::xml_node t : to) emails.push_back(Unwrap(Text(t)));
    }
  }
  std::vector<std::string> phones;
  for (pugi::xml_node t : Children(contact, "Telephone")) {
    pugi::xml_node number = Child(t, "TelephoneNumber");  // v2
    phones.push_back(Collapse(Text(number ? number : t)));
  }
  std::string registry = Collapse(Text(Child(contact, "RegistryHandle")));
  std::string display = !name.empty()       ? name
                        : !emails.empty()   ? emails[0]
                        : !registry.empty() ? registry
                                            : "IODEF contact";
  std::string id = DeterministicId(
      "identity", "iodef-contact|" + Lower(display) + "|" + (emails.empty() ? "" : Lower(emails[0])));
  Json identity = NewObject("identity", id, context_.now, context_.now);
  identity.Set("name", Json::String(display));
  std::string description = Collapse(Text(Child(contact, "Description")));
  if (!description.empty()) identity.Set("description", Json::String(description));
  std::string type = Lower(Attr(contact, "type"));
  if (type == "organization") identity.Set("identity_class", Json::String("organization"));
  if (type == "person") identity.Set("identity_class", Json::String("individual"));
  std::string role = Attr(contact, "role");
  if (role == "ext-value" && !Attr(contact, "ext-role").empty()) role = Attr(contact, "ext-role");
  if (!role.empty()) AddToList(&identity, "roles", role);
  std::string info;
  for (const std::string& e : emails) info += (info.empty() ? "" : "; ") + ("e-mail: " + e);
  for (const std::string& p : phones) info += (info.empty() ? "" : "; ") + ("telephone: " + p);
  if (!info.empty()) identity.Set("contact_information", Json::String(info));
  Mark(&identity, contact, /*inherit=*/false);
  Json fields = Json::MakeObject();
  fields.Set("Contact", ElementJson(contact, {"Contact"}));
  Keep(&identity, std::move(fields));
  Emit(std::move(identity));
  return id;
}

// Contacts other than the reporter (and contacts nested in them) are related to
// the incident, the relationship saying the role.
void IncidentMapper::RelateContacts(const pugi::xml_node& parent) {
  for (pugi::xml_node c : Children(parent, "Contact")) {
    std::string id = MapContact(c);
    if (id != reporter_id_) {
      Json rel = NewRelationship(incident_id_, "related-to", id, created_);
      if (!reporter_id_.empty()) rel.Set("created_by_ref", Json::String(reporter_id_));
      std::string role = Attr(c, "role");
      rel.Set("description", Json::String("IODEF contact" + (role.empty() ? "" : ", role " + role)));
      Mark(&rel, c);
      Emit(std::move(rel));
    }
    RelateContacts(c);
  }
}

std::optional<Observed> IncidentMapper::EmitObservable(const normalize::Observable& o,
                                                       const pugi::xml_node& source) {
  Json sco = normalize::ToStixObject(o);
  Observed out;
  out.sco_id = sco.Find("id")->as_string();
  out.type = sco.Find("type")->as_string();
  out.comparison = Inner(normalize::ToStixPattern(o));
  out.value = o.value;
  for (const std::string& n : o.notes) Note(Where(source) + ": " + n);
  Mark(&sco, source);
  Emit(std::move(sco));
  if (out.comparison.empty()) return std::nullopt;
  return out;
}

std::optional<Observed> IncidentMapper::AddressObserved(const pugi::xml_node& address) {
  std::string category = Attr(address, "category");
  if (category.empty()) category = "ipv4-addr";  // RFC 5070 §3.16.2 default
  std::string value = Unwrap(Text(address));
  std::optional<normalize::Kind> kind = iodef::AddressKind(category);
  if (category == "ext-value") kind = iodef::AddressKind(Attr(address, "ext-category"));
  if (Lower(category) == "ipv4-net-mask") {
    if (auto cidr = iodef::Ipv4NetMaskToCidr(value)) value = *cidr;
  }
  if (!kind) {
    Note(Where(address) + ": Address category '" + category +
         "' has no STIX object; kept in the source fields");
    return std::nullopt;
  }
  auto o = normalize::NormalizeAs(*kind, value, context_.normalize);
  if (!o.ok()) {
    Note(Where(address) + ": '" + value + "' is not a valid " + category + " (" +
         o.error().message + "); kept in the source fields");
    return std::nullopt;
  }
  return EmitObservable(*o, address);
}

std::optional<Observed> IncidentMapper::DomainObserved(const pugi::xml_node& name) {
  std::string value = Unwrap(Text(name));
  if (value.empty()) return std::nullopt;
  auto o = normalize::NormalizeAs(normalize::Kind::kDomain, value, context_.normalize);
  if (!o.ok()) {
    Note(Where(name) + ": '" + value + "' is not a domain name (" + o.error().message +
         "); kept in the source fields");
    return std::nullopt;
  }
  return EmitObservable(*o, name);
}

std::optional<Observed> IncidentMapper::FileObserved(const pugi::xml_node& file) {
  Json sco = Json::MakeObject();
  sco.Set("type", Json::String("file"));
  sco.Set("spec_version", Json::String("2.1"));
  std::vector<std::string> comparisons;
  Json hashes = Json::MakeObject();
  for (pugi::xml_node hash_data : Children(file, "HashData")) {
    for (pugi::xml_node hash : Children(hash_data, "Hash")) {
      std::string algorithm = Attr(Child(hash, "DigestMethod"), "Algorithm");
      std::string value = Text(Child(hash, "DigestValue"));
      std::optional<iodef::Digest> digest = iodef::DecodeDigest(algorithm, value);
      if (!digest) {
        Note(Where(hash) + ": digest '" + Unwrap(value) + "' (" + algorithm +
             ") could not be read; kept in the source fields");
        continue;
      }
      auto o = normalize::NormalizeAs(digest->kind, digest->hex, context_.normalize);
      if (!o.ok()) continue;
      if (!digest->note.empty()) Note(Where(hash) + ": " + digest->note);
      std::string key = digest->kind == normalize::Kind::kMd5    ? "MD5"
                        : digest->kind == normalize::Kind::kSha1 ? "SHA-1"
                        : digest->kind == normalize::Kind::kSha256 ? "SHA-256"
                                                                   : "SHA-512";
      hashes.Set(key, Json::String(o->value));
      comparisons.push_back("file:hashes." + QuotePatternLiteral(key) + " = " +
                            QuotePatternLiteral(o->value));
    }
  }
  std::string name = Collapse(Text(Child(file, "FileName")));
  if (!name.empty()) {
    sco.Set("name", Json::String(name));
    comparisons.push_back("file:name = " + QuotePatternLiteral(name));
  }
  if (!hashes.as_object().empty()) sco.Set("hashes", std::move(hashes));
  std::string size = Collapse(Text(Child(file, "FileSize")));
  if (!size.empty() && size.size() < 18 &&
      std::all_of(size.begin(), size.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    sco.Set("size", Json::Int(std::stoll(size)));
    comparisons.push_back("file:size = " + size);
  }
  if (comparisons.empty()) return std::nullopt;
  auto id = stix::ComputeScoId(sco);
  if (!id.ok()) return std::nullopt;
  sco.Set("id", Json::String(id->id));
  std::string value = name;
  if (const Json* h = sco.Find("hashes")) value = h->as_object().front().second.as_string();
  Observed out{id->id, Join(comparisons, "AND"), "file", value};
  Mark(&sco, file);
  Emit(std::move(sco));
  return out;
}

std::optional<Observed> IncidentMapper::KeyObserved(const pugi::xml_node& key) {
  std::string raw = Unwrap(Text(Child(key, "KeyName")));
  if (raw.empty()) return std::nullopt;
  std::string full = iodef::ExpandHive(raw);
  Json sco = Json::MakeObject();
  sco.Set("type", Json::String("windows-registry-key"));
  sco.Set("spec_version", Json::String("2.1"));
  sco.Set("key", Json::String(full));
  std::vector<std::string> comparisons = {"windows-registry-key:key = " +
                                          QuotePatternLiteral(full)};
  pugi::xml_node value = Child(key, "Value");
  if (value) {
    std::string data = Unwrap(Text(value));
    Json v = Json::MakeObject();
    v.Set("data", Json::String(data));
    sco.Set("values", Json::MakeArray({std::move(v)}));
    comparisons.push_back("windows-registry-key:values[*].data = " + QuotePatternLiteral(data));
  }
  auto id = stix::ComputeScoId(sco);
  if (!id.ok()) return std::nullopt;
  sco.Set("id", Json::String(id->id));
  if (full != raw) Note(Where(key) + ": registry hive written out in full: " + full);
  Json fields = Json::MakeObject();
  std::string action = Attr(key, "registryaction");
  if (!action.empty()) fields.Set("registryaction", Json::String(action));
  Keep(&sco, std::move(fields));
  Observed out{id->id, Join(comparisons, "AND"), "windows-registry-key", full};
  Mark(&sco, key);
  Emit(std::move(sco));
  return out;
}

std::vector<Observed> IncidentMapper::SystemObserved(const pugi::xml_node& system) {
  std::vector<Observed> out;
  for (pugi::xml_node node : Children(system, "Node")) {
    for (pugi::xml_node c : node.children()) {
      std::optional<Observed> o;
      if (IsElement(c, "Address")) o = AddressObserved(c);
      if (IsElement(c, "NodeName")) o = DomainObserved(c);  // v1
      if (IsElement(c, "DomainData")) {                     // v2
        if (pugi::xml_node name = Child(c, "Name")) o = DomainObserved(name);
      }
      if (o) out.push_back(std::move(*o));
    }
  }
  return out;
}

std::vector<Observed> IncidentMapper::RecordObserved(const pugi::xml_node& record_data) {
  std::vector<Observed> out;
  for (pugi::xml_node c : record_data.children()) {
    if (IsElement(c, "RecordItem") && Lower(Attr(c, "dtype")) == "url") {
      std::string value = Unwrap(Text(c));
      auto o = normalize::NormalizeAs(normalize::Kind::kUrl, value, context_.normalize);
      if (o.ok()) {
        if (auto observed = EmitObservable(*o, c)) out.push_back(std::move(*observed));
      } else {
        Note(Where(c) + ": RecordItem URL '" + value + "' is not a URL (" + o.error().message +
             "); kept in the source fields");
      }
    } else if (IsElement(c, "FileData")) {
      for (pugi::xml_node f : Children(c, "File")) {
        if (auto o = FileObserved(f)) out.push_back(std::move(*o));
      }
    } else if (IsElement(c, "WindowsRegistryKeysModified")) {
      for (pugi::xml_node k : Children(c, "Key")) {
        if (auto o = KeyObserved(k)) out.push_back(std::move(*o));
      }
    }
  }
  return out;
}

void IncidentMapper::CollectReferences(const pugi::xml_node& method) {
  for (pugi::xml_node ref : Children(method, "Reference")) {
    std::string name = Collapse(Text(Child(ref, "ReferenceName")));
    std::string description = Collapse(Text(Child(ref, "Description")));
    std::vector<std::string> urls;
    for (pugi::xml_node u : Children(ref, "URL")) {
      std::string url = Unwrap(Text(u));
      if (!url.empty()) urls.push_back(url);
    }
    auto add = [&](const std::string& url) {
      Json r = Json::MakeObject();
      r.Set("source_name", Json::String(name.empty() ? "iodef-method-reference" : name));
      if (!description.empty()) {
        r.Set("description", Json::String(description));
      } else if (url.empty() && !name.empty()) {
        r.Set("description", Json::String(name));
      }
      if (!url.empty()) r.Set("url", Json::String(url));
      if (r.as_object().size() < 2) return;
      std::string key = core::WriteJson(r);
      if (reference_keys_.insert(key).second) references_.as_array().push_back(std::move(r));
    };
    if (urls.empty()) add("");
    for (const std::string& u : urls) add(u);
  }
}

void IncidentMapper::MapEventData(const pugi::xml_node& event, const std::string& path,
                                  const Times& outer) {
  Times times = ReadTimes(event).Over(outer);
  std::vector<std::string> refs;
  auto add_ref = [&refs](const std::string& id) {
    if (std::find(refs.begin(), refs.end(), id) == refs.end()) refs.push_back(id);
  };
  // Attacking systems (source, intermediate, not spoofed) become indicators.
  std::vector<Observed> sighted;

  std::vector<pugi::xml_node> systems;
  for (pugi::xml_node flow : Children(event, "Flow")) {
    std::vector<std::pair<pugi::xml_node, std::vector<Observed>>> flow_systems;
    for (pugi::xml_node system : Children(flow, "System")) {
      flow_systems.emplace_back(system, SystemObserved(system));
    }
    for (const auto& [system, observed] : flow_systems) {
      std::string category = Lower(Attr(system, "category"));
      bool attacker = (category == "source" || category == "intermediate") &&
                      Lower(Attr(system, "spoofed")) != "yes";
      for (const Observed& o : observed) {
        add_ref(o.sco_id);
        if (attacker) sighted.push_back(o);
      }
    }
    // Traffic from each source address to each target address.
    auto port_of = [](const pugi::xml_node& system) -> std::optional<int64_t> {
      std::vector<pugi::xml_node> services = Children(system, "Service");
      if (services.size() != 1) return std::nullopt;
      std::string port = Collapse(Text(Child(services[0], "Port")));
      if (port.empty() || port.size() > 5 ||
          !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
      }
      int64_t p = std::stoll(port);
      return p <= 65535 ? std::optional<int64_t>(p) : std::nullopt;
    };
    auto protocol_of = [](const pugi::xml_node& system) -> std::string {
      pugi::xml_node service = Child(system, "Service");
      std::string p = Attr(service, "ip_protocol");
      if (p.empty()) p = Attr(service, "ip-protocol");
      if (p == "6") return "tcp";
      if (p == "17") return "udp";
      if (p == "1") return "icmp";
      if (p == "58") return "ipv6-icmp";
      if (p == "132") return "sctp";
      return "";
    };
    auto addressable = [](const Observed& o) {
      return o.type == "ipv4-addr" || o.type == "ipv6-addr" || o.type == "domain-name" ||
             o.type == "mac-addr";
    };
    size_t pairs = 0;
    bool capped = false;
    for (const auto& [src_system, src_observed] : flow_systems) {
      if (Lower(Attr(src_system, "category")) != "source") continue;
      for (const auto& [dst_system, dst_observed] : flow_systems) {
        if (Lower(Attr(dst_system, "category")) != "target") continue;
        for (const Observed& s : src_observed) {
          for (const Observed& d : dst_observed) {
            if (!addressable(s) || !addressable(d)) continue;
            if (pairs == kMaxFlowPairs) {
              capped = true;
              continue;
            }
            ++pairs;
            Json nt = Json::MakeObject();
            nt.Set("type", Json::String("network-traffic"));
            nt.Set("spec_version", Json::String("2.1"));
            nt.Set("src_ref", Json::String(s.sco_id));
            nt.Set("dst_ref", Json::String(d.sco_id));
            if (auto p = port_of(src_system)) nt.Set("src_port", Json::Int(*p));
            if (auto p = port_of(dst_system)) nt.Set("dst_port", Json::Int(*p));
            Json protocols = Json::MakeArray();
            protocols.as_array().push_back(
                Json::String(s.type == "ipv6-addr" || d.type == "ipv6-addr" ? "ipv6" : "ipv4"));
            std::string transport = protocol_of(dst_system);
            if (transport.empty()) transport = protocol_of(src_system);
            if (!transport.empty()) protocols.as_array().push_back(Json::String(transport));
            nt.Set("protocols", std::move(protocols));
            auto id = stix::ComputeScoId(nt);
            if (!id.ok()) continue;
            nt.Set("id", Json::String(id->id));
            Mark(&nt, flow);
            add_ref(id->id);
            Emit(std::move(nt));
          }
        }
      }
    }
    if (capped) {
      Note(Where(flow) + ": more than " + std::to_string(kMaxFlowPairs) +
           " source/target address pairs; network-traffic made for the first " +
           std::to_string(kMaxFlowPairs));
    }
  }
  for (pugi::xml_node system : Children(event, "System")) {  // v2 allows System here
    for (const Observed& o : SystemObserved(system)) add_ref(o.sco_id);
  }
  for (pugi::xml_node record : Children(event, "Record")) {
    for (pugi::xml_node data : Children(record, "RecordData")) {
      for (const Observed& o : RecordObserved(data)) add_ref(o.sco_id);
    }
  }
  for (pugi::xml_node data : Children(event, "RecordData")) {  // v2
    for (const Observed& o : RecordObserved(data)) add_ref(o.sco_id);
  }
  for (pugi::xml_node method : Children(event, "Method")) CollectReferences(method);
  RelateContacts(event);

  Json event_json = ElementJson(event, {"EventData"});
  if (refs.empty()) {
    unmapped_event_data_.as_array().push_back(std::move(event_json));
  } else {
    std::string od_id = DeterministicId("observed-data", incident_key_ + "|EventData|" + path);
    Json od = Common("observed-data", od_id);
    std::string first = times.First().value_or(
        times.report.value_or(times.generation.value_or(created_)));
    std::string last = times.Last().value_or(first);
    if (Before(last, first)) last = first;
    od.Set("first_observed", Json::String(first));
    od.Set("last_observed", Json::String(last));
    od.Set("number_observed", Json::Int(1));
    Json list = Json::MakeArray();
    for (const std::string& r : refs) list.as_array().push_back(Json::String(r));
    od.Set("object_refs", std::move(list));
    Mark(&od, event);
    Json fields = Json::MakeObject();
    fields.Set("EventData", std::move(event_json));
    Keep(&od, std::move(fields));
    Emit(std::move(od));
    Json rel = NewRelationship(od_id, "related-to", incident_id_, created_);
    if (!reporter_id_.empty()) rel.Set("created_by_ref", Json::String(reporter_id_));
    Mark(&rel, event);
    Emit(std::move(rel));

    for (const Observed& o : sighted) {
      std::string pattern = "[" + o.comparison + "]";
      std::string ind_id = DeterministicId("indicator", incident_key_ + "|" + pattern);
      Json ind = Common("indicator", ind_id);
      ind.Set("name", Json::String(o.value));
      ind.Set("pattern", Json::String(pattern));
      ind.Set("pattern_type", Json::String("stix"));
      ind.Set("pattern_version", Json::String("2.1"));
      ind.Set("valid_from", Json::String(first));
      Mark(&ind, event);
      Emit(std::move(ind));
      for (auto [type, target] : {std::pair<std::string, std::string>{"based-on", o.sco_id},
                                  {"related-to", incident_id_}}) {
        Json r = NewRelationship(ind_id, type, target, created_);
        if (!reporter_id_.empty()) r.Set("created_by_ref", Json::String(reporter_id_));
        Mark(&r, event);
        Emit(std::move(r));
      }
      Json sighting = Common("sighting", DeterministicId("sighting", ind_id + "|" + od_id));
      if (times.First()) {
        sighting.Set("first_seen", Json::String(first));
        sighting.Set("last_seen", Json::String(last));
      }
      sighting.Set("sighting_of_ref", Json::String(ind_id));
      sighting.Set("observed_data_refs", Json::MakeArray({Json::String(od_id)}));
      if (!reporter_id_.empty()) {
        sighting.Set("where_sighted_refs", Json::MakeArray({Json::String(reporter_id_)}));
      }
      Mark(&sighting, event);
      Emit(std::move(sighting));
    }
  }
  size_t index = 0;
  for (pugi::xml_node child : Children(event, "EventData")) {
    MapEventData(child, path + "." + std::to_string(++index), times);
  }
}

// An observation expression for an observable element (the content of an
// Observable, or an element an ObservableReference names); "" when it has none.
std::string IncidentMapper::Observation(const pugi::xml_node& element,
                                        std::vector<std::string>* scos, int depth) {
  if (++expanded_ > kMaxPatternObservables) {
    Note(Where(element) + ": the Indicator expands to more than " +
         std::to_string(kMaxPatternObservables) + " observables; no pattern made");
    return "";
  }
  std::string_view local = LocalName(element);
  auto single = [&](const std::optional<Observed>& o) -> std::string {
    if (!o) return "";
    scos->push_back(o->sco_id);
    return "[" + o->comparison + "]";
  };
  auto any_of = [&](const std::vector<std::string>& parts, std::string_view op) -> std::string {
    std::vector<std::string> kept;
    for (const std::string& p : parts) {
      if (p.empty()) return "";
      kept.push_back(p);
    }
    if (kept.empty()) return "";
    if (kept.size() == 1) return kept[0];
    return "(" + Join(kept, op) + ")";
  };
  if (local == "Observable") {
    std::vector<std::string> parts;
    for (pugi::xml_node c : element.children()) {
      if (c.type() == pugi::node_element) parts.push_back(Observation(c, scos, depth));
    }
    return any_of(parts, "AND");
  }
  if (local == "Address") return single(AddressObserved(element));
  if (local == "DomainData") return single(DomainObserved(Child(element, "Name")));
  if (local == "File") return single(FileObserved(element));
  if (local == "Key") return single(KeyObserved(element));
  if (local == "FileData") {
    // Several File elements describe the file (or its copies): any of them.
    std::vector<std::string> parts;
    for (pugi::xml_node f : Children(element, "File")) parts.push_back(single(FileObserved(f)));
    return any_of(parts, "OR");
  }
  if (local == "WindowsRegistryKeysModified") {
    // The keys an event modified: all of them.
    std::vector<std::string> parts;
    for (pugi::xml_node k : Children(element, "Key")) parts.push_back(single(KeyObserved(k)));
    return any_of(parts, "AND");
  }
  if (local == "System") {
    std::vector<std::string> parts;
    for (const Observed& o : SystemObserved(element)) {
      scos->push_back(o.sco_id);
      parts.push_back("[" + o.comparison + "]");
    }
    return any_of(parts, "OR");
  }
  if (local == "BulkObservable") {
    std::string type = Attr(element, "type");
    std::string lower_type = Lower(type == "ext-value" ? Attr(element, "ext-type") : type);
    std::string list = Text(Child(element, "BulkObservableList"));
    std::vector<std::string> comparisons;
    size_t start = 0;
    while (start <= list.size()) {
      size_t nl = list.find('\n', start);
      std::string line = Collapse(list.substr(start, nl == std::string::npos ? std::string::npos
                                                                             : nl - start));
      start = nl == std::string::npos ? list.size() + 1 : nl + 1;
      if (line.empty()) continue;
      if (lower_type == "http-user-agent" || lower_type == "user-agent") {
        // RFC 8274 writes the line as user-agent="...">; the value is inside the quotes.
        std::string agent = line;
        if (agent.rfind("user-agent=\"", 0) == 0) {
          size_t close = agent.rfind('"');
          agent = close > 12 ? agent.substr(12, close - 12) : agent.substr(12);
          Note(Where(element) + ": user agent read from '" + line + "' as '" + agent + "'");
        }
        comparisons.push_back(
            "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = " +
            QuotePatternLiteral(agent));
        continue;
      }
      std::optional<normalize::Kind> kind = iodef::AddressKind(lower_type);
      if (!kind) {
        Note(Where(element) + ": BulkObservable type '" + type + "' has no STIX pattern form");
        return "";
      }
      auto o = normalize::NormalizeAs(*kind, line, context_.normalize);
      if (!o.ok()) {
        Note(Where(element) + ": '" + line + "' is not a valid " + lower_type + " (" +
             o.error().message + ")");
        return "";
      }
      if (auto observed = EmitObservable(*o, element)) {
        scos->push_back(observed->sco_id);
        comparisons.push_back(observed->comparison);
      }
    }
    if (comparisons.empty()) return "";
    return "[" + Join(comparisons, "OR") + "]";
  }
  if (local == "IndicatorExpression") return Expression(element, scos, depth + 1);
  Note(Where(element) + ": <" + std::string(local) +
       "> has no STIX pattern form; kept in the source fields");
  return "";
}

// The observation of the element an ObservableReference names; "" (noted) when it
// names nothing or refers back to an element being expanded.
std::string IncidentMapper::Referenced(const pugi::xml_node& reference,
                                       std::vector<std::string>* scos, int depth) {
  std::string ref = Attr(reference, "uid-ref");
  auto it = observables_.find(ref);
  if (it == observables_.end()) {
    Note(Where(reference) + ": ObservableReference '" + ref + "' names no observable-id here");
    return "";
  }
  if (!expanding_.insert(ref).second) {
    Note(Where(reference) + ": ObservableReference '" + ref + "' refers to itself");
    return "";
  }
  std::string out = Observation(it->second, scos, depth);
  expanding_.erase(ref);
  return out;
}

std::string IncidentMapper::Expression(const pugi::xml_node& expression,
                                       std::vector<std::string>* scos, int depth) {
  if (depth > kMaxExpressionDepth) {
    Note(Where(expression) + ": IndicatorExpression nests deeper than " +
         std::to_string(kMaxExpressionDepth) + " levels");
    return "";
  }
  std::string op = Lower(Attr(expression, "operator"));
  if (op.empty()) op = "and";  // RFC 7970 §3.29.1 default
  if (op != "and" && op != "or") {
    Note(Where(expression) + ": operator '" + op +
         "' has no STIX pattern form (observation expressions have AND and OR only)");
    return "";
  }
  std::vector<std::string> parts;
  for (pugi::xml_node c : expression.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view local = LocalName(c);
    std::string part;
    if (local == "IndicatorExpression") {
      part = Expression(c, scos, depth + 1);
    } else if (local == "Observable") {
      part = Observation(c, scos, depth);
    } else if (local == "ObservableReference") {
      part = Referenced(c, scos, depth);
    } else if (local == "Confidence" || local == "AdditionalData") {
      continue;  // kept with the Indicator in its source fields
    } else {
      Note(Where(c) + ": <" + std::string(local) + "> has no STIX pattern form");
    }
    if (part.empty()) return "";
    parts.push_back(std::move(part));
  }
  if (parts.empty()) return "";
  if (parts.size() == 1) return parts[0];
  return "(" + Join(parts, op == "and" ? "AND" : "OR") + ")";
}

void IncidentMapper::MapIndicator(const pugi::xml_node& indicator, size_t index) {
  pugi::xml_node id_node = Child(indicator, "IndicatorID");
  std::string source_id = Unwrap(Text(id_node));
  std::string id_name = Attr(id_node, "name");
  std::string version = Attr(id_node, "version");
  std::string key = source_id.empty()
                        ? incident_key_ + "|Indicator|" + std::to_string(index)
                        : "iodef-indicator|" + id_name + "|" + source_id + "|" + version;
  std::vector<std::string> scos;
  std::vector<std::string> parts;
  bool unmappable = false;
  expanded_ = 0;
  for (pugi::xml_node c : indicator.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view local = LocalName(c);
    std::string part;
    if (local == "Observable") {
      part = Observation(c, &scos, 0);
    } else if (local == "IndicatorExpression") {
      part = Expression(c, &scos, 1);
    } else if (local == "ObservableReference") {
      part = Referenced(c, &scos, 0);
    } else if (local == "IndicatorReference") {
      Note(Where(c) + ": IndicatorReference has no STIX pattern form");
    } else {
      continue;
    }
    if (part.empty()) {
      unmappable = true;
      break;
    }
    parts.push_back(std::move(part));
  }
  std::string label = source_id.empty() ? Where(indicator) : "Indicator " + source_id;
  if (unmappable || parts.empty()) {
    Note(label + ": no STIX pattern; the Indicator is kept in the incident's source fields");
    unmapped_indicators_.as_array().push_back(ElementJson(indicator));
    return;
  }
  std::string pattern = parts.size() == 1 ? parts[0] : Join(parts, "AND");
  if (pattern.size() > 1 && pattern.front() == '(' && pattern.back() == ')') {
    // Drop one outer pair when it encloses everything.
    int level = 0;
    bool encloses = true;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '\'') {  // skip string literals
        for (++i; i < pattern.size() && pattern[i] != '\''; ++i) {
          if (pattern[i] == '\\') ++i;
        }
        continue;
      }
      if (pattern[i] == '(') ++level;
      if (pattern[i] == ')') --level;
      if (level == 0 && i + 1 < pattern.size()) encloses = false;
    }
    if (encloses) pattern = pattern.substr(1, pattern.size() - 2);
  }

  Times times = ReadTimes(indicator);
  std::string ind_id = DeterministicId("indicator", key);
  Json ind = Common("indicator", ind_id);
  std::string description = Collapse(Text(Child(indicator, "Description")));
  ind.Set("name", Json::String(!description.empty() ? description
                               : !source_id.empty() ? source_id
                                                    : "IODEF indicator"));
  if (!description.empty()) ind.Set("description", Json::String(description));
  ind.Set("pattern", Json::String(pattern));
  ind.Set("pattern_type", Json::String("stix"));
  ind.Set("pattern_version", Json::String("2.1"));
  std::string valid_from =
      times.start.value_or(incident_times_.report.value_or(incident_times_.generation.value_or(created_)));
  ind.Set("valid_from", Json::String(valid_from));
  if (times.end && Before(valid_from, *times.end)) {
    ind.Set("valid_until", Json::String(*times.end));
  }
  if (!source_id.empty()) {
    Json r = Json::MakeObject();
    r.Set("source_name", Json::String(id_name.empty() ? "iodef" : id_name));
    r.Set("external_id", Json::String(source_id));
    ind.Set("external_references", Json::MakeArray({std::move(r)}));
  }
  Mark(&ind, indicator);
  Json fields = Json::MakeObject();
  fields.Set("Indicator", ElementJson(indicator));
  Keep(&ind, std::move(fields));
  Emit(std::move(ind));
  std::vector<std::pair<std::string, std::string>> rels;
  for (const std::string& sco : scos) rels.emplace_back("based-on", sco);
  rels.emplace_back("related-to", incident_id_);
  for (const std::string& c : campaign_ids_) rels.emplace_back("indicates", c);
  for (const std::string& a : actor_ids_) rels.emplace_back("indicates", a);
  for (const auto& [type, target] : rels) {
    Json r = NewRelationship(ind_id, type, target, created_);
    if (!reporter_id_.empty()) r.Set("created_by_ref", Json::String(reporter_id_));
    Mark(&r, indicator);
    Emit(std::move(r));
  }
}

bool IncidentMapper::Map(const pugi::xml_node& incident, Record* record) {
  if (pugi::xml_node deep = TooDeep(incident, kMaxDepth)) {
    return Fail(deep, "elements nest deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  pugi::xml_node id_node = Child(incident, "IncidentID");
  if (!id_node) return Fail(incident, "Incident has no IncidentID (required, RFC 7970 §3.2)");
  std::string source_id = Unwrap(Text(id_node));
  if (source_id.empty()) return Fail(id_node, "IncidentID is empty");
  std::string id_name = Attr(id_node, "name");
  std::string instance = Attr(id_node, "instance");

  incident_times_ = ReadTimes(incident);
  const Times& t = incident_times_;
  std::vector<std::string> stamps;
  if (t.report) stamps.push_back(*t.report);
  if (t.generation) stamps.push_back(*t.generation);
  if (stamps.empty()) {
    if (pugi::xml_node bad = Child(incident, "ReportTime"); bad && !t.report) {
      Note(Where(bad) + ": ReportTime '" + Collapse(Text(bad)) + "' is not an RFC 3339 time");
    }
    if (pugi::xml_node bad = Child(incident, "GenerationTime"); bad && !t.generation) {
      Note(Where(bad) + ": GenerationTime '" + Collapse(Text(bad)) + "' is not an RFC 3339 time");
    }
    stamps.push_back(t.First().value_or(context_.now));
  }
  std::sort(stamps.begin(), stamps.end(), [](const std::string& a, const std::string& b) {
    return Before(a, b);
  });
  created_ = stamps.front();
  modified_ = stamps.back();
  incident_key_ = "iodef|" + id_name + "|" + source_id + "|" + instance + "|" + created_;
  incident_id_ = DeterministicId("incident", incident_key_);

  // Every element with an observable-id, for ObservableReference.
  std::vector<pugi::xml_node> stack = {incident};
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    std::string oid = Attr(n, "observable-id");
    if (!oid.empty()) observables_.emplace(oid, n);
    for (pugi::xml_node c : n.children()) {
      if (c.type() == pugi::node_element) stack.push_back(c);
    }
  }

  // The reporter: the creator (or reporter) contact, else the first one.
  std::vector<pugi::xml_node> contacts = Children(incident, "Contact");
  pugi::xml_node reporter;
  for (const char* role : {"creator", "reporter"}) {
    for (const pugi::xml_node& c : contacts) {
      if (!reporter && Lower(Attr(c, "role")) == role) reporter = c;
    }
  }
  if (!reporter && !contacts.empty()) reporter = contacts.front();
  if (reporter) reporter_id_ = MapContact(reporter);

  Json inc = Common("incident", incident_id_);
  inc.Set("name", Json::String(source_id + (id_name.empty() ? "" : " (" + id_name + ")")));
  std::string description;
  for (pugi::xml_node d : Children(incident, "Description")) {
    std::string text = Collapse(Text(d));
    if (!text.empty()) description += (description.empty() ? "" : "\n\n") + text;
  }
  if (!description.empty()) inc.Set("description", Json::String(description));
  for (pugi::xml_node assessment : Children(incident, "Assessment")) {
    for (const auto& [element, prefix] :
         {std::pair<std::string_view, std::string>{"Impact", "impact:"},
          {"SystemImpact", "system-impact:"},
          {"BusinessImpact", "business-impact:"}}) {
      for (pugi::xml_node impact : Children(assessment, element)) {
        std::string type = Attr(impact, "type");
        if (type == "ext-value" && !Attr(impact, "ext-type").empty()) type = Attr(impact, "ext-type");
        if (!type.empty()) AddToList(&inc, "labels", prefix + type);
      }
    }
  }
  Json idref = Json::MakeObject();
  idref.Set("source_name", Json::String(id_name.empty() ? "iodef" : id_name));
  idref.Set("external_id", Json::String(source_id));
  references_.as_array().push_back(std::move(idref));
  for (pugi::xml_node method : Children(incident, "Method")) CollectReferences(method);
  Mark(&inc, incident);

  // Related activity: threat actors and campaigns.
  for (pugi::xml_node related : Children(incident, "RelatedActivity")) {
    std::vector<std::string> actors;
    for (pugi::xml_node actor : Children(related, "ThreatActor")) {
      std::string actor_id_text = Unwrap(Text(Child(actor, "ThreatActorID")));
      std::string name = Collapse(Text(Child(actor, "Description")));
      if (name.empty()) name = actor_id_text;
      if (name.empty()) continue;
      std::string id = DeterministicId(
          "threat-actor", "iodef|" + (actor_id_text.empty() ? Lower(name) : actor_id_text));
      Json ta = NewObject("threat-actor", id, context_.now, context_.now);
      ta.Set("name", Json::String(name));
      if (!actor_id_text.empty()) {
        Json r = Json::MakeObject();
        r.Set("source_name", Json::String("iodef"));
        r.Set("external_id", Json::String(actor_id_text));
        ta.Set("external_references", Json::MakeArray({std::move(r)}));
      }
      Mark(&ta, actor);
      Emit(std::move(ta));
      actors.push_back(id);
      actor_ids_.push_back(id);
    }
    for (pugi::xml_node campaign : Children(related, "Campaign")) {
      std::string campaign_id_text = Unwrap(Text(Child(campaign, "CampaignID")));
      std::string name = Collapse(Text(Child(campaign, "Description")));
      if (name.empty()) name = campaign_id_text;
      if (name.empty()) continue;
      std::string id = DeterministicId(
          "campaign", "iodef|" + (campaign_id_text.empty() ? Lower(name) : campaign_id_text));
      Json ca = NewObject("campaign", id, context_.now, context_.now);
      ca.Set("name", Json::String(name));
      if (!campaign_id_text.empty()) {
        Json r = Json::MakeObject();
        r.Set("source_name", Json::String("iodef"));
        r.Set("external_id", Json::String(campaign_id_text));
        ca.Set("external_references", Json::MakeArray({std::move(r)}));
      }
      Mark(&ca, campaign);
      Emit(std::move(ca));
      campaign_ids_.push_back(id);
      for (const std::string& a : actors) {
        Json r = NewRelationship(id, "attributed-to", a, created_);
        if (!reporter_id_.empty()) r.Set("created_by_ref", Json::String(reporter_id_));
        Mark(&r, related);
        Emit(std::move(r));
      }
    }
  }
  for (const std::vector<std::string>* list : {&actor_ids_, &campaign_ids_}) {
    for (const std::string& target : *list) {
      Json r = NewRelationship(incident_id_, "related-to", target, created_);
      if (!reporter_id_.empty()) r.Set("created_by_ref", Json::String(reporter_id_));
      Mark(&r, incident);
      Emit(std::move(r));
    }
  }

  RelateContacts(incident);
  size_t index = 0;
  for (pugi::xml_node event : Children(incident, "EventData")) {
    MapEventData(event, std::to_string(++index), t);
  }
  index = 0;
  for (pugi::xml_node data : Children(incident, "IndicatorData")) {
    for (pugi::xml_node indicator : Children(data, "Indicator")) MapIndicator(indicator, ++index);
  }

  // The incident itself, with what has no STIX home.
  if (references_.as_array().size() > 0) inc.Set("external_references", references_);
  Json fields = Json::MakeObject();
  pugi::xml_node document = incident.parent();
  for (pugi::xml_attribute a : document.attributes()) {
    std::string_view name = a.name();
    if (name == "xmlns" || name.substr(0, 6) == "xmlns:" || name.substr(0, 4) == "xsi:") continue;
    fields.Set("IODEF-Document/@" + std::string(name), Json::String(a.value()));
  }
  for (pugi::xml_attribute a : incident.attributes()) {
    fields.Set("@" + std::string(a.name()), Json::String(a.value()));
  }
  if (!instance.empty()) fields.Set("IncidentID/@instance", Json::String(instance));
  std::string restriction = Attr(incident, "restriction");
  if (!restriction.empty() && !iodef::RestrictionLevel(restriction, Attr(incident, "ext-restriction"))) {
    Note("Incident " + source_id + ": restriction '" + restriction +
         "' is no TLP level; no marking (kept in the source fields)");
  }
  static constexpr std::string_view kMapped[] = {"IncidentID", "Description", "Contact",
                                                 "EventData",  "IndicatorData"};
  for (pugi::xml_node c : incident.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view local = LocalName(c);
    if (std::find(std::begin(kMapped), std::end(kMapped), local) != std::end(kMapped)) continue;
    Json value = ElementJson(c);
    if (Json* existing = fields.Find(local)) {
      existing->as_array().push_back(std::move(value));
    } else if (Children(incident, local).size() > 1) {
      fields.Set(local, Json::MakeArray({std::move(value)}));
    } else {
      fields.Set(local, std::move(value));
    }
  }
  if (!unmapped_event_data_.as_array().empty()) fields.Set("EventData", unmapped_event_data_);
  if (!unmapped_indicators_.as_array().empty()) fields.Set("Indicator", unmapped_indicators_);
  Keep(&inc, std::move(fields));

  // Assemble: definitions first (once per read), then the incident and the rest.
  for (const std::string& marking : markings_) {
    if (!state_->emitted_definitions.insert(marking).second) continue;
    auto level = stix::TlpLevelFromMarkingId(marking);
    if (level) record->Add(stix::Tlp2MarkingDefinition(*level));
  }
  if (source_fields_ &&
      state_->emitted_definitions.insert(std::string(kSourceFieldsExtensionId)).second) {
    record->Add(SourceFieldsExtensionDefinition());
  }
  record->Add(inc);
  for (const Json& o : objects_) record->Add(o);
  for (std::string& n : notes_) record->notes.push_back(std::move(n));
  return true;
}

core::Status ReadIodef(Input& input, const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, kFormatName, {}));
  std::string data;
  pugi::xml_document doc;
  TESSERA_RETURN_IF_ERROR(
      xml::ReadDocument(input, pugi::parse_default | pugi::parse_ws_pcdata_single, &data, &doc));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "IODEF-Document") {
    return core::MakeError(core::ErrorCode::kUnsupported,
                           "not an IODEF document: the root element is <" +
                               std::string(root.name()) + ">, not <IODEF-Document>",
                           input.name());
  }
  ReadState state;
  const xml::NodeLocator locator(data);
  uint64_t index = 0;
  for (pugi::xml_node incident : root.children()) {
    if (incident.type() != pugi::node_element) continue;
    SourcePosition position;
    position.file = input.name();
    position.byte_offset = xml::ByteOffset(incident);
    position.record = index++;
    auto reject = [&](std::string reason) {
      Rejected rejected;
      rejected.format = kFormatName;
      rejected.position = position;
      rejected.reason = std::move(reason);
      rejected.SetRaw(RawXml(incident));
      sink.Reject(std::move(rejected));
    };
    if (!IsElement(incident, "Incident")) {
      reject(locator.Location(incident) + ": unexpected element <" +
             std::string(incident.name()) + "> (an IODEF-Document holds Incident elements)");
      continue;
    }
    IncidentMapper mapper(context, locator, &state);
    Record record;
    record.format = kFormatName;
    record.position = position;
    if (mapper.Map(incident, &record)) {
      sink.Accept(std::move(record));
    } else {
      reject(mapper.reason());
    }
  }
  if (index == 0) {
    return core::MakeError(core::ErrorCode::kValidation,
                           "the IODEF-Document holds no Incident", input.name());
  }
  return {};
}

}  // namespace

std::vector<Format> IodefFormats() {
  Format f;
  f.name = std::string(kFormatName);
  f.description =
      "IODEF 1.0 / 2.0 XML (RFC 5070, RFC 7970): incidents, reporters, observables, "
      "sightings, indicators";
  f.detect = DetectIodef;
  f.read = ReadIodef;
  return {std::move(f)};
}

}  // namespace tessera::formats
