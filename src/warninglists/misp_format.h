// The MISP warninglist JSON format (misp-warninglists' lists/<name>/list.json):
// name, version, description, type, list, matching_attributes, category. This
// header parses one document into a ListSpec; warninglist.h compiles specs.
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tessera::warninglists {

// How a list's entries match (MISP "type").
enum class ListType {
  kCidr,       // IPv4/IPv6 networks and addresses: the value is inside one
  kHostname,   // domain names: the value is the name or a subdomain of it
  kString,     // exact value (ASCII case-insensitive)
  kSubstring,  // the value contains the entry (ASCII case-insensitive)
  kRegex,      // the value matches the regular expression (searched, not anchored)
};

std::string_view ListTypeName(ListType type);  // "cidr", "hostname", ...
std::optional<ListType> ListTypeFromName(std::string_view name);

// One list, as read. `notes` is empty or parallel to `entries`: a per-entry
// explanation ("RFC 1918 private address space"); MISP files have none.
struct ListSpec {
  std::string id;
  std::string name;
  std::string description;
  int64_t version = 0;
  ListType type = ListType::kString;
  std::vector<std::string> matching_attributes;
  std::string category;
  std::vector<std::string> entries;
  std::vector<std::string> notes;
  std::string origin;
  bool builtin = false;
};

inline constexpr size_t kMaxListJsonBytes = size_t{64} << 20;  // one list file
inline constexpr size_t kMaxListEntries = 2'000'000;           // one list
inline constexpr size_t kMaxTextFieldBytes = 64 * 1024;        // name, description, ...

// Parses one MISP warninglist document. Requires name, description, version (an
// integer), type and list (an array of strings); matching_attributes (array of
// strings) and category (string) are optional; other members are ignored.
// Errors have `origin` as location and say what is wrong and where, as a JSON
// pointer: kParse (not JSON), kValidation (a member missing or of the wrong
// type), kUnsupported (a type other than the five), kLimit (over the limits above).
core::Result<ListSpec> ParseMispWarninglist(std::string_view json, std::string_view origin);

}  // namespace tessera::warninglists
