#include "normalize/refang.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::normalize {
namespace {

struct RefangCase {
  const char* input;
  const char* expected;
};

class RefangTable : public ::testing::TestWithParam<RefangCase> {};

TEST_P(RefangTable, RefangsAndIsIdempotent) {
  const RefangCase& c = GetParam();
  std::string once = Refang(c.input);
  EXPECT_EQ(once, c.expected) << "input: " << c.input;
  EXPECT_EQ(Refang(once), once) << "not idempotent on: " << c.input;
  EXPECT_EQ(LooksDefanged(c.input), once != c.input) << c.input;
}

INSTANTIATE_TEST_SUITE_P(
    Styles, RefangTable,
    ::testing::Values(
        // Schemes.
        RefangCase{"hxxp://evil.com/a", "http://evil.com/a"},
        RefangCase{"hXXp://evil.com", "http://evil.com"},
        RefangCase{"hxxps://evil.com", "https://evil.com"},
        RefangCase{"hXXps://evil.com", "https://evil.com"},
        RefangCase{"HXXPS://EVIL.COM", "https://EVIL.COM"},
        RefangCase{"fxp://files.example.org", "ftp://files.example.org"},
        RefangCase{"sfxp://files.example.org", "sftp://files.example.org"},
        RefangCase{"hxxp[:]//evil.com", "http://evil.com"},
        RefangCase{"hxxp[://]evil.com", "http://evil.com"},
        RefangCase{"http[://]evil.com", "http://evil.com"},
        RefangCase{"https(://)evil.com", "https://evil.com"},
        RefangCase{"http[s]://evil.com", "https://evil.com"},
        RefangCase{"hxxp[s]://evil[.]com", "https://evil.com"},
        // Dots.
        RefangCase{"evil[.]com", "evil.com"}, RefangCase{"evil(.)com", "evil.com"},
        RefangCase{"evil{.}com", "evil.com"}, RefangCase{"evil[dot]com", "evil.com"},
        RefangCase{"evil(dot)com", "evil.com"}, RefangCase{"evil{dot}com", "evil.com"},
        RefangCase{"evil[DOT]com", "evil.com"}, RefangCase{"evil[ . ]com", "evil.com"},
        RefangCase{"evil [.] com", "evil.com"}, RefangCase{"evil [dot] com", "evil.com"},
        RefangCase{"example\\.com", "example.com"}, RefangCase{"192.168[.]1[.]1", "192.168.1.1"},
        RefangCase{"1.2.3[.]4", "1.2.3.4"},
        RefangCase{"195.226.218.[.]234:80", "195.226.218.234:80"},
        RefangCase{"195.226.218[.].234", "195.226.218.234"},
        RefangCase{"sub.evil.co[.]uk", "sub.evil.co.uk"},
        RefangCase{"evil [.] example\\.com", "evil.example.com"},
        RefangCase{"hXXps[:// ]cdn[.]net", "https://cdn.net"},
        RefangCase{"b\xC3\xBC"
                   "cher[.]de",
                   "b\xC3\xBC"
                   "cher.de"},
        // Colons and at signs.
        RefangCase{"evil.com[:]8080", "evil.com:8080"},
        RefangCase{"user[@]example[.]com", "user@example.com"},
        RefangCase{"user[at]example(.)com", "user@example.com"},
        RefangCase{"user(at)example.com", "user@example.com"},
        RefangCase{"user{at}example.com", "user@example.com"},
        RefangCase{"user(@)example.com", "user@example.com"},
        RefangCase{"user [at] example [dot] com", "user@example.com"},
        RefangCase{"first.last+tag[@]mail[.]example", "first.last+tag@mail.example"},
        // Word forms, only in chains that cannot be prose.
        RefangCase{"user at example dot com", "user@example.com"},
        RefangCase{"john AT mail DOT example DOT org", "john@mail.example.org"},
        RefangCase{"www dot example dot com", "www.example.com"},
        RefangCase{"write to john at example dot com.", "write to john@example.com."},
        // Mixtures in running text.
        RefangCase{"C2: hxxps[://]cdn[.]evil(.)net/x and 10.0.0[.]1",
                   "C2: https://cdn.evil.net/x and 10.0.0.1"},
        RefangCase{"see `evil[.]com`, (bad[.]org).", "see `evil.com`, (bad.org)."}));

INSTANTIATE_TEST_SUITE_P(
    NeverDefanged, RefangTable,
    ::testing::Values(RefangCase{"the dot com bubble", "the dot com bubble"},
                      RefangCase{"have a look at example.com", "have a look at example.com"},
                      RefangCase{"meet me (at) noon", "meet me (at) noon"},
                      RefangCase{"we met at the station dot", "we met at the station dot"},
                      RefangCase{"match [.] anywhere in a regex: ^a[.]$",
                                 "match [.] anywhere in a regex: ^a[.]$"},
                      RefangCase{"[.]com alone", "[.]com alone"},
                      RefangCase{"trailing evil[.]", "trailing evil[.]"},
                      RefangCase{"array[:] slice", "array[:] slice"},
                      RefangCase{"https://example.com/ok", "https://example.com/ok"},
                      RefangCase{"xhxxp://nothing", "xhxxp://nothing"},
                      RefangCase{"hxxp alone", "hxxp alone"},
                      RefangCase{"user@example.com", "user@example.com"},
                      RefangCase{"www dot example dot invalidtld",
                                 "www dot example dot invalidtld"},
                      RefangCase{"www dot example dot com.evil", "www dot example dot com.evil"},
                      RefangCase{"", ""}, RefangCase{"a[.][.]b", "a[.][.]b"}));

TEST(Refang, IsIdempotentOnAdversarialMixtures) {
  const std::vector<std::string> inputs = {
      "a.[.][.]b",
      "hxxp[:][//]x",
      "a[.]\\.b",
      "a\\.[.]b",
      "www dot example[.]com dot net",
      "john[.]smith at example dot com",
      "hxxphxxp://x",
      "[[.]]",
      "x [.] [.] y",
      "a.hxxp://b[.]c",
      "user [at] [at] example.com",
      "1[.]2[.]3[.]4[.]5",
      "((.))",
      "a (.) (.) b",
      // Found by fuzz_refang: lookahead that a later rule changes.
      "l\t{.}n\\.\xff\xff",
      "hXXps[://\t\t]cdn(.)U#vil{.s",
      "UU DOT oh DOT ps[://]c(.)U",
      "a dot b dot com.[.]x",
      "a dot b dot com [.] net",
      "0 [dot] lco dot coma6the dot e dot lmopl DOT  DOT 1",
  };
  for (const std::string& input : inputs) {
    std::string once = Refang(input);
    EXPECT_EQ(Refang(once), once) << input;
  }
}

TEST(Refang, ReportsItsEditsInOrder) {
  std::vector<detail::RefangEdit> edits;
  std::string out = detail::RefangWithEdits("hxxp://a[.]b c", &edits);
  EXPECT_EQ(out, "http://a.b c");
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].in_begin, 0u);
  EXPECT_EQ(edits[0].in_size, 7u);
  EXPECT_EQ(edits[0].out_size, 7u);
  EXPECT_EQ(edits[1].in_begin, 8u);
  EXPECT_EQ(edits[1].in_size, 3u);
  EXPECT_EQ(edits[1].out_begin, 8u);
  EXPECT_EQ(edits[1].out_size, 1u);
}

Observable Make(Kind kind, std::string value) {
  Observable o;
  o.kind = kind;
  o.value = std::move(value);
  return o;
}

struct DefangCase {
  Kind kind;
  const char* value;
  const char* defanged;
};

class DefangTable : public ::testing::TestWithParam<DefangCase> {};

TEST_P(DefangTable, DefangsAndRefangsBack) {
  const DefangCase& c = GetParam();
  Observable o = Make(c.kind, c.value);
  std::string defanged = Defang(o);
  EXPECT_EQ(defanged, c.defanged);
  EXPECT_EQ(Refang(defanged), c.value);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, DefangTable,
    ::testing::Values(
        DefangCase{Kind::kUrl, "http://evil.com/a", "hxxp[://]evil[.]com/a"},
        DefangCase{Kind::kUrl, "https://www.evil.co.uk:8443/x.php?q=a.b",
                   "hxxps[://]www[.]evil[.]co[.]uk:8443/x.php?q=a.b"},
        DefangCase{Kind::kUrl, "http://198.51.100.7/x", "hxxp[://]198.51.100[.]7/x"},
        DefangCase{Kind::kUrl, "ftp://user@files.example.org/",
                   "fxp[://]user@files[.]example[.]org/"},
        DefangCase{Kind::kUrl, "http://[2001:db8::1]/", "hxxp[://][2001:db8::1]/"},
        DefangCase{Kind::kDomain, "evil.com", "evil[.]com"},
        DefangCase{Kind::kDomain, "a.b.evil.com", "a[.]b[.]evil[.]com"},
        DefangCase{Kind::kDomain, "*.evil.com", "*.evil[.]com"},
        DefangCase{Kind::kIpv4, "198.51.100.7", "198.51.100[.]7"},
        DefangCase{Kind::kIpv4Network, "198.51.100.0/24", "198.51.100[.]0/24"},
        DefangCase{Kind::kEmail, "user@example.com", "user[@]example[.]com"},
        DefangCase{Kind::kEmail, "first.last@mail.example.org",
                   "first.last[@]mail[.]example[.]org"},
        DefangCase{Kind::kEmail, "nag@_dmarc.example.com", "nag[@]_dmarc[.]example[.]com"},
        DefangCase{Kind::kUrl, "irc://chat.example.org/", "irc://chat[.]example[.]org/"},
        DefangCase{Kind::kIpv6, "2001:db8::1", "2001:db8::1"},
        DefangCase{Kind::kSha256,
                   "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b",
                   "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b"},
        DefangCase{Kind::kCve, "CVE-2021-44228", "CVE-2021-44228"}));

}  // namespace
}  // namespace tessera::normalize

namespace tessera::normalize {
namespace {

// Refang skips text in which no rule can start; that shortcut must never change
// an answer. Random strings over an alphabet rich in rule triggers, compared with
// the full pass.
TEST(RefangShortcutTest, AgreesWithTheFullPass) {
  const std::string alphabet = "hxXfFtps:/.[](){}\\ \tatdoAT@-_01e";
  uint64_t state = 42;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    size_t length = 1 + (state >> 33) % 24;
    for (size_t i = 0; i < length; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text += alphabet[(state >> 33) % alphabet.size()];
    }
    std::vector<detail::RefangEdit> edits;
    std::string full = detail::RefangWithEdits(text, &edits);
    EXPECT_EQ(Refang(text), full) << text;
    EXPECT_EQ(LooksDefanged(text), !edits.empty()) << text;
  }
}

}  // namespace
}  // namespace tessera::normalize
