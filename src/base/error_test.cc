#include "base/error.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace gantry {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Fail(InvalidArgument("odd"));
  return x / 2;
}

Result<int> Quarter(int x) {
  GANTRY_ASSIGN_OR_RETURN(int h, Half(x));
  GANTRY_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(ErrorTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
}

TEST(ErrorTest, ErrnoErrorMapsCommonCodes) {
  EXPECT_EQ(ErrnoError("x", ENOENT).code(), ErrorCode::kNotFound);
  EXPECT_EQ(ErrnoError("x", EACCES).code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ErrnoError("x", ENOSPC).code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(ErrnoError("open a", ENOENT).message().find("open a"), std::string::npos);
}

TEST(ErrorTest, WrapAddsContext) {
  Error e = NotFound("no such job").Wrap("cancel 12");
  EXPECT_EQ(e.message(), "cancel 12: no such job");
  EXPECT_EQ(e.ToString(), "NotFound: cancel 12: no such job");
}

}  // namespace
}  // namespace gantry
