// A binary prefix tree over IP address bits (32 for IPv4, 128 for IPv6): each
// node is a prefix, each list entry a payload on its node. A lookup walks the
// address's bits once and sees every entry that contains it, shortest prefix
// first. Build (Insert… then Freeze), then read-only and safe to share.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace tessera::warninglists::detail {

// An address as bytes, most significant first; IPv4 uses the first 4.
using AddressBytes = std::array<uint8_t, 16>;

class CidrTrie {
 public:
  explicit CidrTrie(int address_bits) : address_bits_(address_bits) { nodes_.push_back(Node{}); }

  // Adds `payload` on the prefix of `prefix_length` bits of `address`.
  // Precondition: prefix_length <= address_bits; host bits are ignored.
  void Insert(const AddressBytes& address, int prefix_length, uint32_t payload);

  // Groups the payloads per node; Insert must not be called afterwards. Idempotent.
  void Freeze();

  // Calls on_hit(payload, prefix_length) for every entry whose prefix contains
  // the network address/prefix_length (an address: prefix_length = address
  // bits), from the shortest prefix to the longest.
  template <typename OnHit>
  void ForEachContaining(const AddressBytes& address, int prefix_length, OnHit&& on_hit) const {
    uint32_t node = 0;
    for (int depth = 0;; ++depth) {
      const Node& n = nodes_[node];
      for (uint32_t i = n.payload_begin; i < n.payload_end; ++i) on_hit(payloads_[i], depth);
      if (depth == prefix_length) return;
      const int bit = (address[depth >> 3] >> (7 - (depth & 7))) & 1;
      node = n.child[bit];
      if (node == 0) return;
    }
  }

  size_t node_count() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t child[2] = {0, 0};  // 0: none (the root is never a child)
    uint32_t payload_begin = 0;
    uint32_t payload_end = 0;
  };
  int address_bits_;
  bool frozen_ = false;
  std::vector<Node> nodes_;
  std::vector<uint32_t> payloads_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_;  // (node, payload) until Freeze
};

}  // namespace tessera::warninglists::detail
