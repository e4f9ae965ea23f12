// Internal to stix/: validates one parsed object (a simdjson DOM element) against
// the model table and appends its problems. Used by bundle.cc. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stix/validate.h"

namespace simdjson::dom {
class element;
}

namespace tessera::stix::detail {

// `path` is the JSON pointer of the object in its document ("/objects/3").
void ValidateObject(const simdjson::dom::element& object, int64_t index, const std::string& path,
                    const ValidationOptions& options, std::vector<Problem>* problems);

}  // namespace tessera::stix::detail
