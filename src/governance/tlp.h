// TLP 2.0 levels (FIRST) and PAP levels as governance reasons about them: names,
// labels, parsing of the tags people and platforms write, the marking-definition
// ids that stand for each level, and the marking-definition objects to ship.
// The id tables live in stix/tlp.h; this is the policy-facing view. Constant
// data and pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::governance {

// Ordered by restriction: a larger value may be seen by fewer readers.
enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

// "clear", "green", "amber", "amber+strict", "red": the TLP 2.0 level names, the
// form SharingRequest::tlp, PartnerRecord::default_tlp and SharingDecision::tlp use.
std::string_view TlpName(Tlp tlp);
// "TLP:CLEAR", ..., "TLP:AMBER+STRICT": the label as TLP 2.0 writes it.
std::string TlpLabel(Tlp tlp);

// Parses a level name or a label, case-insensitively, with surrounding
// whitespace and whitespace around the colon ignored:
//   "amber+strict", "RED", "TLP:RED", "tlp:amber+strict", "TLP: GREEN" (MISP tags)
// TLP 1.0 "white" is CLEAR; "amber-strict"/"amber_strict" (seen in MISP
// taxonomies) are AMBER+STRICT. Anything else (including "" and
// "tlp:ex:chr") is nullopt.
std::optional<Tlp> ParseTlp(std::string_view text);

// Like ParseTlp, but only for tags that carry the "tlp:" prefix ("tlp:amber",
// "TLP: RED"): a bare "red" label says nothing about sharing.
std::optional<Tlp> TlpFromTag(std::string_view tag);

// The level a marking-definition id stands for: the STIX 2.1 predefined TLP 1.0
// ids (§7.2.1.4), the OASIS TLP 2.0 ids, and OpenCTI's AMBER+STRICT id. Matching
// is by id only (names and definition_type are not trusted). nullopt otherwise.
std::optional<Tlp> TlpFromMarkingId(std::string_view id);

// The more restrictive of two levels.
Tlp MostRestrictive(Tlp a, Tlp b);

enum class TlpVersion { k2, k1 };

// The marking-definition id for a level. k2: the OASIS TLP 2.0 id. k1: the STIX
// 2.1 predefined TLP 1.0 id, where CLEAR is WHITE and AMBER+STRICT is AMBER
// (1.0 has no AMBER+STRICT; 1.0 AMBER meant "the recipient's organization", which
// is what 2.0 calls AMBER+STRICT, so this keeps the 1.0 meaning).
std::string_view TlpMarkingId(Tlp tlp, TlpVersion version);

// The complete marking-definition object (compact JSON) for a level:
// k2: the OASIS TLP 2.0 object (created 2022-10-01T00:00:00.000Z, name
//     "TLP:<LEVEL>", the TLP 2.0 property extension, no definition_type);
// k1: the STIX 2.1 §7.2.1.4 object (created 2017-01-20T00:00:00.000Z,
//     definition_type "tlp", definition {"tlp": "<white|green|amber|red>"},
//     name "TLP:WHITE" ...), with the same level mapping as TlpMarkingId.
std::string TlpMarkingDefinitionJson(Tlp tlp, TlpVersion version);

// PAP levels, least to most restrictive. PAP:WHITE is CLEAR.
enum class Pap { kClear, kGreen, kAmber, kRed };

// "clear", "green", "amber", "red".
std::string_view PapName(Pap pap);
// "PAP:CLEAR", ...
std::string PapLabel(Pap pap);
// Like ParseTlp, with the "pap:" prefix: "PAP:AMBER", "pap:white", "red".
std::optional<Pap> ParsePap(std::string_view text);
// The OASIS PAP extension's marking-definition ids (WHITE is CLEAR). By id only.
std::optional<Pap> PapFromMarkingId(std::string_view id);

}  // namespace tessera::governance
