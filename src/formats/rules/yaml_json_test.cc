#include "formats/rules/yaml_json.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::formats {
namespace {

using core::Json;

TEST(YamlJson, ScalarsAreTypedAsTheCoreSchemaSays) {
  auto doc = ParseYamlDocument(
      "a: 1\nb: -2.5e3\nc: true\nd: False\ne: ~\nf:\ng: '1'\nh: 0x1F\ni: 2021/05/12\nj: \"true\"\nk: 007\n");
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  EXPECT_EQ(*doc->Find("a"), Json::NumberLiteral("1", 1));
  EXPECT_EQ(*doc->Find("b"), Json::NumberLiteral("-2.5e3", -2500));
  EXPECT_EQ(*doc->Find("c"), Json::Bool(true));
  EXPECT_EQ(*doc->Find("d"), Json::Bool(false));
  EXPECT_TRUE(doc->Find("e")->is_null());
  EXPECT_TRUE(doc->Find("f")->is_null());
  EXPECT_EQ(*doc->Find("g"), Json::String("1"));
  EXPECT_EQ(*doc->Find("h"), Json::String("0x1F"));
  EXPECT_EQ(*doc->Find("i"), Json::String("2021/05/12"));
  EXPECT_EQ(*doc->Find("j"), Json::String("true"));
  EXPECT_EQ(*doc->Find("k"), Json::String("007"));  // not a JSON number
  // Key order is kept.
  EXPECT_EQ(doc->as_object().front().first, "a");
  EXPECT_EQ(doc->as_object().back().first, "k");
}

TEST(YamlJson, ErrorsCarryLineAndColumn) {
  auto doc = ParseYamlDocument("a: 1\nb:\n  - x\n  y: z\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, core::ErrorCode::kParse);
  EXPECT_EQ(doc.error().location.substr(0, 2), "4:");
  auto dup = ParseYamlDocument("a: 1\nb: 2\na: 3\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message, "duplicate key 'a'");
  EXPECT_EQ(dup.error().location, "3:1");
}

TEST(YamlJson, AliasExpansionAndNestingAreBounded) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char name = 'b'; name <= 'i'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  auto doc = ParseYamlDocument(bomb);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().code, core::ErrorCode::kLimit);

  YamlLimits limits;
  limits.max_depth = 4;
  EXPECT_FALSE(ParseYamlDocument("a: {b: {c: {d: {e: 1}}}}", limits).ok());
  EXPECT_TRUE(ParseYamlDocument("a: {b: {c: 1}}", limits).ok());
  // Far deeper than yaml-cpp's own guard would allow on a small stack: refused
  // before parsing.
  auto deep = ParseYamlDocument(std::string(100000, '['));
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, core::ErrorCode::kLimit);
  std::string indented;
  for (int i = 0; i < 400; ++i) indented += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  EXPECT_FALSE(ParseYamlDocument(indented).ok());
}

TEST(YamlJson, StreamsSplitIntoDocumentsWithLines) {
  std::string stream = "# header comment\n---\na: 1\n---\n# only a comment\n---   \nb: 2\n...\n--- plain text\n";
  auto docs = SplitYamlDocuments(stream);
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].line, 3u);
  EXPECT_EQ(docs[0].text, "a: 1\n");
  EXPECT_EQ(docs[1].line, 7u);
  EXPECT_EQ(docs[1].text, "b: 2\n");
  EXPECT_EQ(docs[2].line, 9u);
  auto third = ParseYamlDocument(docs[2].text);
  ASSERT_TRUE(third.ok()) << third.error().ToString();
  EXPECT_EQ(*third, Json::String("plain text"));
  EXPECT_EQ(SplitYamlDocuments("a: 1").size(), 1u);
  EXPECT_TRUE(SplitYamlDocuments("# nothing\n\n").empty());
}

TEST(YamlJson, WrittenYamlReadsBackTheSame) {
  auto doc = ParseYamlDocument(
      "title: 'a: b'\nlist:\n  - one\n  - {k: v, n: 2}\n  - [x, 'y z']\n  - ''\nempty: []\nnull_value: ~\n"
      "multi: |\n  line one\n  line two\nquoted: \"true\"\nnested:\n  deeper:\n    deepest: -1\n");
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  std::string written = WriteYaml(*doc);
  auto again = ParseYamlDocument(written);
  ASSERT_TRUE(again.ok()) << again.error().ToString() << "\n" << written;
  EXPECT_EQ(*again, *doc) << written;
}

}  // namespace
}  // namespace tessera::formats
