#include "formats/rules/rule_common.h"

#include <cctype>
#include <utility>

#include "core/time.h"
#include "formats/stix_build.h"
#include "formats/strings.h"

namespace tessera::formats::rules {
namespace {

using core::Json;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::string> FromParts(std::string_view y, std::string_view m, std::string_view d) {
  if (y.size() != 4 || m.empty() || m.size() > 2 || d.empty() || d.size() > 2) return std::nullopt;
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return std::nullopt;
  std::string text(y);
  text += '-';
  if (m.size() == 1) text += '0';
  text += m;
  text += '-';
  if (d.size() == 1) text += '0';
  text += d;
  text += "T00:00:00.000Z";
  if (!core::ParseStixTimestamp(text).ok()) return std::nullopt;
  return text;
}

// Sigma tactic tags and STIX phase names for the ATT&CK tactics (enterprise,
// mobile and ICS matrices).
constexpr std::string_view kTactics[] = {
    "reconnaissance",        "resource-development",     "initial-access",
    "execution",             "persistence",              "privilege-escalation",
    "defense-evasion",       "stealth",                  "defense-impairment",
    "credential-access",     "discovery",                "lateral-movement",
    "collection",            "command-and-control",      "exfiltration",
    "impact",                "evasion",                  "inhibit-response-function",
    "impair-process-control", "network-effects",         "remote-service-effects",
};

// Appends `value` to the array property `key` (made when absent) unless an
// equal value is there.
void AddToArray(Json* object, std::string_view key, Json value) {
  Json* list = object->Find(key);
  if (list == nullptr || !list->is_array()) {
    object->Set(key, Json::MakeArray());
    list = object->Find(key);
  }
  for (const Json& existing : list->as_array()) {
    if (existing == value) return;
  }
  list->as_array().push_back(std::move(value));
}

}  // namespace

std::optional<std::string> RuleDate(std::string_view text) {
  text = Trim(text);
  if (text.size() > 10 && (text[10] == 'T' || text[10] == 't' || text[10] == ' ')) {
    auto ts = core::ParseRfc3339(text);
    if (ts.ok()) {
      core::Timestamp t = *ts;
      if (t.frac_digits < 3) t.frac_digits = 3;
      return core::FormatTimestamp(t);
    }
    // "2021-05-12 10:00": keep the date.
    text = text.substr(0, 10);
  }
  for (char sep : {'-', '/', '_', '.'}) {
    size_t a = text.find(sep);
    if (a == std::string_view::npos) continue;
    size_t b = text.find(sep, a + 1);
    std::string_view first = text.substr(0, a);
    if (b == std::string_view::npos) {
      // "2021-05": the first of the month.
      if (first.size() == 4) return FromParts(first, text.substr(a + 1), "1");
      return std::nullopt;
    }
    std::string_view second = text.substr(a + 1, b - a - 1);
    std::string_view third = text.substr(b + 1);
    if (first.size() == 4) return FromParts(first, second, third);
    if (third.size() == 4) return FromParts(third, second, first);  // 12.05.2021
    return std::nullopt;
  }
  if (text.size() == 8 && AllDigits(text)) {
    return FromParts(text.substr(0, 4), text.substr(4, 2), text.substr(6, 2));
  }
  return std::nullopt;
}

Json AuthorIdentity(std::string_view name, std::string_view timestamp) {
  std::string key = "rule-author|";
  key += name;
  Json identity = NewObject("identity", DeterministicId("identity", key), timestamp, timestamp);
  identity.Set("name", Json::String(std::string(name)));
  return identity;
}

void AddExternalReference(Json* object, Json reference) {
  AddToArray(object, "external_references", std::move(reference));
}

std::optional<Json> ReferenceFromText(std::string_view source_name, std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  Json ref = Json::MakeObject();
  ref.Set("source_name", Json::String(std::string(source_name)));
  std::string lower = Lower(text.substr(0, 8));
  bool has_space = text.find_first_of(" \t\r\n") != std::string_view::npos;
  if (!has_space && (lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0)) {
    ref.Set("url", Json::String(std::string(text)));
  } else if (!has_space && lower.rfind("www.", 0) == 0) {
    ref.Set("url", Json::String("http://" + std::string(text)));
  } else {
    ref.Set("description", Json::String(std::string(text)));
  }
  return ref;
}

std::optional<Json> AttackReference(std::string_view id) {
  std::string upper(id);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string_view u = upper;
  std::string_view kind;
  std::string_view digits;
  if (u.size() >= 6 && u.substr(0, 2) == "TA") {
    kind = "tactics";
    digits = u.substr(2);
  } else if (u.size() >= 5) {
    switch (u[0]) {
      case 'T': kind = "techniques"; break;
      case 'G': kind = "groups"; break;
      case 'S': kind = "software"; break;
      case 'C': kind = "campaigns"; break;
      case 'M': kind = "mitigations"; break;
      default: return std::nullopt;
    }
    digits = u.substr(1);
  } else {
    return std::nullopt;
  }
  std::string_view main = digits.substr(0, 4);
  std::string_view sub;
  if (!AllDigits(main)) return std::nullopt;
  if (digits.size() > 4) {
    if (kind != "techniques" || digits.size() != 8 || digits[4] != '.' ||
        !AllDigits(digits.substr(5))) {
      return std::nullopt;
    }
    sub = digits.substr(5);
  }
  std::string prefix(u.substr(0, u.size() - digits.size()));
  std::string url = "https://attack.mitre.org/" + std::string(kind) + "/" + prefix +
                    std::string(main) + "/";
  if (!sub.empty()) url += std::string(sub) + "/";
  Json ref = Json::MakeObject();
  ref.Set("source_name", Json::String("mitre-attack"));
  ref.Set("external_id", Json::String(upper));
  ref.Set("url", Json::String(url));
  return ref;
}

std::optional<std::string> AttackTacticPhase(std::string_view name) {
  std::string phase;
  for (char c : Trim(name)) {
    if (c == '_' || c == ' ') {
      phase += '-';
    } else {
      phase += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  for (std::string_view tactic : kTactics) {
    if (phase == tactic) return phase;
  }
  return std::nullopt;
}

void AddKillChainPhase(Json* object, std::string_view phase) {
  Json entry = Json::MakeObject();
  entry.Set("kill_chain_name", Json::String("mitre-attack"));
  entry.Set("phase_name", Json::String(std::string(phase)));
  AddToArray(object, "kill_chain_phases", std::move(entry));
}

bool ApplyTag(std::string_view tag, Json* object) {
  std::string lower = Lower(Trim(tag));
  std::string_view t = lower;
  if (t.rfind("attack.", 0) == 0) {
    std::string_view rest = t.substr(7);
    if (auto ref = AttackReference(rest)) {
      AddExternalReference(object, std::move(*ref));
      return true;
    }
    if (auto phase = AttackTacticPhase(rest)) {
      AddKillChainPhase(object, *phase);
      return true;
    }
    return false;
  }
  if (t.rfind("cve.", 0) == 0 && t.size() > 4) {
    std::string id = "CVE-" + std::string(t.substr(4));
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    Json ref = Json::MakeObject();
    ref.Set("source_name", Json::String("cve"));
    ref.Set("external_id", Json::String(id));
    AddExternalReference(object, std::move(ref));
    return true;
  }
  return false;
}

std::optional<stix::TlpLevel> TlpLevelFromText(std::string_view text) {
  std::string folded = Lower(Trim(text));
  if (folded.rfind("tlp.", 0) == 0) folded[3] = ':';
  if (folded.rfind("tlp", 0) != 0) folded = "tlp:" + folded;
  return stix::TlpLevelFromTag(folded);
}

void MarkingTracker::Mark(Record* record, Json* object, stix::TlpLevel level) {
  size_t i = static_cast<size_t>(level);
  if (!emitted_[i]) {
    emitted_[i] = true;
    record->Add(stix::Tlp2MarkingDefinition(level));
  }
  AddMarking(object, stix::Tlp2MarkingId(level));
}

}  // namespace tessera::formats::rules
