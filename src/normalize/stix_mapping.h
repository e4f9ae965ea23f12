// From canonical observables to STIX 2.1: the SCO (with its deterministic id) or,
// for kinds STIX has no object for, the custom SCO types Tessera defines with
// extension-definitions (docs/NORMALIZATION.md lists them and their
// ID-contributing properties). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/uuid.h"
#include "normalize/observable.h"

namespace tessera::normalize {

// Tessera's own identity (created_by_ref of the definitions it ships).
inline constexpr std::string_view kTesseraIdentityId =
    "identity--7e0a3c52-8d1b-4f6e-9a27-4c5b1d0e8f93";

// Tessera's namespace for deterministic ids of objects STIX gives no rule for:
// UUIDv5 of the STIX SCO namespace and "tessera".
const core::Uuid& TesseraNamespace();

// The SCO for an observable, with "spec_version" and its deterministic "id".
// CVE ids map to a `vulnerability` SDO (name + external reference) with an id
// derived deterministically from the CVE name (so all partners agree on it).
core::Json ToStixObject(const Observable& observable);

// The STIX type an observable of `kind` becomes (a view of static storage).
std::string_view StixTypeFor(Kind kind);

// The two parts of an id: the STIX type (a view of static storage) and the UUID.
struct StixIdParts {
  std::string_view type;
  core::Uuid uuid;
};
StixIdParts StixIdOf(const Observable& observable);

// The id ToStixObject would give, computed without building the object (the hot
// path of `tessera normalize --to jsonl`); always equal to ToStixObject(o)["id"].
std::string StixId(const Observable& observable);

// A STIX pattern matching the observable, e.g. "[domain-name:value = 'example.com']",
// or empty for a kind patterns do not match (CVE).
std::string ToStixPattern(const Observable& observable);
// The comparison inside those brackets, appended to *out (nothing for CVE).
void AppendStixComparison(std::string* out, const Observable& observable);

// A STIX pattern string literal: `value` in single quotes, with \ and '
// escaped (STIX 2.1 §9.3).
std::string QuotePatternLiteral(std::string_view value);
// The same, appended to *out.
void AppendPatternLiteral(std::string* out, std::string_view value);

// Tessera's identity and the extension-definition objects for its custom SCO
// types (created by that identity), to ship in bundles that use them.
std::vector<core::Json> TesseraExtensionDefinitions();

}  // namespace tessera::normalize
