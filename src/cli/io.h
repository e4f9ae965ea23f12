// Input and output helpers for commands: whole-file reads with `-` for stdin,
// and line-by-line reading for JSON-lines input. Not thread-safe (stdio).
#pragma once

#include <cstddef>
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

// The display name of an input: "<stdin>" for "-".
std::string DisplayName(const std::string& path);

}  // namespace tessera::cli
