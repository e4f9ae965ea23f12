#include "stix/ids.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "testing/shared_data.h"

namespace tessera::stix {
namespace {

core::Json Parse(const std::string& text) {
  auto json = core::ParseJson(text);
  EXPECT_TRUE(json.ok()) << text;
  return json.ok() ? *json : core::Json();
}

std::string IdOf(const std::string& sco) {
  auto id = ComputeScoId(Parse(sco));
  EXPECT_TRUE(id.ok()) << sco;
  return id.ok() ? id->id : "";
}

TEST(ScoIdTest, NamespaceIsTheSpecs) {
  EXPECT_EQ(ScoNamespace().ToString(), "00abedb4-aa42-466c-9c01-fed23315a9b7");
}

// Every line of ../shared/vectors/sco-ids.jsonl: the id python-stix2 3.0.2 computes.
TEST(ScoIdTest, MatchesOasisReferenceVectors) {
  TESSERA_REQUIRE_SHARED();
  std::istringstream lines(testing::ReadFileOrEmpty(testing::SharedDir() / "vectors/sco-ids.jsonl"));
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++count;
    core::Json vector = Parse(line);
    const core::Json* sco = vector.Find("sco");
    const core::Json* expected = vector.Find("id");
    ASSERT_TRUE(sco != nullptr && expected != nullptr) << line;
    auto id = ComputeScoId(*sco);
    ASSERT_TRUE(id.ok()) << "line " << count << ": " << id.error().ToString();
    EXPECT_TRUE(id->deterministic) << "line " << count;
    EXPECT_EQ(id->id, expected->as_string()) << "line " << count << ": " << line;
  }
  EXPECT_GE(count, 400u) << "the vector file looks truncated";
}

TEST(ScoIdTest, SameObservableSameIdWhateverTheOtherProperties) {
  EXPECT_EQ(IdOf(R"({"type":"domain-name","value":"example.com"})"),
            IdOf(R"({"type":"domain-name","value":"example.com","resolves_to_refs":[]})"));
  EXPECT_EQ(IdOf(R"({"type":"domain-name","value":"example.com"})"),
            IdOf(R"({"type":"domain-name","id":"domain-name--x","value":"example.com"})"));
  EXPECT_NE(IdOf(R"({"type":"domain-name","value":"example.com"})"),
            IdOf(R"({"type":"domain-name","value":"example.org"})"));
}

TEST(ScoIdTest, OneHashByPreference) {
  // MD5 is preferred over SHA-256 whatever the order of keys.
  EXPECT_EQ(IdOf(R"({"type":"file","hashes":{"SHA-256":"aa","MD5":"bb"}})"),
            IdOf(R"({"type":"file","hashes":{"MD5":"bb"}})"));
  EXPECT_EQ(IdOf(R"({"type":"file","hashes":{"SHA-512":"cc","SHA-256":"dd"}})"),
            IdOf(R"({"type":"file","hashes":{"SHA-256":"dd"}})"));
  // Without a preferred algorithm the first key present is taken.
  EXPECT_EQ(IdOf(R"({"type":"file","hashes":{"TLSH":"t1","SSDEEP":"s1"}})"),
            IdOf(R"({"type":"file","hashes":{"TLSH":"t1"}})"));
}

TEST(ScoIdTest, NameIsCanonicalJson) {
  auto name = ScoIdName(Parse(R"({"value":"a\u00e9","type":"url","x_extra":1})"));
  ASSERT_TRUE(name.ok());
  EXPECT_EQ(*name, "{\"value\":\"a\xc3\xa9\"}");
  auto nt = ScoIdName(Parse(
      R"({"type":"network-traffic","src_port":80,"protocols":["tcp"],"dst_ref":"ipv4-addr--1"})"));
  ASSERT_TRUE(nt.ok());
  EXPECT_EQ(*nt, R"({"dst_ref":"ipv4-addr--1","protocols":["tcp"],"src_port":80})");
}

TEST(ScoIdTest, RandomWhenNothingContributes) {
  auto process = ComputeScoId(Parse(R"({"type":"process","pid":4})"));
  ASSERT_TRUE(process.ok());
  EXPECT_FALSE(process->deterministic);
  EXPECT_EQ(process->id.rfind("process--", 0), 0u);
  auto empty_file = ComputeScoId(Parse(R"({"type":"file","size":3})"));
  ASSERT_TRUE(empty_file.ok());
  EXPECT_FALSE(empty_file->deterministic);
  auto custom = ComputeScoId(Parse(R"({"type":"x-wallet","value":"abc"})"));
  ASSERT_TRUE(custom.ok());
  EXPECT_FALSE(custom->deterministic);
}

TEST(ScoIdTest, RejectsWhatIsNotAnSco) {
  EXPECT_FALSE(ComputeScoId(Parse(R"({"type":"indicator","pattern":"[x:y='z']"})")).ok());
  EXPECT_FALSE(ComputeScoId(Parse(R"({"value":"no type"})")).ok());
  EXPECT_FALSE(ComputeScoId(Parse(R"(["type","url"])")).ok());
  EXPECT_FALSE(ComputeScoId(Parse(R"({"type":5})")).ok());
}

}  // namespace
}  // namespace tessera::stix
