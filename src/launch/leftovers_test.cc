#include "launch/leftovers.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
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

// Seen in /dev/shm after Open MPI 4.1 ranks of namespaces "gantry.24090" and "gantry.23724":
// vader_segment.vm.0.b5a5fa2.1 and vader_segment.vm.0.b7aa792e.1.
TEST(LeftoversTest, OpenMpiJobIdIsTheHashOfTheNamespace) {
  EXPECT_TRUE(OpenMpiJobIdsOf("gantry.24090").contains("b5a5fa2"));
  EXPECT_TRUE(OpenMpiJobIdsOf("gantry.23724").contains("b7aa792e"));
}

// A rank that exited without finalizing after the others had finished left its segment:
// nobody mapped it any more.
TEST(LeftoversTest, FindsTheSegmentsNamedAfterAnOpenMpiJob) {
  const std::string id = *OpenMpiJobIdsOf("gantry.test-leftovers").begin();
  const std::string mine = "/dev/shm/vader_segment.host.0." + id + ".1";
  const std::string other = "/dev/shm/vader_segment.host.0.1234abcd.1";
  for (const std::string& f : {mine, other}) {
    FILE* file = std::fopen(f.c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fclose(file);
  }
  std::set<std::string> files;
  CollectOpenMpiSegmentsOf("gantry.test-leftovers", files);
  EXPECT_TRUE(files.contains(mine));
  EXPECT_FALSE(files.contains(other));
  std::remove(mine.c_str());
  std::remove(other.c_str());
}

}  // namespace
}  // namespace gantry::launch
