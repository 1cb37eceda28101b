// Measures ClassAd evaluation and matchmaking speed (run by hand, not in ctest):
//   - evaluations per second of a typical job Requirements against ads of ~50 attributes,
//     as written (tree walk with attribute lookups) and flattened against the job ad;
//   - the same through BulkMatcher's compiled path (what the broker uses);
//   - pair tests per second for 10,000 jobs x 1,000 resources with BulkMatcher.
// Evaluation rates are also printed as a ratio of the 5 M evaluations/s per core goal.
// Times are thread CPU time, so the figures are per core.
// Usage: classad_bench [JOBS RESOURCES]
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "classad/eval.h"
#include "classad/flatten.h"
#include "classad/matchmaker.h"
#include "classad/parser.h"

namespace ca = gantry::classad;

namespace {

constexpr char kRequirements[] =
    "TARGET.Memory >= MY.RequestMemory && TARGET.Cpus >= MY.RequestCpus && "
    "TARGET.Arch == \"X86_64\" && member(TARGET.Site, MY.Sites)";
const char* kSites[] = {"CERN", "FNAL", "DESY", "RAL", "IN2P3", "NIKHEF", "KIT", "PIC"};

ca::ClassAd JobAd(int i) {
  std::string text = "[ RequestMemory = " + std::to_string(1024 * (1 + i % 8)) +
                     "; RequestCpus = " + std::to_string(1 + i % 4) + "; Sites = { \"" +
                     kSites[i % 8] + "\", \"" + kSites[(i + 3) % 8] + "\" }; Requirements = " +
                     kRequirements + "; Rank = TARGET.Memory";
  for (int a = 0; a < 46; ++a) {
    text += "; JobAttr" + std::to_string(a) + " = " + std::to_string(a * i);
  }
  text += " ]";
  auto ad = ca::ParseClassAd(text);
  if (!ad) std::abort();
  return std::move(*ad);
}

ca::ClassAd ResourceAd(int i) {
  std::string text = "[ Memory = " + std::to_string(2048 * (1 + i % 6)) +
                     "; Cpus = " + std::to_string(1 + i % 8) + "; Arch = \"" +
                     (i % 10 == 0 ? "aarch64" : "X86_64") + "\"; Site = \"" + kSites[i % 8] +
                     "\"; START = TARGET.RequestCpus <= Cpus; Name = \"slot" +
                     std::to_string(i) + "\"";
  for (int a = 0; a < 44; ++a) {
    text += "; MachineAttr" + std::to_string(a) + " = \"value" + std::to_string(a) + "\"";
  }
  text += " ]";
  auto ad = ca::ParseClassAd(text);
  if (!ad) std::abort();
  return std::move(*ad);
}

// CPU time of this thread: the figures are per core even on a busy machine.
double CpuNow() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
double Seconds(double start) { return CpuNow() - start; }

constexpr double kGoal = 5e6;  // evaluations per second per core (the target)
constexpr int kIterations = 2'000'000;

void Report(const char* label, double seconds, int trues) {
  double rate = kIterations / seconds;
  std::printf("%-37s %10.2f M evaluations/s  (%.0f ns each, %d true)  %.2fx the 5M goal\n",
              label, rate / 1e6, seconds / kIterations * 1e9, trues, rate / kGoal);
}

void BenchEvaluate(const char* label, const ca::Expr& expr, const ca::ClassAd& job,
                   const ca::ClassAd& machine) {
  int trues = 0;
  double start = CpuNow();
  for (int i = 0; i < kIterations; ++i) {
    ca::Value v = ca::Evaluate(expr, &job, &machine);
    trues += v.IsBoolean() && v.boolean();
  }
  Report(label, Seconds(start), trues);
}

void BenchCompiled(const ca::ClassAd& job, const ca::ClassAd& machine) {
  ca::BulkMatcher bulk;
  bulk.AddJob(job);
  bulk.AddResource(machine);
  int trues = 0;
  double start = CpuNow();
  for (int i = 0; i < kIterations; ++i) trues += bulk.JobAccepts(0, 0);
  Report("Requirements compiled (BulkMatcher):", Seconds(start), trues);
}

}  // namespace

int main(int argc, char** argv) {
  int jobs = argc > 2 ? std::atoi(argv[1]) : 10'000;
  int resources = argc > 2 ? std::atoi(argv[2]) : 1'000;

  ca::ClassAd job = JobAd(1);
  ca::ClassAd machine = ResourceAd(1);
  std::printf("job ad: %zu attributes, resource ad: %zu attributes\n", job.size(),
              machine.size());
  BenchEvaluate("Requirements as written:", *job.Lookup("Requirements"), job, machine);
  ca::ExprPtr flat = ca::Flatten(*job.Lookup("Requirements"), job);
  BenchEvaluate("Requirements flattened:", *flat, job, machine);
  BenchCompiled(job, machine);

  double start = CpuNow();
  ca::BulkMatcher bulk;
  for (int i = 0; i < jobs; ++i) bulk.AddJob(JobAd(i));
  for (int i = 0; i < resources; ++i) bulk.AddResource(ResourceAd(i));
  std::printf("built %d jobs x %d resources in %.2f s\n", jobs, resources, Seconds(start));

  start = CpuNow();
  long matches = 0;
  for (int j = 0; j < jobs; ++j) {
    for (int r = 0; r < resources; ++r) matches += bulk.Matches(j, r);
  }
  double s = Seconds(start);
  double pairs = static_cast<double>(jobs) * resources;
  std::printf("match (both directions):              %10.2f M pairs/s  (%.0f pairs in %.2f s, "
              "%ld match)\n",
              pairs / s / 1e6, pairs, s, matches);
  return 0;
}
