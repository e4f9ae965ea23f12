#include "governance/redaction.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <utility>

#include <toml++/toml.h>

#include "core/hash.h"
#include "core/json.h"
#include "core/uuid.h"
#include "stix/spec.h"

namespace tessera::governance {
namespace {

using core::ErrorCode;
using core::Json;

constexpr std::string_view kTokenPrefix = "redacted:hmac-sha256:";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsRefName(std::string_view name) { return EndsWith(name, "_ref") || EndsWith(name, "_refs"); }

// The type part of "<type>--<uuid>" (the whole text when there is no "--").
std::string_view IdType(std::string_view id) { return id.substr(0, id.find("--")); }

// STIX 2.1 SCOs, and types STIX 2.1 does not define (Tessera's custom SCOs).
bool IsScoType(std::string_view type) {
  const stix::TypeSpec* spec = stix::FindType(type);
  return spec == nullptr || spec->category == stix::Category::kSco;
}

// For force_personal: a known SCO type, or an unknown type without `created`
// (STIX 2.1 §3.2: SDOs and SROs require it, SCOs have none).
bool IsScoObject(const Json& object, std::string_view type) {
  const stix::TypeSpec* spec = stix::FindType(type);
  if (spec != nullptr) return spec->category == stix::Category::kSco;
  return object.Find("created") == nullptr;
}

std::string_view StringMember(const Json& object, std::string_view name) {
  const Json* value = object.Find(name);
  return value != nullptr && value->is_string() ? std::string_view(value->as_string())
                                                : std::string_view();
}

core::Result<Json> ParseObject(std::string_view text) {
  core::Result<Json> parsed = core::ParseJson(text);
  if (!parsed.ok()) return parsed.error();
  if (!parsed->is_object()) {
    return core::MakeError(ErrorCode::kParse, "expected a JSON object (one STIX object)");
  }
  return std::move(parsed).value();
}

// Replaces one value by its token; lists element by element. Returns whether
// anything changed (null and empty lists stay as they are).
bool RedactValue(Json* value, std::string_view key, std::string_view type,
                 std::string_view property) {
  switch (value->type()) {
    case Json::Type::kNull:
      return false;
    case Json::Type::kString:
      *value = Json::String(RedactedValue(key, type, property, value->as_string()));
      return true;
    case Json::Type::kArray: {
      bool changed = false;
      for (Json& element : value->as_array()) changed |= RedactValue(&element, key, type, property);
      return changed;
    }
    default:
      *value = Json::String(RedactedValue(key, type, property, core::CanonicalJson(*value)));
      return true;
  }
}

// The rule properties that apply to this object. *has_rule: some rule names the type.
std::vector<std::string> RuleProperties(const RedactionRules& rules, const Json& object,
                                        std::string_view type, bool force_personal,
                                        bool* has_rule) {
  std::vector<std::string> properties;
  std::string_view identity_class = StringMember(object, "identity_class");
  *has_rule = false;
  for (const RedactionRule& rule : rules.rules()) {
    if (rule.type != type) continue;
    *has_rule = true;
    if (!force_personal && !rule.when_identity_class.empty() &&
        rule.when_identity_class != identity_class) {
      continue;
    }
    properties.insert(properties.end(), rule.properties.begin(), rule.properties.end());
  }
  return properties;
}

// force_personal on a type without a rule: every top-level string property but these.
bool IsStructural(std::string_view name) {
  return name == "id" || name == "type" || name == "spec_version" || name == "created" ||
         name == "modified" || name == "object_marking_refs" || IsRefName(name);
}

bool RedactProperties(Json* object, std::string_view key, std::string_view type,
                      const std::vector<std::string>& properties) {
  bool changed = false;
  for (const std::string& property : properties) {
    if (Json* value = object->Find(property)) changed |= RedactValue(value, key, type, property);
  }
  return changed;
}

bool RedactAllStrings(Json* object, std::string_view key, std::string_view type) {
  bool changed = false;
  for (auto& [name, value] : object->as_object()) {
    if (IsStructural(name) || !value.is_string()) continue;
    changed |= RedactValue(&value, key, type, name);
  }
  return changed;
}

bool RedactId(Json* object, std::string_view key) {
  Json* id = object->Find("id");
  if (id == nullptr || !id->is_string()) return false;
  *id = Json::String(RedactedId(key, id->as_string()));
  return true;
}

bool ShouldRewrite(std::string_view id, const RedactionRules& rules,
                   std::span<const std::string> also_ids) {
  if (rules.RedactsIds(IdType(id))) return true;
  return std::find(also_ids.begin(), also_ids.end(), id) != also_ids.end();
}

bool RewriteRef(Json* ref, const RedactionRules& rules, std::string_view key,
                std::span<const std::string> also_ids) {
  if (!ref->is_string() || !ShouldRewrite(ref->as_string(), rules, also_ids)) return false;
  *ref = Json::String(RedactedId(key, ref->as_string()));
  return true;
}

bool RewriteRefs(Json* node, const RedactionRules& rules, std::string_view key,
                 std::span<const std::string> also_ids) {
  bool changed = false;
  if (node->is_array()) {
    for (Json& element : node->as_array()) changed |= RewriteRefs(&element, rules, key, also_ids);
    return changed;
  }
  if (!node->is_object()) return false;
  for (auto& [name, value] : node->as_object()) {
    if (EndsWith(name, "_ref") && value.is_string()) {
      changed |= RewriteRef(&value, rules, key, also_ids);
    } else if (EndsWith(name, "_refs") && value.is_array()) {
      for (Json& ref : value.as_array()) changed |= RewriteRef(&ref, rules, key, also_ids);
    } else {
      changed |= RewriteRefs(&value, rules, key, also_ids);
    }
  }
  return changed;
}

// --- rules files ---

core::Error RuleError(std::string_view file_name, const toml::node* node, std::string message) {
  std::string location(file_name);
  if (node != nullptr && node->source().begin.line > 0) {
    location.append(":").append(std::to_string(node->source().begin.line));
  }
  return core::MakeError(ErrorCode::kInvalidArgument, std::move(message), std::move(location));
}

bool IsTypeName(std::string_view type) {
  if (type.empty()) return false;
  return std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

core::Result<std::string> RequiredString(const toml::table& table, std::string_view name,
                                         std::string_view file_name) {
  const toml::node* node = table.get(name);
  std::string message = "[[personal]]: '";
  message.append(name);
  if (node == nullptr) {
    return RuleError(file_name, &table, message.append("' is required"));
  }
  const auto* value = node->as_string();
  if (value == nullptr || value->get().empty()) {
    return RuleError(file_name, node, message.append("' must be a non-empty string"));
  }
  return value->get();
}

core::Result<std::vector<std::string>> Properties(const toml::table& table,
                                                  std::string_view file_name) {
  const toml::node* node = table.get("properties");
  if (node == nullptr) {
    return RuleError(file_name, &table, "[[personal]]: 'properties' is required");
  }
  const toml::array* array = node->as_array();
  if (array == nullptr || array->empty()) {
    return RuleError(file_name, node,
                     "[[personal]]: 'properties' must be a non-empty list of property names");
  }
  std::vector<std::string> properties;
  for (const toml::node& item : *array) {
    const auto* name = item.as_string();
    if (name == nullptr || name->get().empty()) {
      return RuleError(file_name, &item, "[[personal]]: each property must be a non-empty string");
    }
    properties.push_back(name->get());
  }
  return properties;
}

core::Result<RedactionRule> ParseRule(const toml::table& table, std::string_view file_name) {
  for (const auto& [name, value] : table) {
    std::string_view key = name.str();
    if (key != "type" && key != "properties" && key != "when_identity_class") {
      std::string message = "[[personal]]: unknown key '";
      message.append(key).append("' (expected type, properties, when_identity_class)");
      return RuleError(file_name, &value, std::move(message));
    }
  }
  RedactionRule rule;
  core::Result<std::string> type = RequiredString(table, "type", file_name);
  if (!type.ok()) return type.error();
  if (!IsTypeName(*type)) {
    std::string message = "[[personal]]: '";
    message.append(*type).append("' is not an object type (a-z, 0-9, '-')");
    return RuleError(file_name, table.get("type"), std::move(message));
  }
  rule.type = std::move(type).value();
  core::Result<std::vector<std::string>> properties = Properties(table, file_name);
  if (!properties.ok()) return properties.error();
  rule.properties = std::move(properties).value();
  if (table.get("when_identity_class") != nullptr) {
    core::Result<std::string> when = RequiredString(table, "when_identity_class", file_name);
    if (!when.ok()) return when.error();
    rule.when_identity_class = std::move(when).value();
  }
  return rule;
}

core::Result<RedactionRules> ParseRules(const toml::table& root, std::string_view file_name) {
  RedactionRules rules;
  for (const auto& [name, value] : root) {
    if (name.str() != "personal") {
      std::string message = "unknown key '";
      message.append(name.str()).append("' (a rules file holds [[personal]] tables only)");
      return RuleError(file_name, &value, std::move(message));
    }
    const toml::array* tables = value.as_array();
    if (tables == nullptr || !tables->is_array_of_tables()) {
      return RuleError(file_name, &value, "'personal' must be written as [[personal]] tables");
    }
    for (const toml::node& item : *tables) {
      core::Result<RedactionRule> rule = ParseRule(*item.as_table(), file_name);
      if (!rule.ok()) return rule.error();
      rules.Add(std::move(rule).value());
    }
  }
  return rules;
}

}  // namespace

RedactionRules RedactionRules::Builtin() {
  RedactionRules rules;
  rules.Add({"email-addr", {"value", "display_name"}, ""});
  rules.Add({"user-account", {"user_id", "account_login", "display_name"}, ""});
  rules.Add({"identity", {"name", "contact_information"}, "individual"});
  // docs/NORMALIZATION.md: Tessera's phone-number SCO keeps the E.164 number in `number`.
  rules.Add({"phone-number", {"number"}, ""});
  return rules;
}

core::Result<RedactionRules> RedactionRules::FromToml(std::string_view text,
                                                      std::string_view file_name) {
  try {
    toml::table root = toml::parse(text, file_name);
    return ParseRules(root, file_name);
  } catch (const toml::parse_error& e) {
    std::string location(file_name);
    if (e.source().begin.line > 0) {
      location.append(":")
          .append(std::to_string(e.source().begin.line))
          .append(":")
          .append(std::to_string(e.source().begin.column));
    }
    return core::MakeError(ErrorCode::kParse, std::string(e.description()), std::move(location));
  } catch (const std::exception& e) {
    return core::MakeError(ErrorCode::kParse, e.what(), std::string(file_name));
  }
}

void RedactionRules::Add(RedactionRule rule) { rules_.push_back(std::move(rule)); }

bool RedactionRules::IsPersonal(std::string_view type) const {
  return std::any_of(rules_.begin(), rules_.end(),
                     [&](const RedactionRule& rule) { return rule.type == type; });
}

bool RedactionRules::RedactsIds(std::string_view type) const {
  bool unconditional = std::any_of(rules_.begin(), rules_.end(), [&](const RedactionRule& rule) {
    return rule.type == type && rule.when_identity_class.empty();
  });
  return unconditional && IsScoType(type);
}

std::string RedactedValue(std::string_view key, std::string_view type,
                          std::string_view property, std::string_view value) {
  std::string input(type);
  input.append("|").append(property).append("|").append(value);
  std::string out(kTokenPrefix);
  out.append(core::HexEncode(core::HmacSha256(key, input)));
  return out;
}

std::string RedactedId(std::string_view key, std::string_view id) {
  core::Sha256Digest mac = core::HmacSha256(key, id);
  core::Uuid uuid;
  std::copy_n(mac.begin(), uuid.bytes.size(), uuid.bytes.begin());
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);  // version 4
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);  // RFC 9562 variant
  std::string out(IdType(id));
  out.append("--");
  uuid.AppendTo(&out);
  return out;
}

std::string Redact(std::string_view object_json, const RedactionRules& rules,
                   std::string_view key, bool force_personal) {
  core::Result<Json> parsed = ParseObject(object_json);
  if (!parsed.ok()) return std::string();  // fail closed: nothing rather than clear text
  Json& object = *parsed;
  std::string type(StringMember(object, "type"));
  bool has_rule = false;
  std::vector<std::string> properties =
      RuleProperties(rules, object, type, force_personal, &has_rule);
  bool changed = RedactProperties(&object, key, type, properties);
  if (force_personal && !has_rule) changed |= RedactAllStrings(&object, key, type);
  if (rules.RedactsIds(type) || (force_personal && IsScoObject(object, type))) {
    changed |= RedactId(&object, key);
  }
  if (!changed) return std::string(object_json);
  return core::WriteJson(object);
}

std::string RedactRefs(std::string_view object_json, const RedactionRules& rules,
                       std::string_view key, std::span<const std::string> also_ids) {
  core::Result<Json> parsed = ParseObject(object_json);
  if (!parsed.ok()) return std::string();
  if (!RewriteRefs(&*parsed, rules, key, also_ids)) return std::string(object_json);
  return core::WriteJson(*parsed);
}

}  // namespace tessera::governance
