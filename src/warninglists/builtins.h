// Tessera's own warninglists, embedded in the binary: reserved IPv4/IPv6 ranges,
// documentation and special-use domains, public DNS resolvers, empty-file
// hashes, a small top-sites list and Cloudflare's published ranges. Each entry
// carries a note naming its source (an RFC, the operator's documentation);
// docs/WARNINGLISTS.md lists them. Immutable data; thread-safe.
#pragma once

#include <vector>

#include "warninglists/misp_format.h"

namespace tessera::warninglists {

// The built-in lists, in a fixed order, ids "reserved-ipv4", "reserved-ipv6",
// "documentation-domains", "public-dns-resolvers", "empty-file-hashes",
// "top-sites", "cloud-ranges". Built on first call.
const std::vector<ListSpec>& BuiltinLists();

}  // namespace tessera::warninglists
