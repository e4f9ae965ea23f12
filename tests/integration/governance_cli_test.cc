// Runs the real `tessera` binary on a temporary SQLite database: `partner`,
// `community`, `token`, `retention`, `audit` and `db purge`, their --json
// outputs, exit codes, and what they leave in the audit log.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/uuid.h"
#include "integration/run_tessera.h"
#include "store/store.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;

constexpr store::Micros kT0 = 1'709'251'200'000'000;  // 2024-03-01T00:00:00Z
constexpr const char* kGlobexIdentity = "identity--8c5f2a1e-4b3d-4e6f-9a7b-1c2d3e4f5a6b";

class GovernanceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tessera-governance-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "tessera.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `tessera ARGS --db DB`.
  CommandResult Run(const std::string& args, const std::string& input = "") {
    return Tessera(args + " --db " + db_, input);
  }

  // Runs a command that must succeed; returns its stdout.
  std::string Ok(const std::string& args) {
    CommandResult run = Run(args);
    EXPECT_EQ(run.exit_code, 0) << args << "\n" << run.out << run.err;
    return run.out;
  }

  // Runs a --json command that must succeed; returns its output parsed.
  core::Json OkJson(const std::string& args) {
    std::string out = Ok(args);
    auto json = core::ParseJson(out);
    EXPECT_TRUE(json.ok()) << args << " printed: " << out;
    return json.ok() ? std::move(*json) : core::Json();
  }

  // The actions of the audit log, in order.
  std::vector<std::string> AuditActions(const std::string& filter = "") {
    core::Json entries = OkJson(std::string("audit show --json --limit 10000 ") + filter);
    std::vector<std::string> actions;
    if (!entries.is_array()) return actions;
    for (const core::Json& e : entries.as_array()) actions.push_back(Str(e, "action"));
    return actions;
  }

  static const core::Json& At(const core::Json& object, std::string_view key) {
    static const core::Json kMissing;
    const core::Json* value = object.is_object() ? object.Find(key) : nullptr;
    EXPECT_NE(value, nullptr) << key << " missing in " << core::WriteJson(object);
    return value != nullptr ? *value : kMissing;
  }
  static std::string Str(const core::Json& object, std::string_view key) {
    const core::Json& value = At(object, key);
    return value.is_string() ? value.as_string()
                             : std::string("<not a string: ") + core::WriteJson(value) + ">";
  }
  static int64_t Int(const core::Json& object, std::string_view key) {
    int64_t n = -1;
    EXPECT_TRUE(At(object, key).GetInt64(&n)) << key << " in " << core::WriteJson(object);
    return n;
  }
  static bool Bool(const core::Json& object, std::string_view key) {
    const core::Json& value = At(object, key);
    EXPECT_TRUE(value.is_bool()) << key << " in " << core::WriteJson(object);
    return value.is_bool() && value.as_bool();
  }
  static std::vector<std::string> Strings(const core::Json& object, std::string_view key) {
    std::vector<std::string> out;
    const core::Json& value = At(object, key);
    EXPECT_TRUE(value.is_array()) << key << " in " << core::WriteJson(object);
    if (!value.is_array()) return out;
    for (const core::Json& item : value.as_array()) {
      out.push_back(item.is_string() ? item.as_string() : core::WriteJson(item));
    }
    return out;
  }
  static std::vector<std::string> Names(const core::Json& array) {
    std::vector<std::string> names;
    EXPECT_TRUE(array.is_array()) << core::WriteJson(array);
    if (!array.is_array()) return names;
    for (const core::Json& item : array.as_array()) names.push_back(Str(item, "name"));
    return names;
  }
  static const core::Json& Named(const core::Json& array, std::string_view name) {
    static const core::Json kMissing;
    if (array.is_array()) {
      for (const core::Json& item : array.as_array()) {
        const core::Json* n = item.Find("name");
        if (n != nullptr && n->is_string() && n->as_string() == name) return item;
      }
    }
    ADD_FAILURE() << name << " not in " << core::WriteJson(array);
    return kMissing;
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(GovernanceCliTest, PartnerAddListShowSetRemove) {
  core::Json acme = OkJson("partner add acme --description 'Acme CERT' --tlp green --json");
  EXPECT_EQ(Str(acme, "name"), "acme");
  EXPECT_EQ(Str(acme, "description"), "Acme CERT");
  EXPECT_EQ(Str(acme, "default_tlp"), "green");
  EXPECT_FALSE(Bool(acme, "anonymous"));
  EXPECT_FALSE(Bool(acme, "recognition"));
  EXPECT_FALSE(Bool(acme, "personal_data"));
  EXPECT_TRUE(At(acme, "retention_days").is_null());
  EXPECT_TRUE(Strings(acme, "default_communities").empty());
  EXPECT_TRUE(Strings(acme, "communities").empty());
  std::string identity = Str(acme, "identity");
  ASSERT_TRUE(identity.starts_with("identity--")) << identity;
  auto uuid = core::ParseUuid(std::string_view(identity).substr(10));
  ASSERT_TRUE(uuid.ok()) << identity;
  EXPECT_EQ(uuid->version(), 4);

  // A taken name: exit 4, and nothing changed.
  CommandResult again = Run("partner add acme --tlp red");
  EXPECT_EQ(again.exit_code, 4) << again.err;
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(Str(OkJson("partner show acme --json"), "default_tlp"), "green");

  core::Json globex = OkJson(std::string("partner add globex --identity ") + kGlobexIdentity +
                             " --tlp TLP:AMBER+STRICT --anonymous --recognition --personal-data "
                             "--retention-days 90 --json");
  EXPECT_EQ(Str(globex, "identity"), kGlobexIdentity);
  EXPECT_EQ(Str(globex, "default_tlp"), "amber+strict");
  EXPECT_TRUE(Bool(globex, "anonymous"));
  EXPECT_TRUE(Bool(globex, "recognition"));
  EXPECT_TRUE(Bool(globex, "personal_data"));
  EXPECT_EQ(Int(globex, "retention_days"), 90);

  // Bad values are usage errors; a missing community is "not found"; a taken identity a conflict.
  EXPECT_EQ(Run("partner add initech --tlp purple").exit_code, 2);
  EXPECT_EQ(Run("partner add initech --identity identity--not-a-uuid").exit_code, 2);
  EXPECT_EQ(Run("partner add initech --identity indicator--8c5f2a1e-4b3d-4e6f-9a7b-1c2d3e4f5a6b")
                .exit_code,
            2);
  EXPECT_EQ(Run("partner add initech --retention-days 0").exit_code, 2);
  EXPECT_EQ(Run("partner add initech --community nowhere").exit_code, 3);
  EXPECT_EQ(Run(std::string("partner add initech --identity ") + kGlobexIdentity).exit_code, 4);
  EXPECT_EQ(Names(OkJson("partner list --json")), (std::vector<std::string>{"acme", "globex"}));

  std::string text = Ok("partner list");
  EXPECT_NE(text.find("acme"), std::string::npos) << text;
  EXPECT_NE(text.find("amber+strict"), std::string::npos) << text;

  // set changes only what is given, and says what changed.
  core::Json set = OkJson("partner set acme --anonymous --retention-days 30 --tlp green --json");
  EXPECT_EQ(Strings(set, "changed"), (std::vector<std::string>{"anonymous", "retention_days"}));
  EXPECT_TRUE(Bool(At(set, "partner"), "anonymous"));
  EXPECT_EQ(Int(At(set, "partner"), "retention_days"), 30);
  EXPECT_EQ(Str(At(set, "partner"), "description"), "Acme CERT");
  core::Json unset = OkJson("partner set acme --no-anonymous --retention-days none --json");
  EXPECT_FALSE(Bool(At(unset, "partner"), "anonymous"));
  EXPECT_TRUE(At(At(unset, "partner"), "retention_days").is_null());
  EXPECT_EQ(Run("partner set acme").exit_code, 2);  // nothing to change
  EXPECT_EQ(Run("partner set nobody --anonymous").exit_code, 3);

  core::Json shown = OkJson("partner show acme --json");
  EXPECT_EQ(Str(shown, "identity"), identity);
  EXPECT_TRUE(At(shown, "tokens").is_array());
  EXPECT_EQ(Run("partner show nobody").exit_code, 3);

  core::Json removed = OkJson("partner remove globex --json");
  EXPECT_EQ(Str(removed, "removed"), "globex");
  EXPECT_EQ(Run("partner show globex").exit_code, 3);
  EXPECT_EQ(Run("partner remove globex").exit_code, 3);
  EXPECT_EQ(Names(OkJson("partner list --json")), (std::vector<std::string>{"acme"}));

  EXPECT_EQ(AuditActions(), (std::vector<std::string>{"partner.add", "partner.add", "partner.set",
                                                      "partner.set", "partner.remove"}));
  core::Json sets = OkJson("audit show --action partner.set --json");
  ASSERT_TRUE(sets.is_array());
  ASSERT_EQ(sets.as_array().size(), 2u);
  const core::Json& first = sets.as_array()[0];
  EXPECT_EQ(Str(first, "actor"), "operator");
  EXPECT_EQ(Str(first, "target"), "partner:acme");
  EXPECT_EQ(core::WriteJson(At(first, "details")), R"({"anonymous":true,"retention_days":30})");
}

TEST_F(GovernanceCliTest, CommunityMembershipAndConfidentialListing) {
  for (const char* name : {"acme", "globex", "initech"}) Ok(std::string("partner add ") + name);
  core::Json fin = OkJson("community add fin-isac --description 'Finance sector' --json");
  EXPECT_EQ(Str(fin, "name"), "fin-isac");
  EXPECT_FALSE(Bool(fin, "confidential"));
  EXPECT_EQ(Int(fin, "member_count"), 0);
  EXPECT_EQ(Run("community add fin-isac").exit_code, 4);
  EXPECT_TRUE(Bool(OkJson("community add inner-circle --confidential --json"), "confidential"));

  core::Json joined = OkJson("community join fin-isac globex acme --json");
  EXPECT_EQ(Strings(joined, "joined"), (std::vector<std::string>{"acme", "globex"}));
  EXPECT_TRUE(Strings(joined, "already_members").empty());
  core::Json rejoined = OkJson("community join fin-isac acme --json");
  EXPECT_TRUE(Strings(rejoined, "joined").empty());
  EXPECT_EQ(Strings(rejoined, "already_members"), (std::vector<std::string>{"acme"}));
  Ok("community join inner-circle acme initech");
  EXPECT_EQ(Run("community join fin-isac initech nobody").exit_code, 3);
  EXPECT_EQ(Run("community join nowhere acme").exit_code, 3);

  // The operator sees every community with every member.
  core::Json all = OkJson("community list --json");
  EXPECT_EQ(Names(all), (std::vector<std::string>{"fin-isac", "inner-circle"}));
  EXPECT_EQ(Strings(Named(all, "fin-isac"), "members"),
            (std::vector<std::string>{"acme", "globex"}));  // the failed join changed nothing
  EXPECT_EQ(Strings(Named(all, "inner-circle"), "members"),
            (std::vector<std::string>{"acme", "initech"}));
  EXPECT_EQ(Int(Named(all, "inner-circle"), "member_count"), 2);

  // A member of a confidential community sees itself only, and no count.
  core::Json as_acme = OkJson("community list --as acme --json");
  EXPECT_EQ(Names(as_acme), (std::vector<std::string>{"fin-isac", "inner-circle"}));
  EXPECT_EQ(Strings(Named(as_acme, "inner-circle"), "members"), (std::vector<std::string>{"acme"}));
  EXPECT_TRUE(At(Named(as_acme, "inner-circle"), "member_count").is_null());
  EXPECT_EQ(Strings(Named(as_acme, "fin-isac"), "members"),
            (std::vector<std::string>{"acme", "globex"}));
  std::string text = Ok("community list --as acme");
  EXPECT_NE(text.find("members: confidential"), std::string::npos) << text;
  EXPECT_EQ(text.find("initech"), std::string::npos) << text;
  EXPECT_EQ(Names(OkJson("community list --as globex --json")),
            (std::vector<std::string>{"fin-isac"}));
  EXPECT_EQ(Run("community list --as nobody").exit_code, 3);

  core::Json left = OkJson("community leave fin-isac globex initech --json");
  EXPECT_EQ(Strings(left, "left"), (std::vector<std::string>{"globex"}));
  EXPECT_EQ(Strings(left, "not_members"), (std::vector<std::string>{"initech"}));
  EXPECT_EQ(Strings(Named(OkJson("community list --json"), "fin-isac"), "members"),
            (std::vector<std::string>{"acme"}));
  EXPECT_TRUE(Names(OkJson("community list --as globex --json")).empty());
  EXPECT_EQ(Strings(OkJson("partner show acme --json"), "communities"),
            (std::vector<std::string>{"fin-isac", "inner-circle"}));

  // A partner's default communities must exist.
  core::Json hooli = OkJson("partner add hooli --community fin-isac --json");
  EXPECT_EQ(Strings(hooli, "default_communities"), (std::vector<std::string>{"fin-isac"}));

  EXPECT_EQ(AuditActions("--action community."),
            (std::vector<std::string>{"community.add", "community.add", "community.join",
                                      "community.join", "community.leave"}));
}

TEST_F(GovernanceCliTest, TokenIssuedOnceAndAuditorRoleRequired) {
  Ok("partner add acme");
  CommandResult consumer = Run("token issue acme --role consumer --description 'feed reader'");
  ASSERT_EQ(consumer.exit_code, 0) << consumer.err;
  std::string consumer_token = consumer.out.substr(0, consumer.out.find('\n'));
  EXPECT_EQ(consumer.out, consumer_token + "\n");  // the token alone on stdout
  ASSERT_TRUE(consumer_token.starts_with("tsr_")) << consumer.out;
  EXPECT_NE(consumer.err.find("cannot be shown again"), std::string::npos) << consumer.err;

  core::Json auditor = OkJson("token issue acme --role auditor --role consumer --json");
  std::string auditor_token = Str(auditor, "token");
  std::string auditor_id = Str(auditor, "id");
  EXPECT_TRUE(auditor_token.starts_with(std::string("tsr_") + auditor_id + "_")) << auditor_token;
  EXPECT_EQ(Strings(auditor, "roles"), (std::vector<std::string>{"auditor", "consumer"}));
  EXPECT_TRUE(At(auditor, "expires").is_null());

  // Listing shows ids, roles and states, never a token's text or secret.
  // tsr_<id>_<secret>: the id has no '_'; the base64url secret may have some.
  auto secret_of = [](const std::string& token) { return token.substr(token.find('_', 4) + 1); };
  std::string secret = secret_of(auditor_token);
  std::string consumer_secret = secret_of(consumer_token);
  ASSERT_EQ(secret.size(), 43u) << auditor_token;
  ASSERT_EQ(consumer_secret.size(), 43u) << consumer_token;
  core::Json tokens = OkJson("token list --json");
  ASSERT_TRUE(tokens.is_array());
  ASSERT_EQ(tokens.as_array().size(), 2u);
  for (const core::Json& t : tokens.as_array()) {
    EXPECT_EQ(Str(t, "partner"), "acme");
    EXPECT_EQ(Str(t, "state"), "active");
    EXPECT_EQ(t.Find("hash"), nullptr);
  }
  for (const std::string& out :
       {Ok("token list"), Ok("token list acme --json"), Ok("partner show acme --json")}) {
    EXPECT_EQ(out.find(secret), std::string::npos) << out;
    EXPECT_EQ(out.find(consumer_secret), std::string::npos) << out;
  }
  EXPECT_NE(Ok("token list").find(auditor_id), std::string::npos);
  EXPECT_EQ(Run("token list nobody").exit_code, 3);

  // A consumer token may not read the audit log; an auditor token may.
  CommandResult denied = Run(std::string("audit show --token ") + consumer_token);
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
  EXPECT_TRUE(denied.out.empty()) << denied.out;
  EXPECT_NE(denied.err.find("auditor"), std::string::npos) << denied.err;
  EXPECT_EQ(Run(std::string("audit verify --token ") + consumer_token).exit_code, 5);
  CommandResult allowed = Run(std::string("audit show --json --token ") + auditor_token);
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.out.find("token.issue"), std::string::npos) << allowed.out;
  EXPECT_EQ(allowed.out.find(secret), std::string::npos) << allowed.out;
  EXPECT_EQ(allowed.out.find(consumer_secret), std::string::npos) << allowed.out;

  // The auditor's reading is itself in the log; the operator's is not.
  core::Json reads = OkJson("audit show --action audit.read --json");
  ASSERT_TRUE(reads.is_array());
  ASSERT_EQ(reads.as_array().size(), 1u) << core::WriteJson(reads);
  EXPECT_NE(Str(reads.as_array()[0], "actor").find(std::string("token:") + auditor_id),
            std::string::npos);

  EXPECT_EQ(Run("token issue nobody --role consumer").exit_code, 3);
  EXPECT_EQ(Run("token issue acme --role boss").exit_code, 2);
  EXPECT_EQ(Run("token issue acme").exit_code, 2);  // --role is required
  EXPECT_EQ(Run("token issue acme --role consumer --expires tomorrow").exit_code, 2);
  EXPECT_EQ(Strings(OkJson("partner show acme --json"), "tokens").size(), 2u);
}

TEST_F(GovernanceCliTest, RevokedTokenRefusedAtOnce) {
  Ok("partner add acme");
  core::Json issued = OkJson("token issue acme --role auditor --json");
  std::string token = Str(issued, "token");
  std::string id = Str(issued, "id");
  EXPECT_EQ(Run(std::string("audit show --token ") + token).exit_code, 0);

  core::Json revoked = OkJson(std::string("token revoke ") + id + " --json");
  EXPECT_EQ(Str(revoked, "id"), id);
  EXPECT_EQ(Str(revoked, "partner"), "acme");
  CommandResult refused = Run(std::string("audit show --token ") + token);
  EXPECT_EQ(refused.exit_code, 5) << refused.err;
  EXPECT_TRUE(refused.out.empty()) << refused.out;
  EXPECT_EQ(Run(std::string("audit verify --token ") + token).exit_code, 5);

  CommandResult twice = Run(std::string("token revoke ") + id);
  EXPECT_EQ(twice.exit_code, 4);
  EXPECT_NE(twice.err.find("already revoked"), std::string::npos) << twice.err;
  EXPECT_EQ(Run("token revoke 0123456789ab").exit_code, 3);
  core::Json tokens = OkJson("token list --json");
  ASSERT_TRUE(tokens.is_array());
  ASSERT_EQ(tokens.as_array().size(), 1u);
  EXPECT_EQ(Str(tokens.as_array()[0], "state"), "revoked");
  EXPECT_TRUE(At(tokens.as_array()[0], "revoked").is_string());

  core::Json failures = OkJson("audit show --action auth.failure --json");
  ASSERT_TRUE(failures.is_array());
  ASSERT_EQ(failures.as_array().size(), 2u);
  EXPECT_EQ(Str(At(failures.as_array()[0], "details"), "reason"), "revoked");
  EXPECT_EQ(AuditActions("--action token."),
            (std::vector<std::string>{"token.issue", "token.revoke"}));
}

TEST_F(GovernanceCliTest, ExpiredTokenRefused) {
  Ok("partner add acme");
  CommandResult past = Run("token issue acme --role auditor --expires 2020-01-01T00:00:00Z --json");
  ASSERT_EQ(past.exit_code, 0) << past.err;
  auto issued = core::ParseJson(past.out);
  ASSERT_TRUE(issued.ok()) << past.out;
  EXPECT_TRUE(Str(*issued, "expires").starts_with("2020-01-01T00:00:00")) << past.out;
  EXPECT_NE(past.err.find("has passed"), std::string::npos) << past.err;
  EXPECT_EQ(Run(std::string("audit show --token ") + Str(*issued, "token")).exit_code, 5);

  core::Json later = OkJson("token issue acme --role auditor --expires 30d --json");
  EXPECT_EQ(Run(std::string("audit show --token ") + Str(later, "token")).exit_code, 0);

  core::Json tokens = OkJson("token list acme --json");
  ASSERT_TRUE(tokens.is_array());
  std::vector<std::string> states;
  for (const core::Json& t : tokens.as_array()) {
    states.push_back(Str(t, "id") == Str(*issued, "id") ? std::string("past:") + Str(t, "state")
                                                        : std::string("later:") + Str(t, "state"));
  }
  std::sort(states.begin(), states.end());
  EXPECT_EQ(states, (std::vector<std::string>{"later:active", "past:expired"}));
  core::Json failures = OkJson("audit show --action auth.failure --json");
  ASSERT_TRUE(failures.is_array());
  ASSERT_EQ(failures.as_array().size(), 1u);
  EXPECT_EQ(Str(At(failures.as_array()[0], "details"), "reason"), "expired");
}

TEST_F(GovernanceCliTest, AuditorResolvesPseudonym) {
  Ok("partner add acme");
  Ok("partner add globex --anonymous");
  Ok("community add fin-isac");
  Ok("community join fin-isac acme globex");
  const std::string id = "domain-name--0b6f7c3e-3c4a-5d1e-9a47-1f0e2d3c4b5a";
  std::string object = R"({"type":"domain-name","spec_version":"2.1","id":")";
  object.append(id).append(R"(","value":"evil-login.com"})");
  CommandResult ingest =
      Run("ingest --partner globex --from stix --tlp green --community fin-isac -q -", object);
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  // acme reads globex's contribution under a pseudonym.
  core::Json shown = OkJson(std::string("show ") + id + " --as acme --json");
  const core::Json& provenance = At(shown, "provenance");
  ASSERT_TRUE(provenance.is_array() && provenance.as_array().size() == 1u)
      << core::WriteJson(shown);
  std::string pseudonym = Str(provenance.as_array()[0], "partner");
  ASSERT_FALSE(pseudonym.empty());
  ASSERT_EQ(pseudonym.find("globex"), std::string::npos) << pseudonym;
  const std::string quoted = std::string("'") + pseudonym + "'";

  EXPECT_EQ(Ok(std::string("audit resolve ") + quoted), "globex\n");
  core::Json resolved = OkJson(std::string("audit resolve --json ") + quoted);
  EXPECT_EQ(Str(resolved, "partner"), "globex");
  EXPECT_EQ(Str(resolved, "pseudonym"), pseudonym);
  CommandResult unknown = Run("audit resolve --json 'Anonymous partner 00000000'");
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  EXPECT_NE(unknown.out.find(R"("partner":null)"), std::string::npos) << unknown.out;

  std::string consumer = Str(OkJson("token issue acme --role consumer --json"), "token");
  std::string auditor = Str(OkJson("token issue acme --role auditor --json"), "token");
  CommandResult denied = Run(std::string("audit resolve --token ") + consumer + " " + quoted);
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
  EXPECT_TRUE(denied.out.empty()) << denied.out;
  EXPECT_EQ(Ok(std::string("audit resolve --token ") + auditor + " " + quoted), "globex\n");
  // Every resolution is audited, found or not; the refused one never got that far.
  EXPECT_EQ(AuditActions("--action pseudonym.resolve").size(), 4u);
}

TEST_F(GovernanceCliTest, RedactionRulesDecideWhatReadersSeeAsKeyedHashes) {
  Ok("community add c");
  Ok("partner add src --community c");
  Ok("partner add reader");
  Ok("community join c src reader");
  const std::string email = "email-addr--4c1ba5b3-7c39-5a0d-9d6d-2b5d1f7e8a10";
  std::string object = R"({"type":"email-addr","spec_version":"2.1","id":")";
  object.append(email).append(R"(","value":"alice@example.org"})");
  CommandResult ingest = Run("ingest --partner src --from stix -q -", object);
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  // The built-in rules: an e-mail address is personal data.
  EXPECT_EQ(Str(OkJson("redaction show --json"), "source"), "built-in");
  std::string hidden = Ok("query --as reader --json");
  EXPECT_EQ(hidden.find("alice@example.org"), std::string::npos) << hidden;
  EXPECT_NE(hidden.find("redacted:hmac-sha256:"), std::string::npos) << hidden;
  EXPECT_NE(Ok("query --json").find("alice@example.org"), std::string::npos)
      << "the operator sees it";

  // Rules that leave e-mail addresses out: the reader sees the value.
  fs::path rules = dir_ / "rules.toml";
  std::ofstream(rules) << "[[personal]]\ntype = \"user-account\"\nproperties = [\"user_id\"]\n";
  core::Json set = OkJson("redaction set --json " + rules.string());
  EXPECT_EQ(Str(set, "source"), "configured");
  EXPECT_NE(Ok("query --as reader --json").find("alice@example.org"), std::string::npos);

  // A bad file changes nothing and names its line.
  fs::path bad = dir_ / "bad.toml";
  std::ofstream(bad) << "[[personal]]\ntype = \"email-addr\"\nproperties = [\n";
  CommandResult refused = Run("redaction set " + bad.string());
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("bad.toml:"), std::string::npos) << refused.err;
  EXPECT_EQ(Str(OkJson("redaction show --json"), "source"), "configured");

  Ok("redaction reset");
  EXPECT_EQ(Ok("query --as reader --json").find("alice@example.org"), std::string::npos);
  EXPECT_EQ(AuditActions("--action redaction.").size(), 2u);
}

TEST_F(GovernanceCliTest, EachReaderCountsWhatTheTlpTableLetsItSee) {
  Ok("community add c");
  Ok("partner add src");
  Ok("partner add member");
  Ok("partner add stranger");
  Ok("community join c src member");
  auto ingest = [&](const std::string& value, const std::string& sharing) {
    CommandResult run = Run("ingest --partner src --from lines -q " + sharing + " -", value + "\n");
    ASSERT_EQ(run.exit_code, 0) << run.err;
  };
  ingest("clear-login.com", "--tlp clear");
  ingest("green-login.com", "--tlp green --community c");
  ingest("red-login.com", "--tlp red --recipient stranger");
  EXPECT_EQ(Ok("query --count"), "3\n");
  EXPECT_EQ(Ok("query --count --public"), "1\n");
  EXPECT_EQ(Ok("query --count --as member"), "2\n");
  EXPECT_EQ(Ok("query --count --as stranger"), "2\n");  // CLEAR, and RED naming it
  EXPECT_EQ(Int(OkJson("db stats --json --public"), "objects"), 1);
  CommandResult both = Run("query --count --public --as member");
  EXPECT_EQ(both.exit_code, 2) << both.err;
}

TEST_F(GovernanceCliTest, RetentionSetAndList) {
  core::Json set = OkJson("retention set indicator 90 --json");
  EXPECT_EQ(Str(set, "type"), "indicator");
  EXPECT_EQ(Int(set, "days"), 90);
  EXPECT_TRUE(At(set, "previous").is_null());
  EXPECT_TRUE(Bool(set, "changed"));
  Ok("retention set ipv4-addr 30");
  EXPECT_FALSE(Bool(OkJson("retention set indicator 90 --json"), "changed"));

  core::Json rules = OkJson("retention list --json");
  EXPECT_EQ(core::WriteJson(rules),
            R"([{"type":"indicator","days":90},{"type":"ipv4-addr","days":30}])");
  std::string text = Ok("retention list");
  EXPECT_NE(text.find("ipv4-addr"), std::string::npos) << text;

  core::Json cleared = OkJson("retention set indicator none --json");
  EXPECT_TRUE(At(cleared, "days").is_null());
  EXPECT_EQ(Int(cleared, "previous"), 90);
  EXPECT_EQ(core::WriteJson(OkJson("retention list --json")),
            R"([{"type":"ipv4-addr","days":30}])");

  EXPECT_EQ(Run("retention set Indicator 5").exit_code, 2);
  EXPECT_EQ(Run("retention set indicator 0").exit_code, 2);
  EXPECT_EQ(Run("retention set indicator soon").exit_code, 2);
  EXPECT_EQ(Run("retention set indicator").exit_code, 2);

  // Unchanged rules are not audited.
  core::Json entries = OkJson("audit show --action retention.set --json");
  ASSERT_TRUE(entries.is_array());
  ASSERT_EQ(entries.as_array().size(), 3u);
  EXPECT_EQ(Str(entries.as_array()[2], "target"), "retention:indicator");
  EXPECT_EQ(core::WriteJson(At(entries.as_array()[2], "details")),
            R"({"days":null,"previous":90})");
}

TEST_F(GovernanceCliTest, AuditVerifyIntactThenTampered) {
  Ok("partner add acme --retention-days 7");
  Ok("community add fin-isac");
  Ok("community join fin-isac acme");
  Ok("token issue acme --role consumer");
  Ok("retention set indicator 45");
  Ok("partner set acme --recognition");

  core::Json entries = OkJson("audit show --json");
  ASSERT_TRUE(entries.is_array());
  ASSERT_EQ(entries.as_array().size(), 6u);
  const core::Json& last = entries.as_array().back();
  std::string head = Str(last, "hash");
  EXPECT_EQ(Ok("audit verify"), std::string("intact: 6 entries, head ") + head + "\n");
  core::Json report = OkJson("audit verify --json");
  EXPECT_TRUE(Bool(report, "intact"));
  EXPECT_EQ(Int(report, "entries"), 6);
  EXPECT_EQ(Int(report, "head_seq"), 6);
  EXPECT_EQ(Str(report, "head_hash"), head);
  EXPECT_TRUE(At(report, "first_bad_seq").is_null());

  // The same length, another value: an edit of the file that SQLite reads back happily.
  const std::string original = R"({"days":45,"previous":null})";
  const std::string edited = R"({"days":46,"previous":null})";
  int64_t edited_seq = 0;
  for (const core::Json& e : entries.as_array()) {
    if (Str(e, "action") == "retention.set") edited_seq = Int(e, "seq");
  }
  ASSERT_EQ(edited_seq, 5);
  std::string bytes;
  {
    std::ifstream in(db_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  size_t edits = 0;
  for (size_t at = bytes.find(original); at != std::string::npos; at = bytes.find(original, at)) {
    bytes.replace(at, original.size(), edited);
    ++edits;
  }
  ASSERT_GT(edits, 0u) << "the audit entry is not in the database file";
  std::ofstream(db_, std::ios::binary | std::ios::trunc) << bytes;

  CommandResult broken = Run("audit verify --json");
  EXPECT_EQ(broken.exit_code, 1) << broken.out << broken.err;
  auto found = core::ParseJson(broken.out);
  ASSERT_TRUE(found.ok()) << broken.out;
  EXPECT_FALSE(Bool(*found, "intact"));
  EXPECT_EQ(Int(*found, "first_bad_seq"), edited_seq);
  EXPECT_FALSE(Str(*found, "reason").empty());
  CommandResult text = Run("audit verify");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("seq 5"), std::string::npos) << text.out;
}

TEST_F(GovernanceCliTest, DbPurgeRemovesExpiredReports) {
  {
    auto opened = store::OpenStore(db_);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store::Batch batch;
    batch.source = {"acme", "stix", "acme.json", 0, kT0};
    auto sco = [](const char* id, const char* value) {
      store::Submission s;
      s.object.type = "domain-name";
      s.object.id = id;
      s.object.spec_version = "2.1";
      s.object.json = std::string(R"({"type":"domain-name","spec_version":"2.1","id":")")
                          .append(id)
                          .append(R"(","value":")")
                          .append(value)
                          .append("\"}");
      s.position = "@byte 0";
      s.decision.tlp = "amber";
      return s;
    };
    store::Submission expiring =
        sco("domain-name--0d1e2f3a-4b5c-5d6e-8f7a-8b9c0d1e2f3a", "expired.example");
    expiring.decision.expires = kT0 + 86'400'000'000;  // 2024-03-02
    batch.objects.push_back(std::move(expiring));
    batch.objects.push_back(
        sco("domain-name--1e2f3a4b-5c6d-5e7f-9a8b-9c0d1e2f3a4b", "kept.example"));
    auto put = (*opened)->Put(batch);
    ASSERT_TRUE(put.ok()) << put.error().ToString();
    ASSERT_EQ(put->new_objects, 2u);
  }
  // A grace longer than the time since expiry keeps everything.
  core::Json kept = OkJson("db purge --grace 36500 --json");
  EXPECT_EQ(Int(kept, "grace_days"), 36500);
  EXPECT_EQ(Int(kept, "reports"), 0);
  EXPECT_EQ(Int(kept, "objects"), 0);

  core::Json purged = OkJson("db purge --json");
  EXPECT_EQ(Int(purged, "grace_days"), 30);
  EXPECT_EQ(Int(purged, "reports"), 1);
  EXPECT_EQ(Int(purged, "objects"), 1);
  EXPECT_EQ(Int(purged, "versions"), 1);
  EXPECT_EQ(Int(OkJson("db stats --json"), "objects"), 1);
  std::string again = Ok("db purge");
  EXPECT_NE(again.find("purged 0 reports, 0 objects, 0 versions"), std::string::npos) << again;

  core::Json entries = OkJson("audit show --action db.purge --json");
  ASSERT_TRUE(entries.is_array());
  ASSERT_EQ(entries.as_array().size(), 3u);
  const core::Json& details = At(entries.as_array()[1], "details");
  EXPECT_EQ(Int(details, "reports"), 1);
  EXPECT_EQ(Int(details, "objects"), 1);
  EXPECT_EQ(Run("db purge --grace -1").exit_code, 2);
  EXPECT_EQ(Tessera(std::string("db purge --db ") + (dir_ / "missing.db").string()).exit_code, 3);
}

}  // namespace
}  // namespace tessera
