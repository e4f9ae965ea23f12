// The OpenIOC search-term table: how a term such as "FileItem/Md5sum" or
// "processEvent/processCmdLine" maps to a STIX 2.1 object path for the pattern, and
// which kind of observable its value is (if any). Terms STIX has no property for
// map to a custom path (an `x_openioc_` property on the closest STIX object, or an
// `x-openioc-<document>` object type); docs/formats/openioc.md lists every rule.
// Constant table; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::formats::openioc {

// What the value of a term is, when it is an observable normalize/ knows.
enum class TermValue {
  kNone,      // not an observable (a process name, a registry path, a count, ...)
  kMd5,
  kSha1,
  kSha256,
  kIp,        // IPv4 or IPv6 address (or network)
  kDomain,
  kUrl,
  kEmail,
  kFileName,
};

struct TermMapping {
  std::string document;     // the term's first segment, as written ("FileItem")
  std::string object_type;  // the STIX (or custom) object type of the path
  std::string object_path;  // "file:hashes.'MD5'", "process:x_openioc_handle_list_handle_name"
  TermValue value = TermValue::kNone;
  bool custom = false;      // the path uses an x_openioc_ property or an x-openioc- type
};

// Maps a search term ("Document/Property/..."), matched case-insensitively.
// nullopt when the term is not of that form (no '/', an empty segment).
std::optional<TermMapping> MapSearchTerm(std::string_view search);

// "HandleList/Handle/Name" -> "handle_list_handle_name"; "PETimeStamp" ->
// "pe_time_stamp": lower snake case, anything but [a-z0-9] becomes '_'.
std::string SnakeCase(std::string_view path);

}  // namespace tessera::formats::openioc
