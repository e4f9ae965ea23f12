#include "normalize/id_set.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <utility>

namespace tessera::normalize {
namespace {

constexpr size_t kLogChunk = size_t{1} << 16;  // entries per log chunk (1 MiB)
constexpr size_t kFirstCapacity = 1024;

// Zero-filled memory for the table, from mmap: fresh pages are zero, so there is
// no zeroing pass of our own. Hundreds of MiB are allocated once per doubling.
uint64_t* MapSlots(size_t count) {
  void* p = mmap(nullptr, count * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return static_cast<uint64_t*>(p);
}

void UnmapSlots(uint64_t* slots, size_t count) {
  if (slots != nullptr) munmap(slots, count * sizeof(uint64_t));
}

// A slot: the tag (the top 32 bits of the id's bytes 8-15) above the position in
// the log plus one (so that no slot is 0).
constexpr uint64_t Tag(uint64_t high) { return high >> 32; }
constexpr uint64_t TagOf(uint64_t slot) { return slot >> 32; }
constexpr size_t LogIndexOf(uint64_t slot) { return static_cast<size_t>(slot & 0xffffffffu) - 1; }

}  // namespace

// A slot's tag gives the home slot in tables of up to 2^32 slots and its log
// position counts up to 2^32 - 1: 2^31 ids keep the table within both.
IdSet::IdSet(size_t table_limit) : table_limit_(std::min(table_limit, size_t{1} << 31)) {}

IdSet::~IdSet() { UnmapSlots(slots_, capacity_); }

IdSet::IdSet(IdSet&& other) noexcept
    : slots_(std::exchange(other.slots_, nullptr)),
      capacity_(std::exchange(other.capacity_, 0)),
      shift_(std::exchange(other.shift_, 64)),
      size_(std::exchange(other.size_, 0)),
      table_limit_(other.table_limit_),
      log_(std::move(other.log_)),
      overflow_(std::move(other.overflow_)) {}

IdSet& IdSet::operator=(IdSet&& other) noexcept {
  if (this != &other) {
    UnmapSlots(slots_, capacity_);
    slots_ = std::exchange(other.slots_, nullptr);
    capacity_ = std::exchange(other.capacity_, 0);
    shift_ = std::exchange(other.shift_, 64);
    size_ = std::exchange(other.size_, 0);
    table_limit_ = other.table_limit_;
    log_ = std::move(other.log_);
    overflow_ = std::move(other.overflow_);
  }
  return *this;
}

// UUIDv5 bytes are SHA-1 output, uniform except the version (byte 6) and variant
// (top of byte 8) bits; bytes 8-15 read little-endian put the uniform ones at the
// top, where the home slot and the tag are taken from.
IdSet::Entry IdSet::EntryOf(const core::Uuid& id) {
  Entry e;
  std::memcpy(&e.low, id.bytes.data(), 8);
  std::memcpy(&e.high, id.bytes.data() + 8, 8);
  return e;
}

size_t IdSet::Home(const core::Uuid& id) const {
  uint64_t high;
  std::memcpy(&high, id.bytes.data() + 8, 8);
  return static_cast<size_t>(high >> shift_);
}

const IdSet::Entry& IdSet::Logged(uint64_t slot) const {
  const size_t i = LogIndexOf(slot);
  return log_[i / kLogChunk][i % kLogChunk];
}

bool IdSet::Insert(const core::Uuid& id) {
  const Entry entry = EntryOf(id);
  if (size_ < table_limit_) {
    // At most 70 % full: probe runs of a few slots, eight to a cache line.
    if (size_ * 10 >= capacity_ * 7) Grow();
    return Place(entry);
  }
  // The table is full: look there, then in the overflow set.
  if (capacity_ > 0) {
    const uint64_t tag = Tag(entry.high);
    const size_t mask = capacity_ - 1;
    for (size_t i = static_cast<size_t>(entry.high >> shift_); slots_[i] != 0; i = (i + 1) & mask) {
      if (TagOf(slots_[i]) != tag) continue;
      const Entry& logged = Logged(slots_[i]);
      if (logged.low == entry.low && logged.high == entry.high) return false;
    }
  }
  return overflow_.insert(entry).second;
}

// The home slot is the top bits of `high`, so the table is (nearly) in the ids'
// order and doubling it moves slots front to back, streaming through memory.
bool IdSet::Place(const Entry& entry) {
  const uint64_t tag = Tag(entry.high);
  const size_t mask = capacity_ - 1;
  for (size_t i = static_cast<size_t>(entry.high >> shift_);; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) {
      if (size_ % kLogChunk == 0) log_.push_back(std::make_unique<Entry[]>(kLogChunk));
      log_[size_ / kLogChunk][size_ % kLogChunk] = entry;
      ++size_;
      slots_[i] = tag << 32 | size_;  // position + 1
      return true;
    }
    if (TagOf(slot) == tag) {
      const Entry& logged = Logged(slot);
      if (logged.low == entry.low && logged.high == entry.high) return false;
    }
  }
}

void IdSet::Grow() {
  const size_t capacity = capacity_ == 0 ? kFirstCapacity : capacity_ * 2;
  uint64_t* slots = MapSlots(capacity);
  const int shift = 64 - std::countr_zero(capacity);
  const size_t mask = capacity - 1;
  // A slot's tag is the top 32 bits of `high`, enough for a home slot in a table
  // of up to 2^32 slots (the table limit keeps it below).
  for (size_t k = 0; k < capacity_; ++k) {
    const uint64_t slot = slots_[k];
    if (slot == 0) continue;
    size_t i = static_cast<size_t>(TagOf(slot) >> (shift - 32));
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = slot;
  }
  UnmapSlots(slots_, capacity_);
  slots_ = slots;
  capacity_ = capacity;
  shift_ = shift;
}

}  // namespace tessera::normalize
