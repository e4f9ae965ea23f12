#include "warninglists/cidr_trie.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace tessera::warninglists::detail {

void CidrTrie::Insert(const AddressBytes& address, int prefix_length, uint32_t payload) {
  assert(!frozen_ && prefix_length >= 0 && prefix_length <= address_bits_);
  uint32_t node = 0;
  for (int depth = 0; depth < prefix_length; ++depth) {
    const int bit = (address[depth >> 3] >> (7 - (depth & 7))) & 1;
    if (nodes_[node].child[bit] == 0) {
      nodes_[node].child[bit] = static_cast<uint32_t>(nodes_.size());
      nodes_.push_back(Node{});
    }
    node = nodes_[node].child[bit];
  }
  pending_.emplace_back(node, payload);
}

void CidrTrie::Freeze() {
  if (frozen_) return;
  frozen_ = true;
  std::stable_sort(pending_.begin(), pending_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  payloads_.clear();
  payloads_.reserve(pending_.size());
  for (size_t i = 0; i < pending_.size();) {
    const uint32_t node = pending_[i].first;
    nodes_[node].payload_begin = static_cast<uint32_t>(payloads_.size());
    for (; i < pending_.size() && pending_[i].first == node; ++i) {
      payloads_.push_back(pending_[i].second);
    }
    nodes_[node].payload_end = static_cast<uint32_t>(payloads_.size());
  }
  pending_.clear();
  pending_.shrink_to_fit();
  nodes_.shrink_to_fit();
}

}  // namespace tessera::warninglists::detail
