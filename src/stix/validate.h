// Validation of STIX 2.1 content against the model table (spec.h): every problem
// found, each naming the object (index and id) and the JSON pointer of the bad
// property. Errors break a MUST of the spec; warnings a SHOULD, an open vocabulary
// or a deprecated form. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::stix {

enum class Severity { kError, kWarning, kInfo };
const char* SeverityName(Severity s);

struct Problem {
  Severity severity = Severity::kError;
  int64_t object_index = -1;  // position in the bundle's `objects`; -1 for the document itself
  std::string object_id;      // the object's `id` when it has a readable one
  std::string path;           // JSON pointer into the document, e.g. "/objects/3/created"
  std::string message;

  // "error: /objects/3/created (object 3, indicator--...): <message>"
  std::string ToString() const;
};

struct ValidationOptions {
  // Check that SCO ids with a version-5 UUID equal the deterministic id (warning).
  bool check_deterministic_ids = true;
};

}  // namespace tessera::stix
