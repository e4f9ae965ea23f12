#include "normalize/email.h"

#include <gtest/gtest.h>

#include "normalize/observable_test_util.h"

#include <string>
#include <string_view>

#include "normalize/filename.h"

namespace tessera::normalize {
namespace {

using testing::HasNote;
using testing::JoinFields;
using testing::Notes;

struct Accepted {
  std::string_view input;
  std::string_view canonical;
  std::string_view fields;  // exact, in order; empty: not checked
  std::string_view note;    // a substring of some note; empty: not checked
};

constexpr std::string_view kExampleCom = "domain=example.com,registrable_domain=example.com";

const Accepted kEmailAccepted[] = {
    {"user@example.com", "user@example.com", kExampleCom, ""},
    {"User@Example.COM.", "User@example.com", kExampleCom, "domain: trailing dot removed"},
    {"  john.doe@EXAMPLE.com  ", "john.doe@example.com", kExampleCom, ""},
    {"\"john doe\"@example.com", "\"john doe\"@example.com", kExampleCom, ""},
    {"\"a@b\"@example.com", "\"a@b\"@example.com", kExampleCom, ""},
    {"\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com", kExampleCom, ""},
    {"\"john..doe\"@example.com", "\"john..doe\"@example.com", kExampleCom, ""},
    {"mailto:x@example.com", "x@example.com", kExampleCom, "'mailto:' removed"},
    {"MAILTO:x@Example.com", "x@example.com", kExampleCom, "'mailto:' removed"},
    {"mailto:x@example.com?subject=hi", "x@example.com", kExampleCom, "header fields"},
    {"Name <x@example.com>", "x@example.com", kExampleCom, "display name Name removed"},
    {"\"Doe, John\" <john@example.com>", "john@example.com", kExampleCom, "display name"},
    {"\"a <b>\" <x@example.com>", "x@example.com", kExampleCom, "display name"},
    {"<x@example.com>", "x@example.com", kExampleCom, "angle brackets removed"},
    {"<mailto:x@example.com>", "x@example.com", kExampleCom, "'mailto:' removed"},
    {"x@[192.0.2.1]", "x@[192.0.2.1]", "domain=[192.0.2.1]", ""},
    {"x@[IPv6:2001:DB8::1]", "x@[IPv6:2001:db8::1]", "domain=[IPv6:2001:db8::1]", ""},
    {"x@[ipv6:2001:db8:0:0:0:0:0:1]", "x@[IPv6:2001:db8::1]", "domain=[IPv6:2001:db8::1]", ""},
    {"x@bücher.de", "x@xn--bcher-kva.de",
     "domain=xn--bcher-kva.de,registrable_domain=xn--bcher-kva.de", ""},
    {"x@XN--BCHER-KVA.DE", "x@xn--bcher-kva.de",
     "domain=xn--bcher-kva.de,registrable_domain=xn--bcher-kva.de", ""},
    {"info@пример.рф", "info@xn--e1afmkfd.xn--p1ai",
     "domain=xn--e1afmkfd.xn--p1ai,registrable_domain=xn--e1afmkfd.xn--p1ai", ""},
    {"用户@例え.テスト", "用户@xn--r8jz45g.xn--zckzah", "", ""},  // RFC 6532 UTF-8 local part
    {"a.b.c@mail.example.co.uk", "a.b.c@mail.example.co.uk",
     "domain=mail.example.co.uk,registrable_domain=example.co.uk", ""},
    {"x+tag@example.com", "x+tag@example.com", kExampleCom, ""},
    {"!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com", kExampleCom, ""},
    {"CaseKept@example.com", "CaseKept@example.com", kExampleCom, ""},
    {"x@sub_domain.example.com", "x@sub_domain.example.com", "", "underscore"},
    {"x@example.notatld", "x@example.notatld", "", "not in the public suffix list"},
    {"x@co.uk", "x@co.uk", "domain=co.uk", "is a public suffix"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com", kExampleCom,
     ""},  // 64-octet local part
};

struct Refused {
  std::string_view input;
  std::string_view error;
};

const Refused kEmailRefused[] = {
    {"", "empty"},
    {"   ", "empty"},
    {"a@b@c.com", "more than one '@'"},
    {"@example.com", "empty local part"},
    {"user@", "empty domain"},
    {"user", "no '@'"},
    {"user.example.com", "no '@'"},
    {"john doe@example.com", "space"},
    {".john@example.com", "starts or ends with '.'"},
    {"john.@example.com", "starts or ends with '.'"},
    {"john..doe@example.com", "\"..\""},
    {"jo\"hn@example.com", "'\"' inside an unquoted"},
    {"john(comment)@example.com", "character '('"},
    {"a,b@example.com", "character ','"},
    {"\"unclosed@example.com", "unclosed"},
    {"\"a\"b@example.com", "not followed by '@'"},
    {"\"\"@example.com", "empty quoted"},
    {"\"a\x01\"@example.com", "control character"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
     "longer than 64"},
    {"\xff@example.com", "not valid UTF-8"},
    {"user@localhost", "domain: a single label"},
    {"user@1.2.3.4", "domain: all-numeric"},
    {"user@-example.com", "domain: label"},
    {"user@exa mple.com", "domain: contains a space"},
    {"user@example[.]com", "domain: character '['"},
    {"user@*.example.com", "domain: a wildcard"},
    {"user@xn--zz.com", "domain: label 'xn--zz'"},
    {"user@[192.0.2.1", "unclosed '['"},
    {"user@[192.0.2.256]", "not an address literal"},
    {"user@[2001:db8::1]", "not an address literal"},  // RFC 5321: needs the "IPv6:" tag
    {"user@[IPv6:2001:db8::zz]", "not an IPv6 address literal"},
    {"Name <x@example.com", "space"},
    {"Name x@example.com>", "without a matching '<'"},
    {"Name <>", "empty"},
    {"mailto:", "empty"},
    {"user[at]example.com", "no '@'"},
};

TEST(EmailTest, Accepted) {
  for (const Accepted& c : kEmailAccepted) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalEmail(c.input);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind, Kind::kEmail);
    EXPECT_EQ(r->value, c.canonical);
    if (!c.fields.empty()) {
      EXPECT_EQ(JoinFields(*r), c.fields);
    }
    if (!c.note.empty()) {
      EXPECT_TRUE(HasNote(*r, c.note)) << c.note;
    }
    core::Result<Observable> again = CanonicalEmail(r->value);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->value, r->value);
    EXPECT_EQ(again->fields, r->fields);
  }
}

TEST(EmailTest, Refused) {
  for (const Refused& c : kEmailRefused) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalEmail(c.input);
    ASSERT_FALSE(r.ok()) << r->value;
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("not a valid e-mail address: ", 0), 0u) << r.error().message;
  }
}

TEST(EmailTest, TotalLength) {
  // 64-octet local part + '@' + a 190-octet domain = 255 octets: over RFC 5321's 254.
  std::string local(64, 'a');
  std::string domain =
      std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(58, 'd') + ".com";
  ASSERT_EQ(domain.size(), 190u);
  core::Result<Observable> r = CanonicalEmail(local + "@" + domain);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("254"), std::string::npos) << r.error().message;
  core::Result<Observable> ok = CanonicalEmail(local.substr(1) + "@" + domain);
  EXPECT_TRUE(ok.ok());
}

// File names share this binary (normalize_names_test) with e-mail addresses.
struct FileCase {
  std::string_view input;
  std::string_view canonical;  // empty: refused
  std::string_view detail;     // accepted: the extension field ("-": none); refused: error part
};

const FileCase kFileNames[] = {
    {"invoice.pdf.exe", "invoice.pdf.exe", "exe"},
    {"  Report.DOCX ", "Report.DOCX", "docx"},
    {"archive.tar.gz", "archive.tar.gz", "gz"},
    {"README", "README", "-"},
    {".bashrc", ".bashrc", "-"},
    {"trailing.", "trailing.", "-"},
    {"Счёт.PDF", "Счёт.PDF", "pdf"},
    {"файл.докс", "файл.докс", "докс"},
    {"a b c.txt", "a b c.txt", "txt"},
    {"invoice\xE2\x80\xAE"
     "fdp.exe",
     "invoice\xE2\x80\xAE"
     "fdp.exe",
     "exe"},
    {"", "", "empty"},
    {"  ", "", "empty"},
    {".", "", "names a directory"},
    {"..", "", "names a directory"},
    {"C:\\Users\\x\\evil.exe", "", "a path; the file name is evil.exe"},
    {"/tmp/evil.sh", "", "a path; the file name is evil.sh"},
    {"dir/", "", "ending in a separator"},
    {"a\x01.txt", "", "control character"},
    {std::string_view("a\0b.txt", 7), "", "NUL"},
    {"a\x7f.txt", "", "control character"},
    {"a\xC2\x85.txt", "", "control character"},  // U+0085 NEXT LINE
    {"\xff\xfe.txt", "", "not valid UTF-8"},
    {"\xC0\xAF.txt", "", "not valid UTF-8"},          // overlong '/'
    {"\xED\xA0\x80.txt", "", "not valid UTF-8"},      // surrogate
    {"\xF4\x90\x80\x80.txt", "", "not valid UTF-8"},  // above U+10FFFF
    {"\xE2\x80", "", "not valid UTF-8"},              // truncated
};

TEST(FileNameTest, Table) {
  for (const FileCase& c : kFileNames) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalFileName(c.input);
    if (c.canonical.empty()) {
      ASSERT_FALSE(r.ok()) << r->value;
      EXPECT_NE(r.error().message.find(c.detail), std::string::npos) << r.error().message;
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind, Kind::kFileName);
    EXPECT_EQ(r->value, c.canonical);
    const std::string* extension = r->Field("extension");
    if (c.detail == "-") {
      EXPECT_EQ(extension, nullptr);
    } else {
      ASSERT_NE(extension, nullptr);
      EXPECT_EQ(*extension, c.detail);
    }
    core::Result<Observable> again = CanonicalFileName(r->value);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->value, r->value);
  }
}

TEST(FileNameTest, RightToLeftOverrideIsNoted) {
  core::Result<Observable> r = CanonicalFileName(
      "invoice\xE2\x80\xAE"
      "fdp.exe");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasNote(*r, "right-to-left override"));
}

TEST(FileNameTest, Length) {
  EXPECT_TRUE(CanonicalFileName(std::string(251, 'a') + ".exe").ok());
  core::Result<Observable> r = CanonicalFileName(std::string(252, 'a') + ".exe");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("255"), std::string::npos);
}

}  // namespace
}  // namespace tessera::normalize
