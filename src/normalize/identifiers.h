// Canonical hashes, autonomous systems, CVE ids and MAC addresses: small token
// formats with one right spelling each. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

// Detects MD5 / SHA-1 / SHA-256 / SHA-512 (by hex length), SSDEEP
// ("blocksize:hash:hash") and TLSH ("T1" + 70 hex, or the 70-hex legacy form);
// hex is lower-cased (TLSH keeps its "T1" prefix upper case; a legacy 70-hex TLSH
// gets the prefix, with a note). SSDEEP keeps its case: its chunks are base64.
// All-zero digests and digests of empty input are accepted with a note.
core::Result<Observable> CanonicalHash(std::string_view text);
// The same, but only accepts `kind` (one of the hash kinds); a valid hash of
// another kind is refused naming what it is. A non-hash `kind` is kInvalidArgument.
core::Result<Observable> CanonicalHashAs(Kind kind, std::string_view text);

// "AS64500", "as64500", "ASN 64500", "AS 64500", "64500" (with allow_bare) ->
// "AS64500"; asdot "AS1.10" -> "AS65546" (RFC 5396); 0 < n < 2^32 (AS0 is refused:
// RFC 7607, it never identifies a network); fields: {"number","64500"}. AS_TRANS,
// documentation, private-use and reserved numbers are accepted with a note.
core::Result<Observable> CanonicalAsn(std::string_view text, bool allow_bare = false);

// "CVE-YYYY-NNNN" with a 4-19 digit sequence number (no leading zero beyond 4
// digits), case-insensitive ("cve-2021-44228") -> upper case; year 1999..2100;
// '-' only (an en dash or '_' is refused with a reason). Fields: "year".
core::Result<Observable> CanonicalCve(std::string_view text);

// 48-bit MAC in colon, hyphen, dot (Cisco aaaa.bbbb.cccc) or bare hex form ->
// lower-case colon form "00:1a:2b:3c:4d:5e" (STIX 2.1 §6.10). Colon groups of one
// digit (BSD "0:1a:2b:3c:4d:5e") are padded with a note; 64-bit EUI-64 is refused;
// broadcast and all-zero addresses are accepted with a note.
core::Result<Observable> CanonicalMac(std::string_view text);

namespace detail {
// CanonicalHashAs (for a hash `kind`), CanonicalAsn, CanonicalCve and CanonicalMac
// into `*out` (reusing its storage; see ObservableWriter). On refusal they return
// false with the bare reason (NotA's message without its prefix) in `*reason`,
// and `*out` holds nothing useful.
bool CanonicalizeHashAs(Kind kind, std::string_view text, Observable* out, std::string* reason);
bool CanonicalizeAsn(std::string_view text, bool allow_bare, Observable* out, std::string* reason);
bool CanonicalizeCve(std::string_view text, Observable* out, std::string* reason);
bool CanonicalizeMac(std::string_view text, Observable* out, std::string* reason);

// Shared by the token parsers of this module (ip.cc, hashes.cc, asn.cc, ...).
// `text` quoted for an error message: at most 48 bytes, control and non-ASCII
// bytes as \xNN, so messages stay printable ASCII whatever the input.
std::string QuoteForMessage(std::string_view text);
}  // namespace detail

}  // namespace tessera::normalize
