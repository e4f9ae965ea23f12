// Test helper: runs the built `tessera` binary (TESSERA_BINARY) with arguments and
// standard input, capturing exit code, stdout and stderr separately.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "testing/shared_data.h"

namespace tessera {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string Slurp(const std::filesystem::path& path) { return testing::ReadFileOrEmpty(path); }

// Runs `tessera ARGS` with `input` on stdin; captures stdout and stderr apart.
inline CommandResult Tessera(const std::string& args, const std::string& input = "") {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("tessera-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "in") << input;
  std::string cmd = std::string(TESSERA_BINARY) + " " + args + " <" + (dir / "in").string() +
                    " >" + (dir / "out").string() + " 2>" + (dir / "err").string();
  int status = std::system(cmd.c_str());
  CommandResult run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = Slurp(dir / "out");
  run.err = Slurp(dir / "err");
  std::filesystem::remove_all(dir);
  return run;
}

}  // namespace tessera
