// Line numbers of byte offsets in a document held in memory, for the readers of
// whole-document formats (XML, rule files) that report where a record or an
// error is. The newlines are found once, at the first question; every answer is
// then a binary search, so positions asked in any order cost one pass over the
// document in all (counting from the start per question is quadratic).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tessera::formats {

class LineIndex {
 public:
  // `text` must outlive the index.
  explicit LineIndex(std::string_view text) : text_(text) {}

  // The 1-based line of byte `offset`: one more than the newlines before it
  // (an offset past the end counts them all).
  uint64_t LineOf(size_t offset) const;

 private:
  std::string_view text_;
  mutable bool indexed_ = false;
  mutable std::vector<size_t> newlines_;  // offsets of '\n', ascending
};

}  // namespace tessera::formats
