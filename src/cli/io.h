// Input and output helpers for commands: whole-file reads with `-` for stdin,
// and line-by-line reading for JSON-lines input. Not thread-safe (stdio).
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tessera::cli {

// Reads a whole file, or standard input when `path` is "-".
core::Result<std::string> ReadInput(const std::string& path);

// Calls `on_line(line_number, line)` for each line (without the newline) of a
// file or stdin ("-"); memory stays bounded by the longest line.
core::Status ForEachLine(const std::string& path,
                         const std::function<void(size_t, std::string_view)>& on_line);

// Reads a file or stdin in line-aligned chunks, with a look at the beginning
// first (for format detection). Memory: about one chunk. Not copyable.
class ChunkedReader {
 public:
  ~ChunkedReader();
  ChunkedReader(const ChunkedReader&) = delete;
  ChunkedReader& operator=(const ChunkedReader&) = delete;
  ChunkedReader(ChunkedReader&& other) noexcept;
  ChunkedReader& operator=(ChunkedReader&&) = delete;

  // Opens a file, or standard input for "-".
  static core::Result<ChunkedReader> Open(const std::string& path);

  // The first bytes (up to `n`) without consuming them.
  std::string_view Peek(size_t n);
  // The next chunk, ending at a newline (except the last one); false at the end.
  // The view stays valid until the next call.
  bool Next(std::string_view* chunk);
  // Everything not yet consumed, as one string (kReadPadding spare capacity).
  core::Result<std::string> ReadRest();
  // True once a read failed.
  bool failed() const { return failed_; }

 private:
  explicit ChunkedReader(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  bool Fill(size_t at_least);
  std::FILE* file_;
  bool owned_;
  bool eof_ = false;
  bool failed_ = false;
  std::string buffer_;
  size_t consumed_ = 0;  // bytes of buffer_ already handed out
};

// The display name of an input: "<stdin>" for "-".
std::string DisplayName(const std::string& path);

}  // namespace tessera::cli
