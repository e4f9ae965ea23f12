// A deterministic generator of URLhaus-like CSV dumps (the layout of
// https://urlhaus.abuse.ch/downloads/csv/: id, dateadded, url, url_status, threat,
// tags, urlhaus_link, reporter) for the feed reader benchmarks. Stateless
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::bench {

// Appends the dump's comment banner and header line.
void AppendUrlhausBanner(std::string* out);

// Appends rows until *out holds at least `bytes` bytes; returns the rows added.
// The same seed gives the same rows.
uint64_t AppendUrlhausRows(std::string* out, uint64_t bytes, uint64_t seed);

}  // namespace tessera::bench
