#include "stix/tlp.h"

#include <array>
#include <cctype>
#include <string>

namespace tessera::stix {
namespace {

struct TlpRow {
  TlpLevel level;
  std::string_view name;
  std::string_view tlp2_id;
  std::string_view tlp1_id;  // empty: none
  std::string_view tlp1_value;
  std::string_view tlp2_value;
};

// ../shared/REFERENCE.md: STIX 2.1 §7.2.1.4 and the OASIS TLP 2.0 extension.
constexpr std::array<TlpRow, 5> kTlp = {{
    {TlpLevel::kClear, "TLP:CLEAR", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
     "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "white", "clear"},
    {TlpLevel::kGreen, "TLP:GREEN", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
     "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green", "green"},
    {TlpLevel::kAmber, "TLP:AMBER", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
     "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber", "amber"},
    {TlpLevel::kAmberStrict, "TLP:AMBER+STRICT",
     "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "", "", "amber+strict"},
    {TlpLevel::kRed, "TLP:RED", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
     "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red", "red"},
}};

// OpenCTI writes AMBER+STRICT under its own id (REFERENCE.md, "seen in the wild").
constexpr std::string_view kOpenCtiAmberStrictId =
    "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37";

const TlpRow& Row(TlpLevel level) { return kTlp[static_cast<size_t>(level)]; }

}  // namespace

std::string_view TlpName(TlpLevel level) { return Row(level).name; }
std::string_view Tlp2MarkingId(TlpLevel level) { return Row(level).tlp2_id; }

std::optional<std::string_view> Tlp1MarkingId(TlpLevel level) {
  if (Row(level).tlp1_id.empty()) return std::nullopt;
  return Row(level).tlp1_id;
}

std::optional<TlpLevel> TlpLevelFromMarkingId(std::string_view id) {
  for (const TlpRow& row : kTlp) {
    if (id == row.tlp2_id || id == row.tlp1_id) return row.level;
  }
  if (id == kOpenCtiAmberStrictId) return TlpLevel::kAmberStrict;
  return std::nullopt;
}

std::optional<TlpLevel> TlpLevelFromTlp1Value(std::string_view value) {
  for (const TlpRow& row : kTlp) {
    if (!row.tlp1_value.empty() && value == row.tlp1_value) return row.level;
  }
  return std::nullopt;
}

std::optional<TlpLevel> TlpLevelFromTlp2Value(std::string_view value) {
  for (const TlpRow& row : kTlp) {
    if (value == row.tlp2_value) return row.level;
  }
  return std::nullopt;
}

std::optional<TlpLevel> TlpLevelFromTag(std::string_view tag) {
  std::string folded;
  for (char c : tag) {
    if (c == ' ' || c == '\t') continue;
    folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (folded.rfind("tlp:", 0) != 0) return std::nullopt;
  std::string_view level = std::string_view(folded).substr(4);
  if (level == "amber-strict" || level == "amber_strict") return TlpLevel::kAmberStrict;
  if (auto v2 = TlpLevelFromTlp2Value(level)) return v2;
  return TlpLevelFromTlp1Value(level);
}

core::Json Tlp2MarkingDefinition(TlpLevel level) {
  using core::Json;
  const TlpRow& row = Row(level);
  Json tlp = Json::MakeObject();
  tlp.Set("extension_type", Json::String("property-extension"));
  tlp.Set("tlp_2_0", Json::String(std::string(row.tlp2_value)));
  Json extensions = Json::MakeObject();
  extensions.Set(kTlp2ExtensionId, std::move(tlp));
  Json def = Json::MakeObject();
  def.Set("type", Json::String("marking-definition"));
  def.Set("spec_version", Json::String("2.1"));
  def.Set("id", Json::String(std::string(row.tlp2_id)));
  def.Set("created", Json::String("2022-10-01T00:00:00.000Z"));
  def.Set("name", Json::String(std::string(row.name)));
  def.Set("extensions", std::move(extensions));
  return def;
}

}  // namespace tessera::stix
