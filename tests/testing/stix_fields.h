// Test helpers for the properties of the objects readers emit: a string
// property, and the source fields a reader kept (formats/stix_build.h's
// source-fields extension). Header-only; stateless.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "formats/stix_build.h"

namespace tessera::testing {

// The string value of `key`, "" when it is absent or not a string.
inline std::string StringField(const core::Json& object, std::string_view key) {
  const core::Json* v = object.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

// The "fields" of the object's source-fields extension, nullptr when it has none.
inline const core::Json* SourceFields(const core::Json& object) {
  const core::Json* ext = object.Find("extensions");
  if (ext == nullptr) return nullptr;
  const core::Json* kept = ext->Find(formats::kSourceFieldsExtensionId);
  return kept == nullptr ? nullptr : kept->Find("fields");
}

// One source field, nullptr when the object has no such field.
inline const core::Json* SourceField(const core::Json& object, std::string_view key) {
  const core::Json* fields = SourceFields(object);
  return fields == nullptr ? nullptr : fields->Find(key);
}

}  // namespace tessera::testing
