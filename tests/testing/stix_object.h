// Test helper: a stix::StixObject from its JSON text, with the fields the store
// reads (type, id, created, modified, object_marking_refs) filled in.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/json.h"
#include "stix/bundle.h"

namespace tessera::testing {

inline stix::StixObject StixObjectFromJson(std::string_view json_text) {
  auto json = core::ParseJson(json_text);
  EXPECT_TRUE(json.ok()) << json_text;
  stix::StixObject o;
  if (!json.ok()) return o;
  auto str = [&](std::string_view key) {
    const core::Json* v = json->Find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  o.type = str("type");
  o.id = str("id");
  o.created = str("created");
  o.modified = str("modified");
  if (const core::Json* refs = json->Find("object_marking_refs"); refs && refs->is_array()) {
    for (const core::Json& r : refs->as_array()) o.object_marking_refs.push_back(r.as_string());
  }
  o.json = core::WriteJson(*json);
  return o;
}

}  // namespace tessera::testing
