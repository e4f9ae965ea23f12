// Deterministic generator of realistic STIX 2.1 bundles for benchmarks: the same
// (size, seed) always gives the same bytes. Used by tessera_gen_stix and by
// stix_bench for in-memory inputs. Not part of the product; no stability promise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tessera::bench {

struct GenOptions {
  size_t target_bytes = size_t{8} << 20;  // stop after the first object past this size
  uint64_t seed = 1;
  bool pretty = false;  // false: one compact object per line
};

// A bundle with identities, TLP markings, indicators with patterns, malware,
// threat actors, intrusion sets, campaigns, attack patterns, vulnerabilities,
// relationships, sightings, observed-data, reports, notes and SCOs of many types
// (with deterministic ids), descriptions of varied length, external references
// and custom x_ properties. Meant to be valid: no errors, few warnings.
std::string GenerateStixBundle(const GenOptions& options);

}  // namespace tessera::bench
