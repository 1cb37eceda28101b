// Reading a TH1D (TH1D 3 / TH1 8 / TAxis 10, as ROOT 6 and Writer write them).
#include "root/cursor.h"
#include "root/fmt.h"
#include "root/streamer.h"
#include "root/writer.h"

namespace gantry::root {
namespace {

Status SkipObject(Cursor& c, std::string_view what) {
  GANTRY_ASSIGN_OR_RETURN(ObjectHeader h, ReadObjectHeader(c, what));
  if (!h.has_end()) return Fail(InvalidArgument(Fmt("{} has no byte count", what)));
  return SkipToEnd(c, h, what);
}

Result<std::vector<double>> ReadArrayD(Cursor& c, std::string_view what) {
  GANTRY_ASSIGN_OR_RETURN(int32_t n, c.I32(what));
  if (n < 0 || static_cast<size_t>(n) > c.remaining() / 8) {
    return Fail(InvalidArgument(Fmt("corrupt {}: {} values", what, n)));
  }
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) {
    GANTRY_ASSIGN_OR_RETURN(x, c.F64(what));
  }
  return v;
}

}  // namespace

Result<Histogram1D> ReadHistogram(const File& file, const std::string& name) {
  GANTRY_ASSIGN_OR_RETURN(Key key, file.FindKey(name));
  if (key.class_name != "TH1D") {
    return Fail(InvalidArgument(Fmt("{} is a {}, not a TH1D", name, key.class_name)));
  }
  GANTRY_ASSIGN_OR_RETURN(std::string bytes, file.ReadObject(key));
  Cursor c(bytes, static_cast<uint64_t>(key.key_length));
  StreamRefs refs;
  Histogram1D h;
  auto parse = [&]() -> Status {
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader th1d, ReadObjectHeader(c, "TH1D"));
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader th1, ReadObjectHeader(c, "TH1"));
    if (th1.version != 8) {
      return Fail(InvalidArgument(Fmt("unknown streamer: TH1 version {} (this reader knows 8)",
                                      th1.version)));
    }
    GANTRY_ASSIGN_OR_RETURN(Named named, ReadTNamed(c));
    h.name = named.name;
    h.title = named.title;
    for (const char* base : {"TAttLine", "TAttFill", "TAttMarker"}) {
      GANTRY_RETURN_IF_ERROR(SkipObject(c, base));
    }
    GANTRY_ASSIGN_OR_RETURN(int32_t cells, c.I32("TH1::fNcells"));
    GANTRY_ASSIGN_OR_RETURN(ObjectHeader axis, ReadObjectHeader(c, "TAxis"));
    GANTRY_ASSIGN_OR_RETURN(Named axis_named, ReadTNamed(c));
    h.x_title = axis_named.title;
    GANTRY_RETURN_IF_ERROR(SkipObject(c, "TAttAxis"));
    GANTRY_ASSIGN_OR_RETURN(h.bins, c.I32("TAxis::fNbins"));
    GANTRY_ASSIGN_OR_RETURN(h.low, c.F64("TAxis::fXmin"));
    GANTRY_ASSIGN_OR_RETURN(h.high, c.F64("TAxis::fXmax"));
    GANTRY_RETURN_IF_ERROR(SkipToEnd(c, axis, "TAxis"));
    GANTRY_RETURN_IF_ERROR(SkipObject(c, "TAxis"));
    GANTRY_RETURN_IF_ERROR(SkipObject(c, "TAxis"));
    GANTRY_RETURN_IF_ERROR(c.Skip(4, "TH1::fBarOffset, fBarWidth"));
    GANTRY_ASSIGN_OR_RETURN(h.entries, c.F64("TH1::fEntries"));
    GANTRY_RETURN_IF_ERROR(c.Skip(8 * 7, "TH1 sums"));
    GANTRY_RETURN_IF_ERROR(ReadArrayD(c, "TH1::fContour"));
    GANTRY_ASSIGN_OR_RETURN(h.sumw2, ReadArrayD(c, "TH1::fSumw2"));
    GANTRY_RETURN_IF_ERROR(SkipToEnd(c, th1, "TH1"));
    GANTRY_ASSIGN_OR_RETURN(h.sumw, ReadArrayD(c, "TH1D contents"));
    GANTRY_RETURN_IF_ERROR(SkipToEnd(c, th1d, "TH1D"));
    if (h.bins <= 0 || cells != h.bins + 2 || h.sumw.size() != static_cast<size_t>(cells) ||
        (!h.sumw2.empty() && h.sumw2.size() != h.sumw.size())) {
      return Fail(InvalidArgument(Fmt("corrupt TH1D {}: {} bins, {} cells, {} contents", name,
                                      h.bins, cells, h.sumw.size())));
    }
    return {};
  }();
  if (!parse) return Fail(parse.error().Wrap(Fmt("{}: histogram {}", file.Describe(), name)));
  return h;
}

}  // namespace gantry::root
