// A ROOT file opened for reading: the TFile header (32- and 64-bit seeks), TKeys, TDirectories
// (keys lists and subdirectories) and the TStreamerInfo list (which classes, which versions).
// Objects are read by key as uncompressed bytes; trees are read by tree.h.
// Thread-safe after Open: every method only reads the immutable header state and the Source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "root/source.h"

namespace gantry::root {

struct FileHeader {
  int32_t version = 0;      // ROOT version that wrote it; >= 1000000 means 64-bit seeks
  int64_t begin = 0;        // fBEGIN: the first key (the TFile's own)
  int64_t end = 0;          // fEND
  int64_t seek_free = 0;
  int32_t nbytes_name = 0;  // the TFile key plus its name and title
  int32_t compress = 0;     // algorithm * 100 + level
  int64_t seek_info = 0;    // the TStreamerInfo list's key
  int32_t nbytes_info = 0;
  std::string uuid;         // fUUID's 16 bytes as hex (identifies the file for caches)
  bool large() const { return version >= 1000000; }
};

// One TKey header: where an object is, how long it is stored and uncompressed.
struct Key {
  int32_t nbytes = 0;  // key header + stored (maybe compressed) object
  int16_t version = 0;
  int32_t object_length = 0;
  uint32_t datime = 0;
  int16_t key_length = 0;
  int16_t cycle = 0;
  int64_t seek_key = 0;
  int64_t seek_pdir = 0;
  std::string class_name;
  std::string name;
  std::string title;
};

// Parses a TKey header at the cursor's position.
class Cursor;
Result<Key> ParseKey(Cursor& cursor);

struct Directory {
  std::string path;  // "" for the top directory, "dir/sub" below it
  int64_t seek_keys = 0;
  std::vector<Key> keys;
};

struct StreamerClass {
  std::string name;
  int32_t version = 0;
  uint32_t checksum = 0;
};

class File {
 public:
  // Reads and checks the header and the top directory's keys. Errors say "not a ROOT file",
  // "truncated", or what was corrupt and where.
  static Result<std::unique_ptr<File>> Open(std::unique_ptr<Source> source);
  static Result<std::unique_ptr<File>> Open(const std::string& url,
                                            const SourceOptions& options = {});

  const FileHeader& header() const { return header_; }
  const Directory& top() const { return top_; }
  Source& source() const { return *source_; }
  std::string Describe() const { return source_->Describe(); }

  // The keys of a subdirectory (a key of class TDirectory or TDirectoryFile).
  Result<Directory> ReadDirectory(const Key& key, std::string_view parent_path) const;
  // The object's bytes, decompressed (without the key header).
  Result<std::string> ReadObject(const Key& key) const;
  // The classes the file's TStreamerInfo list describes.
  Result<std::vector<StreamerClass>> ReadStreamerInfo() const;
  // Finds "name" or "dir/name" (highest cycle) among the keys, descending into directories.
  Result<Key> FindKey(std::string_view path) const;
  // Every key in every directory, with its directory path ("" or "dir/sub").
  Result<std::vector<std::pair<std::string, Key>>> AllKeys() const;

 private:
  File(std::unique_ptr<Source> source) : source_(std::move(source)) {}
  Result<Directory> ReadKeysList(int64_t seek_keys, int32_t nbytes_keys, std::string path) const;

  std::unique_ptr<Source> source_;
  FileHeader header_;
  Directory top_;
};

}  // namespace gantry::root
