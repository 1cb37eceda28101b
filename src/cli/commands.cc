#include "cli/command.h"

namespace gantry::cli {

// One declaration and one row per subcommand; the implementation lives in cmd_<name>.cc.
// A role row (run: nullptr) is implemented in roles/ and carried by gantry-full only.
int RunVersion(int argc, char** argv);
int RunSubmit(int argc, char** argv);
int RunQ(int argc, char** argv);
int RunStatus(int argc, char** argv);
int RunLogs(int argc, char** argv);
int RunWait(int argc, char** argv);
int RunCancel(int argc, char** argv);
int RunHold(int argc, char** argv);
int RunRelease(int argc, char** argv);
int RunEvents(int argc, char** argv);
int RunClassad(int argc, char** argv);
int RunAgents(int argc, char** argv);
int RunAcct(int argc, char** argv);
int RunReport(int argc, char** argv);

std::span<const Command> Commands() {
  static const Command kCommands[] = {
      {"up", "run the server and a local agent in one process", nullptr},
      {"server", "run the server (broker, store, API) alone", nullptr},
      {"agent", "run an agent that pulls work from a server", nullptr},
      {"submit", "submit a batch script (#SBATCH lines honoured) or --wrap a command", RunSubmit},
      {"q", "list jobs, like squeue", RunQ},
      {"status", "everything about a job, including why it is not running", RunStatus},
      {"logs", "print a job's output; -f follows it", RunLogs},
      {"wait", "wait for jobs to end; exits with their status", RunWait},
      {"cancel", "cancel jobs, array tasks or --all", RunCancel},
      {"hold", "hold pending jobs", RunHold},
      {"release", "release held jobs", RunRelease},
      {"events", "the journal of a job", RunEvents},
      {"version", "print the version", RunVersion},
      {"classad", "evaluate ClassAd expressions and test matches locally", RunClassad},
      {"run", "start N ranks of an MPI program here (PMI-1, PMIx)", nullptr},
      {"token", "issue and inspect bearer tokens of the built-in issuer", nullptr},
      {"agents", "list agents; drain or resume one (steer-agents)", RunAgents},
      {"acct", "accounting: what finished jobs used, like sacct", RunAcct},
      {"report", "accounting summaries per period, user, VO, account; APEL (sreport)", RunReport},
      {"data", "the file catalog: RSEs, DIDs, replicas, metadata, ACLs, usage, rules", nullptr},
      {"cp", "copy a file between file:// and root:// URLs, verified (adler32)", nullptr},
      {"transfers", "the transfer queue: list with progress (-f), submit, show, cancel", nullptr},
      {"root", "list and scan ROOT files (TTrees) without ROOT", nullptr},
      {"analysis", "analysis tools: preprocess a fileset into chunks (coffea's preprocess)",
       nullptr},
  };
  return kCommands;
}

}  // namespace gantry::cli
