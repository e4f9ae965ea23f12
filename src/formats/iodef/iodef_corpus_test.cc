// Real IODEF documents from ../shared/corpora/iodef: a reviewed golden output for
// every one.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/openioc/stix_pattern_check.h"
#include "testing/corpus_files.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() { return testing::SharedDir() / "corpora" / "iodef"; }

std::vector<fs::path> CorpusFiles() { return testing::CorpusFiles(CorpusDir(), {".xml", ".json"}); }

TEST(IodefCorpusTest, EveryFileMatchesItsGolden) {
  TESSERA_REQUIRE_SHARED();
  std::vector<fs::path> files = CorpusFiles();
  ASSERT_EQ(files.size(), 5u) << "the corpus has 5 IODEF documents (SOURCES.md section 2c)";
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    auto outcome = testing::ReadPath("iodef", file);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
    EXPECT_FALSE(outcome.sink.records.empty());
    EXPECT_TRUE(outcome.sink.rejects.empty());
    EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
    for (const core::Json& ind : testing::ObjectsOfType(outcome, "indicator")) {
      EXPECT_EQ(testing_pattern::CheckPattern(ind.Find("pattern")->as_string()), "");
    }
    std::string rel = fs::relative(file, CorpusDir()).generic_string();
    std::replace(rel.begin(), rel.end(), '/', '_');
    testing::ExpectGolden(testing::Render(outcome, file.filename().string()),
                          "iodef/" + rel + ".json");
  }
}

}  // namespace
}  // namespace tessera::formats
