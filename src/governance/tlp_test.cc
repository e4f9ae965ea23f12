#include "governance/tlp.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/json.h"
#include "stix/bundle.h"

namespace tessera::governance {
namespace {

TEST(TlpTest, NamesAndLabels) {
  struct Case {
    Tlp tlp;
    std::string_view name;
    std::string label;
  };
  const Case cases[] = {
      {Tlp::kClear, "clear", "TLP:CLEAR"},
      {Tlp::kGreen, "green", "TLP:GREEN"},
      {Tlp::kAmber, "amber", "TLP:AMBER"},
      {Tlp::kAmberStrict, "amber+strict", "TLP:AMBER+STRICT"},
      {Tlp::kRed, "red", "TLP:RED"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TlpName(c.tlp), c.name);
    EXPECT_EQ(TlpLabel(c.tlp), c.label);
    // Both forms parse back.
    EXPECT_EQ(ParseTlp(c.name), c.tlp) << c.name;
    EXPECT_EQ(ParseTlp(c.label), c.tlp) << c.label;
  }
}

TEST(TlpTest, ParseAcceptsTagsAndNames) {
  struct Case {
    std::string_view text;
    std::optional<Tlp> want;
  };
  const Case cases[] = {
      {"amber+strict", Tlp::kAmberStrict},
      {"TLP:RED", Tlp::kRed},
      {"tlp:white", Tlp::kClear},
      {"white", Tlp::kClear},
      {"tlp:amber+strict", Tlp::kAmberStrict},
      {"tlp:amber-strict", Tlp::kAmberStrict},
      {"TLP: GREEN", Tlp::kGreen},
      {"  Tlp : Amber  ", Tlp::kAmber},
      {"CLEAR", Tlp::kClear},
      {"", std::nullopt},
      {"tlp:", std::nullopt},
      {"tlp:ex:chr", std::nullopt},
      {"pap:red", std::nullopt},
      {"tlp:amber + strict", std::nullopt},
      {"orange", std::nullopt},
      {"tlp:redd", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseTlp(c.text), c.want) << "'" << c.text << "'";
}

TEST(TlpTest, TagNeedsPrefix) {
  struct Case {
    std::string_view tag;
    std::optional<Tlp> want;
  };
  const Case cases[] = {
      {"tlp:amber", Tlp::kAmber}, {"TLP : RED", Tlp::kRed}, {"tlp:white", Tlp::kClear},
      {"red", std::nullopt},      {"tlpx:red", std::nullopt}, {"misp:tlp:red", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(TlpFromTag(c.tag), c.want) << c.tag;
}

TEST(TlpTest, FromMarkingIdMatchesIdsOnly) {
  struct Case {
    std::string_view id;
    std::optional<Tlp> want;
  };
  const Case cases[] = {
      // STIX 2.1 predefined TLP 1.0.
      {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::kClear},
      {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::kGreen},
      {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::kAmber},
      {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::kRed},
      // OASIS TLP 2.0.
      {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp::kClear},
      {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp::kGreen},
      {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp::kAmber},
      {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp::kAmberStrict},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp::kRed},
      // OpenCTI's AMBER+STRICT.
      {"marking-definition--826578e1-40ad-459f-bc73-ede076f81f37", Tlp::kAmberStrict},
      // Names are not ids; PAP ids are not TLP.
      {"TLP:RED", std::nullopt},
      {"marking-definition--740d36e5-7714-4c30-961a-3ae632ceee0e", std::nullopt},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c2", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(TlpFromMarkingId(c.id), c.want) << c.id;
}

TEST(TlpTest, MostRestrictive) {
  struct Case {
    Tlp a, b, want;
  };
  const Case cases[] = {
      {Tlp::kClear, Tlp::kGreen, Tlp::kGreen},     {Tlp::kRed, Tlp::kGreen, Tlp::kRed},
      {Tlp::kAmber, Tlp::kAmberStrict, Tlp::kAmberStrict},
      {Tlp::kAmberStrict, Tlp::kAmber, Tlp::kAmberStrict},
      {Tlp::kClear, Tlp::kClear, Tlp::kClear},
  };
  for (const Case& c : cases) EXPECT_EQ(MostRestrictive(c.a, c.b), c.want);
}

TEST(TlpTest, MarkingIdsRoundTrip) {
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
    EXPECT_EQ(TlpFromMarkingId(TlpMarkingId(tlp, TlpVersion::k2)), tlp);
  }
  // TLP 1.0: AMBER+STRICT is written as AMBER, CLEAR as WHITE.
  EXPECT_EQ(TlpMarkingId(Tlp::kAmberStrict, TlpVersion::k1),
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82");
  EXPECT_EQ(TlpMarkingId(Tlp::kClear, TlpVersion::k1),
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9");
  EXPECT_EQ(TlpMarkingId(Tlp::kRed, TlpVersion::k1),
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");
}

TEST(TlpTest, MarkingDefinitionJsonTlp2) {
  EXPECT_EQ(TlpMarkingDefinitionJson(Tlp::kAmberStrict, TlpVersion::k2),
            R"({"type":"marking-definition","spec_version":"2.1",)"
            R"("id":"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",)"
            R"("created":"2022-10-01T00:00:00.000Z","name":"TLP:AMBER+STRICT",)"
            R"("extensions":{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":)"
            R"({"extension_type":"property-extension","tlp_2_0":"amber+strict"}}})");
  for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kRed}) {
    core::Result<core::Json> def =
        core::ParseJson(TlpMarkingDefinitionJson(tlp, TlpVersion::k2));
    ASSERT_TRUE(def.ok());
    EXPECT_EQ(def->Find("definition_type"), nullptr);
    EXPECT_EQ(def->Find("name")->as_string(), TlpLabel(tlp));
    EXPECT_EQ(def->Find("id")->as_string(), TlpMarkingId(tlp, TlpVersion::k2));
  }
}

TEST(TlpTest, MarkingDefinitionJsonTlp1) {
  struct Case {
    Tlp tlp;
    std::string want;
  };
  const Case cases[] = {
      {Tlp::kClear,
       R"({"type":"marking-definition","spec_version":"2.1",)"
       R"("id":"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",)"
       R"("created":"2017-01-20T00:00:00.000Z","definition_type":"tlp",)"
       R"("name":"TLP:WHITE","definition":{"tlp":"white"}})"},
      {Tlp::kAmberStrict,
       R"({"type":"marking-definition","spec_version":"2.1",)"
       R"("id":"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",)"
       R"("created":"2017-01-20T00:00:00.000Z","definition_type":"tlp",)"
       R"("name":"TLP:AMBER","definition":{"tlp":"amber"}})"},
      {Tlp::kRed,
       R"({"type":"marking-definition","spec_version":"2.1",)"
       R"("id":"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",)"
       R"("created":"2017-01-20T00:00:00.000Z","definition_type":"tlp",)"
       R"("name":"TLP:RED","definition":{"tlp":"red"}})"},
  };
  for (const Case& c : cases) EXPECT_EQ(TlpMarkingDefinitionJson(c.tlp, TlpVersion::k1), c.want);
}

TEST(TlpTest, MarkingDefinitionsAreValidStix) {
  for (TlpVersion version : {TlpVersion::k2, TlpVersion::k1}) {
    for (Tlp tlp : {Tlp::kClear, Tlp::kGreen, Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed}) {
      std::string json = TlpMarkingDefinitionJson(tlp, version);
      core::Result<stix::StixDocument> doc = stix::ReadStix(json);
      ASSERT_TRUE(doc.ok()) << json;
      EXPECT_EQ(doc->CountProblems(stix::Severity::kError), 0u) << json;
      ASSERT_EQ(doc->objects.size(), 1u);
      EXPECT_EQ(doc->objects[0].id, TlpMarkingId(tlp, version));
    }
  }
}

TEST(PapTest, ParseAndIds) {
  struct Case {
    std::string_view text;
    std::optional<Pap> want;
  };
  const Case cases[] = {
      {"PAP:AMBER", Pap::kAmber}, {"pap:white", Pap::kClear}, {"PAP: RED", Pap::kRed},
      {"green", Pap::kGreen},     {"tlp:red", std::nullopt},  {"PAP:AMBER+STRICT", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParsePap(c.text), c.want) << c.text;

  EXPECT_EQ(PapFromMarkingId("marking-definition--a3bea94c-b469-41dc-9cfe-d6e7daba7730"),
            Pap::kClear);
  EXPECT_EQ(PapFromMarkingId("marking-definition--c43594d1-4b11-4c59-93ab-1c9b14d53ce9"),
            Pap::kGreen);
  EXPECT_EQ(PapFromMarkingId("marking-definition--60f8932b-e51e-4458-b265-a2e8be9a80ab"),
            Pap::kAmber);
  EXPECT_EQ(PapFromMarkingId("marking-definition--740d36e5-7714-4c30-961a-3ae632ceee0e"),
            Pap::kRed);
  // A TLP id is not a PAP id.
  EXPECT_EQ(PapFromMarkingId("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"),
            std::nullopt);
  EXPECT_EQ(PapLabel(Pap::kAmber), "PAP:AMBER");
}

}  // namespace
}  // namespace tessera::governance
