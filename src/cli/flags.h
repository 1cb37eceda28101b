// A small command-line parser for the gantry subcommands: --long/-s options with or
// without values (--opt v, --opt=v, -o v), positionals, generated --help. Loop-thread only.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace gantry::cli {

class Flags {
 public:
  Flags(std::string usage, std::string description)
      : usage_(std::move(usage)), description_(std::move(description)) {}

  // Registers options; the pointers must outlive Parse.
  void Bool(std::string names, bool* out, std::string help);
  void String(std::string names, std::string* out, std::string metavar, std::string help);
  void Int(std::string names, int64_t* out, std::string metavar, std::string help);
  // May be given many times; each value is appended.
  void Strings(std::string names, std::vector<std::string>* out, std::string metavar,
               std::string help);
  // Words that are not options land here (in order).
  void Positionals(std::vector<std::string>* out, std::string metavar, size_t min_count,
                   size_t max_count);

  // argv[0] is the subcommand. Returns false if --help was printed; errors name the word.
  Result<bool> Parse(int argc, char** argv);
  std::string Help() const;

 private:
  struct Option {
    std::vector<std::string> names;  // "--all", "-a"
    enum class Kind { kBool, kString, kInt, kStrings } kind;
    void* out;
    std::string metavar;
    std::string help;
  };
  const Option* Find(const std::string& name) const;

  std::string usage_;
  std::string description_;
  std::vector<Option> options_;
  std::vector<std::string>* positionals_ = nullptr;
  std::string positional_metavar_;
  size_t min_positionals_ = 0;
  size_t max_positionals_ = 0;
};

// Runs Parse; prints help or the error (with a pointer to --help). Returns the exit status
// to leave with, or -1 to go on.
int ParseOrExit(Flags& flags, int argc, char** argv);

}  // namespace gantry::cli
