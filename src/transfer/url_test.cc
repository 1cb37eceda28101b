#include "transfer/url.h"

#include <gtest/gtest.h>

namespace gantry::transfer {
namespace {

TEST(UrlTest, ParsesTheThreeProtocols) {
  auto f = ParseUrl("file:///data/f1");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->scheme, "file");
  EXPECT_EQ(f->path, "/data/f1");
  auto r = ParseUrl("root://127.0.0.1:1094//data/f1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->authority, "127.0.0.1:1094");
  EXPECT_EQ(r->path, "/data/f1");
  EXPECT_EQ(r->WithPath("/data/f2").text, "root://127.0.0.1:1094//data/f2");
  auto h = ParseUrl("https://host:8443/data/f1");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->path, "/data/f1");
  EXPECT_EQ(f->Parent(), "/data");
}

TEST(UrlTest, RefusesWhatIsNotAStorageUrl) {
  for (const char* bad : {"gsiftp://h/x", "file://host/x", "root://", "root://host",
                          "/no/scheme", "file:///a/../etc/passwd"}) {
    auto u = ParseUrl(bad);
    EXPECT_FALSE(u) << bad;
  }
  auto p = ParseUrlOrPath("/tmp/x");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->text, "file:///tmp/x");
  auto rel = ParseUrlOrPath("x");
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->path[0], '/');
}

}  // namespace
}  // namespace gantry::transfer
