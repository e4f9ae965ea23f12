// Deterministic generator of realistic MISP events lists for benchmarks: the same
// (size, seed) always gives the same bytes. Events look like a MISP instance's
// API export ({"response": [{"Event": ...}, ...]}, one compact event per line):
// every attribute field MISP writes, a mix of attribute types (addresses,
// domains, URLs, hashes, file names with hashes, e-mail, registry, text), about
// 60% for detection, file and domain-ip objects with references, TLP and other
// tags, a threat-actor galaxy, and sightings. Not part of the product.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace tessera::bench {

struct MispGenOptions {
  size_t target_bytes = size_t{16} << 20;  // stop after the first event past this size
  uint64_t seed = 1;
  size_t attributes_per_event = 400;  // on average (varies from half to 1.5x)
};

struct MispGenStats {
  uint64_t bytes = 0;
  uint64_t events = 0;
  uint64_t attributes = 0;  // including those inside objects
};

// Writes the list piece by piece to `write` (so any size streams to a file).
MispGenStats GenerateMispEvents(const MispGenOptions& options,
                                const std::function<void(std::string_view)>& write);

// The same, in memory.
std::string GenerateMispEventsString(const MispGenOptions& options, MispGenStats* stats = nullptr);

}  // namespace tessera::bench
