#include "root/file.h"

#include <algorithm>
#include "root/fmt.h"

#include "root/compression.h"
#include "root/cursor.h"
#include "root/streamer.h"

namespace gantry::root {
namespace {

// Objects larger than this are refused rather than allocated (a corrupt length must not
// exhaust memory); ROOT itself keeps one key's object under 1 GiB.
constexpr int64_t kMaxObjectLength = int64_t(1) << 30;

struct DirectoryRecord {
  int32_t nbytes_keys = 0;
  int64_t seek_keys = 0;
};

Result<DirectoryRecord> ParseDirectoryRecord(Cursor& c) {
  GANTRY_ASSIGN_OR_RETURN(int16_t version, c.I16("TDirectory version"));
  GANTRY_RETURN_IF_ERROR(c.Skip(8, "TDirectory dates"));
  DirectoryRecord d;
  GANTRY_ASSIGN_OR_RETURN(d.nbytes_keys, c.I32("TDirectory::fNbytesKeys"));
  GANTRY_RETURN_IF_ERROR(c.Skip(4, "TDirectory::fNbytesName"));
  if (version > 1000) {
    GANTRY_RETURN_IF_ERROR(c.Skip(16, "TDirectory seeks"));
    GANTRY_ASSIGN_OR_RETURN(d.seek_keys, c.I64("TDirectory::fSeekKeys"));
  } else {
    GANTRY_RETURN_IF_ERROR(c.Skip(8, "TDirectory seeks"));
    GANTRY_ASSIGN_OR_RETURN(int32_t seek, c.I32("TDirectory::fSeekKeys"));
    d.seek_keys = seek;
  }
  return d;
}

bool IsDirectoryClass(std::string_view c) { return c == "TDirectory" || c == "TDirectoryFile"; }

}  // namespace

Result<Key> ParseKey(Cursor& c) {
  Key k;
  size_t start = c.pos();
  GANTRY_ASSIGN_OR_RETURN(k.nbytes, c.I32("TKey::fNbytes"));
  GANTRY_ASSIGN_OR_RETURN(k.version, c.I16("TKey version"));
  GANTRY_ASSIGN_OR_RETURN(k.object_length, c.I32("TKey::fObjlen"));
  GANTRY_ASSIGN_OR_RETURN(k.datime, c.U32("TKey::fDatime"));
  GANTRY_ASSIGN_OR_RETURN(k.key_length, c.I16("TKey::fKeylen"));
  GANTRY_ASSIGN_OR_RETURN(k.cycle, c.I16("TKey::fCycle"));
  if (k.version > 1000) {
    GANTRY_ASSIGN_OR_RETURN(k.seek_key, c.I64("TKey::fSeekKey"));
    GANTRY_ASSIGN_OR_RETURN(k.seek_pdir, c.I64("TKey::fSeekPdir"));
  } else {
    GANTRY_ASSIGN_OR_RETURN(int32_t seek_key, c.I32("TKey::fSeekKey"));
    GANTRY_ASSIGN_OR_RETURN(int32_t seek_pdir, c.I32("TKey::fSeekPdir"));
    k.seek_key = seek_key;
    k.seek_pdir = seek_pdir;
  }
  GANTRY_ASSIGN_OR_RETURN(k.class_name, c.TString("TKey class name"));
  GANTRY_ASSIGN_OR_RETURN(k.name, c.TString("TKey name"));
  GANTRY_ASSIGN_OR_RETURN(k.title, c.TString("TKey title"));
  if (k.key_length < static_cast<int64_t>(c.pos() - start) || k.nbytes < k.key_length ||
      k.object_length < 0 || k.seek_key < 0) {
    return Fail(InvalidArgument(Fmt(
        "corrupt key \"{}\" at offset {}: {} bytes, key length {}, object length {}", k.name,
        k.seek_key, k.nbytes, k.key_length, k.object_length)));
  }
  return k;
}

Result<std::unique_ptr<File>> File::Open(const std::string& url, const SourceOptions& options) {
  GANTRY_ASSIGN_OR_RETURN(std::unique_ptr<Source> source, OpenSource(url, options));
  return Open(std::move(source));
}

Result<std::unique_ptr<File>> File::Open(std::unique_ptr<Source> source) {
  std::unique_ptr<File> f(new File(std::move(source)));
  Source& src = *f->source_;
  std::string what = src.Describe();
  if (src.Size() < 4) {
    return Fail(InvalidArgument(Fmt("{} is not a ROOT file ({} bytes)", what, src.Size())));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string head,
                          src.ReadAt(0, static_cast<size_t>(std::min<uint64_t>(src.Size(), 128))));
  if (head.compare(0, 4, "root") != 0) {
    return Fail(InvalidArgument(Fmt("{} is not a ROOT file (it does not start with "
                                            "\"root\")",
                                            what)));
  }
  Cursor c(head);
  auto parsed = [&]() -> Status {
    GANTRY_RETURN_IF_ERROR(c.Skip(4, "magic"));
    FileHeader& h = f->header_;
    GANTRY_ASSIGN_OR_RETURN(h.version, c.I32("TFile version"));
    GANTRY_ASSIGN_OR_RETURN(int32_t begin, c.I32("TFile::fBEGIN"));
    h.begin = begin;
    if (h.large()) {
      GANTRY_ASSIGN_OR_RETURN(h.end, c.I64("TFile::fEND"));
      GANTRY_ASSIGN_OR_RETURN(h.seek_free, c.I64("TFile::fSeekFree"));
    } else {
      GANTRY_ASSIGN_OR_RETURN(int32_t end, c.I32("TFile::fEND"));
      GANTRY_ASSIGN_OR_RETURN(int32_t seek_free, c.I32("TFile::fSeekFree"));
      h.end = end;
      h.seek_free = seek_free;
    }
    GANTRY_RETURN_IF_ERROR(c.Skip(8, "TFile free segments"));
    GANTRY_ASSIGN_OR_RETURN(h.nbytes_name, c.I32("TFile::fNbytesName"));
    GANTRY_RETURN_IF_ERROR(c.Skip(1, "TFile::fUnits"));
    GANTRY_ASSIGN_OR_RETURN(h.compress, c.I32("TFile::fCompress"));
    if (h.large()) {
      GANTRY_ASSIGN_OR_RETURN(h.seek_info, c.I64("TFile::fSeekInfo"));
    } else {
      GANTRY_ASSIGN_OR_RETURN(int32_t seek_info, c.I32("TFile::fSeekInfo"));
      h.seek_info = seek_info;
    }
    GANTRY_ASSIGN_OR_RETURN(h.nbytes_info, c.I32("TFile::fNbytesInfo"));
    if (c.remaining() >= 18) {
      GANTRY_RETURN_IF_ERROR(c.Skip(2, "TFile::fUUID version"));
      GANTRY_ASSIGN_OR_RETURN(std::string_view uuid, c.Bytes(16, "TFile::fUUID"));
      for (char ch : uuid) h.uuid += Hex(static_cast<unsigned char>(ch), 2);
    }
    return {};
  }();
  if (!parsed) return Fail(parsed.error().Wrap(Fmt("{}: reading the TFile header", what)));
  const FileHeader& h = f->header_;
  // ROOT versions are 5 or 6 digits (plus 1000000 for 64-bit seeks); anything else means the
  // file only happens to start with "root" (a text file can).
  int32_t release = h.version % 1000000;
  if (h.version < 0 || release < 10000 || h.begin < 32 || h.begin > (1 << 20)) {
    return Fail(InvalidArgument(Fmt("{} is not a ROOT file (it starts with \"root\" but its "
                                    "header has version {} and fBEGIN {})",
                                    what, h.version, h.begin)));
  }
  if (h.end > static_cast<int64_t>(src.Size())) {
    return Fail(InvalidArgument(Fmt(
        "truncated file: {} has {} bytes but its header says it ends at {}", what, src.Size(),
        h.end)));
  }
  if (h.begin < 0 || h.nbytes_name <= 0 || h.begin + h.nbytes_name >= h.end) {
    return Fail(InvalidArgument(Fmt("{}: corrupt TFile header (fBEGIN {}, fNbytesName "
                                            "{}, fEND {})",
                                            what, h.begin, h.nbytes_name, h.end)));
  }
  // The top directory's record follows the TFile key and its name and title.
  uint64_t dir_at = static_cast<uint64_t>(h.begin + h.nbytes_name);
  GANTRY_ASSIGN_OR_RETURN(std::string dir_bytes,
                          src.ReadAt(dir_at, std::min<uint64_t>(src.Size() - dir_at, 64)));
  Cursor dc(dir_bytes);
  auto dir = ParseDirectoryRecord(dc);
  if (!dir) return Fail(dir.error().Wrap(Fmt("{}: the top directory", what)));
  auto top = f->ReadKeysList(dir->seek_keys, dir->nbytes_keys, "");
  if (!top) return Fail(top.error().Wrap(Fmt("{}: the top directory's keys", what)));
  f->top_ = std::move(*top);
  return f;
}

Result<Directory> File::ReadKeysList(int64_t seek_keys, int32_t nbytes_keys,
                                     std::string path) const {
  if (seek_keys <= 0 || nbytes_keys <= 0 ||
      static_cast<uint64_t>(seek_keys) + static_cast<uint64_t>(nbytes_keys) > source_->Size()) {
    return Fail(InvalidArgument(Fmt(
        "truncated or corrupt file: keys list of {} bytes at {} (file has {} bytes)",
        nbytes_keys, seek_keys, source_->Size())));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string bytes,
                          source_->ReadAt(static_cast<uint64_t>(seek_keys),
                                          static_cast<size_t>(nbytes_keys)));
  Cursor c(bytes);
  GANTRY_ASSIGN_OR_RETURN(Key list_key, ParseKey(c));
  GANTRY_RETURN_IF_ERROR(c.Seek(static_cast<size_t>(list_key.key_length), "keys list"));
  GANTRY_ASSIGN_OR_RETURN(int32_t nkeys, c.I32("number of keys"));
  if (nkeys < 0 || static_cast<size_t>(nkeys) > c.remaining() / 26) {
    return Fail(InvalidArgument(
        Fmt("corrupt keys list: {} keys in {} bytes", nkeys, c.remaining())));
  }
  Directory d;
  d.path = std::move(path);
  d.seek_keys = seek_keys;
  for (int32_t i = 0; i < nkeys; ++i) {
    GANTRY_ASSIGN_OR_RETURN(Key k, ParseKey(c));
    d.keys.push_back(std::move(k));
  }
  return d;
}

Result<Directory> File::ReadDirectory(const Key& key, std::string_view parent_path) const {
  if (!IsDirectoryClass(key.class_name)) {
    return Fail(InvalidArgument(Fmt("{} is a {}, not a directory", key.name,
                                            key.class_name)));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string bytes, ReadObject(key));
  Cursor c(bytes);
  auto rec = ParseDirectoryRecord(c);
  if (!rec) return Fail(rec.error().Wrap(Fmt("directory {}", key.name)));
  std::string path = parent_path.empty() ? key.name : Fmt("{}/{}", parent_path, key.name);
  return ReadKeysList(rec->seek_keys, rec->nbytes_keys, std::move(path));
}

Result<std::string> File::ReadObject(const Key& key) const {
  if (key.object_length > kMaxObjectLength) {
    return Fail(InvalidArgument(Fmt("object {} claims {} bytes, more than the {} this "
                                            "reader accepts",
                                            key.name, key.object_length, kMaxObjectLength)));
  }
  if (static_cast<uint64_t>(key.seek_key) + static_cast<uint64_t>(key.nbytes) > source_->Size()) {
    return Fail(InvalidArgument(Fmt("truncated file: object {} ({} bytes at {}) passes "
                                            "the end of {} ({} bytes)",
                                            key.name, key.nbytes, key.seek_key, Describe(),
                                            source_->Size())));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string record,
                          source_->ReadAt(static_cast<uint64_t>(key.seek_key),
                                          static_cast<size_t>(key.nbytes)));
  std::string_view stored = std::string_view(record).substr(static_cast<size_t>(key.key_length));
  auto out = Decompress(stored, static_cast<size_t>(key.object_length));
  if (!out) return Fail(out.error().Wrap(Fmt("object {} ({})", key.name, key.class_name)));
  return out;
}

Result<std::vector<StreamerClass>> File::ReadStreamerInfo() const {
  if (header_.seek_info <= 0 || header_.nbytes_info <= 0) return std::vector<StreamerClass>{};
  if (static_cast<uint64_t>(header_.seek_info) + static_cast<uint64_t>(header_.nbytes_info) >
      source_->Size()) {
    return Fail(InvalidArgument(Fmt("truncated file: the streamer info at {} passes the "
                                            "end of {}",
                                            header_.seek_info, Describe())));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string key_bytes,
                          source_->ReadAt(static_cast<uint64_t>(header_.seek_info),
                                          std::min<size_t>(header_.nbytes_info, 512)));
  Cursor kc(key_bytes);
  GANTRY_ASSIGN_OR_RETURN(Key key, ParseKey(kc));
  GANTRY_ASSIGN_OR_RETURN(std::string bytes, ReadObject(key));
  Cursor c(bytes, static_cast<uint64_t>(key.key_length));
  StreamRefs refs;
  std::vector<StreamerClass> out;
  auto parse = [&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader list, ReadObjectHeader(c, "TList"));
    GANTRY_RETURN_IF_ERROR(ReadTObject(c));
    GANTRY_RETURN_IF_ERROR(c.TString("TList::fName"));
    GANTRY_ASSIGN_OR_RETURN(int32_t n, c.I32("TList size"));
    if (n < 0 || static_cast<size_t>(n) > c.remaining() / 4) {
      return Fail(InvalidArgument(Fmt("corrupt streamer info list: {} entries", n)));
    }
    for (int32_t i = 0; i < n; ++i) {
      GANTRY_ASSIGN_OR_RETURN(AnyObject o, ReadObjectAny(c, refs));
      if (o.kind == AnyObject::Kind::kObject) {
        if (o.class_name == "TStreamerInfo") {
          GANTRY_RETURN_IF_ERROR(ReadObjectHeader(c, "TStreamerInfo"));
          GANTRY_ASSIGN_OR_RETURN(Named named, ReadTNamed(c));
          StreamerClass sc;
          sc.name = std::move(named.name);
          GANTRY_ASSIGN_OR_RETURN(sc.checksum, c.U32("TStreamerInfo::fCheckSum"));
          GANTRY_ASSIGN_OR_RETURN(sc.version, c.I32("TStreamerInfo::fClassVersion"));
          out.push_back(std::move(sc));
        }
        GANTRY_RETURN_IF_ERROR(c.Seek(o.end, "streamer info entry"));
      }
      GANTRY_ASSIGN_OR_RETURN(uint8_t option_length, c.U8("TList option"));
      GANTRY_RETURN_IF_ERROR(c.Skip(option_length, "TList option"));
    }
    return SkipToEnd(c, list, "TList");
  }();
  if (!parse) return Fail(parse.error().Wrap(Fmt("{}: the streamer info", Describe())));
  return out;
}

Result<std::vector<std::pair<std::string, Key>>> File::AllKeys() const {
  std::vector<std::pair<std::string, Key>> out;
  std::vector<Directory> pending{top_};
  for (int depth = 0; !pending.empty(); ++depth) {
    if (depth > 10000) return Fail(InvalidArgument("corrupt file: directories loop"));
    Directory d = std::move(pending.back());
    pending.pop_back();
    for (const Key& k : d.keys) {
      out.emplace_back(d.path, k);
      if (IsDirectoryClass(k.class_name)) {
        GANTRY_ASSIGN_OR_RETURN(Directory sub, ReadDirectory(k, d.path));
        pending.push_back(std::move(sub));
      }
    }
  }
  return out;
}

Result<Key> File::FindKey(std::string_view path) const {
  Directory dir = top_;
  std::string_view rest = path;
  while (true) {
    size_t slash = rest.find('/');
    std::string_view name = rest.substr(0, slash);
    const Key* best = nullptr;
    for (const Key& k : dir.keys) {
      if (k.name == name && (!best || k.cycle > best->cycle)) best = &k;
    }
    if (!best) {
      return Fail(NotFound(Fmt("{} has no object named \"{}\"", Describe(), path)));
    }
    if (slash == std::string_view::npos) return *best;
    GANTRY_ASSIGN_OR_RETURN(dir, ReadDirectory(*best, dir.path));
    rest = rest.substr(slash + 1);
  }
}

}  // namespace gantry::root
