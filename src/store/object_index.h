// What the store indexes about an object, derived from its JSON alone: the
// observable values it carries (canonical value, reversed domain labels, IP
// ranges), its names and aliases, labels, the key that identifies it with
// objects of other ids (indicator pattern, SDO name, relationship ends), and
// the references a relationship or sighting makes. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "stix/bundle.h"

namespace tessera::store {

// One observable value an object carries.
struct ObservableKey {
  std::string kind;   // the SCO type, or "file:SHA-256" style for hashes
  std::string value;  // the canonical value as written in the object
  std::string reversed_domain;  // "com.example.www." for domains, URL and e-mail hosts
  std::string ip_low;   // 16 bytes big-endian (IPv4 as ::ffff:a.b.c.d); empty if not an IP
  std::string ip_high;  // the range's last address
};

struct ObjectIndex {
  std::vector<ObservableKey> observables;
  std::vector<std::string> names;   // name and aliases, as written
  std::vector<std::string> labels;
  // Keys under which the object is identified with objects of other ids:
  // "indicator|stix|<normalized pattern>", "malware|<normalized name>", ...
  // Relationship keys use the refs as given; the store resolves merged refs.
  std::vector<std::string> identity_keys;
  std::string source_ref, target_ref, relationship_type;  // relationships
  std::vector<std::string> sighting_refs;  // sighting_of_ref, observed_data_refs, where_sighted_refs
  bool revoked = false;
  std::string valid_until;  // as written; empty when the object has none
};

// Reads the index of a valid STIX object. Errors only when the JSON is not an
// object.
core::Result<ObjectIndex> IndexObject(const stix::StixObject& object);

// "www.Example.com." -> "com.example.www." (lower-cased, labels reversed, a dot
// after every label so that a prefix is a whole-label match).
std::string ReverseDomain(std::string_view domain);

// An address or CIDR (canonical text) as a 16-byte range [low, high]; nullopt
// when it is neither.
struct IpRange {
  std::string low, high;
};
std::optional<IpRange> ParseIpRange(std::string_view text);

// The pattern with whitespace outside quoted strings removed, except one space
// between two word characters ("a:b IN (", "] OR ["): equal patterns written
// with different spacing compare equal.
std::string NormalizePattern(std::string_view pattern);

// Lower-cased ASCII letters and digits only, other ASCII dropped, non-ASCII
// bytes kept: "APT 28", "apt-28" and "APT28" are one name.
std::string NormalizeName(std::string_view name);

// The SDO types deduplicated by name and aliases.
bool IsNamedType(std::string_view type);

}  // namespace tessera::store
