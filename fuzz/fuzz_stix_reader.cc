// libFuzzer target for the STIX reader: ReadStix with validation and object
// extraction; on a readable document also WriteBundle, the JSON tree (ParseJson,
// CanonicalJson), the STIX 2.0 upgrade on the tree, and ComputeScoId on every
// extracted object. Checks the invariants that must hold for any input and
// aborts when one breaks.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "stix/bundle.h"
#include "stix/ids.h"
#include "stix/upgrade.h"

namespace {

using tessera::core::Json;

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace core = tessera::core;
  namespace stix = tessera::stix;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  stix::ReadOptions options;
  options.validate = true;
  options.keep_objects = true;
  auto doc = stix::ReadStix(text, options);

  // The JSON tree of the input, independent of whether it is STIX.
  auto tree = core::ParseJson(text);
  if (tree.ok()) {
    std::string canonical = core::CanonicalJson(*tree);
    Check(!canonical.empty());
    Json copy = *tree;
    std::vector<stix::Problem> notes;
    auto upgraded = stix::UpgradeToV21(&copy, &notes);
    if (upgraded.ok()) {
      // The upgraded tree is still a tree the writers handle.
      std::string written = core::WriteJson(copy);
      Check(!written.empty());
    }
  }

  if (!doc.ok()) return 0;
  // Every problem names a severity the CLI can print.
  for (const stix::Problem& p : doc->problems) Check(!p.ToString().empty());

  std::string bundle = stix::WriteBundle(*doc);
  Check(bundle.rfind("{\"type\":\"bundle\"", 0) == 0);
  for (const stix::StixObject& object : doc->objects) {
    // Each extracted object is the compact JSON of an object of the input.
    auto parsed = core::ParseJson(object.json);
    if (!parsed.ok()) continue;  // e.g. duplicate keys, which simdjson keeps
    Check(parsed->is_object());
    std::string canonical = core::CanonicalJson(*parsed);
    Check(!canonical.empty());
    auto id = stix::ComputeScoId(*parsed);
    if (id.ok()) Check(id->id.rfind(object.type + "--", 0) == 0);
  }
  if (doc->objects.size() < 64) {
    std::string pretty = stix::WriteBundle(*doc, core::JsonStyle::kPretty);
    Check(!pretty.empty());
  }
  return 0;
}
