// Deterministic identifiers for STIX Cyber-observable Objects (STIX 2.1 §2.9):
// UUIDv5 in the STIX namespace over the RFC 8785 form of the object's
// ID-contributing properties (spec.h lists them per type). Thread-safe.
#pragma once

#include <string>

#include "core/json.h"
#include "core/result.h"
#include "core/uuid.h"

namespace tessera::stix {

// 00abedb4-aa42-466c-9c01-fed23315a9b7 (§2.9).
core::Uuid ScoNamespace();

struct ScoId {
  std::string id;             // "<type>--<uuid>"
  bool deterministic = true;  // false: no contributing property present (or `process`), UUIDv4
};

// Computes the id of an SCO given as JSON (with or without an `id`; an existing
// `id` is ignored). Errors when the input is not an object, has no string `type`,
// or the type is a STIX 2.1 SDO, SRO or meta object. Custom types have no known
// contributing properties and get a UUIDv4, like `process` (§2.9).
core::Result<ScoId> ComputeScoId(const core::Json& sco);

// The JSON text whose UUIDv5 is the id: the RFC 8785 form of the contributing
// properties (exposed for `tessera stix ids --explain` and tests).
core::Result<std::string> ScoIdName(const core::Json& sco);

}  // namespace tessera::stix
