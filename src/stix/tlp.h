// The TLP marking definitions STIX content uses: the STIX 2.1 predefined TLP 1.0
// markings (§7.2.1.4) and the OASIS TLP 2.0 marking extension, plus ids other
// platforms use for the same levels. Matching is always by id, never by name.
// Constant tables; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "core/json.h"

namespace tessera::stix {

// TLP 2.0 levels, least to most restrictive. TLP 1.0 WHITE is CLEAR.
enum class TlpLevel { kClear, kGreen, kAmber, kAmberStrict, kRed };

// "TLP:CLEAR", "TLP:AMBER+STRICT", ...
std::string_view TlpName(TlpLevel level);
// The OASIS TLP 2.0 marking-definition id for a level.
std::string_view Tlp2MarkingId(TlpLevel level);
// The STIX 2.1 predefined TLP 1.0 id (AMBER+STRICT has none: nullopt).
std::optional<std::string_view> Tlp1MarkingId(TlpLevel level);

// The level a marking-definition id stands for: TLP 1.0, TLP 2.0 or a known
// alternative id (OpenCTI's AMBER+STRICT). nullopt for any other id.
std::optional<TlpLevel> TlpLevelFromMarkingId(std::string_view id);

// The TLP 2.0 extension-definition id and property name (`tlp_2_0`).
inline constexpr std::string_view kTlp2ExtensionId =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

// Lower-case TLP 1.0 `definition.tlp` values ("white", "green", "amber", "red").
std::optional<TlpLevel> TlpLevelFromTlp1Value(std::string_view value);
// TLP 2.0 `tlp_2_0` values ("clear", "green", "amber", "amber+strict", "red").
std::optional<TlpLevel> TlpLevelFromTlp2Value(std::string_view value);

// A TLP tag as MISP, OpenCTI and people write it: "tlp:amber+strict",
// "TLP:RED", "tlp:white" (1.0 WHITE is CLEAR), "TLP: Green", "tlp:amber-strict".
// Case and spaces around the colon do not matter; anything else is nullopt.
std::optional<TlpLevel> TlpLevelFromTag(std::string_view tag);

// The OASIS TLP 2.0 marking-definition object for a level (to ship in bundles
// whose objects reference it).
core::Json Tlp2MarkingDefinition(TlpLevel level);

}  // namespace tessera::stix
