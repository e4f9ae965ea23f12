// Test helpers shared by the canonicalizer tests: readable forms of an
// Observable's notes and fields for assertions and failure messages.
#pragma once

#include <string>
#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize::testing {

// True when one of the notes contains `part`.
inline bool HasNote(const Observable& o, std::string_view part) {
  for (const std::string& note : o.notes) {
    if (note.find(part) != std::string::npos) return true;
  }
  return false;
}

// "[note] [note] " for failure messages.
inline std::string Notes(const Observable& o) {
  std::string all;
  for (const std::string& note : o.notes) all += "[" + note + "] ";
  return all;
}

// "k=v,k=v" in field order.
inline std::string JoinFields(const Observable& o) {
  std::string out;
  for (const auto& [key, value] : o.fields) {
    if (!out.empty()) out += ',';
    out += std::string(key) + "=" + value;
  }
  return out;
}

}  // namespace tessera::normalize::testing
