#include "pmi/shm_kvs.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>

namespace gantry::pmi {
namespace {

TEST(ShmKvsTest, ReaderSeesWhatTheWriterInserted) {
  auto writer = ShmKvsWriter::Create(16, 1 << 16);
  ASSERT_TRUE(writer.has_value()) << writer.error().ToString();
  ASSERT_TRUE((*writer)->Insert("PMI_process_mapping", "(vector,(0,1,4))"));
  auto reader = ShmKvsReader::Open((*writer)->fd());
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  EXPECT_EQ((*reader)->Lookup("PMI_process_mapping"), "(vector,(0,1,4))");
  EXPECT_FALSE((*reader)->Lookup("absent").has_value());
  // Inserts after the reader mapped the store are visible too.
  ASSERT_TRUE((*writer)->Insert("card 1", std::string(1000, 'z')));
  EXPECT_EQ((*reader)->Lookup("card 1"), std::string(1000, 'z'));
}

TEST(ShmKvsTest, RanksCannotMapTheStoreWritable) {
  auto writer = ShmKvsWriter::Create(8, 4096);
  ASSERT_TRUE(writer.has_value());
  void* map = mmap(nullptr, (*writer)->size(), PROT_READ | PROT_WRITE, MAP_SHARED,
                   (*writer)->fd(), 0);
  EXPECT_EQ(map, MAP_FAILED);
  ASSERT_TRUE((*writer)->Insert("still", "writable by the launcher"));
}

TEST(ShmKvsTest, ManyKeysAllFoundAndFirstValueWins) {
  auto writer = ShmKvsWriter::Create(1000, 1 << 20);
  ASSERT_TRUE(writer.has_value());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE((*writer)->Insert("key" + std::to_string(i), "value" + std::to_string(i)));
  }
  EXPECT_EQ((*writer)->Insert("key5", "other").error().code(), ErrorCode::kAlreadyExists);
  auto reader = ShmKvsReader::Open((*writer)->fd());
  ASSERT_TRUE(reader.has_value());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ((*reader)->Lookup("key" + std::to_string(i)), "value" + std::to_string(i));
  }
  EXPECT_EQ((*writer)->count(), 1000u);
}

TEST(ShmKvsTest, FullStoreIsResourceExhaustedNotACrash) {
  auto writer = ShmKvsWriter::Create(8, 4096);
  ASSERT_TRUE(writer.has_value());
  Status last;
  for (int i = 0; i < 100 && last; ++i) last = (*writer)->Insert(std::to_string(i), "v");
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code(), ErrorCode::kResourceExhausted);
}

TEST(ShmKvsTest, OpeningSomethingElseFails) {
  auto writer = ShmKvsWriter::Create(8, 4096);
  ASSERT_TRUE(writer.has_value());
  int fd = memfd_create("not-a-store", 0);
  ASSERT_EQ(ftruncate(fd, 8192), 0);
  EXPECT_FALSE(ShmKvsReader::Open(fd).has_value());
  close(fd);
}

}  // namespace
}  // namespace gantry::pmi
