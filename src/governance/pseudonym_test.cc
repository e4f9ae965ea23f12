#include "governance/pseudonym.h"

#include <gtest/gtest.h>

#include <iterator>
#include <set>
#include <string>

#include "core/hash.h"
#include "core/json.h"
#include "core/uuid.h"
#include "stix/bundle.h"

namespace tessera::governance {
namespace {

constexpr std::string_view kKey = "hub-secret-key";

TEST(PseudonymTest, StableAndDistinct) {
  struct Case {
    std::string_view key, partner, context;
  };
  const Case cases[] = {
      {kKey, "acme", ""},          {kKey, "acme", "energy"}, {kKey, "acme", "finance"},
      {kKey, "globex", ""},        {kKey, "globex", "energy"},
      {"other-key", "acme", ""},   {"other-key", "acme", "energy"},
      // Moving a character across the separator changes the input.
      {kKey, "acmee", "nergy"},
  };
  std::set<std::string> ids, names;
  for (const Case& c : cases) {
    Pseudonym p = PseudonymFor(c.key, c.partner, c.context);
    Pseudonym again = PseudonymFor(c.key, c.partner, c.context);
    EXPECT_EQ(p.identity_id, again.identity_id);
    EXPECT_EQ(p.name, again.name);
    ids.insert(p.identity_id);
    names.insert(p.name);
  }
  EXPECT_EQ(ids.size(), std::size(cases));
  EXPECT_EQ(names.size(), std::size(cases));
}

TEST(PseudonymTest, DocumentedDerivation) {
  std::string input("pseudonym");
  input.push_back('\0');
  input.append("acme");
  input.push_back('\0');
  input.append("energy");
  std::string mac_hex = core::HexEncode(core::HmacSha256(kKey, input));

  Pseudonym p = PseudonymFor(kKey, "acme", "energy");
  std::string want_name = "Anonymous partner ";
  want_name.append(mac_hex, 0, 8);
  EXPECT_EQ(p.name, want_name);
  ASSERT_EQ(p.identity_id.rfind("identity--", 0), 0u);
  core::Result<core::Uuid> uuid = core::ParseUuid(std::string_view(p.identity_id).substr(10));
  ASSERT_TRUE(uuid.ok()) << p.identity_id;
  EXPECT_EQ(uuid->version(), 4);
  EXPECT_TRUE(uuid->is_rfc_variant());
  // Apart from the version and variant bits, the UUID is the MAC's first 16 bytes.
  std::string hex = core::HexEncode(uuid->bytes);
  for (size_t i = 0; i < 32; ++i) {
    if (i == 12 || i == 16) continue;  // the version nibble; the variant's nibble
    EXPECT_EQ(hex[i], mac_hex[i]) << i;
  }
  // The partner's name appears nowhere.
  EXPECT_EQ(PseudonymIdentityJson(p).find("acme"), std::string::npos);
}

TEST(PseudonymTest, IdentityJsonIsValidStix) {
  for (std::string_view context : {"", "energy"}) {
    Pseudonym p = PseudonymFor(kKey, "acme", context);
    std::string json = PseudonymIdentityJson(p);
    EXPECT_EQ(json, PseudonymIdentityJson(PseudonymFor(kKey, "acme", context)));  // stable
    core::Result<stix::StixDocument> doc = stix::ReadStix(json);
    ASSERT_TRUE(doc.ok()) << doc.error().ToString();
    EXPECT_EQ(doc->CountProblems(stix::Severity::kError), 0u) << json;
    EXPECT_EQ(doc->CountProblems(stix::Severity::kWarning), 0u) << json;
    ASSERT_EQ(doc->objects.size(), 1u);
    EXPECT_EQ(doc->objects[0].id, p.identity_id);
    EXPECT_EQ(doc->objects[0].created, "2020-01-01T00:00:00.000Z");
    EXPECT_EQ(doc->objects[0].modified, "2020-01-01T00:00:00.000Z");

    core::Result<core::Json> parsed = core::ParseJson(json);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->Find("identity_class")->as_string(), "organization");
    EXPECT_EQ(parsed->Find("name")->as_string(), p.name);
  }
}

}  // namespace
}  // namespace tessera::governance
