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

ChunkedReader::~ChunkedReader() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

ChunkedReader::ChunkedReader(ChunkedReader&& other) noexcept
    : file_(other.file_),
      owned_(other.owned_),
      eof_(other.eof_),
      failed_(other.failed_),
      buffer_(std::move(other.buffer_)),
      consumed_(other.consumed_) {
  other.file_ = nullptr;
}

core::Result<ChunkedReader> ChunkedReader::Open(const std::string& path) {
  if (path == "-") return ChunkedReader(stdin, false);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    int err = errno;
    return core::MakeError(err == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kIo,
                           std::string("cannot open: ") + std::strerror(err), path);
  }
  return ChunkedReader(file, true);
}

bool ChunkedReader::Fill(size_t at_least) {
  char block[1 << 16];
  while (!eof_ && buffer_.size() - consumed_ < at_least) {
    size_t n = std::fread(block, 1, sizeof block, file_);
    if (n == 0) {
      eof_ = true;
      failed_ = std::ferror(file_) != 0;
      break;
    }
    buffer_.append(block, n);
  }
  return buffer_.size() > consumed_;
}

std::string_view ChunkedReader::Peek(size_t n) {
  Fill(n);
  return std::string_view(buffer_).substr(consumed_, n);
}

bool ChunkedReader::Next(std::string_view* chunk) {
  constexpr size_t kChunk = 1 << 20;
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  if (!Fill(kChunk)) return false;
  size_t cut = buffer_.rfind('\n');
  // Grow until a newline arrives (a very long line) or the input ends.
  while (cut == std::string::npos && !eof_) {
    Fill(buffer_.size() + kChunk);
    cut = buffer_.rfind('\n');
  }
  size_t end = cut == std::string::npos || eof_ ? buffer_.size() : cut + 1;
  *chunk = std::string_view(buffer_).substr(0, end);
  consumed_ = end;
  return true;
}

core::Result<std::string> ChunkedReader::ReadRest() {
  std::string rest = std::move(buffer_);
  rest.erase(0, consumed_);
  buffer_.clear();
  consumed_ = 0;
  // Read straight into the string's spare capacity, keeping kReadSlack free at the end.
  while (!eof_) {
    size_t size = rest.size();
    rest.resize(size + (1 << 16) + kReadSlack);
    size_t n = std::fread(rest.data() + size, 1, 1 << 16, file_);
    rest.resize(size + n);
    if (n == 0) eof_ = true;
  }
  if (std::ferror(file_) != 0) failed_ = true;
  if (failed_) return core::MakeError(core::ErrorCode::kIo, "read error");
  return rest;
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
