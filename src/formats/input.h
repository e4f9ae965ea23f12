// Input: the bytes a reader reads, from a file, standard input or memory, with a
// look at the beginning first (for format detection), line-aligned chunks for
// streaming readers, and the whole rest for readers that need one document.
// A path naming a directory opens as a directory input (no bytes; readers of
// folder layouts, such as MISP feeds, open its files themselves); a path starting
// with http:// or https:// opens as a URL input (no bytes either; the readers of
// remote layouts fetch what they need). Not copyable; not synchronized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tessera::formats {

// Spare capacity ReadAll leaves after the data, so parsers that read ahead
// (simdjson) can parse in place. Equal to stix::kReadPadding.
inline constexpr size_t kInputPadding = 64;
// The largest input a whole-document reader (XML, a single JSON document that
// cannot be streamed) accepts; streaming readers have no limit.
inline constexpr size_t kMaxDocumentBytes = size_t{512} << 20;

class Input {
 public:
  ~Input();
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  Input(Input&& other) noexcept;
  Input& operator=(Input&&) = delete;

  // Opens a file, a directory, a URL (http:// or https://, nothing is fetched),
  // or standard input for "-".
  static core::Result<Input> Open(const std::string& path);
  // An input over bytes held in memory (tests, fuzzing, files of a folder layout).
  static Input FromString(std::string data, std::string name);

  // "<stdin>" for standard input, else the path or the name given.
  const std::string& name() const { return name_; }
  // The path it was opened from (empty for stdin and memory).
  const std::string& path() const { return path_; }
  bool is_directory() const { return directory_; }
  // The path is an http(s) URL (see Open).
  bool is_url() const { return url_; }

  // The first bytes (up to `n`) not yet consumed, without consuming them.
  std::string_view Peek(size_t n);
  // The next chunk (about 1 MiB), ending just after a newline except at the end
  // of the input; false at the end. The view stays valid until the next call.
  bool Next(std::string_view* chunk);
  // The next block of bytes (about 1 MiB; not aligned to lines), for readers
  // that split the input themselves; false at the end. Valid until the next call.
  bool NextBlock(std::string_view* block);
  // The byte offset in the input of the next byte Next or ReadAll will return.
  uint64_t offset() const { return offset_; }
  // Everything not yet consumed, with kInputPadding spare capacity; an error
  // past `max_bytes` (kLimit) or on a read failure (kIo).
  core::Result<std::string> ReadAll(size_t max_bytes = kMaxDocumentBytes);
  // True once a read failed.
  bool failed() const { return failed_; }

 private:
  Input(std::FILE* file, bool owned, std::string name, std::string path);
  bool Fill(size_t at_least);

  std::FILE* file_ = nullptr;  // null for memory and directory inputs
  bool owned_ = false;
  bool directory_ = false;
  bool url_ = false;
  bool eof_ = false;
  bool failed_ = false;
  std::string name_;
  std::string path_;
  std::string buffer_;
  size_t consumed_ = 0;  // bytes of buffer_ already handed out
  uint64_t offset_ = 0;  // input offset of buffer_[consumed_]
};

}  // namespace tessera::formats
