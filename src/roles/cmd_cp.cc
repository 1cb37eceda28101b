// gantry cp SRC DST: copies one file between file:// and root:// URLs (or local paths) here,
// as xrdcp does: to a temporary name, verified by adler32 (the source's, or --checksum's),
// then renamed. Progress on stderr: bytes, rate, time left.
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "base/strings.h"
#include "roles/data_common.h"
#include "cli/flags.h"
#include "transfer/copier.h"

namespace gantry::cli {
namespace {

using Clock = std::chrono::steady_clock;

std::string ProgressLine(int64_t done, int64_t total, double seconds) {
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::string left = "-";
  if (rate > 0 && total >= done) left = FormatDuration(static_cast<int64_t>((total - done) / rate));
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s / %s  %s/s  %s left", HumanBytes(done).c_str(),
                HumanBytes(total).c_str(), HumanBytes(static_cast<int64_t>(rate)).c_str(),
                left.c_str());
  return buf;
}

}  // namespace

int RunCp(int argc, char** argv) {
  std::vector<std::string> words;
  std::string checksum;
  bool force = false, as_json = false, quiet = false;
  Flags f("gantry cp [--force] [--checksum adler32:X] [--json] SRC DST",
          "Copies one file between file:// and root:// URLs (plain paths are file://). The\n"
          "bytes go to DST.gantry-part-<pid> and become DST only once their adler32, as the\n"
          "destination computes it, equals the source's (or --checksum's); a failed or\n"
          "interrupted copy leaves nothing at DST. file-to-file copies use copy_file_range.\n"
          "Progress (bytes, rate, time left) goes to stderr when it is a terminal.");
  f.Bool("--force,-f", &force, "replace DST if it exists");
  f.String("--checksum", &checksum, "adler32:X", "the adler32 the file must have");
  f.Bool("--json", &as_json, "print the result as JSON");
  f.Bool("--quiet,-q", &quiet, "no progress");
  f.Positionals(&words, "SRC DST", 2, 2);
  if (int rc = ParseOrExit(f, argc, argv); rc >= 0) return rc;
  auto src = transfer::ParseUrlOrPath(words[0]);
  if (!src) return Report("cp", src.error());
  auto dst = transfer::ParseUrlOrPath(words[1]);
  if (!dst) return Report("cp", dst.error());
  if (dst->path.ends_with("/")) {
    std::string base = src->path.substr(src->path.rfind('/') + 1);
    dst = dst->WithPath(dst->path + base);
  }
  auto storage_for = [](const std::string& scheme) -> std::unique_ptr<transfer::Storage> {
    if (scheme == "file") return transfer::NewFileStorage();
    if (scheme == "root") return transfer::NewXrootdStorage();
    return nullptr;
  };
  auto from = storage_for(src->scheme);
  auto to = storage_for(dst->scheme);
  if (!from || !to) {
    return Report("cp", InvalidArgument("gantry cp speaks file:// and root:// (not " +
                                        (!from ? src->scheme : dst->scheme) + "://)"));
  }
  transfer::CopyOptions o;
  o.overwrite = force ? transfer::Overwrite::kYes : transfer::Overwrite::kNo;
  o.temp_suffix = std::to_string(getpid());
  if (!checksum.empty()) {
    if (!checksum.starts_with("adler32:")) {
      return Report("cp", InvalidArgument("--checksum takes adler32:XXXXXXXX"));
    }
    auto hex = catalog::NormalizeAdler32(checksum.substr(8));
    if (!hex) return Report("cp", hex.error());
    o.expected_adler32 = *hex;
  }
  auto start = Clock::now();
  auto last = start;
  bool show = !quiet && !as_json && isatty(STDERR_FILENO);
  o.progress = [&](int64_t done, int64_t total) {
    auto now = Clock::now();
    if (!show || (now - last < std::chrono::milliseconds(250) && done < total)) return;
    last = now;
    std::fprintf(stderr, "\r%-70s",
                 ProgressLine(done, total, std::chrono::duration<double>(now - start).count()).c_str());
  };
  auto r = transfer::Copy(*from, *src, *to, *dst, o);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (show) std::fprintf(stderr, "\n");
  if (!r) return Report("cp", r.error().error);
  if (as_json) {
    nlohmann::json j = {{"source", src->text}, {"destination", dst->text}, {"bytes", r->bytes},
                        {"adler32", r->adler32}, {"seconds", seconds}, {"method", r->method},
                        {"rate", seconds > 0 ? r->bytes / seconds : 0}};
    std::printf("%s\n", j.dump(2).c_str());
  } else if (!quiet) {
    std::printf("%s -> %s: %s in %.2f s (%s/s), adler32 %s verified\n", src->text.c_str(),
                dst->text.c_str(), HumanBytes(r->bytes).c_str(), seconds,
                HumanBytes(static_cast<int64_t>(seconds > 0 ? r->bytes / seconds : 0)).c_str(),
                r->adler32.c_str());
  }
  return 0;
}

}  // namespace gantry::cli
