// Test helpers: locating ../shared (real corpora and reference vectors) and the
// repository's own fixtures. Tests that need ../shared skip with a clear message
// on a clone without it; everything else needs nothing outside the repository.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tessera::testing {

inline std::filesystem::path SharedDir() { return TESSERA_SHARED_DIR; }
inline std::filesystem::path SourceDir() { return TESSERA_SOURCE_DIR; }

inline bool HaveShared() { return std::filesystem::is_directory(SharedDir() / "corpora"); }

inline std::string ReadFileOrEmpty(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

}  // namespace tessera::testing

// Skips the current test when ../shared is absent (a plain clone), saying why.
#define TESSERA_REQUIRE_SHARED()                                                           \
  do {                                                                                     \
    if (!::tessera::testing::HaveShared()) {                                               \
      GTEST_SKIP() << "../shared (real corpora and reference vectors) is not present at " \
                   << ::tessera::testing::SharedDir() << "; this real-data test needs it"; \
    }                                                                                      \
  } while (0)
