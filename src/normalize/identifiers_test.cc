// Table-driven tests for the token canonicalizers: hashes, AS numbers, CVE ids and
// MAC addresses. Each row is an input and either its canonical form (plus a note it
// must carry) or a piece of the reason it is refused; every accepted value must be
// a fixed point.
#include "normalize/identifiers.h"

#include <gtest/gtest.h>

#include "normalize/observable_test_util.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::normalize {
namespace {

using testing::HasNote;
using testing::JoinFields;
using testing::Notes;
using testing::Case;
using testing::RunTable;

// --- Hashes -------------------------------------------------------------------

constexpr std::string_view kMd5Abc = "900150983cd24fb0d6963f7d28e17f72";
constexpr std::string_view kSha1Abc = "a9993e364706816aba3e25717850c26c9cd0d89d";
constexpr std::string_view kSha256Abc =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kSha512Abc =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
constexpr std::string_view kTlshUpper =
    "T14283FEFC63F0CD0E873A0000C6D07EF7B77E90D3593AD699FC1F7CD5BB2E35CBF0F19C";
constexpr std::string_view kTlshCanonical =
    "T14283fefc63f0cd0e873a0000c6d07ef7b77e90d3593ad699fc1f7cd5bb2e35cbf0f19c";

TEST(CanonicalHash, Table) {
  const std::string md5_upper = "900150983CD24FB0D6963F7D28E17F72";
  const std::string sha256_upper =
      "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD";
  const std::string tlsh_legacy(kTlshUpper.substr(2));
  const std::string tlsh_lower_prefix = "t1" + std::string(kTlshUpper.substr(2));
  const std::string zeros32(32, '0');
  const std::string zeros64(64, '0');
  const std::string md5_35 = std::string(kMd5Abc) + "abc";
  const std::string md5_g = std::string(kMd5Abc.substr(0, 31)) + "g";
  const std::string long_chunk = "3:" + std::string(65, 'A') + ":B";
  const std::string padded = "  " + std::string(kSha1Abc) + "\n";
  const std::string md5_0x = "0x" + std::string(kMd5Abc.substr(0, 30));
  const std::string labelled = "sha256:" + std::string(kSha256Abc);
  const std::string spaced =
      std::string(kMd5Abc.substr(0, 16)) + " " + std::string(kMd5Abc.substr(16));
  RunTable(
      CanonicalHash,
      {
          {kMd5Abc, kMd5Abc, "", ""},
          {md5_upper, kMd5Abc, "", ""},
          {kSha1Abc, kSha1Abc, "", ""},
          {padded, kSha1Abc, "", ""},
          {kSha256Abc, kSha256Abc, "", ""},
          {sha256_upper, kSha256Abc, "", ""},
          {kSha512Abc, kSha512Abc, "", ""},
          {zeros32, zeros32, "", "all zeros: placeholder, not a real hash"},
          {zeros64, zeros64, "", "all zeros"},
          {"d41d8cd98f00b204e9800998ecf8427e", "d41d8cd98f00b204e9800998ecf8427e", "",
           "digest of empty input"},
          {"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "",
           "digest of empty input"},
          // TLSH.
          {kTlshUpper, kTlshCanonical, "", ""},
          {kTlshCanonical, kTlshCanonical, "", ""},
          {tlsh_lower_prefix, kTlshCanonical, "", ""},
          {tlsh_legacy, kTlshCanonical, "", "legacy TLSH without the 'T1' version prefix"},
          {"TNULL", "", "TNULL: TLSH had too little input", ""},
          // SSDEEP: case kept.
          {"3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C",
           "", ""},
          {" 96:s4Ud1Lj96tHHlZDrwciQmA5kJ1iDN1fnBs8SA6aPhtNlSsyq:"
           "s4Ud1Lj96tHHlZDrwciQmAKsVs8yLNlSsD ",
           "96:s4Ud1Lj96tHHlZDrwciQmA5kJ1iDN1fnBs8SA6aPhtNlSsyq:s4Ud1Lj96tHHlZDrwciQmAKsVs8yLNlSsD",
           "", ""},
          {"24576:aB+/cD:eF", "24576:aB+/cD:eF", "", ""},
          {"3::", "3::", "", "empty ssdeep signature"},
          {"100:AXGB:AXG", "", "ssdeep block size 100 is not 3 x 2^n", ""},
          {"0:AXGB:AXG", "", "block size 0 is not 3 x 2^n", ""},
          {"03:AXGB:AXG", "", "leading zero in the ssdeep block size", ""},
          {"99999999999:A:B", "", "block size is too large", ""},
          {"x3:AXGB:AXG", "", "block size 'x3' is not a number", ""},
          {"3:AXGB", "", "three parts", ""},
          {"3:AX:GB:CD", "", "three parts", ""},
          {"3:AXGB:AXG,\"file.txt\"", "", "has a file name after ','", ""},
          {"3:AX!B:AXG", "", "character '!' is not in the base64 alphabet", ""},
          {"3:AX B:AXG", "", "character ' ' is not in the base64 alphabet", ""},
          {long_chunk, "", "longer than 64 characters", ""},
          {labelled, "", "has a label 'sha256:'; give the digest alone", ""},
          // Not hashes.
          {"", "", "empty", ""},
          {"   ", "", "empty", ""},
          {md5_35, "", "35 hex digits: truncated or not a hash", ""},
          {"abc", "", "3 hex digits", ""},
          {std::string_view(kSha256Abc).substr(0, 63), "", "63 hex digits", ""},
          {md5_g, "", "character 'g' at offset 31 is not a hex digit", ""},
          {spaced, "", "character ' ' at offset 16", ""},
          {md5_0x, "", "'0x' prefix", ""},
          {"\xef\xbc\x91\xef\xbc\x92", "", "character '\\xef' at offset 0", ""},
      });
}

TEST(CanonicalHash, KindsByLength) {
  EXPECT_EQ(CanonicalHash(kMd5Abc)->kind, Kind::kMd5);
  EXPECT_EQ(CanonicalHash(kSha1Abc)->kind, Kind::kSha1);
  EXPECT_EQ(CanonicalHash(kSha256Abc)->kind, Kind::kSha256);
  EXPECT_EQ(CanonicalHash(kSha512Abc)->kind, Kind::kSha512);
  EXPECT_EQ(CanonicalHash(kTlshUpper)->kind, Kind::kTlsh);
  EXPECT_EQ(CanonicalHash("3:AXGB:AXG")->kind, Kind::kSsdeep);
}

TEST(CanonicalHashAs, AcceptsOnlyTheKindAsked) {
  auto md5 = CanonicalHashAs(Kind::kMd5, "900150983CD24FB0D6963F7D28E17F72");
  ASSERT_TRUE(md5.ok());
  EXPECT_EQ(md5->value, kMd5Abc);

  auto wrong = CanonicalHashAs(Kind::kMd5, kSha256Abc);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kValidation);
  EXPECT_NE(wrong.error().message.find("not a valid MD5 hash: this is a sha256 hash, not md5"),
            std::string::npos)
      << wrong.error().message;

  auto bad = CanonicalHashAs(Kind::kSha1, "a9993e36");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("not a valid SHA-1 hash: 8 hex digits"), std::string::npos)
      << bad.error().message;

  auto tlsh = CanonicalHashAs(Kind::kTlsh, kTlshUpper.substr(2));
  ASSERT_TRUE(tlsh.ok());
  EXPECT_EQ(tlsh->value, kTlshCanonical);

  auto not_hash = CanonicalHashAs(Kind::kDomain, kMd5Abc);
  ASSERT_FALSE(not_hash.ok());
  EXPECT_EQ(not_hash.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(CanonicalHash, SsdeepCaseIsKept) {
  // Base64: "aB" and "ab" are different digests, so lower-casing would corrupt one.
  auto upper = CanonicalHash("6:aBcD:aB");
  auto lower = CanonicalHash("6:abcd:ab");
  ASSERT_TRUE(upper.ok());
  ASSERT_TRUE(lower.ok());
  EXPECT_NE(upper->value, lower->value);
}

// --- AS numbers ---------------------------------------------------------------

TEST(CanonicalAsn, Table) {
  RunTable([](std::string_view t) { return CanonicalAsn(t); },
           {
               {"AS13335", "AS13335", "", ""},
               {"as13335", "AS13335", "", ""},
               {"As13335", "AS13335", "", ""},
               {"ASN13335", "AS13335", "", ""},
               {"asn13335", "AS13335", "", ""},
               {"ASN 13335", "AS13335", "", ""},
               {"AS 13335", "AS13335", "", ""},
               {"  AS13335\t", "AS13335", "", ""},
               {"AS1", "AS1", "", ""},
               {"AS64500", "AS64500", "", "documentation AS number (RFC 5398)"},
               {"AS1.10", "AS65546", "", "asdot 1.10 written as asplain AS65546"},
               {"AS0.13335", "AS13335", "", "asdot 0.13335"},
               {"AS65535.65535", "AS4294967295", "", "asdot"},
               {"AS013335", "AS13335", "", "leading zeros removed"},
               {"AS4294967295", "AS4294967295", "", "reserved AS number (RFC 7300)"},
               {"AS65535", "AS65535", "", "reserved AS number (RFC 7300)"},
               {"AS23456", "AS23456", "", "AS_TRANS (RFC 6793)"},
               {"AS64512", "AS64512", "", "private-use AS number (RFC 6996)"},
               {"AS65534", "AS65534", "", "private-use"},
               {"AS4200000000", "AS4200000000", "", "private-use"},
               {"AS4294967294", "AS4294967294", "", "private-use"},
               {"AS100000", "AS100000", "", "reserved AS number (IANA)"},
               {"AS131072", "AS131072", "", ""},
               {"AS4199999999", "AS4199999999", "", ""},
               // Refused.
               {"AS0", "", "AS0 is reserved (RFC 7607)", ""},
               {"AS0.0", "", "AS0 is reserved", ""},
               {"AS4294967296", "", "greater than 4294967295", ""},
               {"AS99999999999999999999999", "", "greater than 4294967295", ""},
               {"13335", "", "a bare number is not an AS number here", ""},
               {"AS", "", "no number after 'AS'", ""},
               {"ASN", "", "no number after 'ASN'", ""},
               {"AS ", "", "no number after", ""},
               {"AS-13335", "", "character '-'", ""},
               {"AS  13335", "", "character ' '", ""},
               {"AS\t13335", "", "character '\\x09'", ""},
               {"AS13335x", "", "character 'x'", ""},
               {"AS65536.1", "", "asdot '65536.1' is not two numbers 0-65535", ""},
               {"AS1.65536", "", "not two numbers 0-65535", ""},
               {"AS1.", "", "asdot", ""},
               {"AS.1", "", "asdot", ""},
               {"AS1.2.3", "", "asdot", ""},
               {"AS\xef\xbc\x91", "", "character '\\xef'", ""},
               {"foo", "", "does not start with 'AS' or a number", ""},
               {"", "", "empty", ""},
           });
}

TEST(CanonicalAsn, BareNumbersWhenAllowed) {
  RunTable([](std::string_view t) { return CanonicalAsn(t, /*allow_bare=*/true); },
           {
               {"13335", "AS13335", "", ""},
               {"AS13335", "AS13335", "", ""},
               {"1.10", "AS65546", "", "asdot"},
               {"0", "", "AS0 is reserved", ""},
               {"4294967296", "", "greater than 4294967295", ""},
               {"-1", "", "does not start with 'AS' or a number", ""},
           });
}

TEST(CanonicalAsn, NumberField) {
  auto asn = CanonicalAsn("asn 64500");
  ASSERT_TRUE(asn.ok());
  EXPECT_EQ(asn->kind, Kind::kAsn);
  ASSERT_EQ(asn->fields.size(), 1u);
  EXPECT_EQ(asn->fields[0], (std::pair<std::string_view, std::string>{"number", "64500"}));
}

// --- CVE ids ------------------------------------------------------------------

TEST(CanonicalCve, Table) {
  RunTable(
      CanonicalCve,
      {
          {"CVE-2021-44228", "CVE-2021-44228", "", ""},
          {"cve-2021-44228", "CVE-2021-44228", "", ""},
          {"Cve-2014-0160", "CVE-2014-0160", "", ""},
          {" CVE-2014-0160\n", "CVE-2014-0160", "", ""},
          {"CVE-1999-0001", "CVE-1999-0001", "", ""},
          {"CVE-2014-0001", "CVE-2014-0001", "", ""},
          {"CVE-2100-1234", "CVE-2100-1234", "", ""},
          {"CVE-2021-1234567", "CVE-2021-1234567", "", ""},
          {"CVE-2021-1234567890123456789", "CVE-2021-1234567890123456789", "", ""},
          // Refused.
          {"CVE-2021-12345678901234567890", "", "more than 19 digits", ""},
          {"CVE-2021-123", "", "fewer than 4 digits", ""},
          {"CVE-2021-", "", "fewer than 4 digits", ""},
          {"CVE-2014-00001", "", "leading zero in a sequence number of more than 4 digits", ""},
          {"CVE-1998-1234", "", "year 1998 is outside 1999..2100", ""},
          {"CVE-2101-1234", "", "year 2101 is outside", ""},
          {"CVE-0000-1234", "", "outside 1999..2100", ""},
          {"CVE\xe2\x80\x93"
           "2021-44228",
           "", "an en dash; write '-'", ""},
          {"CVE-2021\xe2\x80\x94"
           "44228",
           "", "an em dash; write '-'", ""},
          {"CVE\xe2\x80\x90"
           "2021-44228",
           "", "a Unicode hyphen", ""},
          {"CVE_2021_44228", "", "'_' between the parts", ""},
          {"CVE 2021 44228", "", "whitespace between the parts", ""},
          {"CVE2021-44228", "", "separated by '-'", ""},
          {"CVE-2021", "", "separated by '-'", ""},
          {"CVE-2021:44228", "", "separated by '-'", ""},
          {"CVE-21-44228", "", "the year is not four digits", ""},
          {"CVE-20X1-44228", "", "the year is not four digits", ""},
          {"CVE-2021-44228a", "", "character 'a' in the sequence number", ""},
          {"CVE-2021-44228 ", "CVE-2021-44228", "", ""},
          {"CVE-2021-4422 8", "", "character ' '", ""},
          {"CVE-2021-\xef\xbc\x94\xef\xbc\x94\xef\xbc\x92\xef\xbc\x92", "", "character '\\xef'",
           ""},
          {"XVE-2021-44228", "", "does not start with 'CVE-'", ""},
          {"GHSA-jfh8-c2jp-5v3q", "", "does not start with 'CVE-'", ""},
          {"", "", "does not start with 'CVE-'", ""},
      });
}

TEST(CanonicalCve, YearField) {
  auto cve = CanonicalCve("cve-2021-44228");
  ASSERT_TRUE(cve.ok());
  EXPECT_EQ(cve->kind, Kind::kCve);
  ASSERT_NE(cve->Field("year"), nullptr);
  EXPECT_EQ(*cve->Field("year"), "2021");
}

// --- MAC addresses ------------------------------------------------------------

TEST(CanonicalMac, Table) {
  RunTable(CanonicalMac,
           {
               {"00:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5e", "", ""},
               {"00:1A:2B:3C:4D:5E", "00:1a:2b:3c:4d:5e", "", ""},
               {"00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e", "", ""},
               {"00-1A-2B-3C-4D-5E", "00:1a:2b:3c:4d:5e", "", ""},
               {"001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e", "", ""},
               {"001A.2B3C.4D5E", "00:1a:2b:3c:4d:5e", "", ""},
               {"001a2b3c4d5e", "00:1a:2b:3c:4d:5e", "", ""},
               {"001A2B3C4D5E", "00:1a:2b:3c:4d:5e", "", ""},
               {"  00:1a:2b:3c:4d:5e\t", "00:1a:2b:3c:4d:5e", "", ""},
               {"0:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5e", "", "one-digit groups padded"},
               {"0:1c:42:0:0:8", "00:1c:42:00:00:08", "", "padded"},
               {"ff:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff", "", "broadcast address"},
               {"FF-FF-FF-FF-FF-FF", "ff:ff:ff:ff:ff:ff", "", "broadcast"},
               {"ffffffffffff", "ff:ff:ff:ff:ff:ff", "", "broadcast"},
               {"00:00:00:00:00:00", "00:00:00:00:00:00", "", "all zeros: placeholder"},
               {"000000000000", "00:00:00:00:00:00", "", "all zeros"},
               {"0000.0000.0000", "00:00:00:00:00:00", "", "all zeros"},
               {"01:00:5e:00:00:fb", "01:00:5e:00:00:fb", "", ""},
               // Refused.
               {"00:1a:2b:ff:fe:3c:4d:5e", "", "64-bit EUI-64 identifier", ""},
               {"00-1a-2b-ff-fe-3c-4d-5e", "", "EUI-64", ""},
               {"001a2bfffe3c4d5e", "", "EUI-64", ""},
               {"001a.2bff.fe3c.4d5e", "", "EUI-64", ""},
               {"00:1a-2b:3c:4d:5e", "", "mixed separators", ""},
               {"001a.2b3c:4d5e", "", "mixed separators", ""},
               {"00:1a:2b:3c:4d", "", "5 groups; a MAC address has 6", ""},
               {"00:1a:2b:3c:4d:5e:6f", "", "7 groups", ""},
               {"00:1a:2b:3c:4d:5e:6f:70:81", "", "9 groups", ""},
               {"0:0:0:0:0:0:0:0:0:0", "", "too many groups", ""},
               {"00:1a:2b:3c:4d:5g", "", "character 'g' is not allowed", ""},
               {"00 1a 2b 3c 4d 5e", "", "character ' ' is not allowed", ""},
               {"00_1a_2b_3c_4d_5e", "", "character '_' is not allowed", ""},
               {"001a2b3c4d5", "", "11 hex digits; a MAC address has 12", ""},
               {"001a2b3c4d5e6f", "", "14 hex digits", ""},
               {"0-1a-2b-3c-4d-5e", "", "group '0' has fewer than 2 hex digits", ""},
               {"1a2b.3c4d.5e", "", "group '5e' has fewer than 4 hex digits", ""},
               {"00:1a:2b:3c:4d:", "", "empty group", ""},
               {":00:1a:2b:3c:4d", "", "empty group", ""},
               {"001:a2:b3:c4:d5:e6", "", "group '001' has more than 2 hex digits", ""},
               {"00:1a:2b:3c:4d:5e:", "", "7 groups", ""},
               {"", "", "empty", ""},
               {"00:1a:2b:3c:4d:\xef\xbc\x95", "", "character '\\xef'", ""},
           });
}

TEST(CanonicalMac, Kind) {
  auto mac = CanonicalMac("001A.2B3C.4D5E");
  ASSERT_TRUE(mac.ok());
  EXPECT_EQ(mac->kind, Kind::kMac);
  EXPECT_EQ(mac->value.size(), 17u);
}

}  // namespace
}  // namespace tessera::normalize
