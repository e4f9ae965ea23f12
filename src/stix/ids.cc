#include "stix/ids.h"

#include <array>
#include <string_view>

#include "stix/spec.h"

namespace tessera::stix {
namespace {

// §2.9: when `hashes` contributes, one hash goes in, by this preference; the
// OASIS reference implementation otherwise takes the first key present.
constexpr std::array<std::string_view, 4> kHashPreference = {"MD5", "SHA-1", "SHA-256", "SHA-512"};

core::Json ChooseOneHash(const core::Json& hashes) {
  const core::Json::Object& members = hashes.as_object();
  for (std::string_view name : kHashPreference) {
    if (const core::Json* value = hashes.Find(name)) {
      return core::Json::MakeObject({{std::string(name), *value}});
    }
  }
  return core::Json::MakeObject({members.front()});
}

struct Contribution {
  std::string type;
  const TypeSpec* spec = nullptr;  // nullptr for custom types
  core::Json name;                 // object of contributing properties; empty when none
};

core::Result<Contribution> Collect(const core::Json& sco) {
  if (!sco.is_object()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "an SCO must be a JSON object");
  }
  const core::Json* type = sco.Find("type");
  if (type == nullptr || !type->is_string()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "the SCO has no string 'type'",
                           "/type");
  }
  Contribution c;
  c.type = type->as_string();
  c.spec = FindType(c.type);
  if (c.spec != nullptr && c.spec->category != Category::kSco) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "'" + c.type + "' is a " + CategoryName(c.spec->category) +
                               ", not a cyber-observable; only SCOs have deterministic ids",
                           "/type");
  }
  c.name = core::Json::MakeObject();
  if (c.spec == nullptr) return c;
  for (std::string_view prop : c.spec->id_contributing) {
    const core::Json* value = sco.Find(prop);
    if (value == nullptr) continue;
    if (prop == "hashes") {
      if (!value->is_object() || value->as_object().empty()) continue;
      c.name.Set(prop, ChooseOneHash(*value));
    } else {
      c.name.Set(prop, *value);
    }
  }
  return c;
}

}  // namespace

core::Uuid ScoNamespace() {
  static const core::Uuid kNamespace = *core::ParseUuid("00abedb4-aa42-466c-9c01-fed23315a9b7");
  return kNamespace;
}

core::Result<std::string> ScoIdName(const core::Json& sco) {
  auto c = Collect(sco);
  if (!c.ok()) return c.error();
  if (c->name.as_object().empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "no ID-contributing property present; the id is random (UUIDv4)");
  }
  return core::CanonicalJson(c->name);
}

core::Result<ScoId> ComputeScoId(const core::Json& sco) {
  auto c = Collect(sco);
  if (!c.ok()) return c.error();
  if (c->name.as_object().empty()) {
    return ScoId{c->type + "--" + core::UuidV4().ToString(), false};
  }
  std::string name = core::CanonicalJson(c->name);
  return ScoId{c->type + "--" + core::UuidV5(ScoNamespace(), name).ToString(), true};
}

}  // namespace tessera::stix
