// Value rules of the IODEF reader that do not need the XML tree: restriction
// attributes to TLP levels, Address categories to observable kinds, XML-DSig
// digests to hex hashes, Windows registry hives, and the white-space rules for
// values wrapped across lines (the RFC examples wrap long URLs and keys).
// Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "normalize/observable.h"
#include "stix/tlp.h"

namespace tessera::formats::iodef {

// RFC 5070 §3.2 / RFC 7970 §3.3.1 restriction-type to TLP 2.0: public and white
// -> CLEAR, partner and green -> GREEN, need-to-know and amber -> AMBER, private
// and red -> RED; "ext-value" uses `ext_restriction` read as a TLP name ("amber+strict").
// nullopt for "default" (the sender's agreed policy: no marking) and unknown values.
std::optional<stix::TlpLevel> RestrictionLevel(std::string_view restriction,
                                               std::string_view ext_restriction = {});

// The observable kind of an Address/BulkObservable category: ipv4-addr, ipv4-net,
// ipv6-addr, ipv6-net, e-mail, mac, asn, site-uri (v2), domain-name, fqdn.
// nullopt for categories STIX has no object for (atm, ...).
std::optional<normalize::Kind> AddressKind(std::string_view category);

// A value wrapped across lines with indentation ("http://example.com/a?\n    b=1"):
// every run of white space that contains a line break is removed, other white space
// kept, and the ends trimmed.
std::string Unwrap(std::string_view text);

// Prose: trimmed, every run of white space one space.
std::string Collapse(std::string_view text);

// "HKLM\Software\..." -> "HKEY_LOCAL_MACHINE\Software\..." (STIX 2.1 §6.13: the hive
// is written out in full). Keys with a full hive or none come back unchanged.
std::string ExpandHive(std::string_view key);

// "192.0.2.0/255.255.255.0" -> "192.0.2.0/24" (ipv4-net-mask); nullopt when the
// mask is not contiguous or the text is not address/mask.
std::optional<std::string> Ipv4NetMaskToCidr(std::string_view text);

struct Digest {
  normalize::Kind kind = normalize::Kind::kMd5;  // kMd5, kSha1, kSha256 or kSha512
  std::string hex;                               // lower-case hex
  std::string note;  // how the value was read when it was not plain base64
};

// An XML-DSig DigestValue (base64, RFC 3275 §4.3.3.5) with the DigestMethod
// algorithm URI (…#md5, #sha1, #sha256, #sha512). Also reads the forms found in
// practice: plain hex, and base64 of the text "0x<HEX>" (the RFC 8274 examples).
// An unknown algorithm leaves the digest length to decide; nullopt when the length
// fits no digest (or not the algorithm named).
std::optional<Digest> DecodeDigest(std::string_view algorithm, std::string_view value);

}  // namespace tessera::formats::iodef
