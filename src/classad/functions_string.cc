// strcat, join, substr, size, toUpper, toLower, strcmp, stricmp, split and the
// stringList* functions.
#include <string>

#include "classad/internal/function_util.h"

namespace gantry::classad::internal {
namespace {

constexpr std::string_view kDefaultListDelimiters = " ,";

Value ChangeCase(const Expr& call, const ClassAd* scope, EvalState& st, bool upper) {
  if (ArgCount(call) != 1) return Value::Error();
  Value s = ConvertToString(Arg(call, 0, scope, st));
  if (!s.IsString()) return s;
  std::string out(s.string());
  for (char& c : out) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return MakeString(std::move(out));
}

Value Compare(const Expr& call, const ClassAd* scope, EvalState& st, bool ignore_case) {
  if (ArgCount(call) != 2) return Value::Error();
  Value a = Arg(call, 0, scope, st);
  Value b = Arg(call, 1, scope, st);
  if (a.IsUndefined() || b.IsUndefined()) return Value::Undefined();
  a = ConvertToString(a);
  b = ConvertToString(b);
  if (!a.IsString() || !b.IsString()) return Value::Error();
  std::string x(a.string()), y(b.string());
  if (ignore_case) {
    for (char& c : x) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    for (char& c : y) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  int order = x.compare(y);
  return Value::Integer(order < 0 ? -1 : order > 0 ? 1 : 0);
}

// The delimiter argument of the stringList functions, or the default.
bool Delimiters(const Expr& call, size_t index, const ClassAd* scope, EvalState& st,
                Value* storage, std::string_view* out) {
  if (ArgCount(call) <= index) {
    *out = kDefaultListDelimiters;
    return true;
  }
  *storage = Arg(call, index, scope, st);
  if (!storage->IsString()) return false;
  *out = storage->string();
  return true;
}

Value StringListMember(const Expr& call, const ClassAd* scope, EvalState& st, bool ignore_case) {
  if (ArgCount(call) < 2 || ArgCount(call) > 3) return Value::Error();
  Value x = Arg(call, 0, scope, st);
  Value list = Arg(call, 1, scope, st);
  Value storage;
  std::string_view delimiters;
  if (x.IsUndefined() || list.IsUndefined()) return Value::Undefined();
  if (!x.IsString() || !list.IsString()) return Value::Error();
  if (!Delimiters(call, 2, scope, st, &storage, &delimiters)) {
    return storage.IsUndefined() ? Value::Undefined() : Value::Error();
  }
  for (std::string_view item : SplitStringList(list.string(), delimiters)) {
    if (ignore_case ? EqualsNoCase(item, x.string()) : item == x.string()) {
      return Value::Boolean(true);
    }
  }
  return Value::Boolean(false);
}

}  // namespace

// strcat: non-strings are unparsed; the first undefined or error argument is the result.
Value FnStrcat(const Expr& call, const ClassAd* scope, EvalState& st) {
  std::string out;
  for (size_t i = 0; i < ArgCount(call); ++i) {
    Value s = ConvertToString(Arg(call, i, scope, st));
    if (s.IsExceptional()) return s;
    out += s.string();
    if (out.size() > kMaxStringBytes) return Value::Error();
  }
  return MakeString(std::move(out));
}

// join(sep, list), join(list) or join(sep, a, b, ...); undefined items are skipped.
Value FnJoin(const Expr& call, const ClassAd* scope, EvalState& st) {
  size_t n = ArgCount(call);
  if (n == 0) return Value::Error();
  ValueList items;
  Value sep = Value::StringView("");
  Value last = Arg(call, n - 1, scope, st);
  if (n <= 2 && last.IsList()) {
    if (n == 2) sep = Arg(call, 0, scope, st);
    items = last.list();
  } else {
    sep = Arg(call, 0, scope, st);
    for (size_t i = 1; i + 1 < n; ++i) items.push_back(Arg(call, i, scope, st));
    if (n > 1) items.push_back(last);
  }
  sep = ConvertToString(sep);
  if (sep.IsError()) return sep;
  std::string_view separator = sep.IsString() ? sep.string() : std::string_view();
  std::string out;
  bool any = false;
  for (const Value& item : items) {
    Value s = ConvertToString(item);
    if (s.IsError()) return s;
    if (s.IsUndefined()) continue;
    if (any) out += separator;
    any = true;
    out += s.string();
    if (out.size() > kMaxStringBytes) return Value::Error();
  }
  return MakeString(std::move(out));
}

// substr(s, offset [, length]): a negative offset counts from the end; a negative
// length leaves that many characters off the end.
Value FnSubstr(const Expr& call, const ClassAd* scope, EvalState& st) {
  size_t n = ArgCount(call);
  if (n < 2 || n > 3) return Value::Error();
  Value s = Arg(call, 0, scope, st);
  Value offset = Arg(call, 1, scope, st);
  Value length = n == 3 ? Arg(call, 2, scope, st) : Value::Integer(0);
  if (s.IsUndefined() || offset.IsUndefined() || length.IsUndefined()) return Value::Undefined();
  if (!s.IsString() || !offset.IsInteger() || !length.IsInteger()) return Value::Error();
  int64_t size = static_cast<int64_t>(s.string().size());
  int64_t off = offset.integer();
  if (off < 0) {
    off = size + off < 0 ? 0 : size + off;
  } else if (off > size) {
    off = size;
  }
  int64_t len = length.integer();
  if (n == 3 && len == 0) return Value::String("");
  if (len <= 0) {
    len = size - off + len;
    if (len < 0) len = 0;
  } else if (len > size - off) {
    len = size - off;
  }
  return MakeString(std::string(s.string().substr(static_cast<size_t>(off),
                                                  static_cast<size_t>(len))));
}

Value FnSize(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) != 1) return Value::Error();
  Value v = Arg(call, 0, scope, st);
  switch (v.type()) {
    case ValueType::kUndefined: return v;
    case ValueType::kString: return Value::Integer(static_cast<int64_t>(v.string().size()));
    case ValueType::kList: return Value::Integer(static_cast<int64_t>(v.list().size()));
    case ValueType::kClassAd: return Value::Integer(static_cast<int64_t>(v.ad().size()));
    default: return Value::Error();
  }
}

Value FnToUpper(const Expr& c, const ClassAd* s, EvalState& st) {
  return ChangeCase(c, s, st, true);
}
Value FnToLower(const Expr& c, const ClassAd* s, EvalState& st) {
  return ChangeCase(c, s, st, false);
}
Value FnStrcmp(const Expr& c, const ClassAd* s, EvalState& st) { return Compare(c, s, st, false); }
Value FnStricmp(const Expr& c, const ClassAd* s, EvalState& st) { return Compare(c, s, st, true); }

Value FnStringListMember(const Expr& c, const ClassAd* s, EvalState& st) {
  return StringListMember(c, s, st, false);
}
Value FnStringListIMember(const Expr& c, const ClassAd* s, EvalState& st) {
  return StringListMember(c, s, st, true);
}

Value FnStringListSize(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) < 1 || ArgCount(call) > 2) return Value::Error();
  Value list = Arg(call, 0, scope, st);
  Value storage;
  std::string_view delimiters;
  if (list.IsUndefined()) return list;
  if (!list.IsString()) return Value::Error();
  if (!Delimiters(call, 1, scope, st, &storage, &delimiters)) {
    return storage.IsUndefined() ? Value::Undefined() : Value::Error();
  }
  return Value::Integer(static_cast<int64_t>(SplitStringList(list.string(), delimiters).size()));
}

// split(s [, delimiters]): the non-empty pieces; by default split at blanks and commas.
Value FnSplit(const Expr& call, const ClassAd* scope, EvalState& st) {
  if (ArgCount(call) < 1 || ArgCount(call) > 2) return Value::Error();
  Value s = Arg(call, 0, scope, st);
  if (s.IsUndefined()) return s;
  if (!s.IsString()) return Value::Error();
  std::string_view delimiters = " \t\r\n,";
  Value storage;
  if (ArgCount(call) == 2) {
    storage = Arg(call, 1, scope, st);
    if (storage.IsUndefined()) return storage;
    if (!storage.IsString()) return Value::Error();
    delimiters = storage.string();
  }
  ValueList out;
  for (std::string_view piece : SplitStringList(s.string(), delimiters)) {
    out.push_back(Value::String(std::string(piece)));
  }
  return Value::List(std::move(out));
}

}  // namespace gantry::classad::internal
