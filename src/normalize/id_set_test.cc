#include "normalize/id_set.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "core/uuid.h"

namespace tessera::normalize {
namespace {

core::Uuid Id(int n) { return core::UuidV5(core::Uuid{}, std::to_string(n)); }

// Ids that share their bytes 8-15 (so their home slot and tag) and differ only in
// bytes 0-7: only the full comparison tells them apart.
core::Uuid SameTag(int n) {
  core::Uuid id = Id(0);
  id.bytes[0] = static_cast<uint8_t>(n);
  id.bytes[1] = static_cast<uint8_t>(n >> 8);
  return id;
}

TEST(IdSetTest, InsertsOnceAndKeepsEveryDistinctId) {
  for (size_t limit : {size_t{1} << 31, size_t{1000}, size_t{1}, size_t{0}}) {
    IdSet set(limit);
    std::set<std::string> reference;
    std::mt19937 rng(7);
    for (int i = 0; i < 20000; ++i) {
      // A third of the draws repeat an earlier id.
      int n = i % 3 == 0 ? static_cast<int>(rng() % (i + 1)) : i;
      core::Uuid id = Id(n);
      set.Prefetch(id);
      bool fresh = reference.insert(id.ToString()).second;
      EXPECT_EQ(set.Insert(id), fresh) << n << " limit " << limit;
    }
    EXPECT_EQ(set.size(), reference.size());
  }
}

TEST(IdSetTest, IdsWithTheSameTagAreNotConfused) {
  for (size_t limit : {size_t{1} << 31, size_t{100}}) {
    IdSet set(limit);
    for (int n = 0; n < 3000; ++n) EXPECT_TRUE(set.Insert(SameTag(n))) << n;
    for (int n = 0; n < 3000; ++n) EXPECT_FALSE(set.Insert(SameTag(n))) << n;
  }
}

TEST(IdSetTest, Moves) {
  IdSet a;
  EXPECT_TRUE(a.Insert(Id(1)));
  IdSet b = std::move(a);
  EXPECT_FALSE(b.Insert(Id(1)));
  EXPECT_TRUE(b.Insert(Id(2)));
  a = std::move(b);
  EXPECT_FALSE(a.Insert(Id(2)));
}

}  // namespace
}  // namespace tessera::normalize
