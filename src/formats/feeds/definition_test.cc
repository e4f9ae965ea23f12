#include "formats/feeds/definition.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::formats::feeds {
namespace {

TEST(FeedDefinition, ParsesAFullDefinition) {
  auto def = ParseDefinition(R"toml(
name = "example"
description = "an example"
delimiter = "tab"
comments = ["#", "//"]
header = "yes"
indicator = false
labels = ["a", "b"]
time_format = "%d/%m/%Y"
tlp = "green"
columns = [
  { name = "when", type = "first_seen" },
  { name = "where", aliases = ["Where (host)"], type = "domain", indicator = true },
  "asn:asn",
]
[[derived]]
type = "url"
template = "http://{where}/{3}"
[detect]
header = ["when", "where"]
score = 66
)toml",
                             "example.toml");
  ASSERT_TRUE(def.ok()) << def.error().ToString();
  EXPECT_EQ(def->name, "example");
  EXPECT_EQ(def->source_name, "example");
  EXPECT_EQ(def->delimiter, '\t');
  EXPECT_FALSE(def->sniff_delimiter);
  EXPECT_EQ(def->header, HeaderMode::kYes);
  EXPECT_FALSE(def->indicator);
  EXPECT_EQ(def->tlp, stix::TlpLevel::kGreen);
  ASSERT_EQ(def->columns.size(), 3u);
  EXPECT_EQ(def->columns[1].kind.mode, KindSpec::Mode::kFixed);
  EXPECT_EQ(def->columns[1].kind.kind, normalize::Kind::kDomain);
  EXPECT_TRUE(def->columns[1].indicator);
  EXPECT_EQ(def->columns[2].name, "asn");
  EXPECT_EQ(def->columns[2].kind.kind, normalize::Kind::kAsn);
  ASSERT_EQ(def->derived.size(), 1u);
  EXPECT_EQ(def->derived[0].pieces.size(), 4u);
  EXPECT_EQ(def->detect_score, 66);
}

TEST(FeedDefinition, ErrorsNameTheKeyAndTheLine) {
  auto unknown = ParseDefinition("name = \"x\"\ndelimter = \",\"\n", "x.toml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown key 'delimter'"), std::string::npos);
  EXPECT_EQ(unknown.error().location, "x.toml:2");

  auto syntax = ParseDefinition("name = \"x\"\ncolumns = [\n", "y.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code, core::ErrorCode::kParse);
  EXPECT_EQ(syntax.error().location.rfind("y.toml:", 0), 0u);

  auto type = ParseDefinition("name = \"x\"\ncolumns = [{ name = \"a\", type = \"urll\" }]\n", "z");
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.error().message.find("unknown column type 'urll'"), std::string::npos);

  auto templ = ParseDefinition(
      "name = \"x\"\ncolumns = [\"a:url\"]\n[[derived]]\ntype = \"url\"\ntemplate = \"{b}\"\n",
      "t");
  ASSERT_FALSE(templ.ok());
  EXPECT_NE(templ.error().message.find("'b' is not a column"), std::string::npos);

  EXPECT_FALSE(ParseDefinition("description = \"no name\"\n", "n").ok());
  EXPECT_FALSE(ParseDefinition("name = \"x\"\ntime_format = \"%Q\"\n", "f").ok());
  EXPECT_FALSE(ParseDefinition("name = \"x\"\ndelimiter = \",,\"\n", "d").ok());
  EXPECT_FALSE(ParseDefinition("name = \"x\"\ndelimiter = \"\\\"\"\n", "q").ok());
  EXPECT_FALSE(ParseDefinition("name = 5\n", "i").ok());
}

TEST(FeedDefinition, ColumnLists) {
  auto list = ParseColumnList("url,,time:first_seen,malware:label, notes ");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 5u);
  EXPECT_EQ((*list)[0].name, "url");
  EXPECT_EQ((*list)[0].type, ColumnType::kObservable);
  EXPECT_EQ((*list)[1].type, ColumnType::kField);
  EXPECT_TRUE((*list)[1].name.empty());
  EXPECT_EQ((*list)[2].name, "time");
  EXPECT_EQ((*list)[2].type, ColumnType::kFirstSeen);
  EXPECT_EQ((*list)[3].type, ColumnType::kLabel);
  EXPECT_EQ((*list)[4].name, "notes");
  EXPECT_EQ((*list)[4].type, ColumnType::kField);
  EXPECT_FALSE(ParseColumnList("a:b:c").ok());
}

TEST(FeedDefinition, OptionsOverrideADefinition) {
  FeedDefinition def;
  def.name = "csv";
  ReadContext context;
  context.options = {{"delimiter", "|"}, {"header", "no"},    {"indicator", "no"},
                     {"labels", "x,y"},  {"comment", "#,//"}, {"columns", "ip:ip"}};
  ASSERT_TRUE(ApplyOptions(context, &def).ok());
  EXPECT_EQ(def.delimiter, '|');
  EXPECT_FALSE(def.sniff_delimiter);
  EXPECT_EQ(def.header, HeaderMode::kNo);
  EXPECT_FALSE(def.indicator);
  EXPECT_EQ(def.labels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(def.comments, (std::vector<std::string>{"#", "//"}));
  EXPECT_FALSE(def.bind_by_name);
  context.options = {{"tlp", "purple"}};
  EXPECT_FALSE(ApplyOptions(context, &def).ok());
}

}  // namespace
}  // namespace tessera::formats::feeds
