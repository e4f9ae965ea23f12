#include "formats/misp/event_mapper.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/time.h"
#include "core/uuid.h"
#include "formats/misp/attribute_types.h"
#include "formats/misp/object_templates.h"
#include "formats/stix_build.h"
#include "normalize/stix_mapping.h"
#include "stix/tlp.h"

namespace tessera::formats::misp {

using namespace std::string_view_literals;

namespace {

using core::Json;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr std::array<std::string_view, 6> kDistributionNames = {
    "organisation", "community", "connected", "all", "sharing-group", "inherit"};

// ---------------------------------------------------------------------------
// Reading simdjson elements

bool GetString(element e, std::string_view* out) {
  return e.get_string().get(*out) == simdjson::SUCCESS;
}

// The string member `key` of `obj`, or "" when absent or not a string.
std::string_view StringAt(object obj, std::string_view key) {
  std::string_view s;
  if (obj.at_key(key).get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

// A scalar as text: strings as they are, numbers and booleans as JSON literals.
bool ScalarText(element e, std::string* out) {
  switch (e.type()) {
    case element_type::STRING: {
      std::string_view s;
      if (!GetString(e, &s)) return false;
      out->assign(s);
      return true;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
    case element_type::BOOL:
      *out = simdjson::minify(e);
      return true;
    default:
      return false;
  }
}

// MISP writes flags as true/false, "1"/"0" or 1/0.
bool Truthy(element e) {
  switch (e.type()) {
    case element_type::BOOL: {
      bool b = false;
      return e.get_bool().get(b) == simdjson::SUCCESS && b;
    }
    case element_type::STRING: {
      std::string_view s;
      return GetString(e, &s) && (s == "1" || s == "true" || s == "True");
    }
    case element_type::INT64: {
      int64_t i = 0;
      return e.get_int64().get(i) == simdjson::SUCCESS && i != 0;
    }
    default:
      return false;
  }
}

bool IsEmptyValue(element e) {
  switch (e.type()) {
    case element_type::NULL_VALUE:
      return true;
    case element_type::STRING: {
      std::string_view s;
      return GetString(e, &s) && s.empty();
    }
    case element_type::ARRAY: {
      array a;
      return e.get_array().get(a) == simdjson::SUCCESS && a.size() == 0;
    }
    case element_type::OBJECT: {
      object o;
      return e.get_object().get(o) == simdjson::SUCCESS && o.size() == 0;
    }
    case element_type::BOOL: {
      bool b = false;
      return e.get_bool().get(b) == simdjson::SUCCESS && !b;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Timestamps

// MISP epoch seconds ("1603642920" or a number) to a STIX timestamp.
std::optional<core::Timestamp> EpochOf(element e) {
  std::string text;
  if (!ScalarText(e, &text) || text.empty() || text.size() > 12) return std::nullopt;
  int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || ptr != text.data() + text.size() || seconds <= 0 ||
      seconds > 253402300799) {  // 9999-12-31T23:59:59Z
    return std::nullopt;
  }
  return core::Timestamp{seconds, 0, 3};
}

// first_seen, last_seen, date_sighting: RFC 3339 (any offset) or epoch seconds.
std::optional<core::Timestamp> TimeOf(element e) {
  std::string_view s;
  if (GetString(e, &s)) {
    auto t = core::ParseRfc3339(s);
    if (t.ok()) return *t;
  }
  return EpochOf(e);
}

// The event's date "2020-10-25".
std::optional<core::Timestamp> DateOf(std::string_view date) {
  if (date.size() != 10) return std::nullopt;
  std::string full(date);
  full += "T00:00:00.000Z";
  auto t = core::ParseRfc3339(full);
  if (!t.ok()) return std::nullopt;
  return *t;
}

constexpr size_t kEpochTimeSize = 24;  // "2020-10-25T08:15:00.000Z"

// The STIX form of MISP's whole-second epochs (the hot path: several per
// attribute), written into `buf` (kEpochTimeSize bytes) without allocating;
// false for any other timestamp.
bool WriteEpochTime(const core::Timestamp& t, char* buf) {
  if (t.nanos != 0 || t.frac_digits != 3 || t.seconds < 0 || t.seconds > 253402300799) {
    return false;
  }
  int64_t days = t.seconds / 86400;
  int64_t secs = t.seconds % 86400;
  // Days since 1970-01-01 to a civil date (proleptic Gregorian, 400-year eras).
  int64_t z = days + 719468;
  int64_t era = z / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t year = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  if (month <= 2) ++year;
  auto two = [&](int at, int64_t v) {
    buf[at] = static_cast<char>('0' + v / 10);
    buf[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(0, year / 100);
  two(2, year % 100);
  buf[4] = '-';
  two(5, month);
  buf[7] = '-';
  two(8, day);
  buf[10] = 'T';
  two(11, secs / 3600);
  buf[13] = ':';
  two(14, secs / 60 % 60);
  buf[16] = ':';
  two(17, secs % 60);
  std::memcpy(buf + 19, ".000Z", 5);
  return true;
}

// STIX form of a timestamp.
std::string Stix(const core::Timestamp& t) {
  char buf[kEpochTimeSize];
  if (!WriteEpochTime(t, buf)) return core::FormatTimestamp(t);
  return std::string(buf, kEpochTimeSize);
}

// A STIX timestamp held in place: the per-attribute times without allocating.
class TimeText {
 public:
  explicit TimeText(const core::Timestamp& t) {
    if (WriteEpochTime(t, buf_)) {
      len_ = kEpochTimeSize;
    } else {
      Assign(core::FormatTimestamp(t));
    }
  }
  explicit TimeText(std::string_view text) { Assign(text); }
  std::string_view view() const { return std::string_view(buf_, len_); }
  friend bool operator==(const TimeText& a, const TimeText& b) { return a.view() == b.view(); }

 private:
  void Assign(std::string_view text) {
    len_ = std::min(text.size(), sizeof(buf_));
    std::memcpy(buf_, text.data(), len_);
  }
  char buf_[40];
  size_t len_ = 0;
};

// ---------------------------------------------------------------------------

// "<type>--<uuid>" from a MISP uuid, or empty when it is not one.
std::string IdFromUuid(std::string_view type, std::string_view uuid) {
  auto parsed = core::ParseUuid(uuid);
  if (!parsed.ok()) return {};
  std::string id(type);
  id += "--";
  parsed->AppendTo(&id);
  return id;
}

// STIX 2.1 §5.1: relationship_type is lower-case ASCII letters, digits and hyphens.
std::string RelationshipType(std::string_view misp) {
  std::string out;
  for (char c : misp) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    out += ok ? c : '-';
  }
  return out.empty() ? "related-to" : out;
}

// Which SDO a galaxy cluster becomes, from the galaxy's type.
std::string_view ClusterSdoType(std::string_view galaxy) {
  auto ends = [&](std::string_view suffix) { return galaxy.ends_with(suffix); };
  if (ends("attack-pattern")) return "attack-pattern";
  if (ends("intrusion-set") || galaxy == "microsoft-activity-group") return "intrusion-set";
  if (ends("course-of-action")) return "course-of-action";
  if (galaxy.find("threat-actor") != std::string_view::npos) return "threat-actor";
  if (ends("malware") || galaxy == "banker" || galaxy == "ransomware" || galaxy == "rat" ||
      galaxy == "botnet" || galaxy == "stealer" || galaxy == "backdoor" || galaxy == "android" ||
      galaxy == "malpedia" || galaxy == "cryptominers") {
    return "malware";
  }
  if (ends("tool") || galaxy == "exploit-kit") return "tool";
  return "note";
}

bool Indicates(std::string_view sdo_type) {
  return sdo_type == "malware" || sdo_type == "threat-actor" || sdo_type == "intrusion-set" ||
         sdo_type == "attack-pattern" || sdo_type == "tool" || sdo_type == "campaign";
}

// Writes an element as JSON text (strings escaped as core::AppendJsonString does).
void AppendValue(std::string* out, element e) {
  switch (e.type()) {
    case element_type::STRING: {
      std::string_view s;
      if (GetString(e, &s)) core::AppendJsonString(out, s);
      return;
    }
    case element_type::ARRAY: {
      array a;
      out->push_back('[');
      if (e.get_array().get(a) == simdjson::SUCCESS) {
        bool first = true;
        for (element child : a) {
          if (!first) out->push_back(',');
          first = false;
          AppendValue(out, child);
        }
      }
      out->push_back(']');
      return;
    }
    case element_type::OBJECT: {
      object o;
      out->push_back('{');
      if (e.get_object().get(o) == simdjson::SUCCESS) {
        bool first = true;
        for (auto field : o) {
          if (!first) out->push_back(',');
          first = false;
          core::AppendJsonString(out, field.key);
          out->push_back(':');
          AppendValue(out, field.value);
        }
      }
      out->push_back('}');
      return;
    }
    case element_type::INT64: {
      int64_t i = 0;
      if (e.get_int64().get(i) == simdjson::SUCCESS) out->append(std::to_string(i));
      return;
    }
    case element_type::UINT64: {
      uint64_t u = 0;
      if (e.get_uint64().get(u) == simdjson::SUCCESS) out->append(std::to_string(u));
      return;
    }
    default:
      out->append(simdjson::minify(e));
      return;
  }
}

// The members of an attribute the mapping reads or checks.
enum class AttributeKey {
  kOther,
  kType,
  kValue,
  kUuid,
  kComment,
  kData,
  kRelation,
  kToIds,
  kDeleted,
  kTimestamp,
  kFirstSeen,
  kLastSeen,
  kDistribution,
  kTag,
  kGalaxy,
  kSighting,
  kEventId,
  kObjectId,
  kSharingGroupId,
};

// Whether `key` is `word`, for a key already known to be as long as the word:
// a fixed-size compare the compiler inlines.
template <size_t N>
bool MatchesWord(std::string_view key, const char (&word)[N]) {
  return std::memcmp(key.data(), word, N - 1) == 0;
}

// By length first: this runs for every member of every attribute, twice.
AttributeKey AttributeKeyOf(std::string_view key) {
  switch (key.size()) {
    case 3:
      if (MatchesWord(key, "Tag")) return AttributeKey::kTag;
      break;
    case 4:
      if (MatchesWord(key, "type")) return AttributeKey::kType;
      if (MatchesWord(key, "uuid")) return AttributeKey::kUuid;
      if (MatchesWord(key, "data")) return AttributeKey::kData;
      break;
    case 5:
      if (MatchesWord(key, "value")) return AttributeKey::kValue;
      break;
    case 6:
      if (MatchesWord(key, "to_ids")) return AttributeKey::kToIds;
      if (MatchesWord(key, "Galaxy")) return AttributeKey::kGalaxy;
      break;
    case 7:
      if (MatchesWord(key, "comment")) return AttributeKey::kComment;
      if (MatchesWord(key, "deleted")) return AttributeKey::kDeleted;
      break;
    case 8:
      if (MatchesWord(key, "Sighting")) return AttributeKey::kSighting;
      if (MatchesWord(key, "event_id")) return AttributeKey::kEventId;
      break;
    case 9:
      if (MatchesWord(key, "timestamp")) return AttributeKey::kTimestamp;
      if (MatchesWord(key, "last_seen")) return AttributeKey::kLastSeen;
      if (MatchesWord(key, "object_id")) return AttributeKey::kObjectId;
      break;
    case 10:
      if (MatchesWord(key, "first_seen")) return AttributeKey::kFirstSeen;
      break;
    case 12:
      if (MatchesWord(key, "distribution")) return AttributeKey::kDistribution;
      break;
    case 15:
      if (MatchesWord(key, "object_relation")) return AttributeKey::kRelation;
      break;
    case 16:
      if (MatchesWord(key, "sharing_group_id")) return AttributeKey::kSharingGroupId;
      break;
    default:
      break;
  }
  return AttributeKey::kOther;
}

// Whether the mapping consumes an attribute's member; the others are kept as
// source fields.
bool IsConsumed(AttributeKey key) {
  switch (key) {
    case AttributeKey::kValue:
    case AttributeKey::kUuid:
    case AttributeKey::kData:
    case AttributeKey::kToIds:
    case AttributeKey::kDeleted:
    case AttributeKey::kTimestamp:
    case AttributeKey::kFirstSeen:
    case AttributeKey::kLastSeen:
    case AttributeKey::kDistribution:
    case AttributeKey::kTag:
    case AttributeKey::kGalaxy:
    case AttributeKey::kSighting:
      return true;
    default:
      return false;
  }
}

// The source fields of one STIX object, as the members of a JSON object.
class Fields {
 public:
  bool empty() const { return text_.empty(); }
  const std::string& text() const { return text_; }
  void Clear() { text_.clear(); }  // keeps the room for the next attribute

  void Add(std::string_view key, element value) {
    Key(key);
    AppendValue(&text_, value);
  }
  void AddString(std::string_view key, std::string_view value) {
    Key(key);
    core::AppendJsonString(&text_, value);
  }
  void AddBool(std::string_view key, bool value) {
    Key(key);
    text_.append(value ? "true" : "false");
  }
  void AddRaw(std::string_view key, std::string_view json) {
    Key(key);
    text_.append(json);
  }
  // Members of `obj` not in `consumed` (nor in `skip`) and not empty (null, "",
  // [], {}, false), as written: what STIX has no property for.
  template <size_t N>
  void Leftover(object obj, const std::array<std::string_view, N>& consumed,
                std::initializer_list<std::string_view> skip = {}) {
    for (auto field : obj) {
      if (std::find(consumed.begin(), consumed.end(), field.key) != consumed.end()) continue;
      if (std::find(skip.begin(), skip.end(), field.key) != skip.end()) continue;
      if (IsEmptyValue(field.value)) continue;
      Add(field.key, field.value);
    }
  }
  // An attribute's leftovers, except event_id and object_id where they only
  // repeat what the attribute's place says (the event's id; "0" or its object's
  // id): those are kept on the report and the object. The comment is left out
  // when a STIX description holds it, sharing_group_id when the distribution is
  // not kept.
  // `keys`: the keys of obj's first members, as ReadAttributeFields found them.
  void AttributeLeftover(object obj, std::span<const AttributeKey> keys, bool skip_comment,
                         bool skip_sharing_group, std::string_view event_id,
                         std::string_view object_id) {
    size_t i = 0;
    for (auto field : obj) {
      AttributeKey key = i < keys.size() ? keys[i] : AttributeKeyOf(field.key);
      ++i;
      if (IsConsumed(key) || (key == AttributeKey::kComment && skip_comment) ||
          (key == AttributeKey::kSharingGroupId && skip_sharing_group) ||
          IsEmptyValue(field.value)) {
        continue;
      }
      if (key == AttributeKey::kEventId || key == AttributeKey::kObjectId) {
        std::string_view v;
        if (GetString(field.value, &v) &&
            v == (key == AttributeKey::kEventId ? event_id : object_id)) {
          continue;
        }
      }
      Add(field.key, field.value);
    }
  }

 private:
  void Key(std::string_view key) {
    if (text_.empty()) {
      text_.reserve(kFieldsReserve);
    } else {
      text_.push_back(',');
    }
    core::AppendJsonString(&text_, key);
    text_.push_back(':');
  }
  // Room for an attribute's usual leftovers, so they take one allocation.
  static constexpr size_t kFieldsReserve = 512;
  std::string text_;
};

// One STIX object being written: its JSON text and the fields a Record keeps.
class Obj {
 public:
  // {"type","spec_version","id","created","modified"}: an SDO or SRO, with
  // room for `room` bytes of JSON (an indicator with its pattern, source fields
  // and markings is often past 512).
  Obj(std::string_view type, std::string id, std::string_view created, std::string_view modified,
      size_t room = 1024) {
    out_.type = std::string(type);
    out_.spec_version = "2.1";
    out_.id = std::move(id);
    out_.created = created;
    out_.modified = modified;
    out_.json.reserve(room);
    out_.json.append("{\"type\":\""sv).append(type).append("\",\"spec_version\":\"2.1\""sv);
    Plain("id", out_.id).Plain("created", created).Plain("modified", modified);
  }

  const std::string& id() const { return out_.id; }

  Obj& Str(std::string_view key, std::string_view value) {
    Key(key);
    core::AppendJsonString(&out_.json, value);
    return *this;
  }
  // A value that needs no escaping: ids, timestamps, STIX vocabulary.
  Obj& Plain(std::string_view key, std::string_view value) {
    // ,"key":"value": the room taken once, the pieces copied in.
    const size_t at = out_.json.size();
    out_.json.resize(at + key.size() + value.size() + 6);
    char* p = out_.json.data() + at;
    std::memcpy(p, ",\"", 2);
    std::memcpy(p + 2, key.data(), key.size());
    p += 2 + key.size();
    std::memcpy(p, "\":\"", 3);
    std::memcpy(p + 3, value.data(), value.size());
    p[3 + value.size()] = '"';
    return *this;
  }
  // A list of such values (ids): any list of strings or views.
  template <typename List>
  Obj& PlainList(std::string_view key, const List& values) {
    Key(key);
    out_.json.push_back('[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_.json.push_back(',');
      out_.json.push_back('"');
      out_.json.append(values[i]);
      out_.json.push_back('"');
    }
    out_.json.push_back(']');
    return *this;
  }
  Obj& Raw(std::string_view key, std::string_view json) {
    Key(key);
    out_.json.append(json);
    return *this;
  }
  Obj& Int(std::string_view key, int64_t value) { return Raw(key, std::to_string(value)); }
  Obj& Bool(std::string_view key, bool value) { return Raw(key, value ? "true" : "false"); }
  Obj& Strs(std::string_view key, const std::vector<std::string>& values) {
    Key(key);
    AppendList(values);
    return *this;
  }
  Obj& OptionalStrs(std::string_view key, const std::vector<std::string>& values) {
    return values.empty() ? *this : Strs(key, values);
  }

  // Closes the object: object_marking_refs, then the source-fields extension.
  stix::StixObject Finish(const stix::MarkingRefs& markings, const Fields& fields,
                          std::string_view format) && {
    if (!markings.empty()) {
      PlainList("object_marking_refs", markings.list());
      out_.object_marking_refs = markings;
    }
    if (!fields.empty()) {
      out_.json.reserve(out_.json.size() + fields.text().size() + kExtensionOverhead);
      Key("extensions");
      out_.json.push_back('{');
      core::AppendJsonString(&out_.json, kSourceFieldsExtensionId);
      out_.json.append(":{\"extension_type\":\"property-extension\",\"source_format\":"sv);
      core::AppendJsonString(&out_.json, format);
      out_.json.append(",\"fields\":{"sv);
      out_.json.append(fields.text());
      out_.json.append("}}}"sv);
    }
    out_.json.push_back('}');
    return std::move(out_);
  }

 private:
  // Keys are the reader's own literals: nothing to escape.
  void Key(std::string_view key) { out_.json.append(",\""sv).append(key).append("\":"sv); }
  void AppendList(const std::vector<std::string>& values) {
    out_.json.push_back('[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_.json.push_back(',');
      core::AppendJsonString(&out_.json, values[i]);
    }
    out_.json.push_back(']');
  }
  // The source-fields extension's text around the fields.
  static constexpr size_t kExtensionOverhead = 192;
  stix::StixObject out_;
};

// Appends `value` to a list unless it is there already (labels, markings, refs).
void AddUnique(std::vector<std::string>* list, std::string_view value) {
  for (const std::string& v : *list) {
    if (v == value) return;
  }
  list->emplace_back(value);
}

// The fields of a MISP attribute, read in one pass.
struct AttributeFields {
  std::string_view type;
  // The value as written: a string's text, or a number or boolean as JSON.
  std::string_view value() const { return value_is_json ? value_json : value_string; }
  std::string_view value_string;  // a view into the parsed event
  std::string value_json;
  bool value_is_json = false;
  bool has_value = false;
  std::string_view uuid;
  std::string_view comment;
  std::string_view data;
  std::string_view relation;
  bool to_ids = false;
  bool deleted = false;
  std::optional<core::Timestamp> timestamp;
  std::optional<core::Timestamp> first_seen;
  std::optional<core::Timestamp> last_seen;
  bool bad_first_seen = false;
  bool bad_last_seen = false;
  std::string distribution;  // as written ("0".."5"), empty when absent
  element tags;
  element galaxies;
  element sightings;
  // Each true for a non-empty list ("Galaxy": [] is usual).
  bool has_tags = false;
  bool has_galaxies = false;
  bool has_sightings = false;
  // The keys of the first members in order, so that writing the leftovers
  // does not classify them again.
  std::array<AttributeKey, 32> keys;
  size_t key_count = 0;
  std::span<const AttributeKey> member_keys() const { return {keys.data(), key_count}; }
};

void ReadAttributeFields(object attr, AttributeFields* f) {
  for (auto field : attr) {
    element v = field.value;
    const AttributeKey key = AttributeKeyOf(field.key);
    if (f->key_count < f->keys.size()) f->keys[f->key_count++] = key;
    switch (key) {
      case AttributeKey::kType:
        GetString(v, &f->type);
        break;
      case AttributeKey::kValue:
        if (v.type() == element_type::STRING) {
          f->has_value = GetString(v, &f->value_string);
        } else {
          f->has_value = f->value_is_json = ScalarText(v, &f->value_json);
        }
        break;
      case AttributeKey::kUuid:
        GetString(v, &f->uuid);
        break;
      case AttributeKey::kComment:
        GetString(v, &f->comment);
        break;
      case AttributeKey::kData:
        GetString(v, &f->data);
        break;
      case AttributeKey::kRelation:
        GetString(v, &f->relation);
        break;
      case AttributeKey::kToIds:
        f->to_ids = Truthy(v);
        break;
      case AttributeKey::kDeleted:
        f->deleted = Truthy(v);
        break;
      case AttributeKey::kTimestamp:
        f->timestamp = EpochOf(v);
        break;
      case AttributeKey::kFirstSeen:
        if (v.type() != element_type::NULL_VALUE) {
          f->first_seen = TimeOf(v);
          f->bad_first_seen = !f->first_seen && !IsEmptyValue(v);
        }
        break;
      case AttributeKey::kLastSeen:
        if (v.type() != element_type::NULL_VALUE) {
          f->last_seen = TimeOf(v);
          f->bad_last_seen = !f->last_seen && !IsEmptyValue(v);
        }
        break;
      case AttributeKey::kDistribution:
        ScalarText(v, &f->distribution);
        break;
      case AttributeKey::kTag:
        f->tags = v;
        f->has_tags = v.type() == element_type::ARRAY && !IsEmptyValue(v);
        break;
      case AttributeKey::kGalaxy:
        f->galaxies = v;
        f->has_galaxies = v.type() == element_type::ARRAY && !IsEmptyValue(v);
        break;
      case AttributeKey::kSighting:
        f->sightings = v;
        f->has_sightings = v.type() == element_type::ARRAY && !IsEmptyValue(v);
        break;
      case AttributeKey::kEventId:
      case AttributeKey::kObjectId:
      case AttributeKey::kSharingGroupId:
      case AttributeKey::kOther:
        break;
    }
  }
}

// No place: what a lookup of an unknown key gives.
constexpr size_t kNoPlace = static_cast<size_t>(-1);

// Positions in a list, found by a string key the list holds (`KeyOf` gives the
// key at a position): open addressing with linear probing, so that indexing an
// element costs no allocation of its own (the table grows by doubling). A slot
// keeps 32 bits of the key's hash beside the position, so probing and growing
// read the list only to confirm a match. The list must outlive the index.
template <typename KeyOf>
class FlatIndex {
 public:
  explicit FlatIndex(KeyOf key_of) : key_of_(key_of) {}

  // The position of the element with `key`, or kNoPlace.
  size_t Find(std::string_view key) const {
    if (slots_.empty()) return kNoPlace;
    const uint32_t hash = Hash(key);
    for (size_t i = hash & Mask();; i = (i + 1) & Mask()) {
      const uint64_t slot = slots_[i];
      if (slot == 0) return kNoPlace;
      if (static_cast<uint32_t>(slot >> 32) == hash && key_of_(Position(slot)) == key) {
        return Position(slot);
      }
    }
  }
  // Indexes the element at `position`; an element indexed before with the
  // same key is no longer found.
  void Insert(size_t position) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    const std::string_view key = key_of_(position);
    const uint32_t hash = Hash(key);
    const uint64_t slot = (uint64_t{hash} << 32) | (position + 1);
    for (size_t i = hash & Mask();; i = (i + 1) & Mask()) {
      if (slots_[i] == 0) {
        slots_[i] = slot;
        ++count_;
        return;
      }
      if (static_cast<uint32_t>(slots_[i] >> 32) == hash && key_of_(Position(slots_[i])) == key) {
        slots_[i] = slot;
        return;
      }
    }
  }

 private:
  static uint32_t Hash(std::string_view key) {
    return static_cast<uint32_t>(std::hash<std::string_view>()(key));
  }
  static size_t Position(uint64_t slot) { return static_cast<size_t>(slot & 0xFFFFFFFF) - 1; }
  size_t Mask() const { return slots_.size() - 1; }
  void Put(uint64_t slot) {
    size_t i = static_cast<size_t>(slot >> 32) & Mask();
    while (slots_[i] != 0) i = (i + 1) & Mask();
    slots_[i] = slot;
  }
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(std::max<size_t>(64, old.size() * 2), 0);
    for (uint64_t slot : old) {
      if (slot != 0) Put(slot);
    }
  }

  KeyOf key_of_;
  // (32 bits of the hash << 32) | (position + 1); 0: empty. A power-of-two count.
  std::vector<uint64_t> slots_;
  size_t count_ = 0;
};

// The id of an object in a list, for FlatIndex.
struct ObjectIdAt {
  const std::vector<stix::StixObject>* objects;
  std::string_view operator()(size_t place) const { return (*objects)[place].id; }
};

// MISP uuids and the places of the objects they became; a uuid given again
// takes its new place (the index then finds the later entry).
class UuidPlaces {
 public:
  UuidPlaces() = default;
  // index_ reads entries_ through a pointer: the list stays where it is made.
  UuidPlaces(const UuidPlaces&) = delete;
  UuidPlaces& operator=(const UuidPlaces&) = delete;

  // `uuid` must outlive the list (a view into the parsed event).
  void Add(std::string_view uuid, size_t place) {
    entries_.push_back({uuid, place});
    index_.Insert(entries_.size() - 1);
  }
  size_t Find(std::string_view uuid) const {
    size_t at = index_.Find(uuid);
    return at == kNoPlace ? kNoPlace : entries_[at].place;
  }

 private:
  struct Entry {
    std::string_view uuid;
    size_t place;
  };
  struct UuidAt {
    const std::vector<Entry>* entries;
    std::string_view operator()(size_t at) const { return (*entries)[at].uuid; }
  };
  std::vector<Entry> entries_;
  FlatIndex<UuidAt> index_{UuidAt{&entries_}};
};

}  // namespace

// ---------------------------------------------------------------------------

struct EventMapper::Impl {
  Impl(std::string_view format_name, const ReadContext& read_context)
      : format(format_name), context(read_context) {}

  std::string_view format;
  const ReadContext& context;
  simdjson::dom::parser parser;
  std::array<bool, 5> marking_emitted{};
};

namespace {

// Builds the record of one event. Objects are written as JSON text once, in
// their final form (markings, labels and source fields are known before).
class EventBuilder {
 public:
  EventBuilder(std::string_view format, const ReadContext& context,
               std::array<bool, 5>* marking_emitted, const SourcePosition& position,
               std::string_view raw)
      : format_(format),
        context_(context),
        marking_emitted_(marking_emitted),
        position_(position),
        raw_(raw) {}
  // index_ reads objects_ through a pointer: the builder stays where it is made.
  EventBuilder(const EventBuilder&) = delete;
  EventBuilder& operator=(const EventBuilder&) = delete;

  void Build(object event, Sink& sink);

 private:
  // Objects of the record
  Obj NewSdo(std::string_view type, std::string id, std::string_view created,
             std::string_view modified) const;
  Obj NewRel(const std::string& source, std::string_view type, const std::string& target,
             std::string_view created, std::string id = {}) const;
  // Adds a finished object; an id already in the record is merged (SCOs reported
  // twice with other list members, such as resolves_to_refs) or skipped.
  // Returns the object's place in objects_.
  size_t Add(stix::StixObject&& object, bool unique = false);
  size_t Add(Obj&& o, const stix::MarkingRefs& markings, const Fields& fields = {}) {
    return Add(std::move(o).Finish(markings, fields, format_));
  }
  // An object whose id comes from its own MISP uuid: not looked up for merging.
  size_t AddOwn(Obj&& o, const stix::MarkingRefs& markings, const Fields& fields = {}) {
    return Add(std::move(o).Finish(markings, fields, format_), true);
  }
  // An SCO built as a Json tree by the value mappers, with the markings; returns
  // its place in objects_.
  size_t AddSco(Sco&& sco, const stix::MarkingRefs& markings);
  // The event's markings followed by `own`.
  stix::MarkingRefs Marks(const std::vector<std::string>& own = {}) const;
  void Note(std::string_view where, std::string_view text);
  // True when a part's distribution must be kept: it is not the event's own and
  // not 5 (inherit).
  bool DistributionDiffers(std::string_view distribution) const {
    return !distribution.empty() && distribution != "5" && distribution != distribution_;
  }
  void RejectPart(std::string_view where, std::string reason, element raw);
  void RejectPart(std::string_view where, std::string reason, object raw) {
    RejectPart(where, std::move(reason), simdjson::minify(raw));
  }
  void RejectPart(std::string_view where, std::string reason, std::string_view raw);

  // Parts of the event
  // A STIX pattern: the comparisons of one observation joined with AND, in a
  // buffer reused from attribute to attribute.
  const std::string& Pattern(const std::vector<std::string>& comparisons);
  void ReadTags(element tags, std::vector<std::string>* markings, std::vector<std::string>* labels);
  // An attribute of the event; `index` is its place in the Attribute list.
  void MapAttribute(object attr, size_t index);
  void MapObject(object obj, const std::string& where);
  void MapObjectReferences(object obj, const std::string& where, const std::string& source_id);
  std::string MapCluster(object galaxy, object cluster, const std::string& where);
  void MapGalaxies(element galaxies, const std::string& where, const std::string& related_id);
  void MapSighting(object sighting, const std::string& where, const std::string& target_id);
  void MapEventReport(object report, const std::string& where);
  std::string IdentityFor(object org, const std::string& created);
  std::string StixIdFor(std::string_view type, std::string_view uuid,
                        const std::string& where) const;

  std::string_view format_;
  const ReadContext& context_;
  std::array<bool, 5>* marking_emitted_;
  SourcePosition position_;
  std::string_view raw_;

  std::string report_id_;
  std::string identity_id_;
  std::string ts_;  // the event's timestamp: created/modified of what has none
  std::string distribution_;
  std::string event_id_;               // the event's MISP id ("id"), which attributes repeat
  std::vector<std::string> markings_;  // the event's TLP marking ids
  stix::MarkingRefs event_marks_;      // the same, shared by the objects that carry them
  std::array<bool, 5> levels_{};       // TLP levels used in this record

  std::vector<stix::StixObject> objects_;  // everything but the report, identities, markings
  // Reused from attribute to attribute: its source fields, its SCOs' places
  // in objects_ and their ids.
  MappedValue mapped_;
  Fields attribute_fields_;
  std::vector<size_t> sco_places_;
  std::vector<std::string_view> ref_ids_;
  // Places in objects_ of the objects Add may merge into, found by id.
  FlatIndex<ObjectIdAt> index_{ObjectIdAt{&objects_}};
  // The pattern of the attribute being mapped.
  std::string pattern_;
  std::vector<stix::StixObject> identities_;
  // MISP uuid (a view into the parsed event, alive during Build) -> the place
  // in objects_ of the STIX object it became.
  UuidPlaces primary_;
  std::unordered_map<std::string, std::string> cluster_keys_;  // cluster STIX id -> tag name
  std::vector<std::string> notes_;
  std::vector<Rejected> rejected_;
};

Obj EventBuilder::NewSdo(std::string_view type, std::string id, std::string_view created,
                         std::string_view modified) const {
  Obj o(type, std::move(id), created, modified);
  if (!identity_id_.empty()) o.Plain("created_by_ref", identity_id_);
  return o;
}

Obj EventBuilder::NewRel(const std::string& source, std::string_view type,
                         const std::string& target, std::string_view created,
                         std::string id) const {
  if (id.empty()) {
    std::string key = source;
    key.append("|"sv).append(type).append("|"sv).append(target);
    id = DeterministicId("relationship", key);
  }
  Obj o("relationship", std::move(id), created, created, 512);
  o.Plain("relationship_type", type).Plain("source_ref", source).Plain("target_ref", target);
  if (!identity_id_.empty()) o.Plain("created_by_ref", identity_id_);
  return o;
}

size_t EventBuilder::Add(stix::StixObject&& object, bool unique) {
  if (unique) {
    objects_.push_back(std::move(object));
    return objects_.size() - 1;
  }
  if (const size_t place = index_.Find(object.id); place != kNoPlace) {
    stix::StixObject& existing = objects_[place];
    if (existing.json == object.json) return place;
    // The same id with other content (an SCO from two attributes, one with
    // resolves_to_refs): keep the first values, merge list members. Rare.
    auto have = core::ParseJson(existing.json);
    auto add = core::ParseJson(object.json);
    if (!have.ok() || !add.ok()) return place;
    for (auto& [key, value] : add->as_object()) {
      Json* mine = have->Find(key);
      if (mine == nullptr) {
        have->Set(key, std::move(value));
      } else if (mine->is_array() && value.is_array()) {
        for (Json& v : value.as_array()) {
          if (std::find(mine->as_array().begin(), mine->as_array().end(), v) ==
              mine->as_array().end()) {
            mine->as_array().push_back(std::move(v));
          }
        }
      }
    }
    existing.json = core::WriteJson(*have);
    std::vector<std::string> marking_ids;
    if (const Json* refs = have->Find("object_marking_refs"); refs != nullptr && refs->is_array()) {
      for (const Json& r : refs->as_array()) {
        if (r.is_string()) marking_ids.push_back(r.as_string());
      }
    }
    existing.object_marking_refs = std::move(marking_ids);
    return place;
  }
  objects_.push_back(std::move(object));
  index_.Insert(objects_.size() - 1);
  return objects_.size() - 1;
}

size_t EventBuilder::AddSco(Sco&& sco, const stix::MarkingRefs& markings) {
  stix::StixObject out;
  out.type = std::move(sco.type);
  out.id = std::move(sco.id);
  out.spec_version = "2.1";
  out.json = std::move(sco.json);
  if (!markings.empty() && !out.json.empty() && out.json.back() == '}') {
    out.json.pop_back();
    out.json.append(",\"object_marking_refs\":["sv);
    for (size_t i = 0; i < markings.size(); ++i) {
      if (i > 0) out.json.push_back(',');
      core::AppendJsonString(&out.json, markings.list()[i]);
    }
    out.json.append("]}"sv);
    out.object_marking_refs = markings;
  }
  return Add(std::move(out));
}

stix::MarkingRefs EventBuilder::Marks(const std::vector<std::string>& own) const {
  if (own.empty()) return event_marks_;
  std::vector<std::string> out;
  for (const std::string& m : markings_) AddUnique(&out, m);
  for (const std::string& m : own) AddUnique(&out, m);
  return out;
}

void EventBuilder::Note(std::string_view where, std::string_view text) {
  std::string note(where);
  note += ": ";
  note += text;
  notes_.push_back(std::move(note));
}

void EventBuilder::RejectPart(std::string_view where, std::string reason, element raw) {
  RejectPart(where, std::move(reason), simdjson::minify(raw));
}

void EventBuilder::RejectPart(std::string_view where, std::string reason, std::string_view raw) {
  Rejected r;
  r.format = format_;
  r.position = position_;
  r.reason = std::string(where) + ": " + std::move(reason);
  r.SetRaw(raw);
  rejected_.push_back(std::move(r));
}

std::string EventBuilder::StixIdFor(std::string_view type, std::string_view uuid,
                                    const std::string& where) const {
  std::string id = IdFromUuid(type, uuid);
  if (!id.empty()) return id;
  // No usable uuid: an id from the event's id and the part's place in it.
  return DeterministicId(type, report_id_ + where);
}

void EventBuilder::ReadTags(element tags, std::vector<std::string>* markings,
                            std::vector<std::string>* labels) {
  array list;
  if (tags.get_array().get(list) != simdjson::SUCCESS) return;
  for (element tag : list) {
    std::string_view name;
    object t;
    if (tag.get_object().get(t) == simdjson::SUCCESS) {
      if (t.at_key("name").get_string().get(name) != simdjson::SUCCESS) continue;
    } else if (!GetString(tag, &name)) {
      continue;
    }
    if (auto level = stix::TlpLevelFromTag(name)) {
      levels_[static_cast<size_t>(*level)] = true;
      markings->emplace_back(stix::Tlp2MarkingId(*level));
    } else if (!name.empty()) {
      labels->emplace_back(name);
    }
  }
}

std::string EventBuilder::IdentityFor(object org, const std::string& created) {
  std::string_view name = StringAt(org, "name");
  std::string_view uuid = StringAt(org, "uuid");
  std::string id = IdFromUuid("identity", uuid);
  if (id.empty()) {
    if (name.empty()) return {};
    id = DeterministicId("identity", name);  // key: the organisation's name
  }
  for (const stix::StixObject& known : identities_) {
    if (known.id == id) return id;
  }
  Obj identity("identity", id, created, created);
  identity.Str("name", name.empty() ? uuid : name).Str("identity_class", "organization");
  static constexpr std::array<std::string_view, 2> kConsumed = {"name", "uuid"};
  Fields fields;
  fields.Leftover(org, kConsumed);
  identities_.push_back(std::move(identity).Finish(Marks(), fields, format_));
  return id;
}

// ---------------------------------------------------------------------------
// Galaxies

std::string EventBuilder::MapCluster(object galaxy, object cluster, const std::string& where) {
  std::string_view galaxy_type = StringAt(galaxy, "type");
  std::string_view galaxy_name = StringAt(galaxy, "name");
  std::string_view cluster_type = StringAt(cluster, "type");
  if (!cluster_type.empty()) galaxy_type = cluster_type;
  std::string_view value = StringAt(cluster, "value");
  std::string_view uuid = StringAt(cluster, "uuid");
  std::string_view description = StringAt(cluster, "description");
  std::string_view tag_name = StringAt(cluster, "tag_name");
  if (value.empty()) {
    Note(where, "a galaxy cluster without a value is kept in the report's source fields");
    return {};
  }
  std::string_view sdo_type = ClusterSdoType(galaxy_type);
  // Key of the deterministic id: the cluster's tag name, misp-galaxy:<type>="<value>".
  std::string key = tag_name.empty() ? "misp-galaxy:" + std::string(galaxy_type) + "=\"" +
                                           std::string(value) + "\""
                                     : std::string(tag_name);
  // The cluster's uuid is its own only in exports that also carry collection_uuid
  // (older MISP versions wrote the galaxy's collection uuid there, shared by all
  // its clusters); a uuid already used here by another cluster is not its own either.
  std::string_view collection;
  bool has_collection =
      cluster.at_key("collection_uuid").get_string().get(collection) == simdjson::SUCCESS;
  std::string id;
  if (has_collection && collection != uuid) id = IdFromUuid(sdo_type, uuid);
  if (!id.empty()) {
    auto owner = cluster_keys_.find(id);
    if (owner != cluster_keys_.end() && owner->second != key) id.clear();
  }
  bool own_uuid = !id.empty();
  if (id.empty()) id = DeterministicId(sdo_type, key);
  cluster_keys_.emplace(id, key);
  if (index_.Find(id) != kNoPlace) return id;

  std::string name(value);
  // External id from meta.external_id (MITRE ATT&CK: "T1105", "G0006", "S0310").
  std::string external_id;
  std::vector<std::string> synonyms;
  std::vector<std::string> refs;
  Fields meta_rest;
  object meta;
  bool has_meta = cluster.at_key("meta").get_object().get(meta) == simdjson::SUCCESS;
  if (has_meta) {
    for (auto field : meta) {
      array list;
      bool is_list = field.value.get_array().get(list) == simdjson::SUCCESS;
      if (field.key == "external_id" || field.key == "synonyms" || field.key == "refs") {
        std::vector<std::string>* into = field.key == "synonyms" ? &synonyms
                                         : field.key == "refs"   ? &refs
                                                                 : nullptr;
        std::string_view s;
        if (is_list) {
          for (element item : list) {
            if (!GetString(item, &s)) continue;
            if (into != nullptr) {
              into->emplace_back(s);
            } else if (external_id.empty()) {
              external_id = std::string(s);
            }
          }
        } else if (GetString(field.value, &s)) {
          if (into != nullptr) {
            into->emplace_back(s);
          } else {
            external_id = std::string(s);
          }
        }
        continue;
      }
      if (!IsEmptyValue(field.value)) meta_rest.Add(field.key, field.value);
    }
  }
  if (external_id.empty() && galaxy_type.starts_with("mitre-")) {
    // "Permission Groups Discovery - T1069": the ATT&CK id ends the value.
    size_t dash = name.rfind(" - ");
    if (dash != std::string::npos) {
      std::string_view tail = std::string_view(name).substr(dash + 3);
      bool ok = tail.size() >= 2 && tail[0] >= 'A' && tail[0] <= 'Z';
      for (char c : tail.substr(1)) ok = ok && ((c >= '0' && c <= '9') || c == '.');
      if (ok) external_id = std::string(tail);
    }
  }
  if (external_id.empty() && galaxy_type.starts_with("mitre-")) {
    // Older exports: only the ATT&CK page says it, ".../wiki/Technique/T1122".
    for (const std::string& url : refs) {
      if (url.find("attack.mitre.org") == std::string::npos) continue;
      std::string_view tail = std::string_view(url).substr(url.find_last_of('/') + 1);
      bool ok = tail.size() >= 2 && tail.find_first_of("TGSM") == 0;
      for (char c : tail.substr(1)) ok = ok && ((c >= '0' && c <= '9') || c == '.');
      if (ok) {
        external_id = std::string(tail);
        break;
      }
    }
  }
  if (!external_id.empty()) {
    std::string suffix = " - " + external_id;
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
    }
  }

  Obj sdo(sdo_type, id, ts_, ts_);
  if (sdo_type == "note") {
    sdo.Str("abstract", std::string(galaxy_name.empty() ? galaxy_type : galaxy_name) + ": " + name);
    sdo.Str("content", description.empty() ? std::string_view(name) : description);
    sdo.Strs("object_refs", {report_id_});
  } else {
    sdo.Str("name", name);
    if (!description.empty()) sdo.Str("description", description);
  }
  if (sdo_type == "malware") sdo.Bool("is_family", true);
  bool has_aliases = sdo_type == "threat-actor" || sdo_type == "intrusion-set" ||
                     sdo_type == "malware" || sdo_type == "tool" || sdo_type == "attack-pattern";
  std::string kept_synonyms;
  if (has_aliases) {
    std::vector<std::string> aliases;
    for (const std::string& s : synonyms) {
      if (s != name) AddUnique(&aliases, s);
    }
    sdo.OptionalStrs("aliases", aliases);
  } else if (!synonyms.empty()) {
    kept_synonyms.push_back('[');
    for (size_t i = 0; i < synonyms.size(); ++i) {
      if (i > 0) kept_synonyms.push_back(',');
      core::AppendJsonString(&kept_synonyms, synonyms[i]);
    }
    kept_synonyms.push_back(']');
  }
  // external_references: the ATT&CK id (with its page), then every other ref.
  std::string references;
  std::string id_url;
  bool mitre = galaxy_type.starts_with("mitre-");
  auto reference = [&](std::string_view source, std::string_view ext_id, std::string_view url) {
    references.push_back(references.empty() ? '[' : ',');
    references.append("{\"source_name\":"sv);
    core::AppendJsonString(&references, source);
    if (!ext_id.empty()) {
      references.append(",\"external_id\":"sv);
      core::AppendJsonString(&references, ext_id);
    }
    if (!url.empty()) {
      references.append(",\"url\":"sv);
      core::AppendJsonString(&references, url);
    }
    references.push_back('}');
  };
  if (!external_id.empty()) {
    for (const std::string& url : refs) {
      if (mitre && url.find("attack.mitre.org") != std::string::npos) {
        id_url = url;
        break;
      }
    }
    reference(mitre ? "mitre-attack" : galaxy_type, external_id, id_url);
  }
  std::vector<std::string> seen_urls;
  if (!id_url.empty()) seen_urls.push_back(id_url);
  for (const std::string& url : refs) {
    if (std::find(seen_urls.begin(), seen_urls.end(), url) != seen_urls.end()) continue;
    seen_urls.push_back(url);
    reference(galaxy_type, {}, url);
  }
  if (!references.empty()) {
    references.push_back(']');
    sdo.Raw("external_references", references);
  }
  static constexpr std::array<std::string_view, 4> kConsumed = {"value", "uuid", "description",
                                                                "meta"};
  Fields rest;
  rest.Leftover(cluster, kConsumed);
  if (!meta_rest.empty()) rest.AddRaw("meta", "{" + meta_rest.text() + "}");
  if (!kept_synonyms.empty()) rest.AddRaw("synonyms", kept_synonyms);
  std::string galaxy_json = "{\"type\":";
  core::AppendJsonString(&galaxy_json, galaxy_type);
  galaxy_json.append(",\"name\":"sv);
  core::AppendJsonString(&galaxy_json, galaxy_name);
  galaxy_json.push_back('}');
  rest.AddRaw("galaxy", galaxy_json);
  if (!own_uuid && !uuid.empty()) rest.AddString("uuid", uuid);
  Add(std::move(sdo), Marks(), rest);
  return id;
}

void EventBuilder::MapGalaxies(element galaxies, const std::string& where,
                               const std::string& related_id) {
  array list;
  if (galaxies.get_array().get(list) != simdjson::SUCCESS) return;
  size_t g = 0;
  for (element ge : list) {
    std::string gwhere = where + "/Galaxy/" + std::to_string(g++);
    object galaxy;
    if (ge.get_object().get(galaxy) != simdjson::SUCCESS) {
      Note(gwhere, "not an object; ignored");
      continue;
    }
    array clusters;
    if (galaxy.at_key("GalaxyCluster").get_array().get(clusters) != simdjson::SUCCESS) continue;
    size_t c = 0;
    for (element ce : clusters) {
      std::string cwhere = gwhere + "/GalaxyCluster/" + std::to_string(c++);
      object cluster;
      if (ce.get_object().get(cluster) != simdjson::SUCCESS) continue;
      std::string cluster_id = MapCluster(galaxy, cluster, cwhere);
      if (cluster_id.empty() || related_id.empty()) continue;
      std::string_view cluster_type = std::string_view(cluster_id).substr(0, cluster_id.find("--"));
      bool indicator = related_id.starts_with("indicator--");
      std::string_view rel = indicator && Indicates(cluster_type) ? "indicates" : "related-to";
      Add(NewRel(related_id, rel, cluster_id, ts_), Marks());
    }
  }
}

// ---------------------------------------------------------------------------
// Sightings

void EventBuilder::MapSighting(object sighting, const std::string& where,
                               const std::string& target_id) {
  std::string_view uuid = StringAt(sighting, "uuid");
  std::string type;
  element type_e;
  if (sighting.at_key("type").get(type_e) == simdjson::SUCCESS) ScalarText(type_e, &type);
  std::optional<core::Timestamp> when;
  element date_e;
  if (sighting.at_key("date_sighting").get(date_e) == simdjson::SUCCESS) when = TimeOf(date_e);
  std::string date = when ? Stix(*when) : ts_;
  std::string org_id;
  object org;
  if (sighting.at_key("Organisation").get_object().get(org) == simdjson::SUCCESS) {
    org_id = IdentityFor(org, ts_);
  }
  static constexpr std::array<std::string_view, 5> kConsumed = {"uuid", "date_sighting", "type",
                                                                "Organisation", "attribute_uuid"};
  Fields rest;
  rest.Leftover(sighting, kConsumed);
  std::string_view stix_type = type == "1" ? "opinion" : type == "2" ? "note" : "sighting";
  std::string id = IdFromUuid(stix_type, uuid);
  if (id.empty()) id = DeterministicId(stix_type, target_id + "|" + date + "|" + org_id);
  Obj out(stix_type, id, date, date);
  if (!org_id.empty()) out.Str("created_by_ref", org_id);
  if (stix_type == "sighting") {
    out.Str("first_seen", date).Str("last_seen", date).Int("count", 1);
    out.Str("sighting_of_ref", target_id);
    if (!org_id.empty()) out.Strs("where_sighted_refs", {org_id});
  } else if (stix_type == "opinion") {
    // MISP sighting type 1: the sighting organisation reports a false positive.
    out.Str("explanation", "MISP false-positive sighting").Str("opinion", "strongly-disagree");
    out.Strs("object_refs", {target_id});
  } else {
    // MISP sighting type 2: the indicator expired at that time.
    out.Str("abstract", "MISP expiration sighting").Str("content", "Expired at " + date + ".");
    out.Strs("object_refs", {target_id});
  }
  if (!when) rest.AddString("date_sighting", "(missing or unreadable)");
  (void)where;
  Add(std::move(out), Marks(), rest);
}

// ---------------------------------------------------------------------------
// Attributes

const std::string& EventBuilder::Pattern(const std::vector<std::string>& comparisons) {
  pattern_.assign("[");
  for (size_t i = 0; i < comparisons.size(); ++i) {
    if (i > 0) pattern_ += " AND ";
    pattern_ += comparisons[i];
  }
  pattern_ += ']';
  return pattern_;
}

void EventBuilder::MapAttribute(object attr, size_t index) {
  // "/Attribute/<index>", made only when a reject, a note or an id needs it.
  std::string where_text;
  auto Where = [&]() -> const std::string& {
    if (where_text.empty()) where_text = "/Attribute/" + std::to_string(index);
    return where_text;
  };
  AttributeFields f;
  ReadAttributeFields(attr, &f);
  // The attribute's uuid, parsed once for the ids of all its objects.
  auto own_uuid = core::ParseUuid(f.uuid);
  auto IdFor = [&](std::string_view type, std::string_view uuid) {
    if (!own_uuid.ok()) return StixIdFor(type, uuid, Where());
    std::string id;
    id.reserve(type.size() + 38);
    id.append(type).append("--"sv);
    own_uuid->AppendTo(&id);
    return id;
  };
  if (f.type.empty()) {
    RejectPart(Where(), "attribute without a type", attr);
    return;
  }
  if (!f.has_value) {
    RejectPart(Where(), "attribute (" + std::string(f.type) + ") without a value", attr);
    return;
  }
  core::Status valid = MapAttributeValue(f.type, f.value(), f.data, context_.normalize, &mapped_);
  if (!valid.ok()) {
    RejectPart(Where(), valid.error().message, attr);
    return;
  }
  MappedValue* mapped = &mapped_;
  std::string what;
  if (!mapped->notes.empty() || f.bad_first_seen || f.bad_last_seen) {
    what = Where() + " (" + std::string(f.type) + ")";
    for (const std::string& n : mapped->notes) Note(what, n);
  }

  TimeText ts_text = f.timestamp ? TimeText(*f.timestamp) : TimeText(ts_);
  std::string_view ts = ts_text.view();
  std::vector<std::string> own_markings;
  std::vector<std::string> labels;
  if (f.has_tags) ReadTags(f.tags, &own_markings, &labels);
  const stix::MarkingRefs marks = Marks(own_markings);
  std::vector<std::string> label_list;
  for (const std::string& l : labels) AddUnique(&label_list, l);

  // Which object gets the comment as its description (the others keep it as a
  // source field): an indicator, a vulnerability, a campaign or threat actor.
  bool indicator =
      (mapped->shape == Shape::kObservable && f.to_ids && !mapped->comparisons.empty()) ||
      mapped->shape == Shape::kRule || (mapped->shape == Shape::kPatternOnly && f.to_ids);
  bool describes = indicator || mapped->shape == Shape::kVulnerability ||
                   mapped->shape == Shape::kCampaign || mapped->shape == Shape::kThreatActor;
  bool comment_used = describes && !f.comment.empty();
  bool keep_distribution = DistributionDiffers(f.distribution);

  TimeText first_text = f.first_seen ? TimeText(*f.first_seen) : TimeText(ts);
  TimeText last_text = first_text;
  bool last_before_first = false;
  if (f.last_seen) {
    if (!f.first_seen || *f.last_seen >= *f.first_seen) {
      last_text = TimeText(*f.last_seen);
    } else {
      last_before_first = true;
    }
  }
  std::string_view first = first_text.view();
  std::string_view last = last_text.view();

  // Source fields, in this order: the leftovers as written, then what is added.
  Fields& rest = attribute_fields_;
  rest.Clear();
  rest.AttributeLeftover(attr, f.member_keys(), comment_used, !keep_distribution, event_id_,
                         "0");
  if (mapped->changed) rest.AddString("value", f.value());
  bool data_used = mapped->shape == Shape::kObservable && !mapped->data_unused &&
                   (f.type == "attachment" || f.type == "malware-sample");
  if (!f.data.empty() && !data_used) rest.AddString("data", f.data);
  if (f.bad_first_seen || f.bad_last_seen) {
    element v;
    if (f.bad_first_seen && attr.at_key("first_seen").get(v) == simdjson::SUCCESS) {
      rest.Add("first_seen", v);
      Note(what, "first_seen is not a timestamp; kept as a source field");
    }
    if (f.bad_last_seen && attr.at_key("last_seen").get(v) == simdjson::SUCCESS) {
      rest.Add("last_seen", v);
      Note(what, "last_seen is not a timestamp; kept as a source field");
    }
  }
  if (keep_distribution) rest.AddString("distribution", f.distribution);
  if (last_before_first) {
    if (what.empty()) what = Where() + " (" + std::string(f.type) + ")";
    Note(what, "last_seen is before first_seen; last_observed set to first_seen");
    rest.AddString("last_seen", Stix(*f.last_seen));
  }

  // labels, revoked: after the type-specific properties, before markings.
  auto finish = [&](Obj* o, bool description) {
    if (description && comment_used) o->Str("description", f.comment);
    o->OptionalStrs("labels", label_list);
    if (f.deleted) o->Bool("revoked", true);
  };

  size_t primary = kNoPlace;
  switch (mapped->shape) {
    case Shape::kObservable: {
      // The SCOs' places in objects_ (an SCO met before keeps its place).
      std::vector<size_t>& refs = sco_places_;
      refs.clear();
      for (Sco& sco : mapped->scos) {
        const size_t at = AddSco(std::move(sco), marks);
        if (std::find(refs.begin(), refs.end(), at) == refs.end()) refs.push_back(at);
      }
      if (indicator) {
        // For detection: the indicator, based on the attribute's main SCO (the
        // last; the others are what it references).
        Obj ind = NewSdo("indicator", IdFor("indicator", f.uuid), ts, ts);
        ind.Str("name", f.value()).Str("pattern", Pattern(mapped->comparisons));
        ind.Plain("pattern_type", "stix")
            .Plain("pattern_version", "2.1")
            .Plain("valid_from", first);
        if (f.last_seen && last != first) ind.Plain("valid_until", last);
        finish(&ind, true);
        primary = AddOwn(std::move(ind), marks, rest);
        AddOwn(NewRel(objects_[primary].id, "based-on", objects_[refs.back()].id, ts,
                      IdFor("relationship", f.uuid)),
               marks);
      } else {
        // Observed, not for detection: the SCOs in an observed-data.
        Obj observed = NewSdo("observed-data", IdFor("observed-data", f.uuid), ts, ts);
        observed.Plain("first_observed", first).Plain("last_observed", last);
        std::vector<std::string_view>& ids = ref_ids_;
        ids.clear();
        for (size_t at : refs) ids.push_back(objects_[at].id);
        observed.Int("number_observed", 1).PlainList("object_refs", ids);
        finish(&observed, false);
        primary = AddOwn(std::move(observed), marks, rest);
      }
      break;
    }
    case Shape::kPatternOnly:
    case Shape::kRule: {
      bool rule = mapped->shape == Shape::kRule;
      if (!indicator) {
        // Not meant for detection and no observable to hold it: a note.
        Obj note = NewSdo("note", IdFor("note", f.uuid), ts, ts);
        note.Str("abstract", f.type).Str("content", f.value()).Strs("object_refs", {report_id_});
        finish(&note, false);
        primary = AddOwn(std::move(note), marks, rest);
        break;
      }
      Obj ind = NewSdo("indicator", IdFor("indicator", f.uuid), ts, ts);
      if (!rule) ind.Str("name", f.value());
      ind.Str("pattern", rule ? mapped->text : Pattern(mapped->comparisons));
      ind.Str("pattern_type", rule ? std::string_view(mapped->pattern_type) : "stix");
      if (!rule || mapped->pattern_type == "stix") ind.Str("pattern_version", "2.1");
      ind.Str("valid_from", first);
      if (f.last_seen && f.first_seen && *f.last_seen > *f.first_seen) {
        ind.Str("valid_until", Stix(*f.last_seen));
      }
      if (rule && !f.to_ids) rest.AddBool("to_ids", false);
      finish(&ind, true);
      primary = AddOwn(std::move(ind), marks, rest);
      break;
    }
    case Shape::kVulnerability: {
      std::string id =
          mapped->is_cve ? normalize::StixId(mapped->cve) : IdFor("vulnerability", f.uuid);
      Obj v = NewSdo("vulnerability", std::move(id), ts, ts);
      v.Str("name", mapped->text);
      if (mapped->is_cve) {
        std::string refs = "[{\"source_name\":\"cve\",\"external_id\":";
        core::AppendJsonString(&refs, mapped->text);
        refs.append("}]"sv);
        v.Raw("external_references", refs);
        // The id is the CVE's, shared by every report of it: keep the attribute's uuid.
        if (!f.uuid.empty()) rest.AddString("uuid", f.uuid);
      }
      finish(&v, true);
      primary = Add(std::move(v), marks, rest);
      break;
    }
    case Shape::kCampaign:
    case Shape::kThreatActor: {
      std::string_view type = mapped->shape == Shape::kCampaign ? "campaign" : "threat-actor";
      Obj sdo = NewSdo(type, IdFor(type, f.uuid), ts, ts);
      sdo.Str("name", mapped->text);
      finish(&sdo, true);
      primary = AddOwn(std::move(sdo), marks, rest);
      break;
    }
    case Shape::kText: {
      Obj note = NewSdo("note", IdFor("note", f.uuid), ts, ts);
      note.Str("abstract", f.type).Str("content", f.value()).Strs("object_refs", {report_id_});
      finish(&note, false);
      primary = AddOwn(std::move(note), marks, rest);
      break;
    }
  }
  if (primary == kNoPlace) return;
  if (!f.uuid.empty()) primary_.Add(f.uuid, primary);
  if (!f.has_galaxies && !f.has_sightings) return;
  // A copy: mapping galaxies and sightings adds to objects_.
  const std::string primary_id = objects_[primary].id;
  if (f.has_galaxies) MapGalaxies(f.galaxies, Where(), primary_id);
  if (f.has_sightings) {
    array list;
    if (f.sightings.get_array().get(list) == simdjson::SUCCESS) {
      size_t i = 0;
      for (element s : list) {
        object sighting;
        if (s.get_object().get(sighting) == simdjson::SUCCESS) {
          MapSighting(sighting, Where() + "/Sighting/" + std::to_string(i), primary_id);
        }
        ++i;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// MISP objects

void EventBuilder::MapObject(object obj, const std::string& where) {
  std::string_view name = StringAt(obj, "name");
  std::string_view uuid = StringAt(obj, "uuid");
  std::string_view comment = StringAt(obj, "comment");
  std::string object_id;
  element id_e;
  if (obj.at_key("id").get(id_e) == simdjson::SUCCESS) ScalarText(id_e, &object_id);
  std::string ts = ts_;
  std::optional<core::Timestamp> first_seen;
  std::optional<core::Timestamp> last_seen;
  element e;
  if (obj.at_key("timestamp").get(e) == simdjson::SUCCESS) {
    if (auto t = EpochOf(e)) ts = Stix(*t);
  }
  if (obj.at_key("first_seen").get(e) == simdjson::SUCCESS) first_seen = TimeOf(e);
  if (obj.at_key("last_seen").get(e) == simdjson::SUCCESS) last_seen = TimeOf(e);
  bool deleted = obj.at_key("deleted").get(e) == simdjson::SUCCESS && Truthy(e);
  std::string distribution;
  if (obj.at_key("distribution").get(e) == simdjson::SUCCESS) ScalarText(e, &distribution);
  std::string what = where + " (" + std::string(name) + ")";

  // The attributes, read once.
  std::vector<ObjectAttribute> attributes;
  std::vector<AttributeFields> fields;
  std::vector<object> raw;
  array list;
  if (obj.at_key("Attribute").get_array().get(list) == simdjson::SUCCESS) {
    size_t i = 0;
    for (element ae : list) {
      std::string awhere = where + "/Attribute/" + std::to_string(i++);
      object attr;
      if (ae.get_object().get(attr) != simdjson::SUCCESS) {
        RejectPart(awhere, "an attribute must be a JSON object", ae);
        continue;
      }
      AttributeFields af;
      ReadAttributeFields(attr, &af);
      if (af.type.empty() || !af.has_value) {
        RejectPart(awhere,
                   af.type.empty() ? "attribute without a type" : "attribute without a value",
                   attr);
        continue;
      }
      attributes.push_back(ObjectAttribute{af.relation, af.type, std::string(af.value()), af.data});
      fields.push_back(std::move(af));
      raw.push_back(attr);
    }
  }
  MappedObject mapped = MapObjectAttributes(name, attributes, context_.normalize);
  for (const std::string& n : mapped.notes) Note(what, n);

  bool to_ids = false;
  std::vector<std::string> own_markings;
  std::vector<std::string> labels;
  std::string kept_attributes;
  for (size_t i = 0; i < attributes.size(); ++i) {
    const AttributeFields& af = fields[i];
    if (af.has_tags) ReadTags(af.tags, &own_markings, &labels);
    AttributeUse use = mapped.uses[i];
    if (use == AttributeUse::kInvalid) continue;
    to_ids = to_ids || (af.to_ids && use != AttributeUse::kUnused);
    bool keep_distribution = DistributionDiffers(af.distribution);
    Fields rest;
    rest.AttributeLeftover(raw[i], af.member_keys(), /*skip_comment=*/false, !keep_distribution,
                           event_id_, object_id);
    if (use == AttributeUse::kUnused || use == AttributeUse::kChanged) {
      rest.AddString("value", af.value());
    }
    if (!af.uuid.empty()) rest.AddString("uuid", af.uuid);
    if (af.to_ids && use == AttributeUse::kUnused) rest.AddBool("to_ids", true);
    if (!af.data.empty() && (use == AttributeUse::kUnused || !IsBase64(af.data))) {
      rest.AddString("data", af.data);
    }
    if (keep_distribution) rest.AddString("distribution", af.distribution);
    if (af.deleted) rest.AddBool("deleted", true);
    kept_attributes.push_back(kept_attributes.empty() ? '[' : ',');
    kept_attributes.push_back('{');
    kept_attributes.append(rest.text());
    kept_attributes.push_back('}');
  }
  if (!kept_attributes.empty()) kept_attributes.push_back(']');
  // Invalid attributes are rejected; the rest of the object still maps.
  for (size_t i = 0, p = 0; i < attributes.size(); ++i) {
    if (mapped.uses[i] != AttributeUse::kInvalid) continue;
    std::string reason = p < mapped.problems.size() ? mapped.problems[p] : "invalid value";
    ++p;
    RejectPart(where + " (" + std::string(name) + ") attribute " + std::string(fields[i].relation),
               reason, raw[i]);
  }

  static constexpr std::array<std::string_view, 6> kObjectConsumed = {
      "uuid", "Attribute", "ObjectReference", "timestamp", "first_seen", "last_seen"};
  bool keep_distribution = DistributionDiffers(distribution);
  Fields rest;
  if (keep_distribution) {
    rest.Leftover(obj, kObjectConsumed);
  } else {
    rest.Leftover(obj, kObjectConsumed, {"distribution", "sharing_group_id"});
  }
  if (!kept_attributes.empty()) rest.AddRaw("Attribute", kept_attributes);

  const stix::MarkingRefs marks = Marks(own_markings);
  std::vector<std::string> label_list;
  for (const std::string& l : labels) AddUnique(&label_list, l);
  auto finish = [&](Obj* o) {
    o->OptionalStrs("labels", label_list);
    if (deleted) o->Bool("revoked", true);
  };
  std::string first = first_seen ? Stix(*first_seen) : ts;
  std::string last =
      last_seen && (!first_seen || *last_seen >= *first_seen) ? Stix(*last_seen) : first;

  bool indicator = to_ids && !mapped.comparisons.empty();
  std::string primary;
  size_t primary_place = kNoPlace;
  std::string observed_id;
  if (!mapped.scos.empty()) {
    std::vector<std::string> refs;
    for (Sco& sco : mapped.scos) {
      AddUnique(&refs, sco.id);
      AddSco(std::move(sco), marks);
    }
    Obj observed = NewSdo("observed-data", StixIdFor("observed-data", uuid, where), ts, ts);
    observed.Plain("first_observed", first).Plain("last_observed", last).Int("number_observed", 1);
    observed.PlainList("object_refs", refs);
    finish(&observed);
    observed_id = observed.id();
    primary = observed_id;
    primary_place = AddOwn(std::move(observed), marks, indicator ? Fields() : rest);
  }
  if (indicator) {
    Obj ind = NewSdo("indicator", StixIdFor("indicator", uuid, where), ts, ts);
    ind.Str("name", name);
    if (!comment.empty()) ind.Str("description", comment);
    ind.Str("pattern", Pattern(mapped.comparisons)).Str("pattern_type", "stix");
    ind.Str("pattern_version", "2.1").Str("valid_from", first);
    if (last_seen && last != first) ind.Str("valid_until", last);
    finish(&ind);
    primary = ind.id();
    primary_place = AddOwn(std::move(ind), marks, rest);
    if (!observed_id.empty()) {
      AddOwn(NewRel(primary, "based-on", observed_id, ts, StixIdFor("relationship", uuid, where)),
             marks);
    }
  } else if (mapped.scos.empty()) {
    // Nothing observable (av-signature, a custom template, text only): a note
    // holding the attributes as "relation: value" lines.
    Obj note = NewSdo("note", StixIdFor("note", uuid, where), ts, ts);
    note.Str("abstract", "MISP object " + std::string(name));
    std::string content;
    for (const ObjectAttribute& a : attributes) {
      if (!content.empty()) content += '\n';
      content += a.relation.empty() ? a.type : a.relation;
      content += ": ";
      content += a.value;
    }
    if (content.empty()) content = std::string(name);
    note.Str("content", content).Strs("object_refs", {report_id_});
    finish(&note);
    primary = note.id();
    primary_place = AddOwn(std::move(note), marks, rest);
  }
  if (!uuid.empty() && primary_place != kNoPlace) primary_.Add(uuid, primary_place);
  for (size_t i = 0; i < fields.size(); ++i) {
    const AttributeFields& af = fields[i];
    if (!af.uuid.empty() && primary_place != kNoPlace) primary_.Add(af.uuid, primary_place);
    std::string awhere = where + "/Attribute/" + std::to_string(i);
    if (af.has_galaxies) MapGalaxies(af.galaxies, awhere, primary);
    if (af.has_sightings) {
      array sightings;
      if (af.sightings.get_array().get(sightings) == simdjson::SUCCESS) {
        size_t k = 0;
        for (element s : sightings) {
          object sighting;
          if (s.get_object().get(sighting) == simdjson::SUCCESS) {
            MapSighting(sighting, awhere + "/Sighting/" + std::to_string(k), primary);
          }
          ++k;
        }
      }
    }
  }
}

void EventBuilder::MapObjectReferences(object obj, const std::string& where,
                                       const std::string& source_id) {
  array refs;
  if (obj.at_key("ObjectReference").get_array().get(refs) != simdjson::SUCCESS) return;
  size_t i = 0;
  for (element re : refs) {
    std::string rwhere = where + "/ObjectReference/" + std::to_string(i++);
    object ref;
    if (re.get_object().get(ref) != simdjson::SUCCESS) continue;
    std::string_view target_uuid = StringAt(ref, "referenced_uuid");
    std::string_view type = StringAt(ref, "relationship_type");
    std::string_view uuid = StringAt(ref, "uuid");
    std::string_view comment = StringAt(ref, "comment");
    const size_t target = primary_.Find(target_uuid);
    if (target == kNoPlace) {
      Note(rwhere, "references " + std::string(target_uuid) +
                       ", which is not in this event; no relationship made");
      continue;
    }
    // A copy: making the relationship adds to objects_.
    const std::string target_id = objects_[target].id;
    if (target_id == source_id) continue;
    std::string rel_type = RelationshipType(type);
    std::string created = ts_;
    element ts_e;
    if (ref.at_key("timestamp").get(ts_e) == simdjson::SUCCESS) {
      if (auto t = EpochOf(ts_e)) created = Stix(*t);
    }
    Obj relationship =
        NewRel(source_id, rel_type, target_id, created, IdFromUuid("relationship", uuid));
    if (!comment.empty()) relationship.Str("description", comment);
    static constexpr std::array<std::string_view, 6> kConsumed = {
        "uuid", "referenced_uuid", "timestamp", "comment", "Object", "Attribute"};
    Fields rest;
    // relationship_type as written, when it is not a valid STIX one.
    if (rel_type != type) {
      rest.Leftover(ref, kConsumed);
    } else {
      rest.Leftover(ref, kConsumed, {"relationship_type"});
    }
    Add(std::move(relationship), Marks(), rest);
  }
}

void EventBuilder::MapEventReport(object report, const std::string& where) {
  std::string_view uuid = StringAt(report, "uuid");
  std::string_view name = StringAt(report, "name");
  std::string_view content = StringAt(report, "content");
  std::string ts = ts_;
  element e;
  if (report.at_key("timestamp").get(e) == simdjson::SUCCESS) {
    if (auto t = EpochOf(e)) ts = Stix(*t);
  }
  Obj note = NewSdo("note", StixIdFor("note", uuid, where), ts, ts);
  if (!name.empty()) note.Str("abstract", name);
  note.Str("content", content.empty() ? name : content).Strs("object_refs", {report_id_});
  static constexpr std::array<std::string_view, 4> kConsumed = {"uuid", "name", "content",
                                                                "timestamp"};
  Fields rest;
  rest.Leftover(report, kConsumed);
  Add(std::move(note), Marks(), rest);
}

// ---------------------------------------------------------------------------
// The event

void EventBuilder::Build(object event, Sink& sink) {
  std::string_view uuid = StringAt(event, "uuid");
  std::string_view info = StringAt(event, "info");
  std::string_view date = StringAt(event, "date");
  report_id_ = IdFromUuid("report", uuid);
  if (report_id_.empty()) {
    // No uuid: key = the event's JSON text.
    report_id_ = DeterministicId("report", raw_);
    notes_.push_back("the event has no uuid; its report id is derived from its content");
  }

  element e;
  std::optional<core::Timestamp> timestamp;
  if (event.at_key("timestamp").get(e) == simdjson::SUCCESS) timestamp = EpochOf(e);
  std::optional<core::Timestamp> day = DateOf(date);
  ts_ = timestamp ? Stix(*timestamp) : day ? Stix(*day) : context_.now;

  if (event.at_key("id").get(e) == simdjson::SUCCESS) ScalarText(e, &event_id_);
  // Sharing: distribution and sharing group (governance reads the record's request).
  if (event.at_key("distribution").get(e) == simdjson::SUCCESS) ScalarText(e, &distribution_);
  Record record;
  record.format = format_;
  record.position = position_;
  if (distribution_.size() == 1 && distribution_[0] >= '0' && distribution_[0] <= '5') {
    record.sharing.distribution = std::string(kDistributionNames[distribution_[0] - '0']);
  } else if (!distribution_.empty()) {
    notes_.push_back("distribution '" + distribution_ + "' is not a MISP level (0-5)");
  }
  object group;
  if (event.at_key("SharingGroup").get_object().get(group) == simdjson::SUCCESS) {
    std::string_view group_name = StringAt(group, "name");
    std::string_view group_uuid = StringAt(group, "uuid");
    record.sharing.sharing_group = std::string(!group_name.empty() ? group_name : group_uuid);
  }
  if (record.sharing.sharing_group.empty() && distribution_ == "4" &&
      event.at_key("sharing_group_id").get(e) == simdjson::SUCCESS) {
    ScalarText(e, &record.sharing.sharing_group);
  }

  std::vector<std::string> labels;
  if (event.at_key("Tag").get(e) == simdjson::SUCCESS) ReadTags(e, &markings_, &labels);
  {
    std::vector<std::string> unique;
    for (const std::string& m : markings_) AddUnique(&unique, m);
    markings_ = std::move(unique);
    event_marks_ = markings_;
  }

  object orgc;
  if (event.at_key("Orgc").get_object().get(orgc) == simdjson::SUCCESS) {
    identity_id_ = IdentityFor(orgc, ts_);
  }

  array list;
  if (event.at_key("Attribute").get_array().get(list) == simdjson::SUCCESS) {
    objects_.reserve(list.size() * 4 + 16);
    size_t i = 0;
    for (element ae : list) {
      object attr;
      if (ae.get_object().get(attr) != simdjson::SUCCESS) {
        RejectPart("/Attribute/" + std::to_string(i++), "an attribute must be a JSON object", ae);
        continue;
      }
      MapAttribute(attr, i++);
    }
  }
  std::vector<std::pair<object, std::string>> with_references;
  if (event.at_key("Object").get_array().get(list) == simdjson::SUCCESS) {
    size_t i = 0;
    for (element oe : list) {
      std::string where = "/Object/" + std::to_string(i++);
      object obj;
      if (oe.get_object().get(obj) != simdjson::SUCCESS) {
        RejectPart(where, "a MISP object must be a JSON object", oe);
        continue;
      }
      MapObject(obj, where);
      with_references.emplace_back(obj, where);
    }
  }
  // References once every object has its STIX id.
  for (auto& [obj, where] : with_references) {
    const size_t source = primary_.Find(StringAt(obj, "uuid"));
    if (source != kNoPlace) {
      // A copy: the references add to objects_.
      MapObjectReferences(obj, where, std::string(objects_[source].id));
    }
  }
  if (event.at_key("Galaxy").get(e) == simdjson::SUCCESS) MapGalaxies(e, "", {});
  if (event.at_key("Sighting").get_array().get(list) == simdjson::SUCCESS) {
    size_t i = 0;
    for (element se : list) {
      std::string where = "/Sighting/" + std::to_string(i++);
      object sighting;
      if (se.get_object().get(sighting) != simdjson::SUCCESS) continue;
      std::string_view attribute_uuid = StringAt(sighting, "attribute_uuid");
      const size_t target = primary_.Find(attribute_uuid);
      if (target == kNoPlace) {
        Note(where, "sighting of " + std::string(attribute_uuid) +
                        ", which is not in this event; not mapped");
        continue;
      }
      MapSighting(sighting, where, std::string(objects_[target].id));
    }
  }
  if (event.at_key("EventReport").get_array().get(list) == simdjson::SUCCESS) {
    size_t i = 0;
    for (element re : list) {
      object report;
      std::string where = "/EventReport/" + std::to_string(i++);
      if (re.get_object().get(report) == simdjson::SUCCESS) MapEventReport(report, where);
    }
  }

  // The report: the event itself.
  Obj report = NewSdo("report", report_id_, ts_, ts_);
  report.Str("name", info.empty() ? "MISP event " + std::string(uuid) : std::string(info));
  bool has_published = event.at_key("published").get(e) == simdjson::SUCCESS;
  bool published = has_published && Truthy(e);
  std::optional<core::Timestamp> published_at;
  if (published && event.at_key("publish_timestamp").get(e) == simdjson::SUCCESS) {
    published_at = EpochOf(e);
  }
  // STIX requires `published`; an unpublished event has its date there (the
  // source field "published": false says it was not published).
  std::string published_text = published_at ? Stix(*published_at) : day ? Stix(*day) : ts_;
  report.Raw("report_types", "[\"threat-report\"]").Str("published", published_text);
  // object_refs: everything the event holds (STIX requires at least one).
  std::string refs = "[";
  for (const stix::StixObject& o : objects_) {
    if (refs.size() > 1) refs.push_back(',');
    refs.push_back('"');
    refs.append(o.id);
    refs.push_back('"');
  }
  if (objects_.empty()) {
    refs.push_back('"');
    refs.append(identity_id_.empty() ? std::string(normalize::kTesseraIdentityId) : identity_id_);
    refs.push_back('"');
  }
  refs.push_back(']');
  report.Raw("object_refs", refs);
  std::vector<std::string> label_list;
  for (const std::string& l : labels) AddUnique(&label_list, l);
  report.OptionalStrs("labels", label_list);
  static constexpr std::array<std::string_view, 14> kEventConsumed = {"uuid",
                                                                      "info",
                                                                      "timestamp",
                                                                      "Tag",
                                                                      "Orgc",
                                                                      "Attribute",
                                                                      "Object",
                                                                      "Galaxy",
                                                                      "Sighting",
                                                                      "EventReport",
                                                                      "SharingGroup",
                                                                      "published",
                                                                      "publish_timestamp",
                                                                      "ShadowAttribute"};
  Fields rest;
  rest.Leftover(event, kEventConsumed);
  if (has_published && !published) rest.AddBool("published", false);
  if (event.at_key("SharingGroup").get(e) == simdjson::SUCCESS && !IsEmptyValue(e)) {
    rest.Add("SharingGroup", e);
  }
  if (event.at_key("ShadowAttribute").get(e) == simdjson::SUCCESS && !IsEmptyValue(e)) {
    rest.Add("ShadowAttribute", e);
  }
  stix::StixObject report_object = std::move(report).Finish(Marks(), rest, format_);

  // Assemble: identities, marking definitions first used here, report, the rest.
  record.objects.reserve(identities_.size() + 6 + objects_.size());
  for (stix::StixObject& identity : identities_) record.objects.push_back(std::move(identity));
  for (size_t level = 0; level < levels_.size(); ++level) {
    if (!levels_[level] || (*marking_emitted_)[level]) continue;
    (*marking_emitted_)[level] = true;
    record.Add(stix::Tlp2MarkingDefinition(static_cast<stix::TlpLevel>(level)));
  }
  record.objects.push_back(std::move(report_object));
  for (stix::StixObject& o : objects_) record.objects.push_back(std::move(o));
  record.notes = std::move(notes_);
  sink.Accept(std::move(record));
  for (Rejected& r : rejected_) sink.Reject(std::move(r));
}

}  // namespace
// ---------------------------------------------------------------------------
EventMapper::EventMapper(std::string_view format, const ReadContext& context)
    : impl_(std::make_unique<Impl>(format, context)) {}

EventMapper::~EventMapper() = default;

namespace {

void RejectWhole(std::string_view format, const SourcePosition& position, std::string reason,
                 std::string_view bytes, Sink& sink) {
  Rejected r;
  r.format = format;
  r.position = position;
  r.reason = std::move(reason);
  r.SetRaw(bytes);
  sink.Reject(std::move(r));
}

// The event object of an element: {"Event": {...}} or a bare event (an object
// with at least one of the keys only events have).
bool EventObject(element root, object* event) {
  object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) return false;
  if (obj.at_key("Event").get_object().get(*event) == simdjson::SUCCESS) return true;
  for (std::string_view key : {"Attribute", "Object", "info", "Orgc", "EventReport"}) {
    if (obj.at_key(key).error() == simdjson::SUCCESS) {
      *event = obj;
      return true;
    }
  }
  return false;
}

}  // namespace

void EventMapper::MapEvent(std::string_view bytes, const SourcePosition& position, Sink& sink) {
  element root;
  simdjson::error_code err =
      impl_->parser.parse(bytes.data(), bytes.size(), /*realloc_if_needed=*/false).get(root);
  if (err != simdjson::SUCCESS) {
    RejectWhole(impl_->format, position,
                std::string("not valid JSON: ") + simdjson::error_message(err), bytes, sink);
    return;
  }
  object event;
  if (!EventObject(root, &event)) {
    RejectWhole(impl_->format, position,
                "not a MISP event: expected {\"Event\": {...}} or an object with Attribute, "
                "Object or info",
                bytes, sink);
    return;
  }
  EventBuilder builder(impl_->format, impl_->context, &impl_->marking_emitted, position, bytes);
  builder.Build(event, sink);
}

core::Status EventMapper::MapDocument(std::string_view bytes, const std::string& file, Sink& sink) {
  element root;
  simdjson::error_code err =
      impl_->parser.parse(bytes.data(), bytes.size(), /*realloc_if_needed=*/false).get(root);
  if (err != simdjson::SUCCESS) {
    return core::MakeError(core::ErrorCode::kParse,
                           std::string("not valid JSON: ") + simdjson::error_message(err), file);
  }
  SourcePosition position;
  position.file = file;
  object event;
  if (EventObject(root, &event)) {
    EventBuilder builder(impl_->format, impl_->context, &impl_->marking_emitted, position, bytes);
    builder.Build(event, sink);
    return {};
  }
  array events;
  object obj;
  if (root.get_object().get(obj) == simdjson::SUCCESS) {
    // {"response": {"Event": ...}}: one event in the API's envelope.
    element response;
    if (obj.at_key("response").get(response) == simdjson::SUCCESS &&
        EventObject(response, &event)) {
      EventBuilder builder(impl_->format, impl_->context, &impl_->marking_emitted, position, bytes);
      builder.Build(event, sink);
      return {};
    }
    if (obj.at_key("response").get_array().get(events) != simdjson::SUCCESS) {
      return core::MakeError(core::ErrorCode::kUnsupported,
                             "not a MISP event or events list (no Event, response, Attribute, "
                             "Object or info)",
                             file);
    }
  } else if (root.get_array().get(events) != simdjson::SUCCESS) {
    return core::MakeError(core::ErrorCode::kUnsupported, "not a MISP event or events list", file);
  }
  // Each element is re-serialized and parsed on its own, so one event's DOM
  // holds the parser at a time.
  std::vector<std::string> elements;
  for (element e : events) elements.push_back(simdjson::minify(e));
  uint64_t index = 0;
  for (std::string& text : elements) {
    text.reserve(text.size() + kEventPadding);
    position.record = index++;
    MapEvent(text, position, sink);
  }
  return {};
}

}  // namespace tessera::formats::misp
