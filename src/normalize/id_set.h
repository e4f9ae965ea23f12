// IdSet: the set of STIX ids (UUIDv5s) already seen, for de-duplicating millions
// of observables in little memory: each id's 16 bytes once in an append-only log,
// and an 8-byte slot per id in an open-addressing table kept 35-70 % full (27 to
// 39 bytes per id in all). Exact: a slot holds 32 bits of the id (its "tag") and
// where the id is in the log, and the whole id is compared whenever a tag
// matches. Move-only; not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

#include "core/uuid.h"

namespace tessera::normalize {

class IdSet {
 public:
  // `table_limit`: the most ids the table holds; more go to a plain hash set
  // (which only an enormous input fills: the default is 2^31 ids, a 32 GiB log).
  explicit IdSet(size_t table_limit = size_t{1} << 31);
  ~IdSet();
  IdSet(IdSet&&) noexcept;
  IdSet& operator=(IdSet&&) noexcept;

  // True when `id` was not in the set (and is now).
  bool Insert(const core::Uuid& id);

  // Starts loading the memory Insert(id) will look at first: a caller that
  // prefetches a batch of ids, then inserts them, waits for their cache misses
  // together rather than one after another.
  void Prefetch(const core::Uuid& id) const {
    if (slots_ != nullptr) __builtin_prefetch(&slots_[Home(id)], 1);
  }

  // The ids in the set.
  size_t size() const { return size_ + overflow_.size(); }

 private:
  struct Entry {
    uint64_t low;   // bytes 0-7
    uint64_t high;  // bytes 8-15; its top bits give the home slot and the tag
  };
  struct EntryHash {
    size_t operator()(const Entry& e) const { return e.high ^ (e.low * 0x9e3779b97f4a7c15ull); }
  };
  struct EntryEqual {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.low == b.low && a.high == b.high;
    }
  };
  static Entry EntryOf(const core::Uuid& id);
  size_t Home(const core::Uuid& id) const;
  const Entry& Logged(uint64_t slot) const;
  bool Place(const Entry& entry);
  void Grow();

  uint64_t* slots_ = nullptr;  // capacity_ slots, a power of two; 0 is empty
  size_t capacity_ = 0;
  int shift_ = 64;   // home slot = high >> shift_
  size_t size_ = 0;  // ids in the table (and the log)
  size_t table_limit_;
  std::vector<std::unique_ptr<Entry[]>> log_;  // chunks of kLogChunk entries
  std::unordered_set<Entry, EntryHash, EntryEqual> overflow_;
};

}  // namespace tessera::normalize
