// Validation of one STIX 2.1 object on the simdjson DOM, driven by the model
// table in spec.h. Generic checks (property kinds, required properties,
// references, vocabularies, custom property names) come from the table; the
// co-constraints the table cannot express (§4-§7 "MUST" rules between
// properties) are in CheckTypeRules below.
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/hash.h"
#include "core/json.h"
#include "core/time.h"
#include "core/uuid.h"
#include "stix/ids.h"
#include "stix/object_validator.h"
#include "stix/spec.h"
#include "stix/tlp.h"

namespace tessera::stix {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "error";
}

std::string Problem::ToString() const {
  std::string out = SeverityName(severity);
  out += ": ";
  out += path.empty() ? "/" : path;
  if (object_index >= 0) {
    out += " (object " + std::to_string(object_index);
    if (!object_id.empty()) out += ", " + object_id;
    out += ")";
  }
  out += ": ";
  out += message;
  return out;
}

namespace detail {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

bool IsLowerAlnumHyphen(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// §3.1: type names are 3-250 characters of a-z, 0-9 and hyphen.
bool IsValidTypeName(std::string_view s) {
  return s.size() >= 3 && s.size() <= 250 && IsLowerAlnumHyphen(s);
}

// §3.1 (custom properties, §11.1): a-z, 0-9, underscore; 3-250 characters.
bool IsValidPropertyName(std::string_view s) {
  return s.size() >= 3 && s.size() <= 250 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// §2.7: dictionary keys are ASCII a-z A-Z 0-9 hyphen underscore, 1-250 characters.
bool IsValidDictionaryKey(std::string_view s) {
  return !s.empty() && s.size() <= 250 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// §2.11: a URL needs a scheme.
bool HasUrlScheme(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  return colon + 1 < s.size();
}

struct KnownHash {
  std::string_view name;
  size_t hex_length;
};
constexpr KnownHash kHexHashes[] = {
    {"MD5", 32}, {"SHA-1", 40}, {"SHA-256", 64}, {"SHA-512", 128}, {"SHA3-256", 64}, {"SHA3-512", 128},
};

bool InVocabulary(const Vocabulary* vocab, std::string_view value) {
  if (vocab == nullptr) return true;
  return std::find(vocab->values.begin(), vocab->values.end(), value) != vocab->values.end();
}

const char* JsonTypeName(element_type t) {
  switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// Converts a DOM value to a core::Json tree (numbers keep a literal: integers
// as written, doubles in their shortest round-trip form).
core::Json ToJson(const element& value) {
  std::string_view s;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  bool b = false;
  array arr;
  object obj;
  if (value.get_string().get(s) == simdjson::SUCCESS) return core::Json::String(std::string(s));
  if (value.get_int64().get(i) == simdjson::SUCCESS) {
    return core::Json::NumberLiteral(std::to_string(i), static_cast<double>(i));
  }
  if (value.get_uint64().get(u) == simdjson::SUCCESS) {
    return core::Json::NumberLiteral(std::to_string(u), static_cast<double>(u));
  }
  if (value.get_double().get(d) == simdjson::SUCCESS) return core::Json::Double(d);
  if (value.get_bool().get(b) == simdjson::SUCCESS) return core::Json::Bool(b);
  if (value.get_array().get(arr) == simdjson::SUCCESS) {
    core::Json::Array items;
    for (element item : arr) items.push_back(ToJson(item));
    return core::Json::MakeArray(std::move(items));
  }
  if (value.get_object().get(obj) == simdjson::SUCCESS) {
    core::Json::Object members;
    for (auto field : obj) members.emplace_back(std::string(field.key), ToJson(field.value));
    return core::Json::MakeObject(std::move(members));
  }
  return core::Json();  // null
}

class Checker {
 public:
  Checker(int64_t index, std::string path, const ValidationOptions& options,
          std::vector<Problem>* problems)
      : index_(index), path_(std::move(path)), options_(options), problems_(problems) {}

  void Run(const element& root);

 private:
  // Appends and removes path segments as the walk descends and returns.
  class PathScope {
   public:
    PathScope(std::string* path, std::string_view segment) : path_(path), size_(path->size()) {
      path_->push_back('/');
      // RFC 6901 escaping of ~ and /.
      for (char c : segment) {
        if (c == '~') {
          path_->append("~0");
        } else if (c == '/') {
          path_->append("~1");
        } else {
          path_->push_back(c);
        }
      }
    }
    PathScope(std::string* path, size_t index) : path_(path), size_(path->size()) {
      path_->push_back('/');
      path_->append(std::to_string(index));
    }
    ~PathScope() { path_->resize(size_); }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;

   private:
    std::string* path_;
    size_t size_;
  };

  void Report(Severity severity, std::string message) {
    problems_->push_back(Problem{severity, index_, id_, path_, std::move(message)});
  }
  void Error(std::string message) { Report(Severity::kError, std::move(message)); }
  void Warn(std::string message) { Report(Severity::kWarning, std::move(message)); }
  void ReportAt(Severity severity, std::string_view property, std::string message) {
    PathScope scope(&path_, property);
    Report(severity, std::move(message));
  }

  void CheckProperties(const object& obj, std::span<const PropertySpec> specific,
                       std::span<const PropertySpec> common, bool top_level);
  void CheckValue(const element& value, const PropertySpec& spec);
  void CheckIdentifier(std::string_view value, const PropertySpec& spec);
  std::optional<core::Timestamp> CheckTimestamp(const element& value);
  void CheckStringList(const element& value, const PropertySpec& spec);
  void CheckDictionary(const element& value);
  void CheckHashes(const element& value);
  void CheckKillChainPhases(const element& value);
  void CheckExternalReferences(const element& value);
  void CheckGranularMarkings(const element& value);
  void CheckExtensions(const element& value);
  void CheckNestedObject(const element& value, std::span<const PropertySpec> fields);
  void CheckTypeRules(const object& obj);
  void CheckMarkingDefinition(const object& obj);
  void CheckDeterministicId(const object& obj);

  // §7.3: a new object type is defined by an extension-definition whose
  // extension_type is new-sdo, new-sco or new-sro, named in the object's extensions.
  static bool DefinedByExtension(const object& obj) {
    object extensions;
    if (obj.at_key("extensions").get_object().get(extensions) != simdjson::SUCCESS) return false;
    for (auto field : extensions) {
      std::string_view ext_type;
      if (field.key.rfind("extension-definition--", 0) == 0 &&
          field.value.at_key("extension_type").get_string().get(ext_type) == simdjson::SUCCESS &&
          ext_type.rfind("new-", 0) == 0) {
        return true;
      }
    }
    return false;
  }

  // Helpers for co-constraints.
  bool Has(const object& obj, std::string_view key) const {
    return obj.at_key(key).error() == simdjson::SUCCESS;
  }
  // A valid top-level timestamp, as parsed while checking the properties.
  std::optional<core::Timestamp> TimestampOf(std::string_view key) const {
    for (const auto& [name, ts] : timestamps_) {
      if (name == key) return ts;
    }
    return std::nullopt;
  }
  void RequireOrder(std::string_view earlier, std::string_view later, bool strictly) {
    auto a = TimestampOf(earlier);
    auto b = TimestampOf(later);
    if (!a || !b) return;
    bool bad = strictly ? !(*b > *a) : *b < *a;
    if (bad) {
      ReportAt(Severity::kError, later,
               std::string(later) + " must be " + (strictly ? "later than " : "no earlier than ") +
                   std::string(earlier));
    }
  }

  int64_t index_;
  std::string path_;
  const ValidationOptions& options_;
  std::vector<Problem>* problems_;
  std::string id_;
  std::string type_;
  std::vector<std::pair<std::string_view, core::Timestamp>> timestamps_;  // top level, valid
  const TypeSpec* spec_ = nullptr;
  Category category_ = Category::kSdo;
};

void Checker::Run(const element& root) {
  object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    Error(std::string("a STIX object must be a JSON object, found ") + JsonTypeName(root.type()));
    return;
  }
  std::string_view id_text;
  if (obj.at_key("id").get_string().get(id_text) == simdjson::SUCCESS) id_ = std::string(id_text);

  std::string_view type;
  if (obj.at_key("type").get_string().get(type) != simdjson::SUCCESS) {
    if (Has(obj, "type")) {
      ReportAt(Severity::kError, "type", "type must be a string");
    } else {
      ReportAt(Severity::kError, "type", "missing required property");
    }
    return;
  }
  type_ = std::string(type);
  if (type_ == "bundle") {
    ReportAt(Severity::kError, "type", "a bundle cannot be nested inside another STIX object list");
    return;
  }
  if (!IsValidTypeName(type_)) {
    ReportAt(Severity::kError, "type",
             "type '" + type_ + "' must be 3-250 characters of a-z, 0-9 and '-' (§3.1)");
    return;
  }

  spec_ = FindType(type_);
  std::span<const PropertySpec> specific;
  std::span<const PropertySpec> common;
  if (spec_ != nullptr) {
    category_ = spec_->category;
    specific = spec_->properties;
    if (category_ != Category::kMeta) common = CommonProperties(category_);
  } else {
    // A custom object (§11.2): SCO-like when it has no `created`, else SDO-like.
    category_ = Has(obj, "created") ? Category::kSdo : Category::kSco;
    common = CommonProperties(category_);
    if (type_.rfind("x-", 0) != 0 && !DefinedByExtension(obj)) {
      ReportAt(Severity::kWarning, "type",
               "custom object type '" + type_ + "' is not defined by STIX 2.1");
    }
  }

  CheckProperties(obj, specific, common, /*top_level=*/true);
  CheckTypeRules(obj);
  if (category_ == Category::kSco && options_.check_deterministic_ids) CheckDeterministicId(obj);
}

void Checker::CheckProperties(const object& obj, std::span<const PropertySpec> specific,
                              std::span<const PropertySpec> common, bool top_level) {
  size_t position = 0;
  size_t required_seen = 0;
  uint64_t seen_signatures = 0;  // cheap filter: only a repeated signature needs a scan
  for (auto field : obj) {
    std::string_view key = field.key;
    const PropertySpec* prop = FindProperty(specific, key);
    if (prop == nullptr) prop = FindProperty(common, key);
    PathScope scope(&path_, key);
    // RFC 8259 §4: names should be unique; a STIX object with a repeated name is
    // ambiguous (parsers keep the first or the last), so it is refused.
    uint64_t signature = key.empty() ? 1 : uint64_t{1} << ((key.size() * 7 + key.front() * 3 +
                                                             key.back()) & 63);
    bool duplicate = false;
    if ((seen_signatures & signature) != 0) {
      size_t earlier = 0;
      for (auto other : obj) {
        if (earlier++ == position) break;
        if (other.key == key) {
          Error("property '" + std::string(key) + "' appears more than once");
          duplicate = true;
          break;
        }
      }
    }
    seen_signatures |= signature;
    ++position;
    if (prop != nullptr && prop->required && !duplicate) ++required_seen;
    if (prop != nullptr) {
      if (field.value.type() == element_type::NULL_VALUE) {
        Error("null is not allowed as a property value (§3.1); omit the property instead");
        continue;
      }
      // The object's own id is checked in full (type prefix, UUID, variant) by
      // CheckTypeRules; checking it here too would report one fault twice.
      if (top_level && key == "id") continue;
      if (top_level && prop->kind == Kind::kTimestamp) {
        // Kept for the co-constraints (ordering, precision) so nothing parses twice.
        if (auto ts = CheckTimestamp(field.value)) timestamps_.emplace_back(key, *ts);
        continue;
      }
      CheckValue(field.value, *prop);
      continue;
    }
    // Not in the table: a custom property (§11.1), kept as is.
    if (!IsValidPropertyName(key)) {
      Error("property name '" + std::string(key) +
            "' must be 3-250 characters of a-z, 0-9 and '_' (§3.1)");
    } else if (top_level && key.rfind("x_", 0) != 0 && spec_ != nullptr) {
      Warn("custom property '" + std::string(key) + "' should start with 'x_' (§11.1)");
    }
  }
  // Only when a required property was not met on the way is it worth finding which.
  size_t required_total = 0;
  for (auto props : {specific, common}) {
    for (const PropertySpec& p : props) required_total += p.required ? 1 : 0;
  }
  if (required_seen == required_total) return;
  for (auto props : {specific, common}) {
    for (const PropertySpec& p : props) {
      if (p.required && !Has(obj, p.name)) {
        ReportAt(Severity::kError, p.name, "missing required property");
      }
    }
  }
}

void Checker::CheckValue(const element& value, const PropertySpec& spec) {
  element_type t = value.type();
  auto expect = [&](bool ok, const char* what) {
    if (!ok) Error(std::string("must be ") + what + ", found " + JsonTypeName(t));
    return ok;
  };
  switch (spec.kind) {
    case Kind::kString:
      expect(t == element_type::STRING, "a string");
      break;
    case Kind::kBoolean:
      expect(t == element_type::BOOL, "a boolean");
      break;
    case Kind::kInteger: {
      int64_t i = 0;
      if (value.get_int64().get(i) != simdjson::SUCCESS) {
        double d = 0;
        // 1.0 is an integer in JSON's number model; 1.5 is not.
        if (value.get_double().get(d) == simdjson::SUCCESS && std::floor(d) == d &&
            std::fabs(d) < 9.2e18) {
          i = static_cast<int64_t>(d);
        } else {
          expect(false, "an integer");
          break;
        }
      }
      if (i < spec.min || i > spec.max) {
        Error("integer " + std::to_string(i) + " out of range [" + std::to_string(spec.min) + ", " +
              std::to_string(spec.max) + "]");
      }
      break;
    }
    case Kind::kFloat: {
      double d = 0;
      if (!expect(value.get_double().get(d) == simdjson::SUCCESS, "a number")) break;
      if (d < static_cast<double>(spec.min) || d > static_cast<double>(spec.max)) {
        Error("number out of range [" + std::to_string(spec.min) + ", " +
              std::to_string(spec.max) + "]");
      }
      break;
    }
    case Kind::kTimestamp:
      CheckTimestamp(value);
      break;
    case Kind::kIdentifier: {
      std::string_view s;
      if (!expect(value.get_string().get(s) == simdjson::SUCCESS, "an identifier string")) break;
      CheckIdentifier(s, spec);
      break;
    }
    case Kind::kIdentifierList:
    case Kind::kStringList:
    case Kind::kOpenVocabList:
    case Kind::kEnumList:
      CheckStringList(value, spec);
      break;
    case Kind::kOpenVocab:
    case Kind::kEnum: {
      std::string_view s;
      if (!expect(value.get_string().get(s) == simdjson::SUCCESS, "a string")) break;
      if (!InVocabulary(spec.vocab, s)) {
        bool open = spec.kind == Kind::kOpenVocab;
        Report(open ? Severity::kWarning : Severity::kError,
               "'" + std::string(s) + "' is not in " + std::string(spec.vocab->name) +
                   (open ? " (open vocabulary: allowed, but check the spelling)" : ""));
      }
      break;
    }
    case Kind::kDictionary:
      CheckDictionary(value);
      break;
    case Kind::kHashes:
      CheckHashes(value);
      break;
    case Kind::kKillChainPhases:
      CheckKillChainPhases(value);
      break;
    case Kind::kExternalReferences:
      CheckExternalReferences(value);
      break;
    case Kind::kGranularMarkings:
      CheckGranularMarkings(value);
      break;
    case Kind::kExtensions:
      CheckExtensions(value);
      break;
    case Kind::kBinary: {
      std::string_view s;
      if (!expect(value.get_string().get(s) == simdjson::SUCCESS, "a base64 string")) break;
      if (!core::Base64Decode(s)) Error("not valid base64 (RFC 4648 §4, with padding)");
      break;
    }
    case Kind::kHex: {
      std::string_view s;
      if (!expect(value.get_string().get(s) == simdjson::SUCCESS, "a hex string")) break;
      if (s.size() % 2 != 0 || !IsHex(s)) Error("not a hex string of whole bytes (§2.10)");
      break;
    }
    case Kind::kUrl: {
      std::string_view s;
      if (!expect(value.get_string().get(s) == simdjson::SUCCESS, "a URL string")) break;
      if (!HasUrlScheme(s)) Error("'" + std::string(s) + "' is not an absolute URL (§2.11)");
      break;
    }
    case Kind::kObject:
      if (expect(t == element_type::OBJECT, "an object")) CheckNestedObject(value, spec.fields);
      break;
    case Kind::kObjectList: {
      array arr;
      if (!expect(value.get_array().get(arr) == simdjson::SUCCESS, "a list of objects")) break;
      if (spec.non_empty && arr.size() == 0) Error("list must not be empty");
      size_t i = 0;
      for (element item : arr) {
        PathScope scope(&path_, i++);
        if (item.type() != element_type::OBJECT) {
          Error(std::string("must be an object, found ") + JsonTypeName(item.type()));
          continue;
        }
        CheckNestedObject(item, spec.fields);
      }
      break;
    }
    case Kind::kAny:
      break;
  }
}

void Checker::CheckIdentifier(std::string_view value, const PropertySpec& spec) {
  size_t sep = value.find("--");
  if (sep == std::string_view::npos) {
    Error("'" + std::string(value) + "' is not an identifier of the form type--UUID (§2.9)");
    return;
  }
  std::string_view type = value.substr(0, sep);
  auto uuid = core::ParseUuid(value.substr(sep + 2));
  if (!IsValidTypeName(type) || !uuid.ok()) {
    Error("'" + std::string(value) + "' is not an identifier of the form type--UUID (§2.9)");
    return;
  }
  if (!uuid->is_rfc_variant()) {
    Error("the UUID of '" + std::string(value) + "' is not an RFC 4122 UUID (§2.9)");
    return;
  }
  if (spec.ref_types.empty()) return;
  const TypeSpec* target = FindType(type);
  for (std::string_view allowed : spec.ref_types) {
    if (allowed == type || allowed == "<any>") return;
    // Custom types are admitted by category wildcards; their category cannot be known.
    if (target == nullptr && allowed.front() == '<') return;
    if (target != nullptr) {
      if ((allowed == "<sdo>" && target->category == Category::kSdo) ||
          (allowed == "<sco>" && target->category == Category::kSco) ||
          (allowed == "<sro>" && target->category == Category::kSro)) {
        return;
      }
    }
  }
  std::string list;
  for (std::string_view allowed : spec.ref_types) {
    if (!list.empty()) list += ", ";
    list += allowed;
  }
  Error("reference to a " + std::string(type) + " is not allowed here (allowed: " + list + ")");
}

std::optional<core::Timestamp> Checker::CheckTimestamp(const element& value) {
  std::string_view s;
  if (value.get_string().get(s) != simdjson::SUCCESS) {
    Error(std::string("must be a timestamp string, found ") + JsonTypeName(value.type()));
    return std::nullopt;
  }
  auto ts = core::ParseStixTimestamp(s);
  if (!ts.ok()) {
    Error("'" + std::string(s) + "' is not a STIX timestamp: " + ts.error().message);
    return std::nullopt;
  }
  return *ts;
}

void Checker::CheckStringList(const element& value, const PropertySpec& spec) {
  array arr;
  if (value.get_array().get(arr) != simdjson::SUCCESS) {
    Error(std::string("must be a list, found ") + JsonTypeName(value.type()));
    return;
  }
  if (spec.non_empty && arr.size() == 0) Error("list must not be empty");
  PropertySpec item_spec = spec;
  switch (spec.kind) {
    case Kind::kIdentifierList: item_spec.kind = Kind::kIdentifier; break;
    case Kind::kOpenVocabList: item_spec.kind = Kind::kOpenVocab; break;
    case Kind::kEnumList: item_spec.kind = Kind::kEnum; break;
    default: item_spec.kind = Kind::kString; break;
  }
  size_t i = 0;
  for (element item : arr) {
    PathScope scope(&path_, i++);
    CheckValue(item, item_spec);
  }
}

void Checker::CheckDictionary(const element& value) {
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) {
    Error(std::string("must be a dictionary (object), found ") + JsonTypeName(value.type()));
    return;
  }
  // §2.7: empty dictionaries are prohibited; keys MUST be ASCII letters, digits,
  // '-' or '_' and no longer than 250 characters.
  if (obj.size() == 0) Error("dictionary must not be empty (§2.7)");
  for (auto field : obj) {
    if (!IsValidDictionaryKey(field.key)) {
      PathScope scope(&path_, field.key);
      Error("dictionary key '" + std::string(field.key) +
            "' must be 1-250 ASCII letters, digits, '-' or '_' (§2.7)");
    }
  }
}

void Checker::CheckHashes(const element& value) {
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) {
    Error(std::string("hashes must be a dictionary, found ") + JsonTypeName(value.type()));
    return;
  }
  if (obj.size() == 0) Error("hashes must not be empty (§2.7)");
  for (auto field : obj) {
    PathScope scope(&path_, field.key);
    std::string_view hash;
    if (field.value.get_string().get(hash) != simdjson::SUCCESS) {
      Error("a hash value must be a string");
      continue;
    }
    bool known = false;
    for (const KnownHash& k : kHexHashes) {
      if (field.key == k.name) {
        known = true;
        if (hash.size() != k.hex_length || !IsHex(hash)) {
          Error("'" + std::string(hash) + "' is not a " + std::string(k.name) + " hash (" +
                std::to_string(k.hex_length) + " hex digits)");
        }
      }
    }
    if (known || field.key == "SSDEEP" || field.key == "TLSH") continue;
    const Vocabulary* algos = FindVocabulary("hash-algorithm-ov");
    if (InVocabulary(algos, field.key)) continue;
    if (!IsValidDictionaryKey(field.key)) {
      Error("hash algorithm name '" + std::string(field.key) + "' is not a valid key (§2.7)");
    } else {
      Warn("hash algorithm '" + std::string(field.key) +
           "' is not in hash-algorithm-ov (§10.7); custom names should start with 'x_'");
    }
  }
}

void Checker::CheckKillChainPhases(const element& value) {
  static constexpr PropertySpec kFields[] = {
      {.name = "kill_chain_name", .kind = Kind::kString, .required = true},
      {.name = "phase_name", .kind = Kind::kString, .required = true},
  };
  PropertySpec list{.name = "kill_chain_phases", .kind = Kind::kObjectList, .fields = kFields};
  CheckValue(value, list);
}

void Checker::CheckExternalReferences(const element& value) {
  static constexpr PropertySpec kFields[] = {
      {.name = "source_name", .kind = Kind::kString, .required = true},
      {.name = "description", .kind = Kind::kString},
      {.name = "url", .kind = Kind::kUrl},
      {.name = "hashes", .kind = Kind::kHashes},
      {.name = "external_id", .kind = Kind::kString},
  };
  PropertySpec list{.name = "external_references", .kind = Kind::kObjectList, .fields = kFields};
  CheckValue(value, list);
  array arr;
  if (value.get_array().get(arr) != simdjson::SUCCESS) return;
  size_t i = 0;
  for (element item : arr) {
    PathScope scope(&path_, i++);
    object ref;
    if (item.get_object().get(ref) != simdjson::SUCCESS) continue;
    // §2.5: besides source_name, at least one of description, url, external_id.
    if (!Has(ref, "description") && !Has(ref, "url") && !Has(ref, "external_id")) {
      Error("an external reference needs at least one of description, url or external_id (§2.5)");
    }
  }
}

void Checker::CheckGranularMarkings(const element& value) {
  static constexpr std::string_view kMarking[] = {"marking-definition"};
  static constexpr PropertySpec kFields[] = {
      {.name = "lang", .kind = Kind::kString},
      {.name = "marking_ref", .kind = Kind::kIdentifier, .ref_types = kMarking},
      {.name = "selectors", .kind = Kind::kStringList, .required = true},
  };
  PropertySpec list{.name = "granular_markings", .kind = Kind::kObjectList, .fields = kFields};
  CheckValue(value, list);
  array arr;
  if (value.get_array().get(arr) != simdjson::SUCCESS) return;
  size_t i = 0;
  for (element item : arr) {
    PathScope scope(&path_, i++);
    object gm;
    if (item.get_object().get(gm) != simdjson::SUCCESS) continue;
    // §7.2.3: exactly one of lang and marking_ref.
    if (Has(gm, "lang") == Has(gm, "marking_ref")) {
      Error("a granular marking needs exactly one of lang and marking_ref (§7.2.3)");
    }
  }
}

void Checker::CheckExtensions(const element& value) {
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) {
    Error(std::string("extensions must be a dictionary, found ") + JsonTypeName(value.type()));
    return;
  }
  if (obj.size() == 0) Error("extensions must not be empty (§2.7: no empty dictionaries)");
  for (auto field : obj) {
    std::string_view name = field.key;
    PathScope scope(&path_, name);
    object ext;
    if (field.value.get_object().get(ext) != simdjson::SUCCESS) {
      Error("an extension must be an object");
      continue;
    }
    if (name.rfind("extension-definition--", 0) == 0) {
      PropertySpec id_spec{.name = "extensions", .kind = Kind::kIdentifier};
      CheckIdentifier(name, id_spec);
      std::string_view ext_type;
      if (ext.at_key("extension_type").get_string().get(ext_type) == simdjson::SUCCESS) {
        const Vocabulary* types = FindVocabulary("extension-type-enum");
        if (!InVocabulary(types, ext_type)) {
          PathScope inner(&path_, "extension_type");
          Error("'" + std::string(ext_type) + "' is not in extension-type-enum (§7.3)");
        }
      }
      continue;
    }
    if (const ExtensionSpec* pre = FindPredefinedExtension(name)) {
      if (pre->on_type != type_) {
        Error("extension '" + std::string(name) + "' belongs to " + std::string(pre->on_type) +
              " objects, not " + type_);
        continue;
      }
      CheckNestedObject(field.value, pre->properties);
      if (ext.size() == 0) Error("an extension must contain at least one property");
      continue;
    }
    // STIX 2.0-style custom extension (deprecated in 2.1 in favour of extension-definition).
    Warn("custom extension '" + std::string(name) +
         "' has no extension-definition; STIX 2.1 extensions are keyed by an extension-definition "
         "id (§7.3)");
  }
}

void Checker::CheckNestedObject(const element& value, std::span<const PropertySpec> fields) {
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS) return;
  CheckProperties(obj, fields, {}, /*top_level=*/false);
}

void Checker::CheckDeterministicId(const object& obj) {
  if (spec_ == nullptr || spec_->id_contributing.empty()) return;
  auto sep = id_.find("--");
  if (sep == std::string::npos) return;
  auto uuid = core::ParseUuid(std::string_view(id_).substr(sep + 2));
  if (!uuid.ok() || uuid->version() != 5) return;
  // Only the ID-contributing properties are converted, not the whole object.
  core::Json sco = core::Json::MakeObject();
  sco.Set("type", core::Json::String(type_));
  for (std::string_view prop : spec_->id_contributing) {
    element value;
    if (obj.at_key(prop).get(value) == simdjson::SUCCESS) sco.Set(prop, ToJson(value));
  }
  auto expected = ComputeScoId(sco);
  if (!expected.ok() || !expected->deterministic) return;
  if (expected->id != id_) {
    ReportAt(Severity::kWarning, "id",
             "id is a version-5 UUID but not the deterministic id of this " + type_ + " (" +
                 expected->id + ", §2.9)");
  }
}

void Checker::CheckTypeRules(const object& obj) {
  // Identity of the object itself (§2.9, §3.2).
  if (!id_.empty()) {
    std::string_view id = id_;
    size_t sep = id.find("--");
    if (sep == std::string_view::npos || id.substr(0, sep) != type_) {
      ReportAt(Severity::kError, "id", "id '" + id_ + "' must start with its type '" + type_ + "--'");
    } else {
      auto uuid = core::ParseUuid(id.substr(sep + 2));
      if (!uuid.ok()) {
        ReportAt(Severity::kError, "id", "'" + id_ + "' does not end in a valid UUID (§2.9)");
      } else if (!uuid->is_rfc_variant()) {
        ReportAt(Severity::kError, "id", "the UUID of '" + id_ + "' is not an RFC 4122 UUID (§2.9)");
      } else if (category_ != Category::kSco && uuid->version() != 4 &&
                 type_ != "marking-definition") {
        ReportAt(Severity::kWarning, "id",
                 "SDOs, SROs and meta objects should use UUIDv4 identifiers (§2.9)");
      }
    }
  } else if (Has(obj, "id")) {
    ReportAt(Severity::kError, "id", "id must be a string");
  }

  // spec_version (§3.2): "2.1" here; SCOs may omit it.
  std::string_view version;
  if (obj.at_key("spec_version").get_string().get(version) == simdjson::SUCCESS && version != "2.1") {
    ReportAt(Severity::kError, "spec_version",
             "spec_version '" + std::string(version) + "' is not 2.1");
  }

  // §3.2: created and modified at least millisecond precision, modified >= created.
  for (std::string_view prop : {std::string_view("created"), std::string_view("modified")}) {
    auto ts = TimestampOf(prop);
    if (ts && ts->frac_digits < 3) {
      ReportAt(Severity::kError, prop,
               std::string(prop) + " must be precise to at least the millisecond (§3.2)");
    }
  }
  RequireOrder("created", "modified", /*strictly=*/false);

  if (type_ == "indicator") {
    RequireOrder("valid_from", "valid_until", /*strictly=*/true);
  } else if (type_ == "observed-data") {
    RequireOrder("first_observed", "last_observed", false);
    bool has_objects = Has(obj, "objects");
    bool has_refs = Has(obj, "object_refs");
    if (has_objects && has_refs) {
      ReportAt(Severity::kError, "objects", "objects and object_refs must not both be present (§4.14)");
    } else if (!has_objects && !has_refs) {
      ReportAt(Severity::kError, "object_refs", "one of object_refs or objects is required (§4.14)");
    } else if (has_objects) {
      ReportAt(Severity::kWarning, "objects",
               "objects is deprecated in STIX 2.1; use object_refs to SCOs (§4.14)");
    }
    // §4.14: object_refs must include at least one SCO reference.
    array refs;
    if (obj.at_key("object_refs").get_array().get(refs) == simdjson::SUCCESS && refs.size() > 0) {
      bool any_sco = false;
      for (element ref : refs) {
        std::string_view id;
        if (ref.get_string().get(id) != simdjson::SUCCESS) continue;
        const TypeSpec* target = FindType(id.substr(0, id.find("--")));
        any_sco = any_sco || target == nullptr || target->category == Category::kSco;
      }
      if (!any_sco) {
        ReportAt(Severity::kError, "object_refs",
                 "object_refs must include at least one SCO reference (§4.14)");
      }
    }
  } else if (type_ == "sighting") {
    RequireOrder("first_seen", "last_seen", false);
  } else if (type_ == "relationship") {
    RequireOrder("start_time", "stop_time", true);
    // §5.1: relationship_type is limited to a-z, 0-9 and hyphen.
    std::string_view rel_type;
    if (obj.at_key("relationship_type").get_string().get(rel_type) == simdjson::SUCCESS &&
        (rel_type.empty() || !IsLowerAlnumHyphen(rel_type))) {
      ReportAt(Severity::kError, "relationship_type",
               "relationship_type '" + std::string(rel_type) +
                   "' must be ASCII a-z, 0-9 and '-' (§5.1)");
    }
  } else if (type_ == "malware" || type_ == "campaign" || type_ == "intrusion-set" || type_ == "threat-actor" ||
             type_ == "infrastructure") {
    RequireOrder("first_seen", "last_seen", false);
    bool family = false;
    if (type_ == "malware" && obj.at_key("is_family").get_bool().get(family) == simdjson::SUCCESS &&
        family && !Has(obj, "name")) {
      ReportAt(Severity::kError, "name", "a malware family (is_family true) needs a name (§4.11)");
    }
  } else if (type_ == "location") {
    bool lat = Has(obj, "latitude");
    bool lon = Has(obj, "longitude");
    if (lat != lon) {
      ReportAt(Severity::kError, lat ? "longitude" : "latitude",
               "latitude and longitude must be given together (§4.10)");
    }
    if (Has(obj, "precision") && !(lat && lon)) {
      ReportAt(Severity::kError, "precision", "precision requires latitude and longitude (§4.10)");
    }
    if (!Has(obj, "region") && !Has(obj, "country") && !(lat && lon)) {
      Error("a location needs region, country, or latitude and longitude (§4.10)");
    }
  } else if (type_ == "malware-analysis") {
    if (!Has(obj, "result") && !Has(obj, "analysis_sco_refs")) {
      Error("a malware-analysis needs result or analysis_sco_refs (§4.12)");
    }
  } else if (type_ == "marking-definition") {
    CheckMarkingDefinition(obj);
  } else if (type_ == "file") {
    if (!Has(obj, "hashes") && !Has(obj, "name")) {
      Error("a file needs at least one of hashes or name (§6.7)");
    }
  } else if (type_ == "artifact") {
    bool payload = Has(obj, "payload_bin");
    bool url = Has(obj, "url");
    if (payload && url) ReportAt(Severity::kError, "url", "payload_bin and url are exclusive (§6.1)");
    if (!payload && !url) Error("an artifact needs one of payload_bin or url (§6.1)");
    if (Has(obj, "decryption_key") && !Has(obj, "encryption_algorithm")) {
      ReportAt(Severity::kError, "decryption_key",
               "decryption_key must not be present without encryption_algorithm (§6.1)");
    }
    if (url && !Has(obj, "hashes")) {
      ReportAt(Severity::kError, "hashes", "hashes are required when url is present (§6.1)");
    }
  } else if (type_ == "network-traffic") {
    if (!Has(obj, "src_ref") && !Has(obj, "dst_ref")) {
      Error("network-traffic needs at least one of src_ref or dst_ref (§6.12)");
    }
    RequireOrder("start", "end", false);
    bool active = false;
    if (obj.at_key("is_active").get_bool().get(active) == simdjson::SUCCESS && active &&
        Has(obj, "end")) {
      ReportAt(Severity::kError, "end", "end must not be present while is_active is true (§6.12)");
    }
  } else if (type_ == "email-message") {
    bool multipart = false;
    if (obj.at_key("is_multipart").get_bool().get(multipart) == simdjson::SUCCESS) {
      if (multipart && Has(obj, "body")) {
        ReportAt(Severity::kError, "body", "body must not be used when is_multipart is true (§6.6)");
      }
      if (!multipart && Has(obj, "body_multipart")) {
        ReportAt(Severity::kError, "body_multipart",
                 "body_multipart requires is_multipart true (§6.6)");
      }
    }
  } else if (type_ == "process" || type_ == "x509-certificate") {
    // §6.13, §6.18: at least one property specific to the object (or, for a
    // process, one of its extensions).
    size_t specific = 0;
    for (auto field : obj) {
      bool common = FindProperty(CommonProperties(Category::kSco), field.key) != nullptr;
      bool custom = field.key.rfind("x_", 0) == 0;
      if ((!common && !custom) || (field.key == "extensions" && type_ == "process")) {
        ++specific;
      }
    }
    if (specific == 0) Error(type_ + " needs at least one property besides the common ones");
  }
}

// §7.2.1: a marking definition is a statement, a TLP 1.0 marking (only the four
// predefined objects), or an extension-based marking such as TLP 2.0.
void Checker::CheckMarkingDefinition(const object& obj) {
  std::string_view def_type;
  bool has_def_type = obj.at_key("definition_type").get_string().get(def_type) == simdjson::SUCCESS;
  object definition;
  bool has_def = obj.at_key("definition").get_object().get(definition) == simdjson::SUCCESS;
  object extensions;
  bool has_ext = obj.at_key("extensions").get_object().get(extensions) == simdjson::SUCCESS;
  if (!has_ext && (!has_def_type || !has_def)) {
    Error("a marking-definition without extensions needs definition_type and definition (§7.2.1)");
    return;
  }
  if (has_def_type && def_type == "tlp" && has_def) {
    std::string_view tlp;
    PathScope scope(&path_, "definition");
    if (definition.at_key("tlp").get_string().get(tlp) != simdjson::SUCCESS) {
      ReportAt(Severity::kError, "tlp", "a TLP definition needs a string 'tlp' (§7.2.1.3)");
      return;
    }
    auto level = TlpLevelFromTlp1Value(tlp);
    if (!level) {
      ReportAt(Severity::kError, "tlp", "'" + std::string(tlp) + "' is not white, green, amber or red");
    } else if (Tlp1MarkingId(*level) != std::optional<std::string_view>(id_)) {
      Error("TLP 1.0 markings must use the predefined marking-definition id " +
            std::string(*Tlp1MarkingId(*level)) + " (§7.2.1.4)");
    }
  } else if (has_def_type && def_type == "statement" && has_def) {
    std::string_view statement;
    if (definition.at_key("statement").get_string().get(statement) != simdjson::SUCCESS) {
      ReportAt(Severity::kError, "definition", "a statement definition needs a string 'statement'");
    }
  }
  if (has_ext) {
    std::string tlp2_key(kTlp2ExtensionId);
    object tlp2;
    if (extensions.at_key(tlp2_key).get_object().get(tlp2) == simdjson::SUCCESS) {
      std::string_view value;
      PathScope s1(&path_, "extensions");
      PathScope s2(&path_, tlp2_key);
      if (tlp2.at_key("tlp_2_0").get_string().get(value) != simdjson::SUCCESS) {
        ReportAt(Severity::kError, "tlp_2_0", "the TLP 2.0 extension needs a string tlp_2_0");
        return;
      }
      auto level = TlpLevelFromTlp2Value(value);
      if (!level) {
        ReportAt(Severity::kError, "tlp_2_0", "'" + std::string(value) + "' is not a TLP 2.0 level");
      } else if (Tlp2MarkingId(*level) != id_) {
        Warn("a TLP 2.0 marking should use the OASIS id " + std::string(Tlp2MarkingId(*level)) +
             " for " + std::string(TlpName(*level)));
      }
      if (has_def_type) {
        Warn("TLP 2.0 marking definitions carry no definition_type (seen on some producers)");
      }
    }
  }
}

}  // namespace

void ValidateObject(const element& object_element, int64_t index, const std::string& path,
                    const ValidationOptions& options, std::vector<Problem>* problems) {
  Checker checker(index, path, options, problems);
  checker.Run(object_element);
}

}  // namespace detail
}  // namespace tessera::stix
