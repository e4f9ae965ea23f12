#include "governance/tlp.h"

#include <array>
#include <cctype>

#include "core/json.h"
#include "stix/tlp.h"

namespace tessera::governance {
namespace {

constexpr std::array<std::string_view, 5> kTlpNames = {"clear", "green", "amber",
                                                       "amber+strict", "red"};

// The two enums list the same levels in the same order.
static_assert(static_cast<int>(stix::TlpLevel::kClear) == static_cast<int>(Tlp::kClear));
static_assert(static_cast<int>(stix::TlpLevel::kAmberStrict) ==
              static_cast<int>(Tlp::kAmberStrict));
static_assert(static_cast<int>(stix::TlpLevel::kRed) == static_cast<int>(Tlp::kRed));

stix::TlpLevel ToStix(Tlp tlp) { return static_cast<stix::TlpLevel>(tlp); }
Tlp FromStix(stix::TlpLevel level) { return static_cast<Tlp>(level); }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "SCHEME: level", "scheme:level" or "level" -> "level" (lower case); nullopt when
// a prefix is present but is not `scheme`, or the level is empty.
std::optional<std::string> LevelText(std::string_view text, std::string_view scheme) {
  std::string folded = Lower(Trim(text));
  std::string_view level = folded;
  if (size_t colon = level.find(':'); colon != std::string_view::npos) {
    if (Trim(level.substr(0, colon)) != scheme) return std::nullopt;
    level = Trim(level.substr(colon + 1));
  }
  if (level.empty()) return std::nullopt;
  for (char c : level) {
    if (std::isspace(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return std::string(level);
}

std::string UpperLabel(std::string_view scheme, std::string_view name) {
  std::string out(scheme);
  out.append(":");
  for (char c : name) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// TLP 1.0 has no AMBER+STRICT and calls CLEAR WHITE (see TlpMarkingId).
Tlp Tlp1Level(Tlp tlp) { return tlp == Tlp::kAmberStrict ? Tlp::kAmber : tlp; }

std::string_view Tlp1Value(Tlp tlp) {
  constexpr std::array<std::string_view, 5> kValues = {"white", "green", "amber", "amber",
                                                       "red"};
  return kValues[static_cast<size_t>(tlp)];
}

// STIX 2.1 §7.2.1.4: the predefined TLP 1.0 marking definitions.
core::Json Tlp1MarkingDefinition(Tlp tlp) {
  using core::Json;
  Tlp level = Tlp1Level(tlp);
  std::string_view value = Tlp1Value(level);
  Json definition = Json::MakeObject();
  definition.Set("tlp", Json::String(std::string(value)));
  Json def = Json::MakeObject();
  def.Set("type", Json::String("marking-definition"));
  def.Set("spec_version", Json::String("2.1"));
  def.Set("id", Json::String(std::string(TlpMarkingId(level, TlpVersion::k1))));
  def.Set("created", Json::String("2017-01-20T00:00:00.000Z"));
  def.Set("definition_type", Json::String("tlp"));
  def.Set("name", Json::String(UpperLabel("TLP", value)));
  def.Set("definition", std::move(definition));
  return def;
}

struct PapRow {
  Pap level;
  std::string_view name;
  std::string_view id;
};

// ../shared/REFERENCE.md "PAP": the OASIS PAP extension's marking definitions.
constexpr std::array<PapRow, 4> kPap = {{
    {Pap::kClear, "clear", "marking-definition--a3bea94c-b469-41dc-9cfe-d6e7daba7730"},
    {Pap::kGreen, "green", "marking-definition--c43594d1-4b11-4c59-93ab-1c9b14d53ce9"},
    {Pap::kAmber, "amber", "marking-definition--60f8932b-e51e-4458-b265-a2e8be9a80ab"},
    {Pap::kRed, "red", "marking-definition--740d36e5-7714-4c30-961a-3ae632ceee0e"},
}};

}  // namespace

std::string_view TlpName(Tlp tlp) { return kTlpNames[static_cast<size_t>(tlp)]; }

std::string TlpLabel(Tlp tlp) { return UpperLabel("TLP", TlpName(tlp)); }

std::optional<Tlp> ParseTlp(std::string_view text) {
  std::optional<std::string> level = LevelText(text, "tlp");
  if (!level) return std::nullopt;
  std::string tag = "tlp:";
  tag.append(*level);
  // stix::TlpLevelFromTag knows the 2.0 names, 1.0 "white" and the
  // "amber-strict" spellings; LevelText already checked the prefix.
  if (auto stix_level = stix::TlpLevelFromTag(tag)) return FromStix(*stix_level);
  return std::nullopt;
}

std::optional<Tlp> TlpFromTag(std::string_view tag) {
  std::string folded = Lower(Trim(tag));
  if (folded.rfind("tlp", 0) != 0 || Trim(std::string_view(folded).substr(3)).rfind(':', 0) != 0) {
    return std::nullopt;
  }
  return ParseTlp(tag);
}

std::optional<Tlp> TlpFromMarkingId(std::string_view id) {
  if (auto level = stix::TlpLevelFromMarkingId(id)) return FromStix(*level);
  return std::nullopt;
}

Tlp MostRestrictive(Tlp a, Tlp b) { return a < b ? b : a; }

std::string_view TlpMarkingId(Tlp tlp, TlpVersion version) {
  if (version == TlpVersion::k2) return stix::Tlp2MarkingId(ToStix(tlp));
  // Every level but AMBER+STRICT has a 1.0 id, and Tlp1Level maps that one away.
  return *stix::Tlp1MarkingId(ToStix(Tlp1Level(tlp)));
}

std::string TlpMarkingDefinitionJson(Tlp tlp, TlpVersion version) {
  if (version == TlpVersion::k2) return core::WriteJson(stix::Tlp2MarkingDefinition(ToStix(tlp)));
  return core::WriteJson(Tlp1MarkingDefinition(tlp));
}

std::string_view PapName(Pap pap) { return kPap[static_cast<size_t>(pap)].name; }

std::string PapLabel(Pap pap) { return UpperLabel("PAP", PapName(pap)); }

std::optional<Pap> ParsePap(std::string_view text) {
  std::optional<std::string> level = LevelText(text, "pap");
  if (!level) return std::nullopt;
  if (*level == "white") return Pap::kClear;
  for (const PapRow& row : kPap) {
    if (*level == row.name) return row.level;
  }
  return std::nullopt;
}

std::optional<Pap> PapFromMarkingId(std::string_view id) {
  for (const PapRow& row : kPap) {
    if (id == row.id) return row.level;
  }
  return std::nullopt;
}

}  // namespace tessera::governance
