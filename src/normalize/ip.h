// Canonical IP addresses and networks. IPv4 as a dotted quad; IPv6 in the RFC 5952
// text form; networks with host bits cleared (and said so), /32 and /128 as plain
// addresses. docs/NORMALIZATION.md states what happens to leading zeros, octal,
// hex and integer IPv4 forms. Stateless functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

// "198.51.100.7" -> kIpv4. Never silently misreads: forms inet_aton would read
// differently from a person (hex, octal-looking, fewer than four parts, one
// integer) are refused with a reason naming the reading they would get.
core::Result<Observable> CanonicalIpv4(std::string_view text);

// RFC 4291 text forms -> RFC 5952 (lower case, longest zero run compressed, no
// leading zeros); IPv4-mapped and embedded forms written with the dotted tail
// (::ffff:192.0.2.1, field "embedded_ipv4"). Brackets ([2001:db8::1]) are removed
// with a note; a zone id (fe80::1%eth0) is refused with a reason.
core::Result<Observable> CanonicalIpv6(std::string_view text);

// "198.51.100.7/24" or "2001:db8::1/32" -> kIpv4Network / kIpv6Network with host
// bits cleared (a note says when they were set); /32 and /128 -> kIpv4 / kIpv6.
// Network fields: {"prefix_length","24"}, {"first",...}, {"last",...}.
core::Result<Observable> CanonicalCidr(std::string_view text);

// Numeric forms for range queries (store, warninglists), most significant byte
// first. Precondition: the text is a canonical address (as returned above, no
// prefix length); other text yields 0 / all zeros.
uint32_t Ipv4ToUint(std::string_view canonical_ipv4);
std::array<uint8_t, 16> Ipv6ToBytes(std::string_view canonical_ipv6);

namespace detail {
// CanonicalIpv4 and CanonicalIpv6 into `*out` (reusing its storage; see
// ObservableWriter). On refusal they return false with the bare reason (NotA's
// message without its prefix) in `*reason`, and `*out` holds nothing useful.
bool CanonicalizeIpv4(std::string_view text, Observable* out, std::string* reason);
bool CanonicalizeIpv6(std::string_view text, Observable* out, std::string* reason);
}  // namespace detail

}  // namespace tessera::normalize
