// The shared parts of formats/: Input, positions, options, the STIX builders and
// the registry.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"
#include "formats/stix_build.h"
#include "normalize/classify.h"
#include "stix/bundle.h"
#include "stix/tlp.h"

namespace tessera::formats {
namespace {

TEST(Input, ChunksEndAtNewlinesAndOffsetsAdvance) {
  std::string data;
  for (int i = 0; i < 200000; ++i) data += "line " + std::to_string(i) + "\n";
  Input in = Input::FromString(data, "mem");
  EXPECT_EQ(in.Peek(5), "line ");
  std::string joined;
  std::string_view chunk;
  uint64_t offset = in.offset();
  while (in.Next(&chunk)) {
    EXPECT_EQ(offset, joined.size());
    EXPECT_EQ(chunk.back(), '\n');
    joined += chunk;
    offset = in.offset();
  }
  EXPECT_EQ(joined, data);
}

TEST(Input, FilesDirectoriesAndLimits) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "tessera-input-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.txt") << "hello\nworld";
  auto file = Input::Open((dir / "a.txt").string());
  ASSERT_TRUE(file.ok());
  EXPECT_FALSE(file->is_directory());
  EXPECT_EQ(file->Peek(3), "hel");
  auto all = file->ReadAll();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, "hello\nworld");
  EXPECT_GE(all->capacity(), all->size() + kInputPadding);
  auto folder = Input::Open(dir.string());
  ASSERT_TRUE(folder.ok());
  EXPECT_TRUE(folder->is_directory());
  auto missing = Input::Open((dir / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  Input big = Input::FromString(std::string(100, 'x'), "big");
  auto limited = big.ReadAll(10);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().code, core::ErrorCode::kLimit);
  std::filesystem::remove_all(dir);
}

TEST(SourcePosition, Text) {
  SourcePosition p;
  p.file = "f.csv";
  p.line = 12;
  EXPECT_EQ(p.ToString(), "f.csv:12");
  p.line = 0;
  p.byte_offset = 345;
  EXPECT_EQ(p.ToString(), "f.csv@byte 345");
}

TEST(Rejected, RawIsBounded) {
  Rejected r;
  r.SetRaw(std::string(kMaxRawBytes + 10, 'a'));
  EXPECT_EQ(r.raw.size(), kMaxRawBytes);
  EXPECT_TRUE(r.truncated);
}

TEST(StixBuild, DeterministicIdsAndObjectsValidate) {
  EXPECT_EQ(DeterministicId("indicator", "a"), DeterministicId("indicator", "a"));
  EXPECT_NE(DeterministicId("indicator", "a"), DeterministicId("indicator", "b"));
  EXPECT_NE(DeterministicId("malware", "a").substr(9), DeterministicId("indicator", "a").substr(11));
  core::Json ind = NewIndicator("[ipv4-addr:value = '198.51.100.1']", "stix", "2026-01-01T00:00:00.000Z");
  AddMarking(&ind, stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  AddMarking(&ind, stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  EXPECT_EQ(ind.Find("object_marking_refs")->as_array().size(), 1u);
  core::Json fields = core::Json::MakeObject();
  fields.Set("category", core::Json::String("Network activity"));
  KeepSourceFields(&ind, "misp", fields);
  core::Json more = core::Json::MakeObject();
  more.Set("comment", core::Json::String("seen in a phishing wave"));
  KeepSourceFields(&ind, "misp", more);
  const core::Json* kept = ind.Find("extensions")->Find(kSourceFieldsExtensionId)->Find("fields");
  EXPECT_EQ(kept->as_object().size(), 2u);
  KeepSourceFields(&ind, "misp", core::Json::MakeObject());  // nothing to add: no change
  for (const core::Json& o :
       {ind, NewRelationship(ind.Find("id")->as_string(), "indicates",
                             "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b", "2026-01-01T00:00:00.000Z"),
        SourceFieldsExtensionDefinition(), stix::Tlp2MarkingDefinition(stix::TlpLevel::kRed)}) {
    auto doc = stix::ReadStix(core::WriteJson(o));
    ASSERT_TRUE(doc.ok());
    EXPECT_TRUE(doc->valid()) << core::WriteJson(o) << "\n"
                              << (doc->problems.empty() ? "" : doc->problems[0].ToString());
  }
}

TEST(StixBuild, AddObservableWithIndicator) {
  auto o = normalize::Normalize("hxxps://Evil[.]example/x");
  ASSERT_TRUE(o.ok());
  Record record;
  std::string indicator_id;
  std::string sco = AddObservable(&record, *o, true, "2026-01-01T00:00:00.000Z", &indicator_id);
  ASSERT_EQ(record.objects.size(), 3u);
  EXPECT_EQ(record.objects[0].id, sco);
  EXPECT_EQ(record.objects[1].id, indicator_id);
  EXPECT_EQ(record.objects[2].type, "relationship");
  EXPECT_NE(record.objects[1].json.find("[url:value = 'https://evil.example/x']"), std::string::npos);
}

TEST(Tlp, Tags) {
  using stix::TlpLevel;
  EXPECT_EQ(stix::TlpLevelFromTag("tlp:amber+strict"), TlpLevel::kAmberStrict);
  EXPECT_EQ(stix::TlpLevelFromTag("TLP:RED"), TlpLevel::kRed);
  EXPECT_EQ(stix::TlpLevelFromTag("tlp:white"), TlpLevel::kClear);
  EXPECT_EQ(stix::TlpLevelFromTag("TLP: Green"), TlpLevel::kGreen);
  EXPECT_EQ(stix::TlpLevelFromTag("tlp:clear"), TlpLevel::kClear);
  EXPECT_EQ(stix::TlpLevelFromTag("tlp:amber-strict"), TlpLevel::kAmberStrict);
  EXPECT_FALSE(stix::TlpLevelFromTag("tlp:ex:chr"));
  EXPECT_FALSE(stix::TlpLevelFromTag("amber"));
  EXPECT_FALSE(stix::TlpLevelFromTag("pap:red"));
}

TEST(Registry, NamesAreUniqueAndEveryFormatReadsAndDescribes) {
  std::set<std::string> names;
  for (const Format& f : AllFormats()) {
    EXPECT_TRUE(names.insert(f.name).second) << "duplicate format name " << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
    EXPECT_TRUE(static_cast<bool>(f.read)) << f.name;
    EXPECT_EQ(FindFormat(f.name), &f);
  }
  for (const char* name : {"stix", "stix-jsonl", "lines", "text"}) {
    EXPECT_NE(FindFormat(name), nullptr) << name;
  }
  EXPECT_EQ(FindFormat("no-such-format"), nullptr);
}

TEST(Registry, EmptyInputIsNotDetected) {
  Input in = Input::FromString("", "empty");
  auto got = DetectFormat(in);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("empty"), std::string::npos);
}

}  // namespace
}  // namespace tessera::formats
