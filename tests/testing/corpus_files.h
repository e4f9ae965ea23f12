// Test helper: the files of a corpus folder, in a stable order, for tests that
// read every one of them. Header-only; stateless.
#pragma once

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::testing {

// The regular files below `dir` (recursively) whose names end in one of
// `suffixes` (".xml", ".ioc.xml"), sorted; none when `dir` does not exist.
inline std::vector<std::filesystem::path> CorpusFiles(
    const std::filesystem::path& dir, std::initializer_list<std::string_view> suffixes) {
  std::vector<std::filesystem::path> out;
  if (!std::filesystem::is_directory(dir)) return out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    for (std::string_view suffix : suffixes) {
      if (name.size() > suffix.size() && name.ends_with(suffix)) {
        out.push_back(entry.path());
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tessera::testing
