#include "governance/sharing.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/registry.h"

namespace tessera::governance {
namespace {

using Strings = std::vector<std::string>;

constexpr std::string_view kTlp1Green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
constexpr std::string_view kTlp2Red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
constexpr std::string_view kTlp2Amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
constexpr std::string_view kOpenCtiAmberStrict =
    "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37";
constexpr std::string_view kOtherMarking =
    "marking-definition--11111111-2222-4333-8444-555555555555";
constexpr store::Micros kDay = int64_t{86'400} * 1'000'000;
constexpr store::Micros kReceived = int64_t{1'700'000'000} * 1'000'000;

bool HasNote(const SharingOutcome& outcome, std::string_view fragment) {
  for (const std::string& note : outcome.notes) {
    if (note.find(fragment) != std::string::npos) return true;
  }
  return false;
}

SharingOutcome MustDecide(const SharingInput& input) {
  core::Result<SharingOutcome> r = DecideSharing(input);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? *r : SharingOutcome{};
}

TEST(SharingTest, EffectiveTlp) {
  store::PartnerRecord red_default;
  red_default.name = "acme";
  red_default.default_tlp = "red";
  struct Case {
    const char* what;
    Strings markings;
    Strings labels;
    std::string requested;
    const store::PartnerRecord* partner;
    std::string want;
    std::string note;  // a fragment some note must contain; "" for none expected
  };
  const Case cases[] = {
      {"marking id", {std::string(kTlp1Green)}, {}, "", nullptr, "green", ""},
      {"label", {}, {"tlp:amber+strict"}, "", nullptr, "amber+strict", ""},
      {"OpenCTI id", {std::string(kOpenCtiAmberStrict)}, {}, "", nullptr, "amber+strict", ""},
      {"bare label is no TLP", {}, {"red"}, "", nullptr, "amber", "hub default TLP:AMBER"},
      {"unknown marking ignored", {std::string(kOtherMarking)}, {}, "", nullptr, "amber",
       "hub default"},
      {"conflict", {std::string(kTlp1Green), std::string(kTlp2Red)}, {}, "", nullptr, "red",
       "conflicting TLP markings (TLP:GREEN, TLP:RED): TLP:RED applies"},
      {"marking and label conflict", {std::string(kTlp2Amber)}, {"TLP:CLEAR"}, "", nullptr,
       "amber", "conflicting TLP markings (TLP:CLEAR, TLP:AMBER): TLP:AMBER applies"},
      {"request restricts", {std::string(kTlp1Green)}, {}, "amber", nullptr, "amber", ""},
      {"request cannot loosen", {std::string(kTlp2Red)}, {}, "clear", nullptr, "red",
       "asked for TLP:CLEAR but the object is marked TLP:RED"},
      {"request alone", {}, {}, "TLP:GREEN", nullptr, "green", ""},
      {"request beats partner default", {}, {}, "green", &red_default, "green", ""},
      {"partner default", {}, {}, "", &red_default, "red", "only the contributor (acme)"},
      {"hub default", {}, {}, "", nullptr, "amber", "hub default TLP:AMBER"},
  };
  for (const Case& c : cases) {
    SharingInput input;
    input.contributor = "acme";
    input.marking_refs = c.markings;
    input.labels = c.labels;
    input.request.tlp = c.requested;
    input.partner = c.partner;
    SharingOutcome outcome = MustDecide(input);
    EXPECT_EQ(outcome.decision.tlp, c.want) << c.what;
    if (c.note.empty()) {
      EXPECT_TRUE(outcome.notes.empty()) << c.what << ": " << outcome.notes.front();
    } else {
      EXPECT_TRUE(HasNote(outcome, c.note)) << c.what;
    }
  }
}

TEST(SharingTest, Errors) {
  SharingInput input;
  input.contributor = "acme";
  input.request.tlp = "orange";
  core::Result<SharingOutcome> r = DecideSharing(input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("orange"), std::string::npos);

  store::PartnerRecord partner;
  partner.name = "acme";
  partner.default_tlp = "purple";
  input.request.tlp.clear();
  input.partner = &partner;
  r = DecideSharing(input);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
}

TEST(SharingTest, Audience) {
  store::PartnerRecord partner;
  partner.name = "acme";
  partner.default_communities = {"energy", "finance"};
  struct Case {
    const char* what;
    std::string tlp;
    Strings communities;
    Strings recipients;
    const store::PartnerRecord* partner;
    Strings want;
    std::string note;
  };
  const Case cases[] = {
      {"clear is public", "clear", {"energy"}, {"bob"}, &partner, {"*"}, ""},
      {"green with request communities", "green", {"water", "energy", "water"}, {}, &partner,
       {"c:energy", "c:water", "p:acme"}, ""},
      {"amber falls back to partner communities", "amber", {}, {"zed", "bob"}, &partner,
       {"c:energy", "c:finance", "p:acme", "p:bob", "p:zed"}, ""},
      {"amber+strict, unregistered", "amber+strict", {}, {}, nullptr, {"p:acme"}, ""},
      {"red ignores communities", "red", {"energy"}, {"bob"}, &partner, {"p:acme", "p:bob"},
       "communities are ignored for TLP:RED (energy)"},
      {"red without recipient", "red", {}, {}, &partner, {"p:acme"},
       "only the contributor (acme) sees it"},
      {"empty names skipped", "green", {""}, {""}, nullptr, {"p:acme"}, ""},
  };
  for (const Case& c : cases) {
    SharingInput input;
    input.contributor = "acme";
    input.request.tlp = c.tlp;
    input.request.communities = c.communities;
    input.request.recipients = c.recipients;
    input.partner = c.partner;
    SharingOutcome outcome = MustDecide(input);
    EXPECT_EQ(outcome.decision.audience, c.want) << c.what;
    if (c.note.empty()) {
      EXPECT_TRUE(outcome.notes.empty()) << c.what;
    } else {
      EXPECT_TRUE(HasNote(outcome, c.note)) << c.what;
    }
  }
}

TEST(SharingTest, AnonymousAndExpiry) {
  store::PartnerRecord anonymous;
  anonymous.name = "acme";
  anonymous.anonymous = true;
  anonymous.retention_days = 30;
  store::PartnerRecord plain;
  plain.name = "acme";
  struct Case {
    const char* what;
    const store::PartnerRecord* partner;
    std::vector<std::pair<std::string, int64_t>> type_retention;
    bool anonymous;
    std::optional<store::Micros> expires;
  };
  const Case cases[] = {
      {"nothing applies", &plain, {{"url", 7}}, false, std::nullopt},
      {"unregistered", nullptr, {}, false, std::nullopt},
      {"partner retention", &anonymous, {}, true, kReceived + 30 * kDay},
      {"type retention", &plain, {{"url", 7}, {"indicator", 90}}, false, kReceived + 90 * kDay},
      {"earliest wins (type)", &anonymous, {{"indicator", 10}}, true, kReceived + 10 * kDay},
      {"earliest wins (partner)", &anonymous, {{"indicator", 365}}, true,
       kReceived + 30 * kDay},
      {"negative days are 0", &plain, {{"indicator", -5}}, false, kReceived},
      {"saturates", &plain, {{"indicator", int64_t{1} << 60}}, false,
       std::numeric_limits<store::Micros>::max()},
  };
  for (const Case& c : cases) {
    SharingInput input;
    input.contributor = "acme";
    input.partner = c.partner;
    input.received = kReceived;
    input.type = "indicator";
    input.type_retention = c.type_retention;
    SharingOutcome outcome = MustDecide(input);
    EXPECT_EQ(outcome.decision.anonymous, c.anonymous) << c.what;
    EXPECT_EQ(outcome.decision.expires, c.expires) << c.what;
    EXPECT_FALSE(outcome.decision.personal_data) << c.what;
  }
}

}  // namespace
}  // namespace tessera::governance
