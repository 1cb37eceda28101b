#include "root/streamer.h"

#include "root/fmt.h"

namespace gantry::root {

Result<ObjectHeader> ReadObjectHeader(Cursor& cursor, std::string_view what) {
  GANTRY_RETURN_IF_ERROR(cursor.Need(2, what));
  ObjectHeader h;
  if (cursor.remaining() >= 6) {
    size_t start = cursor.pos();
    GANTRY_ASSIGN_OR_RETURN(uint32_t first, cursor.U32(what));
    if (first & kByteCountMask) {
      size_t count = first & ~kByteCountMask;
      if (count < 2 || count > cursor.size() - cursor.pos()) {
        return Fail(InvalidArgument(Fmt(
            "corrupt record: {} at offset {} claims {} bytes, {} remain", what, start, count,
            cursor.size() - cursor.pos())));
      }
      h.end = cursor.pos() + count;
      GANTRY_ASSIGN_OR_RETURN(h.version, cursor.I16(what));
      return h;
    }
    GANTRY_RETURN_IF_ERROR(cursor.Seek(start, what));
  }
  GANTRY_ASSIGN_OR_RETURN(h.version, cursor.I16(what));
  return h;
}

Status SkipToEnd(Cursor& cursor, const ObjectHeader& header, std::string_view what) {
  if (!header.has_end()) return {};
  if (cursor.pos() > header.end) {
    return Fail(InvalidArgument(Fmt(
        "corrupt record: {} read {} bytes past its byte count", what, cursor.pos() - header.end)));
  }
  return cursor.Seek(header.end, what);
}

Status ReadTObject(Cursor& cursor) {
  GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(cursor, "TObject"));
  GANTRY_RETURN_IF_ERROR(cursor.Skip(4, "TObject::fUniqueID"));
  GANTRY_ASSIGN_OR_RETURN(uint32_t bits, cursor.U32("TObject::fBits"));
  constexpr uint32_t kIsReferenced = 1u << 4;
  if (bits & kIsReferenced) GANTRY_RETURN_IF_ERROR(cursor.Skip(2, "TObject pidf"));
  return SkipToEnd(cursor, h, "TObject");
}

Result<Named> ReadTNamed(Cursor& cursor) {
  GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(cursor, "TNamed"));
  GANTRY_RETURN_IF_ERROR(ReadTObject(cursor));
  Named n;
  GANTRY_ASSIGN_OR_RETURN(n.name, cursor.TString("TNamed::fName"));
  GANTRY_ASSIGN_OR_RETURN(n.title, cursor.TString("TNamed::fTitle"));
  GANTRY_RETURN_IF_ERROR(SkipToEnd(cursor, h, "TNamed"));
  return n;
}

Result<AnyObject> ReadObjectAny(Cursor& cursor, StreamRefs& refs) {
  AnyObject out;
  uint64_t object_tag = cursor.StreamPos() + kMapOffset;
  GANTRY_ASSIGN_OR_RETURN(uint32_t first, cursor.U32("object pointer"));
  uint32_t tag = first;
  size_t end = 0;
  if ((first & kByteCountMask) && first != kNewClassTag) {
    size_t count = first & ~kByteCountMask;
    if (count < 4 || count > cursor.remaining()) {
      return Fail(InvalidArgument(Fmt(
          "corrupt record: object at offset {} claims {} bytes, {} remain", cursor.pos() - 4,
          count, cursor.remaining())));
    }
    end = cursor.pos() + count;
    uint64_t class_tag = cursor.StreamPos() + kMapOffset;
    GANTRY_ASSIGN_OR_RETURN(tag, cursor.U32("object class tag"));
    if (tag == kNewClassTag) {
      GANTRY_ASSIGN_OR_RETURN(out.class_name, cursor.CString("class name"));
      refs.classes[class_tag] = out.class_name;
    } else if (tag & kClassMask) {
      auto it = refs.classes.find(tag & ~kClassMask);
      if (it == refs.classes.end()) {
        return Fail(InvalidArgument(Fmt(
            "corrupt record: object at offset {} refers to an unknown class tag {}",
            cursor.pos() - 8, tag & ~kClassMask)));
      }
      out.class_name = it->second;
    } else {
      return Fail(InvalidArgument(Fmt(
          "corrupt record: object at offset {} has a byte count but no class tag",
          cursor.pos() - 8)));
    }
    out.kind = AnyObject::Kind::kObject;
    out.tag = object_tag;
    out.end = end;
    return out;
  }
  if (tag == 0) return out;
  if (tag == kNewClassTag || (tag & kClassMask)) {
    return Fail(InvalidArgument(Fmt(
        "corrupt record: object at offset {} has a class tag but no byte count",
        cursor.pos() - 4)));
  }
  out.kind = AnyObject::Kind::kReference;
  out.tag = tag;
  return out;
}

Result<ArrayHeader> ReadTObjArrayHeader(Cursor& cursor) {
  ArrayHeader a;
  GANTRY_ASSIGN_OR_RETURN(a.header, ReadObjectHeader(cursor, "TObjArray"));
  if (a.header.version > 2) GANTRY_RETURN_IF_ERROR(ReadTObject(cursor));
  if (a.header.version > 1) {
    GANTRY_ASSIGN_OR_RETURN(a.name, cursor.TString("TObjArray::fName"));
  }
  GANTRY_ASSIGN_OR_RETURN(a.count, cursor.I32("TObjArray size"));
  GANTRY_ASSIGN_OR_RETURN(a.lower_bound, cursor.I32("TObjArray lower bound"));
  if (a.count < 0 || static_cast<size_t>(a.count) > cursor.remaining() / 4) {
    return Fail(InvalidArgument(Fmt("corrupt record: TObjArray claims {} elements with "
                                            "{} bytes left",
                                            a.count, cursor.remaining())));
  }
  return a;
}

Status SkipTObjArray(Cursor& cursor, StreamRefs& refs) {
  GANTRY_ASSIGN_OR_RETURN(ArrayHeader a, ReadTObjArrayHeader(cursor));
  for (int32_t i = 0; i < a.count; ++i) {
    GANTRY_ASSIGN_OR_RETURN(AnyObject o, ReadObjectAny(cursor, refs));
    if (o.kind == AnyObject::Kind::kObject) {
      GANTRY_RETURN_IF_ERROR(cursor.Seek(o.end, "TObjArray element"));
    }
  }
  return SkipToEnd(cursor, a.header, "TObjArray");
}

}  // namespace gantry::root
