#include "cli/io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/exit_codes.h"

namespace tessera::cli {

int ExitCodeFor(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument: return kExitUsage;
    case core::ErrorCode::kNotFound:
    case core::ErrorCode::kIo: return kExitInputError;
    case core::ErrorCode::kParse:
    case core::ErrorCode::kValidation:
    case core::ErrorCode::kUnsupported:
    case core::ErrorCode::kLimit: return kExitInvalidData;
    case core::ErrorCode::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

std::string DisplayName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

core::Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) return core::MakeError(core::ErrorCode::kIo, "cannot read", "<stdin>");
    return std::move(buffer).str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    return core::MakeError(err == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kIo,
                           std::string("cannot open: ") + std::strerror(err), path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return core::MakeError(core::ErrorCode::kIo, "read error", path);
  return std::move(buffer).str();
}

core::Status ForEachLine(const std::string& path,
                         const std::function<void(size_t, std::string_view)>& on_line) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      int err = errno;
      return core::MakeError(err == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kIo,
                             std::string("cannot open: ") + std::strerror(err), path);
    }
    in = &file;
  }
  std::string line;
  size_t number = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    on_line(number, line);
  }
  if (in->bad()) return core::MakeError(core::ErrorCode::kIo, "read error", DisplayName(path));
  return {};
}

}  // namespace tessera::cli
