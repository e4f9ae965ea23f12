#include "warninglists/misp_format.h"

#include <string>
#include <utility>

#include "core/json.h"

namespace tessera::warninglists {
namespace {

using core::ErrorCode;
using core::Json;

const char* TypeWord(const Json& j) {
  switch (j.type()) {
    case Json::Type::kNull: return "null";
    case Json::Type::kBool: return "a boolean";
    case Json::Type::kNumber: return "a number";
    case Json::Type::kString: return "a string";
    case Json::Type::kArray: return "an array";
    case Json::Type::kObject: return "an object";
  }
  return "a value";
}

core::Error Invalid(std::string_view origin, std::string message) {
  return core::MakeError(ErrorCode::kValidation, std::move(message), std::string(origin));
}

// A required (or optional, when `required` is false) string member, at most
// kMaxTextFieldBytes long.
core::Status ReadText(const Json& doc, std::string_view key, bool required,
                      std::string_view origin, std::string* out) {
  const Json* j = doc.Find(key);
  if (j == nullptr) {
    if (!required) return {};
    return Invalid(origin, "not a MISP warninglist: member \"" + std::string(key) +
                               "\" is missing");
  }
  if (!j->is_string()) {
    return Invalid(origin, "/" + std::string(key) + ": expected a string, found " + TypeWord(*j));
  }
  if (j->as_string().size() > kMaxTextFieldBytes) {
    return core::MakeError(ErrorCode::kLimit,
                           "/" + std::string(key) + ": longer than " +
                               std::to_string(kMaxTextFieldBytes) + " bytes",
                           std::string(origin));
  }
  *out = j->as_string();
  return {};
}

core::Status ReadStrings(const Json& array, std::string_view key, std::string_view origin,
                         std::vector<std::string>* out) {
  if (!array.is_array()) {
    return Invalid(origin,
                   "/" + std::string(key) + ": expected an array of strings, found " +
                       TypeWord(array));
  }
  if (array.as_array().size() > kMaxListEntries) {
    return core::MakeError(ErrorCode::kLimit,
                           "/" + std::string(key) + ": more than " +
                               std::to_string(kMaxListEntries) + " entries",
                           std::string(origin));
  }
  out->reserve(array.as_array().size());
  size_t i = 0;
  for (const Json& e : array.as_array()) {
    if (!e.is_string()) {
      return Invalid(origin, "/" + std::string(key) + "/" + std::to_string(i) +
                                 ": expected a string, found " + TypeWord(e));
    }
    out->push_back(e.as_string());
    ++i;
  }
  return {};
}

}  // namespace

std::string_view ListTypeName(ListType type) {
  switch (type) {
    case ListType::kCidr: return "cidr";
    case ListType::kHostname: return "hostname";
    case ListType::kString: return "string";
    case ListType::kSubstring: return "substring";
    case ListType::kRegex: return "regex";
  }
  return "";
}

std::optional<ListType> ListTypeFromName(std::string_view name) {
  for (ListType t : {ListType::kCidr, ListType::kHostname, ListType::kString,
                     ListType::kSubstring, ListType::kRegex}) {
    if (ListTypeName(t) == name) return t;
  }
  return std::nullopt;
}

core::Result<ListSpec> ParseMispWarninglist(std::string_view json, std::string_view origin) {
  if (json.size() > kMaxListJsonBytes) {
    return core::MakeError(ErrorCode::kLimit,
                           "list file larger than " + std::to_string(kMaxListJsonBytes >> 20) +
                               " MiB",
                           std::string(origin));
  }
  core::JsonParseLimits limits;
  limits.max_depth = 16;  // a list is an object of arrays of strings
  core::Result<Json> parsed = core::ParseJson(json, limits);
  if (!parsed.ok()) {
    std::string message = "not valid JSON: " + parsed.error().message;
    if (!parsed.error().location.empty()) message += " (" + parsed.error().location + ")";
    return core::MakeError(ErrorCode::kParse, std::move(message), std::string(origin));
  }
  const Json& doc = *parsed;
  if (!doc.is_object()) {
    return Invalid(origin, std::string("not a MISP warninglist: the document is ") +
                               TypeWord(doc) + ", not an object");
  }
  ListSpec spec;
  spec.origin = std::string(origin);
  TESSERA_RETURN_IF_ERROR(ReadText(doc, "name", true, origin, &spec.name));
  TESSERA_RETURN_IF_ERROR(ReadText(doc, "description", true, origin, &spec.description));
  TESSERA_RETURN_IF_ERROR(ReadText(doc, "category", false, origin, &spec.category));

  const Json* version = doc.Find("version");
  if (version == nullptr) return Invalid(origin, "not a MISP warninglist: member \"version\" is missing");
  if (!version->GetInt64(&spec.version)) {
    return Invalid(origin, std::string("/version: expected an integer, found ") +
                               (version->is_number() ? "\"" + version->as_number().literal + "\""
                                                     : std::string(TypeWord(*version))));
  }

  std::string type_name;
  TESSERA_RETURN_IF_ERROR(ReadText(doc, "type", true, origin, &type_name));
  std::optional<ListType> type = ListTypeFromName(type_name);
  if (!type) {
    return core::MakeError(ErrorCode::kUnsupported,
                           "/type: unknown list type \"" + type_name.substr(0, 64) +
                               "\" (expected cidr, hostname, string, substring or regex)",
                           std::string(origin));
  }
  spec.type = *type;

  const Json* list = doc.Find("list");
  if (list == nullptr) return Invalid(origin, "not a MISP warninglist: member \"list\" is missing");
  TESSERA_RETURN_IF_ERROR(ReadStrings(*list, "list", origin, &spec.entries));
  if (const Json* attrs = doc.Find("matching_attributes")) {
    TESSERA_RETURN_IF_ERROR(
        ReadStrings(*attrs, "matching_attributes", origin, &spec.matching_attributes));
  }
  return spec;
}

}  // namespace tessera::warninglists
