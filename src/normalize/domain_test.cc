#include "normalize/domain.h"

#include <gtest/gtest.h>

#include "normalize/observable_test_util.h"

#include <string>
#include <string_view>

namespace tessera::normalize {
namespace {

using testing::HasNote;
using testing::JoinFields;
using testing::Notes;

struct Accepted {
  std::string_view input;
  std::string_view canonical;
  std::string_view fields;  // exact, in order
  std::string_view note;    // a substring of some note; empty: not checked
  DomainOptions options = {};
};

DomainOptions SingleLabel() {
  DomainOptions o;
  o.allow_single_label = true;
  return o;
}

const Accepted kAccepted[] = {
    {"example.com", "example.com", "registrable_domain=example.com,public_suffix=com", ""},
    {"EXAMPLE.COM.", "example.com", "registrable_domain=example.com,public_suffix=com",
     "trailing dot removed"},
    {"  Mail.Example.Com \t\n", "mail.example.com",
     "registrable_domain=example.com,public_suffix=com", ""},
    {"a.b.example.co.uk", "a.b.example.co.uk",
     "registrable_domain=example.co.uk,public_suffix=co.uk", ""},
    {"co.uk", "co.uk", "public_suffix=co.uk", "is a public suffix"},
    {"example.co.uk", "example.co.uk", "registrable_domain=example.co.uk,public_suffix=co.uk", ""},
    {"bücher.de", "xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=bücher.de", ""},
    {"BÜCHER.DE", "xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=bücher.de", ""},
    {"xn--bcher-kva.de", "xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=bücher.de", ""},
    {"XN--BCHER-KVA.DE", "xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=bücher.de", ""},
    {"bücher.de.", "xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=bücher.de",
     "trailing dot removed"},
    {"faß.de", "xn--fa-hia.de", "registrable_domain=xn--fa-hia.de,public_suffix=de,unicode=faß.de",
     ""},  // IDNA2008 non-transitional: ß stays ß
    {"пример.рф", "xn--e1afmkfd.xn--p1ai",
     "registrable_domain=xn--e1afmkfd.xn--p1ai,public_suffix=xn--p1ai,unicode=пример.рф", ""},
    {"例え.テスト", "xn--r8jz45g.xn--zckzah",
     "registrable_domain=xn--r8jz45g.xn--zckzah,public_suffix=xn--zckzah,unicode=例え.テスト", ""},
    // Homograph of apple.com in Cyrillic: accepted, the Unicode form shows it.
    {"xn--80ak6aa92e.com", "xn--80ak6aa92e.com",
     "registrable_domain=xn--80ak6aa92e.com,public_suffix=com,unicode=аррӏе.com", ""},
    // UTS #46 maps full-width letters and the ideographic full stop.
    {"ｅｘａｍｐｌｅ。com", "example.com", "registrable_domain=example.com,public_suffix=com",
     "mapped to ASCII"},
    {"www.bücher.de", "www.xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=www.bücher.de", ""},
    {"*.example.com", "*.example.com",
     "registrable_domain=example.com,public_suffix=com,wildcard=true", ""},
    {"*.Bücher.de", "*.xn--bcher-kva.de",
     "registrable_domain=xn--bcher-kva.de,public_suffix=de,unicode=*.bücher.de,wildcard=true", ""},
    {"*.co.uk", "*.co.uk", "public_suffix=co.uk,wildcard=true", "is a public suffix"},
    {"example.notatld", "example.notatld",
     "registrable_domain=example.notatld,public_suffix=notatld", "not in the public suffix list"},
    {"a.b.blogspot.com", "a.b.blogspot.com",
     "registrable_domain=b.blogspot.com,public_suffix=blogspot.com", ""},  // PSL private section
    // PSL wildcard and exception rules: *.kawasaki.jp, !city.kawasaki.jp.
    {"www.city.kawasaki.jp", "www.city.kawasaki.jp",
     "registrable_domain=city.kawasaki.jp,public_suffix=kawasaki.jp", ""},
    {"a.b.c.kawasaki.jp", "a.b.c.kawasaki.jp",
     "registrable_domain=b.c.kawasaki.jp,public_suffix=c.kawasaki.jp", ""},
    {"foo_bar.example.com", "foo_bar.example.com",
     "registrable_domain=example.com,public_suffix=com", "underscore"},
    {"_dmarc.example.com", "_dmarc.example.com", "registrable_domain=example.com,public_suffix=com",
     "underscore"},
    {"1.2.3.example", "1.2.3.example", "registrable_domain=3.example,public_suffix=example",
     "not in the public suffix list"},
    {"123.example.com", "123.example.com", "registrable_domain=example.com,public_suffix=com", ""},
    {"a-b.example.com", "a-b.example.com", "registrable_domain=example.com,public_suffix=com", ""},
    {"a--b.example.com", "a--b.example.com", "registrable_domain=example.com,public_suffix=com",
     ""},  // "--" outside positions 3-4 is fine
    {"x.com", "x.com", "registrable_domain=x.com,public_suffix=com", ""},
    {"localhost", "localhost", "public_suffix=localhost", "not in the public suffix list",
     SingleLabel()},
    {"COM", "com", "public_suffix=com", "is a public suffix", SingleLabel()},
    {"xn--p1ai", "xn--p1ai", "public_suffix=xn--p1ai,unicode=рф", "is a public suffix",
     SingleLabel()},
    // Labels of exactly 63 octets, a name of exactly 253 octets.
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
     "registrable_domain=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com,"
     "public_suffix=com",
     ""},
};

struct Refused {
  std::string_view input;
  std::string_view error;  // substring of the message
  DomainOptions options = {};
};

DomainOptions NoWildcard() {
  DomainOptions o;
  o.allow_wildcard = false;
  return o;
}

const Refused kRefused[] = {
    {"", "empty"},
    {"   ", "empty"},
    {".", "root"},
    {"ex ample.com", "space"},
    {"example .com", "space"},
    {"-example.com", "hyphen"},
    {"example-.com", "hyphen"},
    {"ab--cd.com", "3rd and 4th"},
    {"example..com", "empty label"},
    {".example.com", "empty label"},
    {"example.com..", "empty label"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "63 octets"},
    {"localhost", "single label"},
    {"com", "single label"},
    {"1.2.3.4", "looks like an IP address"},
    {"198.51.100.7.", "looks like an IP address"},
    {"example.123", "looks like an IP address"},
    {"xn--zz", "not a valid IDNA2008 A-label"},
    {"xn--zz.com", "invalid punycode"},
    {"xn--a.com", "not a valid IDNA2008 A-label"},
    {"xn--ls8h.la", "disallowed"},  // emoji: IDNA2003 only
    {"💩.la", "IDNA2008"},
    {"xn--Bcher-kva.de.xn--zz", "A-label"},
    {"*.example.com", "wildcard", NoWildcard()},
    {"*.*.example.com", "wildcard is only allowed as the whole leftmost label"},
    {"a.*.example.com", "wildcard is only allowed"},
    {"*example.com", "wildcard is only allowed"},
    {"*", "only a wildcard"},
    {"*.com", "single label"},
    {"http://example.com", "character ':'"},
    {"example.com/path", "character '/'"},
    {"user@example.com", "character '@'"},
    {"evil[.]com", "character '['"},
    {"example.com:80", "character ':'"},
    {"exa\x01mple.com", "byte 0x01"},
    {std::string_view("exa\0mple.com", 12), "byte 0x00"},
    {"example.c_m", "underscore in the top-level label"},
    {"bü cher.de", "space"},
    {"bücher..de", "empty label"},
    {"\xff\xfe.com", "IDNA2008"},  // not UTF-8
    {"a.xn--", "hyphen"},
};

TEST(DomainTest, Accepted) {
  for (const Accepted& c : kAccepted) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalDomain(c.input, c.options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind, Kind::kDomain);
    EXPECT_EQ(r->value, c.canonical);
    EXPECT_EQ(JoinFields(*r), c.fields);
    if (!c.note.empty()) {
      EXPECT_TRUE(HasNote(*r, c.note)) << c.note;
    }
    // Canonical forms are fixed points.
    core::Result<Observable> again = CanonicalDomain(r->value, c.options);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->value, r->value);
    EXPECT_EQ(again->fields, r->fields);
  }
}

TEST(DomainTest, Refused) {
  for (const Refused& c : kRefused) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalDomain(c.input, c.options);
    ASSERT_FALSE(r.ok()) << r->value;
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("not a valid domain name: ", 0), 0u) << r.error().message;
  }
}

TEST(DomainTest, LengthLimits) {
  // 3 labels of 63, one of 57, "com" and 4 dots: exactly 253 octets.
  std::string label(63, 'a');
  std::string name = label + "." + label + "." + label + "." + std::string(57, 'b') + ".com";
  ASSERT_EQ(name.size(), 253u);
  core::Result<Observable> ok = CanonicalDomain(name);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->value, name);
  EXPECT_TRUE(CanonicalDomain(name + ".").ok());  // the trailing dot is not counted

  std::string too_long = "a" + name;  // 254 octets
  core::Result<Observable> bad = CanonicalDomain(too_long);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("253"), std::string::npos) << bad.error().message;

  // The limit applies to the A-label form, not the Unicode text.
  std::string unicode;
  for (int i = 0; i < 20; ++i) unicode += "ü";  // 20 code points, 40 bytes of UTF-8
  core::Result<Observable> idn = CanonicalDomain(unicode + ".de");
  ASSERT_TRUE(idn.ok()) << idn.error().message;
  EXPECT_EQ(idn->value.rfind("xn--", 0), 0u);
}

TEST(DomainTest, NotesAreOnlyWhatChanged) {
  core::Result<Observable> r = CanonicalDomain("example.com");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->notes.empty());
  EXPECT_EQ(r->Field("unicode"), nullptr);
  EXPECT_EQ(r->Field("wildcard"), nullptr);
}

TEST(DomainTest, ReversedLabels) {
  EXPECT_EQ(ReversedLabels("mail.example.com"), "com.example.mail");
  EXPECT_EQ(ReversedLabels("example.com"), "com.example");
  EXPECT_EQ(ReversedLabels("localhost"), "localhost");
  EXPECT_EQ(ReversedLabels("a.b.example.co.uk"), "uk.co.example.b.a");
  EXPECT_EQ(ReversedLabels("*.example.com"), "com.example.*");
  EXPECT_EQ(ReversedLabels(""), "");
  // A prefix scan on the reversed form finds the domain and everything under it.
  EXPECT_EQ(ReversedLabels("x.mail.example.com").rfind(ReversedLabels("mail.example.com"), 0), 0u);
}

}  // namespace
}  // namespace tessera::normalize
