// Test helpers shared by the canonicalizer tests: readable forms of an
// Observable's notes and fields for assertions and failure messages.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

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

// One row of a canonicalizer table: an input and either its canonical form (plus
// a note it must carry) or a piece of the reason it is refused.
struct Case {
  std::string_view input;
  std::string_view canonical;  // empty: the input is refused
  std::string_view error;      // refused: a substring of the message
  std::string_view note;       // accepted: a substring of one note; empty: no notes
};

using Canonicalizer = std::function<core::Result<Observable>(std::string_view)>;

// Checks every row, and that every accepted value is a fixed point: canonicalizing
// it again (with `recheck`, by default `canonicalize` itself) gives the same value
// and kind.
inline void RunTable(const Canonicalizer& canonicalize, const std::vector<Case>& cases,
                     const std::function<core::Result<Observable>(const Observable&)>& recheck =
                         nullptr) {
  for (const Case& c : cases) {
    SCOPED_TRACE("input: \"" + std::string(c.input) + "\"");
    auto result = canonicalize(c.input);
    if (c.canonical.empty()) {
      ASSERT_FALSE(result.ok()) << "accepted as " << result->value;
      EXPECT_EQ(result.error().code, core::ErrorCode::kValidation);
      EXPECT_NE(result.error().message.find(c.error), std::string::npos)
          << "message: " << result.error().message << "\nwanted: " << c.error;
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(result->value, c.canonical);
    if (c.note.empty()) {
      EXPECT_TRUE(result->notes.empty()) << Notes(*result);
    } else {
      EXPECT_TRUE(HasNote(*result, c.note)) << Notes(*result) << "\nwanted: " << c.note;
    }
    auto again = recheck ? recheck(*result) : canonicalize(result->value);
    ASSERT_TRUE(again.ok()) << "canonical form refused: " << again.error().message;
    EXPECT_EQ(again->value, result->value);
    EXPECT_EQ(again->kind, result->kind);
  }
}

}  // namespace tessera::normalize::testing
