#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tessera::core {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return MakeError(ErrorCode::kInvalidArgument, "odd", "byte 3");
  return x / 2;
}

Status Check(int x) {
  TESSERA_RETURN_IF_ERROR(Half(x));
  return {};
}

TEST(ResultTest, ValueAndError) {
  Result<int> ok = Half(8);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(*ok, 4);

  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().ToString(), "byte 3: odd");
  EXPECT_EQ(MakeError(ErrorCode::kIo, "no disk").ToString(), "no disk");
}

TEST(ResultTest, ReturnIfErrorPropagates) {
  EXPECT_TRUE(Check(2).ok());
  Status s = Check(5);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "odd");
}

TEST(ResultTest, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, ErrorCodeNames) {
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kParse), "parse");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kLimit), "limit");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kNotFound), "not-found");
}

}  // namespace
}  // namespace tessera::core
