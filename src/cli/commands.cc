#include "cli/command.h"

namespace gantry::cli {

// One declaration and one row per subcommand; the implementation lives in cmd_<name>.cc.
int RunVersion(int argc, char** argv);
int RunUp(int argc, char** argv);
int RunServer(int argc, char** argv);
int RunAgent(int argc, char** argv);
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
int RunRun(int argc, char** argv);
int RunToken(int argc, char** argv);
int RunAgents(int argc, char** argv);
int RunData(int argc, char** argv);
int RunRoot(int argc, char** argv);
int RunAnalysis(int argc, char** argv);

std::span<const Command> Commands() {
  static const Command kCommands[] = {
      {"up", "run the server and a local agent in one process", RunUp},
      {"server", "run the server (broker, store, API) alone", RunServer},
      {"agent", "run an agent that pulls work from a server", RunAgent},
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
      {"run", "start N ranks of an MPI program here (PMI-1, PMIx)", RunRun},
      {"token", "issue and inspect bearer tokens of the built-in issuer", RunToken},
      {"agents", "list agents; drain or resume one (steer-agents)", RunAgents},
      {"data", "the file catalog: RSEs, DIDs, replicas, metadata, ACLs, usage", RunData},
      {"root", "list and scan ROOT files (TTrees) without ROOT", RunRoot},
      {"analysis", "analysis tools: preprocess a fileset into chunks (coffea's preprocess)",
       RunAnalysis},
  };
  return kCommands;
}

}  // namespace gantry::cli
