#include "launch/leftovers.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "base/file.h"

namespace gantry::launch {
namespace {

TEST(LeftoversTest, FindsMappedShmFilesAndRemovesVaderSiblings) {
  const auto start = std::chrono::system_clock::now() - std::chrono::seconds(1);
  const std::string job = "gantrytest" + std::to_string(getpid());
  const std::string mine = "/dev/shm/vader_segment.host." + job + ".0";
  const std::string sibling = "/dev/shm/vader_segment.host." + job + ".1";
  for (const std::string& path : {mine, sibling}) {
    ASSERT_TRUE(WriteFileAtomic(path, std::string(4096, 'x')));
  }
  int fd = open(mine.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  void* map = mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, 0);
  ASSERT_NE(map, MAP_FAILED);
  std::set<std::string> files;
  CollectShmFilesMappedBy(getpid(), files);
  EXPECT_TRUE(files.contains(mine));
  EXPECT_FALSE(files.contains(sibling));
  EXPECT_EQ(RemoveShmLeftovers({mine}, start), 2);
  EXPECT_FALSE(FileExists(sibling));
  munmap(map, 4096);
  close(fd);
}

TEST(LeftoversTest, KeepsFilesThatExistedBeforeTheJob) {
  const std::string path = "/dev/shm/gantrytest-old." + std::to_string(getpid());
  ASSERT_TRUE(WriteFileAtomic(path, "x"));
  const auto later = std::chrono::system_clock::now() + std::chrono::seconds(5);
  EXPECT_EQ(RemoveShmLeftovers({path}, later), 0);
  EXPECT_TRUE(FileExists(path));
  unlink(path.c_str());
}

}  // namespace
}  // namespace gantry::launch
