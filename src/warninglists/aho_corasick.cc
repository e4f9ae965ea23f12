#include "warninglists/aho_corasick.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace tessera::warninglists::detail {
namespace {

uint8_t AsciiLower(uint8_t c) { return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c; }

}  // namespace

void AhoCorasick::Add(std::string_view pattern, uint32_t payload) {
  assert(!compiled_);
  if (pattern.empty()) return;
  std::string lower(pattern);
  for (char& c : lower) c = static_cast<char>(AsciiLower(static_cast<uint8_t>(c)));
  pattern_bytes_ += lower.size();
  patterns_.push_back(Pattern{std::move(lower), payload});
}

void AhoCorasick::Compile() {
  if (compiled_) return;
  compiled_ = true;
  if (patterns_.empty()) return;

  // Byte classes: one per distinct byte in the patterns, class 0 for the rest;
  // upper-case letters share their lower-case letter's class.
  std::array<bool, 256> used{};
  for (const Pattern& p : patterns_) {
    for (char c : p.text) used[static_cast<uint8_t>(c)] = true;
  }
  class_count_ = 1;
  for (int b = 0; b < 256; ++b) {
    if (used[b]) byte_class_[b] = static_cast<uint8_t>(class_count_++);
  }
  for (int b = 'A'; b <= 'Z'; ++b) byte_class_[b] = byte_class_[b + 32];

  // The trie (goto function), with kNone for a missing edge.
  delta_.assign(class_count_, kNone);
  std::vector<std::vector<uint32_t>> outputs(1);
  state_count_ = 1;
  for (const Pattern& p : patterns_) {
    uint32_t s = 0;
    for (char c : p.text) {
      const size_t edge = size_t{s} * class_count_ + byte_class_[static_cast<uint8_t>(c)];
      if (delta_[edge] == kNone) {
        delta_[edge] = state_count_++;
        delta_.resize(delta_.size() + class_count_, kNone);
        outputs.emplace_back();
      }
      s = delta_[edge];
    }
    outputs[s].push_back(p.payload);
  }
  delta_.shrink_to_fit();

  // Breadth-first: failure links, then missing edges become the failure state's
  // edges (a complete DFA); dict_link is the nearest failure ancestor with output.
  std::vector<uint32_t> fail(state_count_, 0);
  dict_link_.assign(state_count_, kNone);
  std::vector<uint32_t> queue;
  queue.reserve(state_count_);
  for (uint32_t c = 0; c < class_count_; ++c) {
    uint32_t& next = delta_[c];
    if (next == kNone) {
      next = 0;
    } else {
      fail[next] = 0;
      queue.push_back(next);
    }
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t s = queue[head];
    for (uint32_t c = 0; c < class_count_; ++c) {
      uint32_t& next = delta_[size_t{s} * class_count_ + c];
      const uint32_t via_fail = delta_[size_t{fail[s]} * class_count_ + c];
      if (next == kNone) {
        next = via_fail;
      } else {
        fail[next] = via_fail;
        dict_link_[next] = outputs[via_fail].empty() ? dict_link_[via_fail] : via_fail;
        queue.push_back(next);
      }
    }
  }

  has_output_.assign(state_count_, 0);
  out_begin_.assign(state_count_ + 1, 0);
  for (uint32_t s = 0; s < state_count_; ++s) {
    has_output_[s] = outputs[s].empty() ? 0 : 1;
    out_begin_[s] = static_cast<uint32_t>(out_payload_.size());
    out_payload_.insert(out_payload_.end(), outputs[s].begin(), outputs[s].end());
  }
  out_begin_[state_count_] = static_cast<uint32_t>(out_payload_.size());
  patterns_.clear();
  patterns_.shrink_to_fit();
}

}  // namespace tessera::warninglists::detail
