// gantry classad eval|match: evaluate ClassAd expressions and test matches locally,
// without a server. Exit status: 0 ok / match, 1 no match, 2 bad usage or input.
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/file.h"
#include "classad/eval.h"
#include "classad/matchmaker.h"
#include "classad/parser.h"
#include "classad/unparse.h"

namespace gantry::cli {
namespace {

namespace ca = gantry::classad;

constexpr char kUsage[] =
    "Usage: gantry classad eval [--my FILE] [--target FILE] EXPR...\n"
    "       gantry classad match [--json] JOB_AD RESOURCE_AD\n\n"
    "Evaluate ClassAd expressions, or test whether a job and a resource match,\n"
    "locally (no server needed). Ad files may be new ClassAds ([ a = 1; b = \"x\" ]),\n"
    "old ClassAds (Attr = value per line, as condor_q -l prints) or gLite JDL.\n";

constexpr char kEvalUsage[] =
    "Usage: gantry classad eval [--my FILE] [--target FILE] EXPR...\n\n"
    "Prints the value of each EXPR in canonical ClassAd syntax, one per line.\n\n"
    "  --my FILE      the ad EXPR is evaluated in (MY, and unqualified names)\n"
    "  --target FILE  the ad TARGET refers to (also searched for unqualified names)\n\n"
    "Exit status: 0 when every expression parsed, 2 on a bad file or expression.\n";

constexpr char kMatchUsage[] =
    "Usage: gantry classad match [--json] JOB_AD RESOURCE_AD\n\n"
    "Tests the job's Requirements with the resource as TARGET and the resource's\n"
    "Requirements (or START) with the job as TARGET, prints both Ranks and, when they\n"
    "do not match, which && clause of each Requirements fails.\n\n"
    "  --json  print the result as a JSON object\n\n"
    "Exit status: 0 match, 1 no match, 2 bad usage or input.\n";

ca::EvalOptions Options() {
  return ca::EvalOptions{.now_seconds = static_cast<int64_t>(std::time(nullptr)),
                         .random_seed = static_cast<uint64_t>(std::time(nullptr))};
}

bool LoadAd(const std::string& path, ca::ClassAd* out) {
  Result<std::string> text = ReadFile(path);
  if (!text) {
    std::fprintf(stderr, "gantry classad: %s\n", text.error().message().c_str());
    return false;
  }
  Result<ca::ClassAd> ad = ca::ParseClassAdAnyFormat(*text);
  if (!ad) {
    std::fprintf(stderr, "gantry classad: %s:%s\n", path.c_str(), ad.error().message().c_str());
    return false;
  }
  *out = std::move(*ad);
  return true;
}

bool IsHelp(std::string_view a) { return a == "--help" || a == "-h"; }

int RunEval(int argc, char** argv) {
  ca::ClassAd my, target;
  bool have_my = false, have_target = false;
  std::vector<std::string> exprs;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (IsHelp(a)) {
      std::fputs(kEvalUsage, stdout);
      return 0;
    }
    if (a == "--my" || a == "--target") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "gantry classad eval: %s needs a FILE\n", argv[i]);
        return 2;
      }
      bool is_my = a == "--my";
      if (!LoadAd(argv[++i], is_my ? &my : &target)) return 2;
      (is_my ? have_my : have_target) = true;
    } else if (a == "--") {
      for (++i; i < argc; ++i) exprs.emplace_back(argv[i]);
    } else {
      exprs.emplace_back(a);
    }
  }
  if (exprs.empty()) {
    std::fputs(kEvalUsage, stderr);
    return 2;
  }
  ca::EvalOptions options = Options();
  int status = 0;
  for (size_t i = 0; i < exprs.size(); ++i) {
    Result<ca::ExprPtr> e = ca::ParseExpr(exprs[i]);
    if (!e) {
      std::fprintf(stderr, "gantry classad eval: expression %zu (%s): %s\n", i + 1,
                   exprs[i].c_str(), e.error().message().c_str());
      status = 2;
      continue;
    }
    ca::Value v = ca::Evaluate(**e, have_my ? &my : nullptr, have_target ? &target : nullptr,
                               options);
    std::printf("%s\n", ca::Unparse(v).c_str());
  }
  return status;
}

nlohmann::json AnalysisJson(const ca::RequirementsAnalysis& a) {
  nlohmann::json clauses = nlohmann::json::array();
  for (const ca::ClauseResult& c : a.clauses) {
    clauses.push_back({{"clause", c.text}, {"value", ca::Unparse(c.value)},
                       {"satisfied", c.satisfied}});
  }
  return {{"attribute", a.attribute}, {"value", ca::Unparse(a.value)},
          {"satisfied", a.satisfied}, {"clauses", clauses}};
}

void PrintAnalysis(const char* who, const char* other, const ca::RequirementsAnalysis& a) {
  if (a.attribute.empty()) {
    std::printf("%s has no Requirements: accepts any %s\n", who, other);
    return;
  }
  std::printf("%s %s with the %s as TARGET: %s\n", who, a.attribute.c_str(), other,
              ca::Unparse(a.value).c_str());
  if (a.satisfied) return;
  for (const ca::ClauseResult& c : a.clauses) {
    std::printf("  [%s] %s  => %s\n", c.satisfied ? "ok  " : "FAIL", c.text.c_str(),
                ca::Unparse(c.value).c_str());
  }
}

int RunMatch(int argc, char** argv) {
  bool json = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (IsHelp(a)) {
      std::fputs(kMatchUsage, stdout);
      return 0;
    }
    if (a == "--json") {
      json = true;
    } else if (a.starts_with("--")) {
      std::fprintf(stderr, "gantry classad match: unknown option %s\n\n%s", argv[i], kMatchUsage);
      return 2;
    } else {
      files.emplace_back(a);
    }
  }
  if (files.size() != 2) {
    std::fputs(kMatchUsage, stderr);
    return 2;
  }
  ca::ClassAd job, resource;
  if (!LoadAd(files[0], &job) || !LoadAd(files[1], &resource)) return 2;
  ca::MatchAnalysis a = ca::AnalyzeMatch(job, resource, Options());
  if (json) {
    nlohmann::json out = {{"match", a.result.matches()},
                          {"job_accepts_resource", a.result.job_accepts},
                          {"resource_accepts_job", a.result.resource_accepts},
                          {"job_rank", a.result.job_rank},
                          {"resource_rank", a.result.resource_rank},
                          {"job", AnalysisJson(a.job)},
                          {"resource", AnalysisJson(a.resource)}};
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s\n", a.result.matches() ? "match" : "no match");
    PrintAnalysis("job", "resource", a.job);
    PrintAnalysis("resource", "job", a.resource);
    std::printf("job rank of resource: %g\nresource rank of job: %g\n", a.result.job_rank,
                a.result.resource_rank);
  }
  return a.result.matches() ? 0 : 1;
}

}  // namespace

int RunClassad(int argc, char** argv) {
  if (argc < 2 || IsHelp(argv[1])) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string_view sub = argv[1];
  if (sub == "eval") return RunEval(argc - 1, argv + 1);
  if (sub == "match") return RunMatch(argc - 1, argv + 1);
  std::fprintf(stderr, "gantry classad: unknown subcommand '%s'\n\n%s", argv[1], kUsage);
  return 2;
}

}  // namespace gantry::cli
