#include "store/cached_db.h"

#include <stdlib.h>

#include <gtest/gtest.h>

namespace gantry::store {
namespace {

constexpr const char* kSchema = "CREATE TABLE IF NOT EXISTS t(k TEXT PRIMARY KEY, v INTEGER);";

std::string TempPath() {
  char tmpl[] = "/tmp/gantry_cached_db_test_XXXXXX";
  return std::string(mkdtemp(tmpl)) + "/x.db";
}

int64_t Count(CachedDb& db) {
  auto q = db.Sql("SELECT COUNT(*) FROM t");
  EXPECT_TRUE(q.has_value());
  auto row = (*q)->Step();
  EXPECT_TRUE(row.has_value() && *row);
  return (*q)->Int(0);
}

TEST(CachedDbTest, PreparesAStatementOnceAndHandsItBackReset) {
  auto db = CachedDb::Open(TempPath(), "the test file", kSchema, 1);
  ASSERT_TRUE(db.has_value()) << db.error().message();
  auto first = (*db)->Sql("INSERT INTO t(k, v) VALUES(?, ?)");
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE((*first)->Bind(1, std::string_view("a")).Bind(2, int64_t{1}).Run().has_value());
  auto again = (*db)->Sql(std::string("INSERT INTO t(k, v) VALUES(?, ?)"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*first, *again);
  ASSERT_TRUE((*again)->Bind(1, std::string_view("b")).Bind(2, int64_t{2}).Run().has_value());
  EXPECT_EQ(Count(**db), 2);
  EXPECT_EQ(Count(**db), 2);  // a statement stepped half way is reset when handed back
}

TEST(CachedDbTest, RollsBackATransactionWhoseBodyFails) {
  auto db = CachedDb::Open(TempPath(), "the test file", kSchema, 1);
  ASSERT_TRUE(db.has_value()) << db.error().message();
  Status s = (*db)->InTransaction([&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(auto* q, (*db)->Sql("INSERT INTO t(k, v) VALUES('a', 1)"));
    GANTRY_RETURN_IF_ERROR(q->Run());
    return Fail(InvalidArgument("no"));
  });
  EXPECT_FALSE(s.has_value());
  EXPECT_EQ(Count(**db), 0);
  EXPECT_TRUE((*db)
                  ->InTransaction([&]() -> Status {
                    GANTRY_ASSIGN_OR_RETURN(auto* q, (*db)->Sql("INSERT INTO t VALUES('b', 2)"));
                    return q->Run();
                  })
                  .has_value());
  EXPECT_EQ(Count(**db), 1);
}

TEST(CachedDbTest, RefusesAFileOfANewerSchemaVersionNamingIt) {
  std::string path = TempPath();
  ASSERT_TRUE(CachedDb::Open(path, "the test file", kSchema, 3).has_value());
  EXPECT_TRUE(CachedDb::Open(path, "the test file", kSchema, 3).has_value());
  auto older = CachedDb::Open(path, "the test file", kSchema, 2);
  ASSERT_FALSE(older.has_value());
  EXPECT_EQ(older.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(older.error().message().find("the test file " + path + " has schema version 3"),
            std::string::npos)
      << older.error().message();
}

}  // namespace
}  // namespace gantry::store
