#include "normalize/public_suffix.h"

#include <gtest/gtest.h>
#include <idn2.h>
#include <libpsl.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "normalize/domain.h"

namespace tessera::normalize {
namespace {

// Our table must give libpsl's answers: for every rule of the list, names at,
// under and two levels under it are compared (registrable domain and suffix).
TEST(PublicSuffixListTest, AgreesWithLibpslOnEveryRule) {
  const PublicSuffixList* list = PublicSuffixList::System();
  if (list == nullptr) {
    GTEST_SKIP() << "/usr/share/publicsuffix/public_suffix_list.dat is not installed "
                    "(Debian package publicsuffix); Tessera then uses libpsl directly";
  }
  struct PslFree {
    void operator()(psl_ctx_t* p) const { psl_free(p); }
  };
  std::unique_ptr<psl_ctx_t, PslFree> owned(psl_latest(nullptr));
  const psl_ctx_t* psl = owned.get();
  ASSERT_NE(psl, nullptr);
  std::ifstream in("/usr/share/publicsuffix/public_suffix_list.dat");
  std::string line;
  size_t compared = 0;
  while (std::getline(in, line)) {
    size_t end = line.find_first_of(" \t\r");
    if (end != std::string::npos) line.resize(end);
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    std::string rule = line[0] == '!' ? line.substr(1) : line;
    if (rule.rfind("*.", 0) == 0) rule = "a." + rule.substr(2);
    char* ascii = nullptr;
    if (idn2_to_ascii_8z(rule.c_str(), &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK) {
      continue;
    }
    std::string base = ascii;
    idn2_free(ascii);
    for (const std::string& name : {base, "x." + base, "y.x." + base}) {
      const char* theirs_suffix = psl_unregistrable_domain(psl, name.c_str());
      PublicSuffixList::Match ours = list->Find(name);
      ASSERT_NE(theirs_suffix, nullptr) << name;
      EXPECT_EQ(name.substr(ours.suffix_offset), std::string(theirs_suffix)) << name;
      const char* theirs_registrable = psl_registrable_domain(psl, name.c_str());
      auto domain = CanonicalDomain(name);
      if (!domain.ok()) continue;  // e.g. a rule that is a bare TLD: single label
      const std::string* registrable = domain->Field("registrable_domain");
      if (theirs_registrable == nullptr) {
        EXPECT_EQ(registrable, nullptr) << name;
      } else {
        ASSERT_NE(registrable, nullptr) << name;
        EXPECT_EQ(*registrable, theirs_registrable) << name;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 20000u);
}

TEST(PublicSuffixListTest, ListAlgorithmCases) {
  const PublicSuffixList* list = PublicSuffixList::System();
  if (list == nullptr) GTEST_SKIP() << "public_suffix_list.dat not installed";
  auto suffix = [&](std::string_view name) {
    return std::string(name.substr(list->Find(name).suffix_offset));
  };
  EXPECT_EQ(suffix("www.example.co.uk"), "co.uk");
  EXPECT_EQ(suffix("example.com"), "com");
  EXPECT_EQ(suffix("www.city.kawasaki.jp"), "kawasaki.jp");  // exception rule
  EXPECT_EQ(suffix("a.b.kawasaki.jp"), "b.kawasaki.jp");     // wildcard rule
  EXPECT_EQ(suffix("example.notatld"), "notatld");
  EXPECT_FALSE(list->Find("example.notatld").listed);
  EXPECT_TRUE(list->Find("example.com").listed);
}

}  // namespace
}  // namespace tessera::normalize
