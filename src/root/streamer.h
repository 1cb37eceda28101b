// Reading ROOT's streamed objects: the byte-count + version header, TObject, TNamed, TObjArray,
// TList and object pointers (new-class tags, class references, object references), all
// bounds-checked. The layouts follow ROOT's TBufferFile (see README.md). Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "base/error.h"
#include "root/cursor.h"

namespace gantry::root {

// Byte-count flag on the leading word of an object, and the object-pointer tags.
inline constexpr uint32_t kByteCountMask = 0x40000000;
inline constexpr uint32_t kNewClassTag = 0xffffffff;
inline constexpr uint32_t kClassMask = 0x80000000;
inline constexpr uint32_t kMapOffset = 2;

struct ObjectHeader {
  int16_t version = 0;
  size_t end = 0;  // cursor position just past the object; 0 if it carried no byte count
  bool has_end() const { return end != 0; }
};

// Reads [byte count] version. Fails if the byte count points past the record.
Result<ObjectHeader> ReadObjectHeader(Cursor& cursor, std::string_view what);
// Moves to the object's end when it had a byte count (skipping members not read).
Status SkipToEnd(Cursor& cursor, const ObjectHeader& header, std::string_view what);

Status ReadTObject(Cursor& cursor);
struct Named {
  std::string name;
  std::string title;
};
Result<Named> ReadTNamed(Cursor& cursor);

// The classes and objects seen so far in one record, by the stream position ROOT tags them
// with (position + kMapOffset).
struct StreamRefs {
  std::unordered_map<uint64_t, std::string> classes;
  std::unordered_map<uint64_t, std::string> object_names;
};

// One element of an object-pointer slot (TObjArray entries, pointer members).
struct AnyObject {
  enum class Kind { kNull, kReference, kObject } kind = Kind::kNull;
  std::string class_name;  // kObject
  uint64_t tag = 0;        // kObject: where refs to it point; kReference: what it points to
  size_t end = 0;          // kObject: cursor position past the object
};
Result<AnyObject> ReadObjectAny(Cursor& cursor, StreamRefs& refs);

// A TObjArray's header: its name and how many slots follow (each read with ReadObjectAny).
struct ArrayHeader {
  ObjectHeader header;
  std::string name;
  int32_t count = 0;
  int32_t lower_bound = 0;
};
Result<ArrayHeader> ReadTObjArrayHeader(Cursor& cursor);
// Reads a TObjArray with every element skipped (classes still recorded in refs).
Status SkipTObjArray(Cursor& cursor, StreamRefs& refs);

}  // namespace gantry::root
