// A multi-pattern substring matcher (Aho and Corasick, 1975), ASCII
// case-insensitive: every pattern is found in one pass over the text. The
// automaton is a dense DFA over byte classes (bytes that occur in no pattern
// share one class), so a step is one table load. Build (Add… then Compile), then
// read-only and safe to share.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::warninglists::detail {

class AhoCorasick {
 public:
  // Adds a pattern with a caller's payload; an empty pattern is ignored.
  void Add(std::string_view pattern, uint32_t payload);

  // Builds the automaton; Add must not be called afterwards. Idempotent.
  void Compile();

  size_t pattern_bytes() const { return pattern_bytes_; }
  size_t state_count() const { return state_count_; }

  // Calls on_match(payload, end_offset) for every occurrence of every pattern in
  // `text`, in order of the occurrence's end. Returning false from on_match stops.
  template <typename OnMatch>
  void Scan(std::string_view text, OnMatch&& on_match) const {
    if (state_count_ == 0) return;
    uint32_t state = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      state = delta_[size_t{state} * class_count_ + byte_class_[static_cast<uint8_t>(text[i])]];
      for (uint32_t s = has_output_[state] ? state : dict_link_[state]; s != kNone;
           s = dict_link_[s]) {
        for (uint32_t k = out_begin_[s]; k < out_begin_[s + 1]; ++k) {
          if (!on_match(out_payload_[k], i + 1)) return;
        }
      }
    }
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Pattern {
    std::string text;  // lower-cased
    uint32_t payload;
  };
  std::vector<Pattern> patterns_;
  size_t pattern_bytes_ = 0;
  bool compiled_ = false;

  std::array<uint8_t, 256> byte_class_{};  // lower-cased byte -> class; 0: in no pattern
  uint32_t class_count_ = 0;
  uint32_t state_count_ = 0;
  std::vector<uint32_t> delta_;      // state * class_count_ + class -> state
  std::vector<uint32_t> dict_link_;  // nearest proper suffix state with output, or kNone
  std::vector<uint8_t> has_output_;
  std::vector<uint32_t> out_begin_;  // state -> first index in out_payload_ (size states+1)
  std::vector<uint32_t> out_payload_;
};

}  // namespace tessera::warninglists::detail
