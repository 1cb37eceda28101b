// exec_test_helper: a program whose behaviour the exec tests choose on the command line.
//   exit N | raise SIGNUM | raise-inherited SIGNUM | burn SECONDS | alloc MB | ignore-term SECONDS
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

namespace {

void Sleep(double seconds) {
  timespec ts = {static_cast<time_t>(seconds),
                 static_cast<long>((seconds - static_cast<time_t>(seconds)) * 1e9)};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s exit|raise|raise-inherited|burn|alloc|ignore-term VALUE\n", argv[0]);
    return 2;
  }
  std::string mode = argv[1];
  double value = atof(argv[2]);
  if (mode == "exit") return static_cast<int>(value);
  if (mode == "raise") {
    signal(static_cast<int>(value), SIG_DFL);
    raise(static_cast<int>(value));
    return 1;
  }
  if (mode == "raise-inherited") {  // with the disposition it was started with
    raise(static_cast<int>(value));
    return 0;
  }
  if (mode == "burn") {
    // CPU time, not wall time: on a busy machine the test still gets the CPU it asks for.
    volatile unsigned long sink = 0;
    while (static_cast<double>(clock()) / CLOCKS_PER_SEC < value) {
      for (int i = 0; i < 100000; ++i) sink = sink + static_cast<unsigned long>(i);
    }
    return 0;
  }
  if (mode == "alloc") {
    size_t bytes = static_cast<size_t>(value * 1024 * 1024);
    char* p = static_cast<char*>(malloc(bytes));
    if (p == nullptr) {
      fprintf(stderr, "allocation of %zu bytes failed\n", bytes);
      return 3;
    }
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;  // touch every page
    printf("allocated %zu bytes\n", bytes);
    return p[bytes / 2] == 1 ? 0 : 4;
  }
  if (mode == "ignore-term") {
    signal(SIGTERM, SIG_IGN);
    printf("ignoring SIGTERM\n");
    fflush(stdout);
    Sleep(value);
    return 0;
  }
  fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
