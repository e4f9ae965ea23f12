// Splitting a JSON array into its elements without parsing it: a byte scanner
// that tracks strings, escapes and nesting depth, fed chunk by chunk, hands out
// one element at a time (copied into a buffer with simdjson's padding after it).
// Memory stays bounded by the largest element, so a MISP events list of any size
// streams. One splitter per input; not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace tessera::formats::misp {

struct ArrayElement {
  // The element's bytes (an object, or any other JSON value the array holds);
  // followed in memory by at least kElementPadding readable bytes.
  std::string_view bytes;
  uint64_t offset = 0;     // offset of its first byte in the input
  uint64_t index = 0;      // 0-based position in the array
  bool truncated = false;  // longer than the limit: `bytes` holds only the start
  bool complete = true;    // false: the input ended inside the element
};

inline constexpr size_t kElementPadding = 64;

class ArraySplitter {
 public:
  // `array_offset`: input offset of the array's '['; bytes before it (and the
  // bracket) are skipped. Elements longer than `max_element_bytes` are cut.
  ArraySplitter(uint64_t array_offset, size_t max_element_bytes);

  using Callback = std::function<void(const ArrayElement&)>;

  // Scans the next bytes of the input, which start at input offset `offset`,
  // and calls `on_element` for each element that ends inside them.
  void Feed(std::string_view chunk, uint64_t offset, const Callback& on_element);
  // At the end of the input: hands out an element the input ended inside of.
  void Finish(const Callback& on_element);

  // The array's closing ']' has been seen (what follows it is not scanned).
  bool done() const { return state_ == State::kDone; }
  uint64_t elements() const { return index_; }

 private:
  enum class State { kBefore, kBetween, kInElement, kDone };

  void Append(std::string_view bytes);
  void Emit(const Callback& on_element, bool complete);

  State state_ = State::kBefore;
  uint64_t array_offset_;
  size_t max_element_bytes_;
  std::string buffer_;
  uint64_t element_offset_ = 0;
  uint64_t index_ = 0;
  int64_t depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool truncated_ = false;
};

}  // namespace tessera::formats::misp
