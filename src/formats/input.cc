#include "formats/input.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace tessera::formats {
namespace {
constexpr size_t kBlock = size_t{1} << 16;
constexpr size_t kChunk = size_t{1} << 20;

core::Error OpenError(const std::string& path) {
  int err = errno;
  return core::MakeError(err == ENOENT ? core::ErrorCode::kNotFound : core::ErrorCode::kIo,
                         std::string("cannot open: ") + std::strerror(err), path);
}
}  // namespace

Input::Input(std::FILE* file, bool owned, std::string name, std::string path)
    : file_(file), owned_(owned), name_(std::move(name)), path_(std::move(path)) {}

Input::~Input() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

Input::Input(Input&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)),
      owned_(other.owned_),
      directory_(other.directory_),
      url_(other.url_),
      eof_(other.eof_),
      failed_(other.failed_),
      name_(std::move(other.name_)),
      path_(std::move(other.path_)),
      buffer_(std::move(other.buffer_)),
      consumed_(other.consumed_),
      offset_(other.offset_) {}

core::Result<Input> Input::Open(const std::string& path) {
  if (path == "-") return Input(stdin, false, "<stdin>", "");
  if (path.starts_with("http://") || path.starts_with("https://")) {
    Input url(nullptr, false, path, path);
    url.url_ = true;
    url.eof_ = true;
    return url;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return OpenError(path);
  if (S_ISDIR(st.st_mode)) {
    Input dir(nullptr, false, path, path);
    dir.directory_ = true;
    dir.eof_ = true;
    return dir;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return OpenError(path);
  return Input(file, true, path, path);
}

Input Input::FromString(std::string data, std::string name) {
  Input in(nullptr, false, std::move(name), "");
  in.buffer_ = std::move(data);
  in.eof_ = true;
  return in;
}

bool Input::Fill(size_t at_least) {
  while (!eof_ && buffer_.size() - consumed_ < at_least) {
    size_t size = buffer_.size();
    buffer_.resize(size + kBlock);
    size_t n = std::fread(buffer_.data() + size, 1, kBlock, file_);
    buffer_.resize(size + n);
    if (n == 0) {
      eof_ = true;
      failed_ = std::ferror(file_) != 0;
    }
  }
  return buffer_.size() > consumed_;
}

std::string_view Input::Peek(size_t n) {
  Fill(n);
  return std::string_view(buffer_).substr(consumed_, n);
}

bool Input::Next(std::string_view* chunk) {
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
  offset_ += end;
  return true;
}

bool Input::NextBlock(std::string_view* block) {
  buffer_.erase(0, consumed_);
  consumed_ = 0;
  if (!Fill(kChunk)) return false;
  *block = buffer_;
  consumed_ = buffer_.size();
  offset_ += buffer_.size();
  return true;
}

core::Result<std::string> Input::ReadAll(size_t max_bytes) {
  std::string rest = std::move(buffer_);
  rest.erase(0, consumed_);
  buffer_.clear();
  consumed_ = 0;
  // Read straight into the string's spare capacity, keeping kInputPadding free
  // (also when nothing is left to read).
  rest.reserve(rest.size() + kInputPadding);
  while (!eof_) {
    if (rest.size() > max_bytes) break;
    size_t size = rest.size();
    rest.resize(size + kBlock + kInputPadding);
    size_t n = std::fread(rest.data() + size, 1, kBlock, file_);
    rest.resize(size + n);
    if (n == 0) {
      eof_ = true;
      failed_ = std::ferror(file_) != 0;
    }
  }
  if (failed_) return core::MakeError(core::ErrorCode::kIo, "read error", name_);
  if (rest.size() > max_bytes) {
    std::string message = "input is larger than ";
    message.append(std::to_string(max_bytes >> 20));
    message.append(" MiB, the limit for a single document of this format");
    return core::MakeError(core::ErrorCode::kLimit, std::move(message), name_);
  }
  offset_ += rest.size();
  return rest;
}

}  // namespace tessera::formats
