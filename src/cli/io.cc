#include "cli/io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/exit_codes.h"

namespace tessera::cli {
namespace {
// Spare capacity after the data, so parsers that read ahead (simdjson) can work in place.
constexpr size_t kReadSlack = 64;
}  // namespace

int ExitCodeFor(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument: return kExitUsage;
    case core::ErrorCode::kNotFound:
    case core::ErrorCode::kIo: return kExitInputError;
    case core::ErrorCode::kParse:
    case core::ErrorCode::kValidation:
    case core::ErrorCode::kUnsupported:
    case core::ErrorCode::kLimit: return kExitInvalidData;
    case core::ErrorCode::kAlreadyExists: return kExitConflict;
    case core::ErrorCode::kPermissionDenied: return kExitDenied;
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
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    int err = errno;
    return core::MakeError(err == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kIo,
                           std::string("cannot open: ") + std::strerror(err), path);
  }
  // One read into a buffer of the file's size (no stream copies: inputs are large).
  std::string data;
  char chunk[1 << 16];
  if (std::fseek(file, 0, SEEK_END) == 0) {
    long size = std::ftell(file);
    if (size > 0) data.reserve(static_cast<size_t>(size) + kReadSlack);
    std::rewind(file);
  }
  size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) data.append(chunk, n);
  bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return core::MakeError(core::ErrorCode::kIo, "read error", path);
  return data;
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
