#include "store/object_index.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::store {
namespace {

stix::StixObject Object(std::string type, std::string json) {
  stix::StixObject o;
  o.type = std::move(type);
  o.id = o.type + "--00000000-0000-4000-8000-000000000000";
  o.json = std::move(json);
  return o;
}

TEST(ReverseDomainTest, ReversesLowerCasesAndEndsEveryLabelWithADot) {
  EXPECT_EQ(ReverseDomain("www.Example.COM"), "com.example.www.");
  EXPECT_EQ(ReverseDomain("example.com."), "com.example.");
  EXPECT_EQ(ReverseDomain("localhost"), "localhost.");
  EXPECT_EQ(ReverseDomain(""), "");
}

TEST(ParseIpRangeTest, AddressesAndNetworks) {
  auto a = ParseIpRange("192.0.2.1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->low, a->high);
  EXPECT_EQ(a->low.size(), 16u);
  EXPECT_EQ(static_cast<unsigned char>(a->low[10]), 0xff);
  EXPECT_EQ(static_cast<unsigned char>(a->low[15]), 1);

  auto n = ParseIpRange("192.0.2.0/24");
  ASSERT_TRUE(n);
  EXPECT_EQ(static_cast<unsigned char>(n->low[15]), 0);
  EXPECT_EQ(static_cast<unsigned char>(n->high[15]), 255);
  EXPECT_EQ(static_cast<unsigned char>(n->high[14]), 2);
  EXPECT_LE(n->low, a->low);
  EXPECT_GE(n->high, a->high);

  auto v6 = ParseIpRange("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_EQ(static_cast<unsigned char>(v6->high[4]), 0xff);
  EXPECT_EQ(static_cast<unsigned char>(v6->high[3]), 0xb8);
  auto all = ParseIpRange("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_EQ(static_cast<unsigned char>(all->low[12]), 0);
  EXPECT_EQ(static_cast<unsigned char>(all->high[12]), 255);

  for (const char* bad : {"", "example.com", "1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/a",
                          "1.2.3", "1.2.3.4/0024"}) {
    EXPECT_FALSE(ParseIpRange(bad)) << bad;
  }
}

TEST(NormalizePatternTest, WhitespaceOutsideStringsOnly) {
  EXPECT_EQ(NormalizePattern("[ domain-name:value  =  'a  b' ]"), "[domain-name:value='a  b']");
  EXPECT_EQ(NormalizePattern("[domain-name:value='a  b']"), "[domain-name:value='a  b']");
  EXPECT_EQ(NormalizePattern("[a:b = 'x'] OR\n\t[c:d = 'y']"), "[a:b='x']OR[c:d='y']");
  EXPECT_EQ(NormalizePattern("[a:b = 'it\\'s  here']"), "[a:b='it\\'s  here']");
  EXPECT_EQ(NormalizePattern("  ( [a:b = 'x'] )  "), "([a:b='x'])");
  EXPECT_EQ(NormalizePattern("[a:b IN ('x', 'y')] FOLLOWEDBY [c:d MATCHES 'z']"),
            "[a:b IN('x','y')]FOLLOWEDBY[c:d MATCHES'z']");
}

TEST(NormalizeNameTest, FoldsCaseAndDropsPunctuation) {
  EXPECT_EQ(NormalizeName("APT 28"), "apt28");
  EXPECT_EQ(NormalizeName("apt-28"), "apt28");
  EXPECT_EQ(NormalizeName("Fancy_Bear"), "fancybear");
  EXPECT_EQ(NormalizeName("Лазарь"), "Лазарь");
  EXPECT_EQ(NormalizeName("--"), "");
}

TEST(IndexObjectTest, DomainNameAndUrlAndEmailGetTheirDomain) {
  auto d = IndexObject(Object("domain-name", R"({"type":"domain-name","value":"mail.example.com"})"));
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->observables.size(), 1u);
  EXPECT_EQ(d->observables[0].kind, "domain-name");
  EXPECT_EQ(d->observables[0].reversed_domain, "com.example.mail.");

  auto u = IndexObject(
      Object("url", R"({"type":"url","value":"http://user@www.example.com:8080/a?b#c"})"));
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->observables[0].reversed_domain, "com.example.www.");

  auto ip_url = IndexObject(Object("url", R"({"type":"url","value":"http://[2001:db8::1]/x"})"));
  ASSERT_TRUE(ip_url.ok());
  EXPECT_EQ(ip_url->observables[0].reversed_domain, "");
  EXPECT_EQ(ip_url->observables[0].ip_low.size(), 16u);

  auto e = IndexObject(Object("email-addr", R"({"type":"email-addr","value":"a@Example.org"})"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->observables[0].reversed_domain, "org.example.");
}

TEST(IndexObjectTest, FileHashesAndNameAndAsNumber) {
  auto f = IndexObject(Object(
      "file", R"({"type":"file","name":"a.exe","hashes":{"SHA-256":"ABCDEF","MD5":"0f"}})"));
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->observables.size(), 3u);
  EXPECT_EQ(f->observables[0].kind, "file:SHA-256");
  EXPECT_EQ(f->observables[0].value, "abcdef");
  EXPECT_EQ(f->observables[2].kind, "file:name");
  auto as = IndexObject(Object("autonomous-system", R"({"type":"autonomous-system","number":64500})"));
  ASSERT_TRUE(as.ok());
  ASSERT_EQ(as->observables.size(), 1u);
  EXPECT_EQ(as->observables[0].value, "AS64500");
}

TEST(IndexObjectTest, IndicatorKeyAndPatternValues) {
  auto i = IndexObject(Object("indicator", R"({"type":"indicator","pattern_type":"stix",
      "pattern":"[domain-name:value = 'evil.example'] OR [file:hashes.'SHA-256' = 'AB'] OR [ipv4-addr:value != '1.1.1.1']",
      "created":"2020-01-01T00:00:00Z"})"));
  ASSERT_TRUE(i.ok());
  ASSERT_EQ(i->identity_keys.size(), 1u);
  EXPECT_EQ(i->identity_keys[0].rfind("indicator|stix|[domain-name:value='evil.example']", 0), 0u);
  ASSERT_EQ(i->observables.size(), 2u);
  EXPECT_EQ(i->observables[0].value, "evil.example");
  EXPECT_EQ(i->observables[0].reversed_domain, "example.evil.");
  EXPECT_EQ(i->observables[1].kind, "file:SHA-256");
  EXPECT_EQ(i->observables[1].value, "ab");
}

TEST(IndexObjectTest, NamedObjectsGetOneKeyPerDistinctName) {
  auto m = IndexObject(Object("intrusion-set", R"({"type":"intrusion-set","name":"APT28",
      "aliases":["APT 28","Fancy Bear"],"created":"2020-01-01T00:00:00Z","labels":["x"]})"));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->identity_keys,
            (std::vector<std::string>{"intrusion-set|apt28", "intrusion-set|fancybear"}));
  EXPECT_EQ(m->names.size(), 3u);
  EXPECT_EQ(m->labels, std::vector<std::string>{"x"});
}

TEST(IndexObjectTest, RelationshipAndSightingRefsAndRevoked) {
  auto r = IndexObject(Object("relationship", R"({"type":"relationship","relationship_type":"uses",
      "source_ref":"a--1","target_ref":"b--2","revoked":true,"created":"2020-01-01T00:00:00Z"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->source_ref, "a--1");
  EXPECT_EQ(r->target_ref, "b--2");
  EXPECT_EQ(r->relationship_type, "uses");
  EXPECT_TRUE(r->revoked);
  auto s = IndexObject(Object("sighting", R"({"type":"sighting","sighting_of_ref":"i--1",
      "where_sighted_refs":["identity--2"],"created":"2020-01-01T00:00:00Z"})"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->sighting_refs, (std::vector<std::string>{"i--1", "identity--2"}));
}

TEST(IndexObjectTest, NotAnObjectIsAnError) {
  EXPECT_FALSE(IndexObject(Object("x", "[1,2]")).ok());
  EXPECT_FALSE(IndexObject(Object("x", "{")).ok());
}

}  // namespace
}  // namespace tessera::store
