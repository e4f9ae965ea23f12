#include "governance/redaction.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/json.h"
#include "core/uuid.h"
#include "stix/bundle.h"

namespace tessera::governance {
namespace {

using core::Json;

constexpr std::string_view kKey = "hub-key-1";
constexpr std::string_view kOtherKey = "hub-key-2";

constexpr std::string_view kEmail =
    R"({"type":"email-addr","spec_version":"2.1",)"
    R"("id":"email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3",)"
    R"("value":"john@example.com","display_name":"John Doe",)"
    R"("belongs_to_ref":"user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c"})";

std::string MustRedact(std::string_view json, const RedactionRules& rules, std::string_view key,
                       bool force = false) {
  std::string out = Redact(json, rules, key, force);
  EXPECT_FALSE(out.empty()) << json;
  return out;
}

std::string MustRedactRefs(std::string_view json, const RedactionRules& rules,
                           std::string_view key, std::span<const std::string> also = {}) {
  std::string out = RedactRefs(json, rules, key, also);
  EXPECT_FALSE(out.empty()) << json;
  return out;
}

Json MustParse(std::string_view json) {
  core::Result<Json> r = core::ParseJson(json);
  EXPECT_TRUE(r.ok()) << json;
  return r.ok() ? *r : Json();
}

std::string Member(const Json& object, std::string_view name) {
  const Json* value = object.Find(name);
  return value != nullptr && value->is_string() ? value->as_string() : "<absent>";
}

bool IsToken(std::string_view value) {
  constexpr std::string_view kPrefix = "redacted:hmac-sha256:";
  if (value.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view hex = value.substr(kPrefix.size());
  return hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

TEST(RedactionTest, RedactsBuiltinPersonalTypes) {
  RedactionRules rules = RedactionRules::Builtin();
  Json out = MustParse(MustRedact(kEmail, rules, kKey));
  EXPECT_TRUE(IsToken(Member(out, "value")));
  EXPECT_TRUE(IsToken(Member(out, "display_name")));
  EXPECT_EQ(Member(out, "value"),
            RedactedValue(kKey, "email-addr", "value", "john@example.com"));
  EXPECT_EQ(Member(out, "type"), "email-addr");
  EXPECT_EQ(Member(out, "spec_version"), "2.1");
  // The id is replaced (it is a hash of the value), consistently with RedactedId.
  std::string id = Member(out, "id");
  EXPECT_EQ(id, RedactedId(kKey, "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"));
  ASSERT_EQ(id.rfind("email-addr--", 0), 0u);
  core::Result<core::Uuid> uuid = core::ParseUuid(std::string_view(id).substr(12));
  ASSERT_TRUE(uuid.ok());
  EXPECT_EQ(uuid->version(), 4);
  EXPECT_TRUE(uuid->is_rfc_variant());
  // Still valid STIX, without warnings (a v5 id that is not the deterministic
  // one would draw one).
  core::Result<stix::StixDocument> doc = stix::ReadStix(MustRedact(kEmail, rules, kKey));
  ASSERT_TRUE(doc.ok());
  for (const stix::Problem& p : doc->problems) ADD_FAILURE() << p.ToString();
  // References are RedactRefs' business.
  EXPECT_EQ(Member(out, "belongs_to_ref"),
            "user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c");
}

TEST(RedactionTest, PropertiesPerType) {
  RedactionRules rules = RedactionRules::Builtin();
  struct Case {
    std::string json;
    std::vector<std::string> redacted;
    std::vector<std::string> kept;
    bool id_redacted;
  };
  const Case cases[] = {
      {R"({"type":"user-account","id":"user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c",)"
       R"("account_type":"twitter","account_login":"example_handle","user_id":"12345",)"
       R"("display_name":"Ex Ample","is_privileged":false})",
       {"account_login", "user_id", "display_name"},
       {"account_type"},
       true},
      {R"({"type":"phone-number","id":"phone-number--6a1b5a55-0a5e-5c3c-8a35-1c1bfa9d8c61",)"
       R"("number":"+4930123456","country_code":"DE"})",
       {"number"},
       {"country_code"},
       true},
      {R"({"type":"identity","spec_version":"2.1",)"
       R"("id":"identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e",)"
       R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",)"
       R"("name":"Jane Roe","identity_class":"individual","contact_information":"+1 555"})",
       {"name", "contact_information"},
       {"identity_class", "created"},
       false},
  };
  for (const Case& c : cases) {
    Json in = MustParse(c.json);
    Json out = MustParse(MustRedact(c.json, rules, kKey));
    for (const std::string& p : c.redacted) EXPECT_TRUE(IsToken(Member(out, p))) << p;
    for (const std::string& p : c.kept) EXPECT_EQ(*out.Find(p), *in.Find(p)) << p;
    EXPECT_EQ(Member(out, "id") != Member(in, "id"), c.id_redacted) << c.json;
    EXPECT_EQ(*out.Find("type"), *in.Find("type"));
  }
}

TEST(RedactionTest, NonPersonalObjectsUntouchedByteForByte) {
  RedactionRules rules = RedactionRules::Builtin();
  const std::string cases[] = {
      // Odd spacing and member order survive: nothing is re-serialized.
      R"({ "type": "domain-name", "id": "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5",  "value":"example.com" })",
      R"({"type":"identity","spec_version":"2.1","id":"identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e",)"
      R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",)"
      R"("name":"ACME Corp","identity_class":"organization"})",
      R"({"type":"email-addr","id":"email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"})",
  };
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(MustRedact(cases[i], rules, kKey), cases[i]);
    EXPECT_EQ(MustRedactRefs(cases[i], rules, kKey), cases[i]);
  }
  // An email-addr without properties still has its id replaced.
  EXPECT_NE(MustRedact(cases[2], rules, kKey), cases[2]);
}

TEST(RedactionTest, DeterministicCorrelatableAndKeyed) {
  RedactionRules rules = RedactionRules::Builtin();
  std::string first = MustRedact(kEmail, rules, kKey);
  EXPECT_EQ(MustRedact(kEmail, rules, kKey), first);
  EXPECT_NE(MustRedact(kEmail, rules, kOtherKey), first);

  // The same address in another object gives the same token (tools can correlate);
  // the same text in another property or type does not.
  struct Case {
    std::string_view type, property, value;
    bool same;
  };
  const Case cases[] = {
      {"email-addr", "value", "john@example.com", true},
      {"email-addr", "value", "jane@example.com", false},
      {"email-addr", "display_name", "john@example.com", false},
      {"user-account", "value", "john@example.com", false},
  };
  std::string reference = RedactedValue(kKey, "email-addr", "value", "john@example.com");
  for (const Case& c : cases) {
    EXPECT_EQ(RedactedValue(kKey, c.type, c.property, c.value) == reference, c.same)
        << c.type << " " << c.property << " " << c.value;
  }
  EXPECT_NE(RedactedValue(kOtherKey, "email-addr", "value", "john@example.com"), reference);
  EXPECT_NE(RedactedId(kKey, "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"),
            RedactedId(kOtherKey, "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"));
}

TEST(RedactionTest, RefsRewrittenAtAnyDepth) {
  RedactionRules rules = RedactionRules::Builtin();
  const std::string email_id = "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3";
  const std::string account_id = "user-account--0d5b424b-93b8-5cd8-ac36-306e1789d63c";
  const std::string domain_id = "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5";
  const std::string identity_id = "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e";
  std::string message = R"({"type":"email-message","id":"email-message--1","is_multipart":true,)";
  message.append(R"("from_ref":")").append(email_id);
  message.append(R"(","to_refs":[")").append(email_id).append(R"(",")").append(domain_id);
  message.append(R"("],"created_by_ref":")").append(identity_id);
  message.append(R"(","body_multipart":[{"body_raw_ref":")").append(account_id);
  message.append(R"("}],"extensions":{"x":{"deep":{"owner_ref":")").append(account_id);
  message.append(R"("}}},"value_ref_text":")").append(email_id).append(R"("})");
  Json out = MustParse(MustRedactRefs(message, rules, kKey));
  EXPECT_EQ(Member(out, "from_ref"), RedactedId(kKey, email_id));
  const Json::Array& to = out.Find("to_refs")->as_array();
  ASSERT_EQ(to.size(), 2u);
  EXPECT_EQ(to[0].as_string(), RedactedId(kKey, email_id));
  EXPECT_EQ(to[1].as_string(), domain_id);
  EXPECT_EQ(Member(out, "created_by_ref"), identity_id);  // identities keep their ids
  EXPECT_EQ(Member(out.Find("body_multipart")->as_array()[0], "body_raw_ref"),
            RedactedId(kKey, account_id));
  EXPECT_EQ(Member(*out.Find("extensions")->Find("x")->Find("deep"), "owner_ref"),
            RedactedId(kKey, account_id));
  EXPECT_EQ(Member(out, "value_ref_text"), email_id);  // not a reference property

  // The rewritten reference matches the id Redact gave the object itself.
  Json email = MustParse(MustRedact(kEmail, rules, kKey));
  EXPECT_EQ(Member(email, "id"), Member(out, "from_ref"));

  // Extra ids (objects forced personal) are rewritten too.
  std::vector<std::string> also = {domain_id};
  Json forced = MustParse(MustRedactRefs(message, rules, kKey, also));
  EXPECT_EQ(forced.Find("to_refs")->as_array()[1].as_string(), RedactedId(kKey, domain_id));
}

TEST(RedactionTest, ForcePersonal) {
  RedactionRules rules = RedactionRules::Builtin();
  // A type without a rule: every string property but the structural ones.
  const std::string note =
      R"({"type":"note","spec_version":"2.1","id":"note--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",)"
      R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",)"
      R"("abstract":"about Jane","content":"Jane lives at ...","authors":["Jane"],)"
      R"("object_refs":["email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3"],)"
      R"("created_by_ref":"identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e",)"
      R"("object_marking_refs":["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]})";
  Json in = MustParse(note);
  Json out = MustParse(MustRedact(note, rules, kKey, /*force=*/true));
  for (std::string_view p : {"abstract", "content"}) EXPECT_TRUE(IsToken(Member(out, p))) << p;
  for (std::string_view p : {"id", "type", "spec_version", "created", "modified",
                             "created_by_ref", "object_refs", "object_marking_refs", "authors"}) {
    EXPECT_EQ(*out.Find(p), *in.Find(p)) << p;
  }
  // Without force the note is not personal.
  EXPECT_EQ(MustRedact(note, rules, kKey), note);

  // A conditional rule applies whatever the condition when forced.
  const std::string org =
      R"({"type":"identity","spec_version":"2.1","id":"identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e",)"
      R"("created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z",)"
      R"("name":"Jane's shop","identity_class":"organization","description":"kept"})";
  Json org_out = MustParse(MustRedact(org, rules, kKey, true));
  EXPECT_TRUE(IsToken(Member(org_out, "name")));
  EXPECT_EQ(Member(org_out, "description"), "kept");
  EXPECT_EQ(Member(org_out, "id"), "identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e");

  // A forced SCO loses its value-derived id.
  const std::string domain =
      R"({"type":"domain-name","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"jane.example"})";
  Json domain_out = MustParse(MustRedact(domain, rules, kKey, true));
  EXPECT_TRUE(IsToken(Member(domain_out, "value")));
  EXPECT_EQ(Member(domain_out, "id"),
            RedactedId(kKey, "domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5"));
}

TEST(RedactionTest, NonStringValues) {
  RedactionRules rules;
  rules.Add({"x-thing", {"number", "list", "gone"}, ""});
  const std::string thing =
      R"({"type":"x-thing","id":"x-thing--1","number":4930123456,"list":["a",{"b":1}],"gone":null})";
  Json out = MustParse(MustRedact(thing, rules, kKey));
  EXPECT_EQ(Member(out, "number"), RedactedValue(kKey, "x-thing", "number", "4930123456"));
  const Json::Array& list = out.Find("list")->as_array();
  EXPECT_EQ(list[0].as_string(), RedactedValue(kKey, "x-thing", "list", "a"));
  EXPECT_EQ(list[1].as_string(), RedactedValue(kKey, "x-thing", "list", R"({"b":1})"));
  EXPECT_TRUE(out.Find("gone")->is_null());
}

TEST(RedactionTest, InvalidJsonFailsClosed) {
  RedactionRules rules = RedactionRules::Builtin();
  for (std::string_view bad :
       {"", "{", "[1,2]", "\"text\"", R"({"type":"email-addr","value":"john@example.com")"}) {
    EXPECT_EQ(Redact(bad, rules, kKey, false), "") << bad;
    EXPECT_EQ(RedactRefs(bad, rules, kKey), "") << bad;
  }
}

TEST(RedactionRulesTest, Builtin) {
  RedactionRules rules = RedactionRules::Builtin();
  struct Case {
    std::string_view type;
    bool personal, ids;
  };
  const Case cases[] = {
      {"email-addr", true, true},   {"user-account", true, true},
      {"phone-number", true, true}, {"identity", true, false},
      {"domain-name", false, false}, {"indicator", false, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(rules.IsPersonal(c.type), c.personal) << c.type;
    EXPECT_EQ(rules.RedactsIds(c.type), c.ids) << c.type;
  }
}

TEST(RedactionRulesTest, FromToml) {
  core::Result<RedactionRules> rules = RedactionRules::FromToml(
      R"(# site rules
[[personal]]
type = "email-addr"
properties = ["value"]

[[personal]]
type = "identity"
properties = ["name"]
when_identity_class = "individual"

[[personal]]
type = "x-employee-badge"
properties = ["badge_id", "holder"]
)",
      "rules.toml");
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  ASSERT_EQ(rules->rules().size(), 3u);
  EXPECT_EQ(rules->rules()[1].when_identity_class, "individual");
  EXPECT_EQ(rules->rules()[2].properties, (std::vector<std::string>{"badge_id", "holder"}));
  EXPECT_TRUE(rules->RedactsIds("x-employee-badge"));  // custom types count as SCOs
  EXPECT_FALSE(rules->IsPersonal("user-account"));     // the file replaces the built-ins

  // Only `value` is personal now: display_name stays.
  Json out = MustParse(MustRedact(kEmail, *rules, kKey));
  EXPECT_TRUE(IsToken(Member(out, "value")));
  EXPECT_EQ(Member(out, "display_name"), "John Doe");
}

TEST(RedactionRulesTest, TomlErrorsNameFileAndLine) {
  struct Case {
    const char* text;
    std::string location;  // prefix of the error location
    core::ErrorCode code;
  };
  const Case cases[] = {
      {"[[personal]]\ntype = \"email-addr\"\nproperties = [\"value\"\n", "site.toml:3",
       core::ErrorCode::kParse},
      {"[[personal]]\ntype = \"email-addr\"\n", "site.toml:1", core::ErrorCode::kInvalidArgument},
      {"[[personal]]\ntype = \"email-addr\"\nproperties = []\n", "site.toml:3",
       core::ErrorCode::kInvalidArgument},
      {"[[personal]]\ntype = \"Email Addr\"\nproperties = [\"value\"]\n", "site.toml:2",
       core::ErrorCode::kInvalidArgument},
      {"\n[[personal]]\ntype = \"email-addr\"\nproperty = [\"value\"]\n", "site.toml:4",
       core::ErrorCode::kInvalidArgument},
      {"[[personal]]\ntype = \"email-addr\"\nproperties = [\"value\", 3]\n", "site.toml:3",
       core::ErrorCode::kInvalidArgument},
      {"[personal]\ntype = \"email-addr\"\nproperties = [\"value\"]\n", "site.toml:1",
       core::ErrorCode::kInvalidArgument},
      {"version = 2\n", "site.toml:1", core::ErrorCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    core::Result<RedactionRules> r = RedactionRules::FromToml(c.text, "site.toml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().code, c.code) << c.text << ": " << r.error().ToString();
    EXPECT_EQ(r.error().location.rfind(c.location, 0), 0u)
        << c.text << ": " << r.error().ToString();
  }
}

}  // namespace
}  // namespace tessera::governance
