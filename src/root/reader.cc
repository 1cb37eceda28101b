#include "root/reader.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include "root/fmt.h"
#include <optional>
#include <thread>

#include "root/compression.h"
#include "root/cursor.h"

namespace gantry::root {
namespace {

void ToNative(const char* in, size_t n, size_t size, unsigned char* out) {
  if (n == 0) return;  // an empty basket: `out` may be null, which memcpy must not get
  switch (size) {
    case 1: std::memcpy(out, in, n); return;
    case 2:
      for (size_t i = 0; i < n; i += 2) {
        uint16_t v = LoadBE16(reinterpret_cast<const unsigned char*>(in + i));
        std::memcpy(out + i, &v, 2);
      }
      return;
    case 4:
      for (size_t i = 0; i < n; i += 4) {
        uint32_t v = LoadBE32(reinterpret_cast<const unsigned char*>(in + i));
        std::memcpy(out + i, &v, 4);
      }
      return;
    default:
      for (size_t i = 0; i < n; i += 8) {
        uint64_t v = LoadBE64(reinterpret_cast<const unsigned char*>(in + i));
        std::memcpy(out + i, &v, 8);
      }
  }
}

Result<DecodedBasket> DecodeValues(std::string_view data, const std::vector<int64_t>& byte_offsets,
                                   int32_t entries, const Branch& branch) {
  const size_t size = ScalarSize(*branch.type);
  DecodedBasket out;
  out.entries = entries;
  if (data.size() % size != 0) {
    return Fail(InvalidArgument(Fmt("corrupt basket of {}: {} bytes is not a whole "
                                            "number of {}-byte values",
                                            branch.name, data.size(), size)));
  }
  if (branch.jagged()) {
    if (byte_offsets.size() != static_cast<size_t>(entries) + 1) {
      return Fail(InvalidArgument(Fmt("corrupt basket of {}: a jagged branch's basket "
                                              "has no entry offsets",
                                              branch.name)));
    }
    out.entry_values.resize(static_cast<size_t>(entries));
    for (int32_t i = 0; i < entries; ++i) {
      int64_t a = byte_offsets[i], b = byte_offsets[i + 1];
      if (a < 0 || b < a || static_cast<size_t>(b) > data.size() || (b - a) % size != 0) {
        return Fail(InvalidArgument(Fmt("corrupt basket of {}: entry {} spans bytes {} "
                                                "to {} of {}",
                                                branch.name, i, a, b, data.size())));
      }
      out.entry_values[i] = (b - a) / static_cast<int64_t>(size);
    }
  } else {
    uint64_t expected = uint64_t(entries) * uint64_t(branch.fixed_length) * size;
    if (data.size() != expected) {
      return Fail(InvalidArgument(Fmt("corrupt basket of {}: {} bytes for {} entries of "
                                              "{} x {} bytes",
                                              branch.name, data.size(), entries,
                                              branch.fixed_length, size)));
    }
  }
  out.values.resize(data.size());
  ToNative(data.data(), data.size(), size, out.values.data());
  return out;
}

Result<DecodedBasket> DecodeEmbedded(const EmbeddedBasket& e, const Branch& branch) {
  std::vector<int64_t> offsets(e.offsets.begin(), e.offsets.end());
  return DecodeValues(e.data, offsets, e.entries, branch);
}

struct Task {
  size_t branch = 0;  // index into the request
  int64_t first_entry = 0;
  const BasketLocation* disk = nullptr;
  const EmbeddedBasket* embedded = nullptr;
  std::string record;
  std::optional<Result<DecodedBasket>> result;
};

// Runs fn(i) for i in [0, n) on up to `threads` threads.
template <typename Fn>
void ParallelFor(size_t n, int threads, Fn fn) {
  size_t workers = std::min<size_t>(n, static_cast<size_t>(std::max(threads, 1)));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  }
  for (std::thread& t : pool) t.join();
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

double BranchData::Value(int64_t i) const {
  const unsigned char* p = values.data() + static_cast<size_t>(i) * ScalarSize(type);
  auto load = [p]<typename T>(T) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return static_cast<double>(v);
  };
  switch (type) {
    case ScalarType::kBool: return *p != 0 ? 1.0 : 0.0;
    case ScalarType::kUChar: return load(uint8_t{});
    case ScalarType::kChar: return load(int8_t{});
    case ScalarType::kShort: return load(int16_t{});
    case ScalarType::kUShort: return load(uint16_t{});
    case ScalarType::kInt: return load(int32_t{});
    case ScalarType::kUInt: return load(uint32_t{});
    case ScalarType::kLong64: return load(int64_t{});
    case ScalarType::kULong64: return load(uint64_t{});
    case ScalarType::kFloat: return load(float{});
    case ScalarType::kDouble: return load(double{});
  }
  return 0;
}

double BranchData::Sum() const {
  double s = 0;
  for (int64_t i = 0, n = count(); i < n; ++i) s += Value(i);
  return s;
}

Result<DecodedBasket> DecodeBasket(std::string_view record, const Branch& branch) {
  if (!branch.type) {
    return Fail(InvalidArgument(Fmt("branch {} cannot be read: {}", branch.name,
                                            branch.unsupported)));
  }
  Cursor c(record);
  GANTRY_ASSIGN_OR_RETURN(Key key, ParseKey(c));
  GANTRY_RETURN_IF_ERROR(c.Skip(2, "TBasket version"));
  GANTRY_RETURN_IF_ERROR(c.Skip(8, "TBasket::fBufferSize, fNevBufSize"));
  GANTRY_ASSIGN_OR_RETURN(int32_t nevbuf, c.I32("TBasket::fNevBuf"));
  GANTRY_ASSIGN_OR_RETURN(int32_t last, c.I32("TBasket::fLast"));
  if (c.pos() + 1 > static_cast<size_t>(key.key_length) ||
      static_cast<size_t>(key.nbytes) > record.size() || nevbuf < 0) {
    return Fail(InvalidArgument(Fmt("corrupt basket of {}: key of {} bytes, header {} "
                                            "bytes, record {} bytes",
                                            branch.name, key.nbytes, key.key_length,
                                            record.size())));
  }
  std::string_view stored = record.substr(static_cast<size_t>(key.key_length),
                                          static_cast<size_t>(key.nbytes - key.key_length));
  GANTRY_ASSIGN_OR_RETURN(std::string raw,
                          Decompress(stored, static_cast<size_t>(key.object_length)));
  int64_t border = int64_t(last) - key.key_length;
  if (border < 0 || border > static_cast<int64_t>(raw.size())) {
    return Fail(InvalidArgument(Fmt("corrupt basket of {}: fLast {} outside its {} "
                                            "bytes",
                                            branch.name, last, raw.size())));
  }
  std::string_view data = std::string_view(raw).substr(0, static_cast<size_t>(border));
  std::vector<int64_t> offsets;
  if (branch.jagged()) {
    Cursor oc(std::string_view(raw).substr(static_cast<size_t>(border)));
    GANTRY_ASSIGN_OR_RETURN(int32_t n, oc.I32("basket entry offsets"));
    if (n < nevbuf || static_cast<size_t>(n) > oc.remaining() / 4) {
      return Fail(InvalidArgument(Fmt("corrupt basket of {}: {} entry offsets for {} "
                                              "entries",
                                              branch.name, n, nevbuf)));
    }
    offsets.resize(static_cast<size_t>(nevbuf) + 1);
    for (int32_t i = 0; i < nevbuf; ++i) {
      GANTRY_ASSIGN_OR_RETURN(int32_t o, oc.I32("basket entry offset"));
      offsets[i] = int64_t(o) - key.key_length;
    }
    offsets[nevbuf] = border;
  }
  return DecodeValues(data, offsets, nevbuf, branch);
}

Result<std::vector<BranchData>> ReadBranches(const File& file, const Tree& tree,
                                             std::span<const std::string> names,
                                             const ReadOptions& options, ReadStats* stats) {
  std::vector<const Branch*> branches;
  for (const std::string& name : names) {
    const Branch* b = tree.Find(name);
    if (!b) {
      return Fail(NotFound(Fmt("tree {} in {} has no branch named \"{}\"", tree.name,
                                       file.Describe(), name)));
    }
    if (!b->type) {
      return Fail(InvalidArgument(Fmt("branch {} of tree {} cannot be read: {}", name,
                                              tree.name, b->unsupported)));
    }
    branches.push_back(b);
  }
  int64_t start = std::clamp<int64_t>(options.entry_start, 0, tree.entries);
  int64_t stop = options.entry_stop < 0 ? tree.entries
                                        : std::clamp<int64_t>(options.entry_stop, start,
                                                              tree.entries);
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::max(1u,
                                                                std::thread::hardware_concurrency()));

  std::vector<Task> tasks;
  for (size_t bi = 0; bi < branches.size(); ++bi) {
    const Branch& b = *branches[bi];
    for (const BasketLocation& loc : b.baskets) {
      if (loc.entry_end <= start || loc.first_entry >= stop) continue;
      // Checked before any buffer is sized from it: a corrupt size must not allocate.
      if (static_cast<uint64_t>(loc.seek) + static_cast<uint64_t>(loc.bytes) >
          file.source().Size()) {
        return Fail(InvalidArgument(Fmt("truncated file: branch {}'s basket of {} bytes at "
                                        "offset {} passes the end of {} ({} bytes)",
                                        b.name, loc.bytes, loc.seek, file.Describe(),
                                        file.source().Size())));
      }
      tasks.push_back(Task{.branch = bi, .first_entry = loc.first_entry, .disk = &loc});
    }
    for (const EmbeddedBasket& e : b.embedded) {
      if (e.first_entry + e.entries <= start || e.first_entry >= stop) continue;
      tasks.push_back(Task{.branch = bi, .first_entry = e.first_entry, .embedded = &e});
    }
  }

  ReadStats local;
  // Fetch in batches (by position in the file, so adjacent baskets merge into one range),
  // then decode the batch in parallel.
  std::vector<size_t> order(tasks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    int64_t sa = tasks[a].disk ? tasks[a].disk->seek : -1, sb = tasks[b].disk ? tasks[b].disk->seek : -1;
    return sa < sb;
  });
  for (size_t at = 0; at < order.size();) {
    size_t end = at, bytes = 0;
    while (end < order.size() && (end == at || bytes < options.batch_bytes)) {
      const Task& t = tasks[order[end]];
      if (t.disk) bytes += static_cast<size_t>(t.disk->bytes);
      ++end;
    }
    auto t0 = std::chrono::steady_clock::now();
    std::vector<ReadRequest> requests;
    for (size_t k = at; k < end; ++k) {
      Task& t = tasks[order[k]];
      if (!t.disk) continue;
      t.record.resize(static_cast<size_t>(t.disk->bytes));
      ReadRequest r{static_cast<uint64_t>(t.disk->seek), t.record.size(), t.record.data()};
      requests.push_back(r);
    }
    if (!requests.empty()) {
      Status s = file.source().ReadV(requests);
      if (!s) return Fail(s.error().Wrap(Fmt("reading baskets of tree {}", tree.name)));
      local.vector_reads += 1;
      for (const ReadRequest& r : requests) local.bytes_read += r.size;
    }
    auto t1 = std::chrono::steady_clock::now();
    ParallelFor(end - at, threads, [&](size_t k) {
      Task& t = tasks[order[at + k]];
      const Branch& b = *branches[t.branch];
      t.result = t.disk ? DecodeBasket(t.record, b) : DecodeEmbedded(*t.embedded, b);
      std::string().swap(t.record);
    });
    auto t2 = std::chrono::steady_clock::now();
    local.read_seconds += Seconds(t1 - t0);
    local.decode_seconds += Seconds(t2 - t1);
    for (size_t k = at; k < end; ++k) {
      Task& t = tasks[order[k]];
      if (!*t.result) {
        const Branch& b = *branches[t.branch];
        return Fail(t.result->error().Wrap(Fmt(
            "branch {}, basket at entry {}{}", b.name, t.first_entry,
            t.disk ? Fmt(" (offset {})", t.disk->seek) : std::string(" (embedded)"))));
      }
    }
    at = end;
  }

  // Join each branch's baskets in entry order, trimmed to [start, stop).
  std::vector<BranchData> out(branches.size());
  std::vector<std::vector<Task*>> per_branch(branches.size());
  for (Task& t : tasks) per_branch[t.branch].push_back(&t);
  for (size_t bi = 0; bi < branches.size(); ++bi) {
    const Branch& b = *branches[bi];
    BranchData& d = out[bi];
    d.name = b.name;
    d.type = *b.type;
    const size_t size = ScalarSize(d.type);
    auto& list = per_branch[bi];
    std::sort(list.begin(), list.end(),
              [](const Task* x, const Task* y) { return x->first_entry < y->first_entry; });
    int64_t next_entry = start;
    if (b.jagged()) d.offsets.push_back(0);
    for (Task* t : list) {
      DecodedBasket& basket = **t->result;
      local.baskets += 1;
      local.bytes_uncompressed += basket.values.size();
      bool first = t == list.front();
      if ((first && t->first_entry > start) || (!first && t->first_entry != next_entry)) {
        return Fail(InvalidArgument(Fmt("corrupt branch {}: baskets cover entries up to "
                                                "{} but the next starts at {}",
                                                b.name, next_entry, t->first_entry)));
      }
      int64_t lo = std::max<int64_t>(start - t->first_entry, 0);
      int64_t hi = std::min<int64_t>(stop - t->first_entry, basket.entries);
      if (hi < lo) continue;
      size_t value_lo, value_hi;
      if (b.jagged()) {
        int64_t v = 0;
        for (int64_t i = 0; i < lo; ++i) v += basket.entry_values[i];
        value_lo = static_cast<size_t>(v);
        for (int64_t i = lo; i < hi; ++i) {
          v += basket.entry_values[i];
          d.offsets.push_back(d.offsets.back() + basket.entry_values[i]);
        }
        value_hi = static_cast<size_t>(v);
      } else {
        value_lo = static_cast<size_t>(lo) * b.fixed_length;
        value_hi = static_cast<size_t>(hi) * b.fixed_length;
      }
      d.values.insert(d.values.end(), basket.values.begin() + value_lo * size,
                      basket.values.begin() + value_hi * size);
      d.entries += hi - lo;
      next_entry = t->first_entry + basket.entries;
      std::vector<unsigned char>().swap(basket.values);
    }
    if (d.entries != stop - start) {
      return Fail(InvalidArgument(Fmt("corrupt branch {}: its baskets hold {} of the {} "
                                              "entries asked for",
                                              b.name, d.entries, stop - start)));
    }
  }
  if (stats) {
    stats->baskets += local.baskets;
    stats->bytes_read += local.bytes_read;
    stats->bytes_uncompressed += local.bytes_uncompressed;
    stats->vector_reads += local.vector_reads;
    stats->read_seconds += local.read_seconds;
    stats->decode_seconds += local.decode_seconds;
  }
  return out;
}

}  // namespace gantry::root
