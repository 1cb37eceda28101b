#include "pmi/shm_kvs.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>

namespace gantry::pmi {

// Layout: Header | slots[capacity] (8 bytes each) | arena of entries.
// A slot word is (hash32 << 32) | (entry offset in 8-byte units, from the arena start) + 1;
// 0 means empty. An entry is u32 key length, u32 value length, key bytes, value bytes, padded
// to 8 bytes. Open addressing, linear probing, no deletion: a reader that sees a slot word also
// sees its entry, because the writer stores the word with release and readers load with acquire.
struct ShmKvsLayout {
  static constexpr uint64_t kMagic = 0x31564b5947544e47ULL;  // "GNTGYKV1"
  struct Header {
    uint64_t magic;
    uint64_t size;
    uint64_t capacity;  // slots, a power of two
    uint64_t arena_offset;
    std::atomic<uint64_t> arena_used;
    std::atomic<uint32_t> count;
  };
  static uint32_t Hash(std::string_view key) {
    // FNV-1a: short keys, no need for more.
    uint32_t h = 2166136261u;
    for (unsigned char ch : key) h = (h ^ ch) * 16777619u;
    return h;
  }
  static std::atomic<uint64_t>* Slots(void* base) {
    return reinterpret_cast<std::atomic<uint64_t>*>(static_cast<char*>(base) + 64);
  }
};
static_assert(sizeof(ShmKvsLayout::Header) <= 64);
static_assert(std::atomic<uint64_t>::is_always_lock_free);

Result<std::unique_ptr<ShmKvsWriter>> ShmKvsWriter::Create(size_t expected_keys,
                                                           size_t arena_bytes) {
  uint64_t capacity = std::bit_ceil(std::max<uint64_t>(64, expected_keys * 2));
  uint64_t arena_offset = (64 + capacity * 8 + 4095) & ~uint64_t{4095};
  uint64_t size = arena_offset + ((arena_bytes + 4095) & ~uint64_t{4095});
  int fd = memfd_create("gantry-pmi-kvs", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return Fail(ErrnoError("memfd_create for the PMI key-value store", errno));
  if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
    int err = errno;
    close(fd);
    return Fail(ErrnoError("sizing the PMI key-value store", err));
  }
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    int err = errno;
    close(fd);
    return Fail(ErrnoError("mapping the PMI key-value store", err));
  }
  // Ranks inherit the fd read-write; after this seal only the writer's existing mapping can
  // change the store, so one rank cannot corrupt what the others read. Best effort (Linux 5.1+).
  fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  auto* header = new (base) ShmKvsLayout::Header{};
  header->size = size;
  header->capacity = capacity;
  header->arena_offset = arena_offset;
  header->arena_used.store(0, std::memory_order_relaxed);
  header->count.store(0, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  header->magic = ShmKvsLayout::kMagic;
  return std::unique_ptr<ShmKvsWriter>(new ShmKvsWriter(fd, base, size));
}

ShmKvsWriter::~ShmKvsWriter() {
  munmap(base_, size_);
  close(fd_);
}

uint32_t ShmKvsWriter::count() const {
  return static_cast<const ShmKvsLayout::Header*>(base_)->count.load(std::memory_order_relaxed);
}

Status ShmKvsWriter::Insert(std::string_view key, std::string_view value) {
  auto* header = static_cast<ShmKvsLayout::Header*>(base_);
  auto* slots = ShmKvsLayout::Slots(base_);
  char* arena = static_cast<char*>(base_) + header->arena_offset;
  const uint64_t arena_size = header->size - header->arena_offset;
  if (header->count.load(std::memory_order_relaxed) + 1 > header->capacity * 3 / 4) {
    return Fail(ResourceExhausted("shared-memory key-value store is full (keys)"));
  }
  const uint32_t hash = ShmKvsLayout::Hash(key);
  uint64_t mask = header->capacity - 1;
  uint64_t i = hash & mask;
  for (;; i = (i + 1) & mask) {
    uint64_t word = slots[i].load(std::memory_order_relaxed);
    if (word == 0) break;
    if ((word >> 32) != hash) continue;
    const char* entry = arena + ((word & 0xffffffffu) - 1) * 8;
    uint32_t key_len;
    std::memcpy(&key_len, entry, 4);
    if (std::string_view(entry + 8, key_len) == key) {
      return Fail(AlreadyExists("key '" + std::string(key) + "' is already in the store"));
    }
  }
  uint64_t used = header->arena_used.load(std::memory_order_relaxed);
  uint64_t need = (8 + key.size() + value.size() + 7) & ~uint64_t{7};
  if (used + need > arena_size || (used / 8 + 1) > 0xffffffffu) {
    return Fail(ResourceExhausted("shared-memory key-value store is full (bytes)"));
  }
  char* entry = arena + used;
  uint32_t key_len = static_cast<uint32_t>(key.size());
  uint32_t value_len = static_cast<uint32_t>(value.size());
  std::memcpy(entry, &key_len, 4);
  std::memcpy(entry + 4, &value_len, 4);
  std::memcpy(entry + 8, key.data(), key.size());
  std::memcpy(entry + 8 + key.size(), value.data(), value.size());
  header->arena_used.store(used + need, std::memory_order_relaxed);
  slots[i].store((uint64_t{hash} << 32) | (used / 8 + 1), std::memory_order_release);
  header->count.fetch_add(1, std::memory_order_relaxed);
  return {};
}

Result<std::unique_ptr<ShmKvsReader>> ShmKvsReader::Open(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Fail(ErrnoError("stat of the PMI key-value store", errno));
  if (st.st_size < 4096) {
    return Fail(InvalidArgument("fd " + std::to_string(fd) + " is not a Gantry key-value store"));
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* base = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) return Fail(ErrnoError("mapping the PMI key-value store", errno));
  auto* header = static_cast<const ShmKvsLayout::Header*>(base);
  if (header->magic != ShmKvsLayout::kMagic || header->size != size) {
    munmap(base, size);
    return Fail(InvalidArgument("fd " + std::to_string(fd) + " is not a Gantry key-value store"));
  }
  return std::unique_ptr<ShmKvsReader>(new ShmKvsReader(base, size));
}

ShmKvsReader::~ShmKvsReader() { munmap(const_cast<void*>(base_), size_); }

std::optional<std::string_view> ShmKvsReader::Lookup(std::string_view key) const {
  void* base = const_cast<void*>(base_);
  auto* header = static_cast<const ShmKvsLayout::Header*>(base_);
  const auto* slots = ShmKvsLayout::Slots(base);
  const char* arena = static_cast<const char*>(base_) + header->arena_offset;
  const uint32_t hash = ShmKvsLayout::Hash(key);
  const uint64_t mask = header->capacity - 1;
  for (uint64_t i = hash & mask;; i = (i + 1) & mask) {
    uint64_t word = slots[i].load(std::memory_order_acquire);
    if (word == 0) return std::nullopt;
    if ((word >> 32) != hash) continue;
    const char* entry = arena + ((word & 0xffffffffu) - 1) * 8;
    uint32_t key_len, value_len;
    std::memcpy(&key_len, entry, 4);
    std::memcpy(&value_len, entry + 4, 4);
    if (std::string_view(entry + 8, key_len) == key) {
      return std::string_view(entry + 8 + key_len, value_len);
    }
  }
}

}  // namespace gantry::pmi
