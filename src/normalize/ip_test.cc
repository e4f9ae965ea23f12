// Table-driven tests for CanonicalIpv4 / CanonicalIpv6 / CanonicalCidr: each row is
// an input and either its canonical form (plus a note it must carry) or a piece of
// the reason it is refused. Every accepted value must be a fixed point.
#include "normalize/ip.h"

#include <gtest/gtest.h>

#include "normalize/observable_test_util.h"

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

// A /32 or /128 network comes back as an address: its fixed point is checked as one.
core::Result<Observable> RecheckCidr(const Observable& o) {
  if (o.kind == Kind::kIpv4) return CanonicalIpv4(o.value);
  if (o.kind == Kind::kIpv6) return CanonicalIpv6(o.value);
  return CanonicalCidr(o.value);
}

using namespace std::string_view_literals;

// --- IPv4 ---------------------------------------------------------------------

TEST(CanonicalIpv4, Table) {
  RunTable(CanonicalIpv4,
           {
               // Accepted as is.
               {"198.51.100.7", "198.51.100.7", "", ""},
               {"0.0.0.0", "0.0.0.0", "", ""},
               {"255.255.255.255", "255.255.255.255", "", ""},
               {"1.2.3.4", "1.2.3.4", "", ""},
               {"10.0.0.1", "10.0.0.1", "", ""},
               {"  192.0.2.1\t\n", "192.0.2.1", "", ""},
               {"\r\n203.0.113.9 ", "203.0.113.9", "", ""},
               // Leading zeros: decimal, with a note naming the octal reading.
               {"192.168.001.001", "192.168.1.1", "", "decimal and octal readings agree"},
               {"00.0.0.0", "0.0.0.0", "", "readings agree"},
               {"1.2.3.004", "1.2.3.4", "", "readings agree"},
               {"192.168.001.010", "192.168.1.10", "",
                "inet_aton would read '010' as octal 8, giving 192.168.1.8"},
               {"010.0.0.1", "10.0.0.1", "", "octal 8, giving 8.0.0.1"},
               {"08.0.0.1", "8.0.0.1", "", "refuse '08' (not an octal number)"},
               {"099.1.1.1", "99.1.1.1", "", "refuse '099'"},
               {"127.000.000.001", "127.0.0.1", "", "readings agree"},
               {"1.2.3.077", "1.2.3.77", "", "octal 63, giving 1.2.3.63"},
               {"255.255.255.0255", "", "leading zero and more than 3 digits", ""},
               // Forms inet_aton reads differently: refused, naming its reading.
               {"0x7f.0.0.1", "",
                "hex part '0x7f'; inet_aton reads it as 127.0.0.1; write the dotted quad", ""},
               {"0X7F.0.0.1", "", "inet_aton reads it as 127.0.0.1", ""},
               {"0x7f.1", "", "hex part '0x7f'; inet_aton reads it as 127.0.0.1", ""},
               {"1.2.3.0x4", "", "hex part '0x4'; inet_aton reads it as 1.2.3.4", ""},
               {"0x.0.0.1", "", "hex part '0x'; not a decimal number", ""},
               {"0xfg.0.0.1", "", "hex part '0xfg'; not a decimal number", ""},
               {"127.1", "", "2 parts; inet_aton reads it as 127.0.0.1; write the dotted quad", ""},
               {"1.2.3", "", "3 parts; inet_aton reads it as 1.2.0.3", ""},
               {"10.1.65535", "", "inet_aton reads it as 10.1.255.255", ""},
               {"10.1.65536", "", "3 parts; an IPv4 address has 4", ""},
               {"2130706433", "",
                "integer form; inet_aton reads it as 127.0.0.1; write the dotted quad", ""},
               {"0", "", "integer form; inet_aton reads it as 0.0.0.0", ""},
               {"4294967295", "", "inet_aton reads it as 255.255.255.255", ""},
               {"4294967296", "", "integer form; an IPv4 address has 4", ""},
               {"99999999999999999999999", "", "integer form; an IPv4 address has 4", ""},
               {"017700000001", "", "integer form; inet_aton reads it as 127.0.0.1", ""},
               {"0177.0.0.1", "",
                "'0177' has a leading zero and more than 3 digits: octal notation, which inet_aton "
                "reads "
                "as 127; inet_aton reads it as 127.0.0.1",
                ""},
               {"00000127.0.0.1", "", "leading zero and more than 3 digits", ""},
               {"01234.1.1.1", "", "'01234' has a leading zero and more than 3 digits", ""},
               // Out of range and wrong shape.
               {"256.0.0.1", "", "part '256' is greater than 255", ""},
               {"1.2.3.256", "", "part '256' is greater than 255", ""},
               {"999.1.1.1", "", "'999' is greater than 255", ""},
               {"1000.1.1.1", "", "'1000' is greater than 255", ""},
               {"4294967295.0.0.0", "", "greater than 255", ""},
               {"1.2.3.4.5", "", "5 parts; an IPv4 address has 4", ""},
               {"1.2.3.4.5.6.7.8.9", "", "9 parts", ""},
               {"1..2.3", "", "empty part", ""},
               {"1.2..3.4", "", "empty part", ""},
               {"1.2.3.4.", "", "trailing dot", ""},
               {".1.2.3.4", "", "leading dot", ""},
               {".", "", "leading dot", ""},
               {"...", "", "leading dot", ""},
               {"", "", "empty", ""},
               {"   ", "", "empty", ""},
               // Decorations and foreign characters.
               {"1.2.3.4:80", "", "has a port ':80'; give the address alone", ""},
               {"1.2.3.4:", "", "contains ':'", ""},
               {"::1", "", "contains ':' (an IPv6 address?)", ""},
               {"[1.2.3.4]", "", "brackets around an IPv4 address", ""},
               {"1.2.3.4/24", "", "has a prefix length", ""},
               {"1.2. 3.4", "", "whitespace inside", ""},
               {"1.2.3.4 5", "", "whitespace inside", ""},
               {"1.2.3.\t4", "", "whitespace inside", ""},
               {"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x97.0.0.1", "", "non-ASCII byte at offset 0", ""},
               {"127.0.0.\xd9\xa1", "", "non-ASCII byte at offset 8", ""},
               {"1.2.3.-4", "", "character '-' is not allowed", ""},
               {"+1.2.3.4", "", "character '+' is not allowed", ""},
               {"1.2.3.a", "", "part 'a' is not a decimal number", ""},
               {"1e3.0.0.1", "", "part '1e3' is not a decimal number", ""},
               {"1.2.3.4\0"sv, "", "character '\\x00' is not allowed", ""},
               {"1,2,3,4", "", "character ',' is not allowed", ""},
               {"localhost", "", "not a decimal number", ""},
           });
}

TEST(CanonicalIpv4, ErrorNamesTheKind) {
  auto result = CanonicalIpv4("1.2.3");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.rfind("not a valid IPv4 address: ", 0), 0u)
      << result.error().message;
}

TEST(Ipv4ToUint, NumericValue) {
  EXPECT_EQ(Ipv4ToUint("0.0.0.0"), 0u);
  EXPECT_EQ(Ipv4ToUint("127.0.0.1"), 0x7f000001u);
  EXPECT_EQ(Ipv4ToUint("198.51.100.7"), 0xc6336407u);
  EXPECT_EQ(Ipv4ToUint("255.255.255.255"), 0xffffffffu);
  EXPECT_EQ(Ipv4ToUint("not canonical"), 0u);
}

// --- IPv6 ---------------------------------------------------------------------

TEST(CanonicalIpv6, Table) {
  RunTable(CanonicalIpv6,
           {
               // RFC 5952 §4: lower case, no leading zeros, longest run, leftmost on tie.
               {"2001:db8::1", "2001:db8::1", "", ""},
               {"2001:DB8::1", "2001:db8::1", "", ""},
               {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", "", ""},
               {"2001:DB8:0:0:0:0:0:1", "2001:db8::1", "", ""},
               {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", "", ""},
               {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", "", ""},
               {"2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1", "", ""},
               {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1", "", ""},
               {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1", "", ""},
               {"2001:db8::0:1", "2001:db8::1", "", ""},
               {"0001:0002::", "1:2::", "", ""},
               {"::", "::", "", ""},
               {"0:0:0:0:0:0:0:0", "::", "", ""},
               {"0000:0000:0000:0000:0000:0000:0000:0000", "::", "", ""},
               {"::1", "::1", "", ""},
               {"0:0:0:0:0:0:0:1", "::1", "", ""},
               {"1::", "1::", "", ""},
               {"1:0:0:0:0:0:0:0", "1::", "", ""},
               {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", "", ""},
               {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", "", ""},
               {"1:0:3:4:5:6:7:8", "1:0:3:4:5:6:7:8", "", ""},
               {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "", ""},
               {"FE80::ABCD:0:0:1", "fe80::abcd:0:0:1", "", ""},
               {"fe80:0:0:0:abcd::", "fe80::abcd:0:0:0", "", ""},
               {"  ::1  ", "::1", "", ""},
               // RFC 5952 §5: well-known IPv4-embedding prefixes with a dotted tail.
               {"::ffff:192.0.2.1", "::ffff:192.0.2.1", "", ""},
               {"::FFFF:C000:0201", "::ffff:192.0.2.1", "", ""},
               {"0:0:0:0:0:ffff:192.0.2.1", "::ffff:192.0.2.1", "", ""},
               {"::ffff:0.0.0.0", "::ffff:0.0.0.0", "", ""},
               {"::ffff:0:192.0.2.1", "::ffff:0:192.0.2.1", "", ""},
               {"64:ff9b::192.0.2.1", "64:ff9b::192.0.2.1", "", ""},
               {"64:FF9B::C000:201", "64:ff9b::192.0.2.1", "", ""},
               // Other dotted tails are written in hex, with a note.
               {"::192.0.2.1", "::c000:201", "", "IPv4-compatible form is deprecated"},
               {"::0.0.0.1", "::1", "", "IPv4-compatible"},
               {"2001:db8::192.0.2.1", "2001:db8::c000:201", "", "dotted IPv4 tail written in hex"},
               {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", "", "written in hex"},
               // Brackets.
               {"[2001:db8::1]", "2001:db8::1", "", "brackets removed"},
               {" [::1] ", "::1", "", "brackets removed"},
               // Refused.
               {"", "", "empty", ""},
               {"[]", "", "empty", ""},
               {"fe80::1%eth0", "", "zone id '%eth0' names an interface on one host", ""},
               {"fe80::1%25eth0", "", "zone id", ""},
               {"[fe80::1%eth0]", "", "zone id", ""},
               {"1::2::3", "", "more than one '::'", ""},
               {"::1::", "", "more than one '::'", ""},
               {":::", "", "':::' is not allowed", ""},
               {"1:::2", "", "':::' is not allowed", ""},
               {"1:2:3:4:5:6:7:8:9", "", "more than 8 groups", ""},
               {"1:2:3:4:5:6:7", "", "7 groups; an IPv6 address has 8", ""},
               {"1:2:3:4:5:6:7:8::", "", "'::' stands for at least one zero group", ""},
               {"1::2:3:4:5:6:7:8", "", "'::' stands for at least one zero group", ""},
               {"1:", "", "trailing ':'", ""},
               {"2001:db8::1:", "", "trailing ':'", ""},
               {":1::", "", "starts with a single ':'", ""},
               {":", "", "starts with a single ':'", ""},
               {"1.2.3.4::", "", "may only be the last 32 bits", ""},
               {"::1.2.3.4:5", "", "may only be the last 32 bits", ""},
               {"1:2:3:4:5:6:7:1.2.3.4", "", "more than 8 groups", ""},
               {"::ffff:1.2.3.04", "", "IPv4 part '1.2.3.04' is not a dotted quad", ""},
               {"::ffff:1.2.3", "", "is not a dotted quad", ""},
               {"::ffff:256.0.0.1", "", "is not a dotted quad", ""},
               {"::ab.1.2.3", "", "is not a dotted quad", ""},
               {"12345::", "", "group '12345' has more than 4 hex digits", ""},
               {"00000::1", "", "more than 4 hex digits", ""},
               {"g::1", "", "character 'g' is not allowed", ""},
               {"::-1", "", "character '-' is not allowed", ""},
               {"2001:db8::1/64", "", "has a prefix length", ""},
               {"1.2.3.4", "", "no ':'", ""},
               {"abcd", "", "no ':'", ""},
               {"[2001:db8::1", "", "unbalanced brackets", ""},
               {"[2001:db8::1]:443", "", "unbalanced brackets", ""},
               {"2001:db8:: 1", "", "whitespace inside", ""},
               {"2001:db8::\xef\xbc\x91", "", "non-ASCII byte at offset 10", ""},
           });
}

TEST(CanonicalIpv6, EmbeddedIpv4Field) {
  auto mapped = CanonicalIpv6("::ffff:c633:6407");
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ(mapped->value, "::ffff:198.51.100.7");
  ASSERT_NE(mapped->Field("embedded_ipv4"), nullptr);
  EXPECT_EQ(*mapped->Field("embedded_ipv4"), "198.51.100.7");

  auto nat64 = CanonicalIpv6("64:ff9b::198.51.100.7");
  ASSERT_TRUE(nat64.ok());
  ASSERT_NE(nat64->Field("embedded_ipv4"), nullptr);

  auto plain = CanonicalIpv6("2001:db8::1");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->Field("embedded_ipv4"), nullptr);
  EXPECT_EQ(plain->kind, Kind::kIpv6);
}

TEST(Ipv6ToBytes, NetworkOrder) {
  const std::array<uint8_t, 16> one = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(Ipv6ToBytes("::1"), one);
  const std::array<uint8_t, 16> mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
  EXPECT_EQ(Ipv6ToBytes("::ffff:192.0.2.1"), mapped);
  const std::array<uint8_t, 16> doc = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0,    0,
                                       0,    0,    0,    0,    0, 0, 0xab, 0xcd};
  EXPECT_EQ(Ipv6ToBytes("2001:db8::abcd"), doc);
  EXPECT_EQ(Ipv6ToBytes("garbage"), (std::array<uint8_t, 16>{}));
}

// --- Networks -----------------------------------------------------------------

TEST(CanonicalCidr, Table) {
  RunTable(CanonicalCidr,
           {
               {"198.51.100.0/24", "198.51.100.0/24", "", ""},
               {"198.51.100.7/24", "198.51.100.0/24", "",
                "host bits were set (198.51.100.7/24); cleared to 198.51.100.0/24"},
               {"10.1.2.3/8", "10.0.0.0/8", "", "cleared to 10.0.0.0/8"},
               {"255.255.255.255/31", "255.255.255.254/31", "", "host bits were set"},
               {"255.255.255.255/1", "128.0.0.0/1", "", "host bits were set"},
               {"0.0.0.0/0", "0.0.0.0/0", "", "/0 is every IPv4 address"},
               {"1.2.3.4/0", "0.0.0.0/0", "", "host bits were set (1.2.3.4/0)"},
               {"198.51.100.7/32", "198.51.100.7", "", "/32 is a single address"},
               {"192.168.001.000/24", "192.168.1.0/24", "", "leading zeros"},
               {" 10.0.0.0/8\n", "10.0.0.0/8", "", ""},
               {"2001:db8::/32", "2001:db8::/32", "", ""},
               {"2001:DB8::1/32", "2001:db8::/32", "",
                "host bits were set (2001:db8::1/32); cleared to 2001:db8::/32"},
               {"2001:db8:abcd:12ff::/56", "2001:db8:abcd:1200::/56", "", "host bits were set"},
               {"2001:db8::1/128", "2001:db8::1", "", "/128 is a single address"},
               {"::/0", "::/0", "", "/0 is every IPv6 address"},
               {"::ffff:192.0.2.0/120", "::ffff:192.0.2.0/120", "", ""},
               {"::ffff:192.0.2.9/120", "::ffff:192.0.2.0/120", "", "host bits were set"},
               {"[2001:db8::]/48", "2001:db8::/48", "", "brackets removed"},
               {"fe80::1/10", "fe80::/10", "", "host bits were set"},
               {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "", "host bits were set"},
               // Refused.
               {"198.51.100.0/33", "", "prefix length 33 is greater than 32", ""},
               {"2001:db8::/129", "", "prefix length 129 is greater than 128", ""},
               {"10.0.0.0/1000", "", "greater than 32", ""},
               {"10.0.0.0/4294967328", "", "greater than 32", ""},
               {"10.0.0.0/-1", "", "sign in the prefix length '-1'", ""},
               {"10.0.0.0/+8", "", "sign in the prefix length", ""},
               {"10.0.0.0/ 24", "", "whitespace in the prefix length", ""},
               {"10.0.0.0 /24", "", "address: whitespace inside", ""},
               {"10.0.0.0/024", "", "leading zero in the prefix length '024'", ""},
               {"10.0.0.0/00", "", "leading zero", ""},
               {"10.0.0.0/", "", "empty prefix length", ""},
               {"10.0.0.0", "", "no prefix length", ""},
               {"2001:db8::", "", "no prefix length", ""},
               {"10.0.0.0/8/8", "", "more than one '/'", ""},
               {"10.0.0.0/8a", "", "prefix length '8a' is not a decimal number", ""},
               {"10.0.0.0/0x8", "", "not a decimal number", ""},
               {"10.0/8", "", "address: 2 parts", ""},
               {"/24", "", "address: empty", ""},
               {"256.0.0.0/8", "", "address: part '256' is greater than 255", ""},
               {"fe80::%eth0/64", "", "address: zone id", ""},
               {"2001:db8::/64%eth0", "", "not a decimal number", ""},
               {"1::2::/64", "", "more than one '::'", ""},
               {"1.2.3.4:80/24", "", "not a valid IPv4 network: address: has a port ':80'", ""},
               {"", "", "no prefix length", ""},
           },
           RecheckCidr);
}

TEST(CanonicalCidr, KindsAndFields) {
  auto v4 = CanonicalCidr("198.51.100.7/24");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->kind, Kind::kIpv4Network);
  ASSERT_EQ(v4->fields.size(), 3u);
  EXPECT_EQ(v4->fields[0], (std::pair<std::string_view, std::string>{"prefix_length", "24"}));
  EXPECT_EQ(v4->fields[1], (std::pair<std::string_view, std::string>{"first", "198.51.100.0"}));
  EXPECT_EQ(v4->fields[2], (std::pair<std::string_view, std::string>{"last", "198.51.100.255"}));

  auto v6 = CanonicalCidr("2001:db8::/32");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->kind, Kind::kIpv6Network);
  EXPECT_EQ(*v6->Field("prefix_length"), "32");
  EXPECT_EQ(*v6->Field("first"), "2001:db8::");
  EXPECT_EQ(*v6->Field("last"), "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");

  auto host4 = CanonicalCidr("198.51.100.7/32");
  ASSERT_TRUE(host4.ok());
  EXPECT_EQ(host4->kind, Kind::kIpv4);
  EXPECT_TRUE(host4->fields.empty());

  auto host6 = CanonicalCidr("2001:db8::1/128");
  ASSERT_TRUE(host6.ok());
  EXPECT_EQ(host6->kind, Kind::kIpv6);

  auto err = CanonicalCidr("2001:db8::/129");
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().message.rfind("not a valid IPv6 network: ", 0), 0u) << err.error().message;
}

// A /32 or /128 "network" canonicalizes to an address, which the address
// canonicalizer must also take as a fixed point.
TEST(CanonicalCidr, HostRoutesAreAddresses) {
  for (std::string_view text : {"192.0.2.1/32", "2001:db8::1/128", "::ffff:192.0.2.1/128"}) {
    SCOPED_TRACE(text);
    auto net = CanonicalCidr(text);
    ASSERT_TRUE(net.ok()) << net.error().message;
    auto addr = net->kind == Kind::kIpv4 ? CanonicalIpv4(net->value) : CanonicalIpv6(net->value);
    ASSERT_TRUE(addr.ok());
    EXPECT_EQ(addr->value, net->value);
  }
}

}  // namespace
}  // namespace tessera::normalize
