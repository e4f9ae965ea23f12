// MISP objects to STIX 2.1: the attributes of one MISP object (file, domain-ip,
// ip-port, url, network-connection, email, pe-section, ... or any other template)
// become the SCOs of one observation and the comparisons of one STIX pattern
// joined with AND. Internal to the MISP readers; stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "formats/misp/attribute_types.h"
#include "normalize/classify.h"

namespace tessera::formats::misp {

struct ObjectAttribute {
  std::string_view relation;  // object_relation ("filename", "ip", "dst-port", ...)
  std::string_view type;      // MISP attribute type
  std::string value;          // as written
  std::string_view data;      // base64 data (attachment, malware-sample), or empty
};

// What each attribute became.
enum class AttributeUse {
  kUnused,   // no STIX property: kept in the source fields
  kMapped,   // its canonical value is in the SCOs or the pattern
  kChanged,  // mapped, but the canonical form differs from the written value
  kInvalid,  // not a valid value of its type (see `problems`)
};

struct MappedObject {
  std::vector<Sco> scos;                 // referenced SCOs before their referrers
  std::vector<std::string> comparisons;  // joined with AND in one observation
  std::vector<AttributeUse> uses;        // one per attribute, in input order
  std::vector<std::string> problems;     // one per kInvalid attribute: "relation (type): reason"
  std::vector<std::string> notes;        // what normalization changed
};

// Maps the attributes of an object of template `name`. Never fails: values that
// do not fit are kInvalid with a reason, values without a STIX home kUnused.
MappedObject MapObjectAttributes(std::string_view name,
                                 const std::vector<ObjectAttribute>& attributes,
                                 const normalize::NormalizeOptions& options);

}  // namespace tessera::formats::misp
