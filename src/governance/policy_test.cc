// The Policy on both store backends: the exhaustive visibility matrix (every
// reader × every read path over generated partners, communities, TLP levels,
// recipients, expiry and object kinds with references across levels),
// pseudonymous contribution, redaction, and audit-log tampering.
#include "governance/policy.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/time.h"
#include "governance/audit_log.h"
#include "governance/pseudonym.h"
#include "store/registry.h"
#include "store/sql/connection.h"
#include "testing/postgres.h"
#include "testing/test_store.h"
#include "testing/stix_object.h"

namespace tessera::governance {
namespace {

using store::Micros;

constexpr Micros kDay = 86'400'000'000;

Micros Now() { return store::NowMicros(); }

stix::StixObject Obj(std::string_view json_text) { return testing::StixObjectFromJson(json_text); }

// "type--00000000-0000-4000-8000-0000000000NN"
std::string Id(std::string_view type, int n) {
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", n);
  return std::string(type).append("--").append(uuid);
}

constexpr std::string_view kTimes =
    R"("created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z")";

// One submission as the test states it, and what the TLP table says of it.
struct Sharing {
  std::string contributor;
  std::string tlp;
  std::vector<std::string> communities;
  std::vector<std::string> recipients;
};

// The world of the matrix: partners and who is in which community.
const std::vector<std::string> kPartners = {"p0", "p1", "p2", "p3", "old"};
const std::map<std::string, std::vector<std::string>> kCommunities = {
    {"c1", {"p0", "p1"}}, {"c2", {"p1", "p2"}}};
// "old" keeps its data 5 days; its reports were received 10 days ago: expired.
constexpr char kExpiredPartner[] = "old";

// A reader: "" is the public, "*" the operator, else a partner.
const std::vector<std::string> kReaders = {"*", "", "p0", "p1", "p2", "p3", "old"};

// The oracle: the TLP 2.0 table applied by hand.
bool Admits(const Sharing& s, const std::string& reader) {
  if (reader == "*") return true;
  if (s.contributor == kExpiredPartner) return false;
  if (s.tlp == "clear") return true;
  if (reader.empty()) return false;
  if (reader == s.contributor) return true;
  for (const std::string& r : s.recipients) {
    if (r == reader) return true;
  }
  if (s.tlp == "red") return false;
  for (const std::string& c : s.communities) {
    for (const std::string& member : kCommunities.at(c)) {
      if (member == reader) return true;
    }
  }
  return false;
}

struct Expected {
  std::string type;
  std::vector<Sharing> reports;
  std::vector<std::string> ends;  // ids a relationship or sighting reveals
  bool invalid = false;           // valid_until passed
};

class PolicyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") TESSERA_REQUIRE_POSTGRES();
    auto test_store = testing::TestStore::Create(GetParam());
    ASSERT_TRUE(test_store.ok()) << test_store.error().ToString();
    test_store_ = std::move(*test_store);
    url_ = test_store_->url();
    auto s = store::OpenStore(url_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
    auto p = Policy::Open(*store_);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    policy_ = std::move(*p);
  }

  void TearDown() override {
    policy_.reset();
    store_.reset();
    test_store_.reset();
  }

  void AddPartner(const std::string& name, bool anonymous = false,
                  std::optional<int64_t> retention = {}, bool personal_data = false) {
    store::PartnerRecord p;
    p.name = name;
    p.identity_id = Id("identity", 900000 + static_cast<int>(partners_added_++));
    p.default_tlp = "amber";
    p.anonymous = anonymous;
    p.retention_days = retention;
    p.personal_data = personal_data;
    p.created = Now();
    ASSERT_TRUE(policy_->registry().AddPartner(p).ok());
  }

  void AddCommunity(const std::string& name, const std::vector<std::string>& members) {
    store::CommunityRecord c;
    c.name = name;
    c.created = Now();
    ASSERT_TRUE(policy_->registry().AddCommunity(c).ok());
    for (const std::string& m : members) {
      ASSERT_TRUE(policy_->registry().Join(name, m, Now()).ok());
    }
  }

  void SetUpWorld() {
    for (const std::string& p : kPartners) {
      AddPartner(p, false, p == kExpiredPartner ? std::optional<int64_t>(5) : std::nullopt);
    }
    for (const auto& [name, members] : kCommunities) AddCommunity(name, members);
  }

  // Submits objects as one partner with one sharing request, deciding through the Policy.
  void Submit(const Sharing& s, const std::vector<std::string>& objects, Micros received) {
    store::Batch batch;
    batch.source.partner = s.contributor;
    batch.source.format = "stix";
    batch.source.file = s.contributor + "-" + s.tlp + ".json";
    batch.source.received = received;
    int line = 1;
    for (const std::string& json : objects) {
      store::Submission sub;
      sub.object = Obj(json);
      sub.position = ":" + std::to_string(line++);
      sub.sharing.tlp = s.tlp;
      sub.sharing.communities = s.communities;
      sub.sharing.recipients = s.recipients;
      auto outcome = policy_->Decide(sub.object, sub.sharing, s.contributor, received);
      ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
      sub.decision = outcome->decision;
      batch.objects.push_back(std::move(sub));
    }
    auto put = store_->Put(batch);
    ASSERT_TRUE(put.ok()) << put.error().ToString();
  }

  Reader ReaderFor(const std::string& name) {
    if (name == "*") return Policy::Operator();
    if (name.empty()) return Policy::Public();
    auto r = policy_->AsPartner(name);
    EXPECT_TRUE(r.ok());
    return *r;
  }

  std::string url_;
  std::unique_ptr<testing::TestStore> test_store_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Policy> policy_;
  size_t partners_added_ = 0;
};

// Every sharing a submission can ask for in this world.
std::vector<Sharing> AllSharings(const std::string& contributor) {
  std::vector<Sharing> out;
  const std::vector<std::vector<std::string>> community_sets = {{}, {"c1"}, {"c2"}, {"c1", "c2"}};
  const std::vector<std::vector<std::string>> recipient_sets = {{}, {"p2"}};
  for (const char* tlp : {"clear", "green", "amber", "amber+strict", "red"}) {
    for (const auto& communities : community_sets) {
      for (const auto& recipients : recipient_sets) {
        out.push_back({contributor, tlp, communities, recipients});
      }
    }
  }
  return out;
}

TEST_P(PolicyTest, EveryReaderSeesExactlyWhatTheTlpTableAllowsOnEveryReadPath) {
  SetUpWorld();
  const Micros now = Now();
  std::map<std::string, Expected> expected;  // id -> what the oracle needs
  int n = 0;

  // 1. SCOs, indicators (valid and past valid_until) and SDOs, one per
  //    (contributor, TLP, communities, recipients).
  for (const std::string& contributor : {std::string("p0"), std::string("p3"),
                                         std::string(kExpiredPartner)}) {
    Micros received = contributor == kExpiredPartner ? now - 10 * kDay : now - kDay;
    for (const Sharing& s : AllSharings(contributor)) {
      ++n;
      std::string domain = Id("domain-name", n);
      std::string indicator = Id("indicator", n);
      std::string stale = Id("indicator", 500000 + n);
      std::string malware = Id("malware", n);
      std::string name = "m" + std::to_string(n);
      Submit(s,
             {R"({"type":"domain-name","spec_version":"2.1","id":")" + domain +
                  R"(","value":"d)" + std::to_string(n) + R"(.example"})",
              R"({"type":"indicator","spec_version":"2.1","id":")" + indicator + "\"," +
                  std::string(kTimes) + R"(,"pattern":"[ipv4-addr:value = '10.0.)" +
                  std::to_string(n / 250) + "." + std::to_string(n % 250) +
                  R"(']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})",
              R"({"type":"indicator","spec_version":"2.1","id":")" + stale + "\"," +
                  std::string(kTimes) + R"(,"pattern":"[url:value = 'http://s)" +
                  std::to_string(n) +
                  R"(.example/']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z",)"
                  R"("valid_until":"2024-06-01T00:00:00Z"})",
              R"({"type":"malware","spec_version":"2.1","id":")" + malware + "\"," +
                  std::string(kTimes) + R"(,"name":")" + name + R"(","is_family":true})"},
             received);
      expected[domain] = {"domain-name", {s}, {}, false};
      expected[indicator] = {"indicator", {s}, {}, false};
      expected[stale] = {"indicator", {s}, {}, true};
      expected[malware] = {"malware", {s}, {}, false};
    }
  }

  // 2. Relationships and sightings: every level of the object × every level of
  //    each end (p1's levels, so readers differ on every axis).
  const std::vector<Sharing> levels = {{"p1", "clear", {}, {}},
                                       {"p1", "green", {"c1"}, {}},
                                       {"p1", "amber", {"c2"}, {}},
                                       {"p1", "amber+strict", {"c1"}, {}},
                                       {"p1", "red", {}, {"p2"}}};
  std::vector<std::string> ind_at, ident_at;
  for (const Sharing& level : levels) {
    ++n;
    std::string indicator = Id("indicator", n);
    std::string identity = Id("identity", n);
    Submit(level,
           {R"({"type":"indicator","spec_version":"2.1","id":")" + indicator + "\"," +
                std::string(kTimes) + R"(,"pattern":"[domain-name:value = 'end)" +
                std::to_string(n) +
                R"(.example']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"})",
            R"({"type":"identity","spec_version":"2.1","id":")" + identity + "\"," +
                std::string(kTimes) + R"(,"name":"victim )" + std::to_string(n) +
                R"(","identity_class":"organization"})"},
           now - kDay);
    expected[indicator] = {"indicator", {level}, {}, false};
    expected[identity] = {"identity", {level}, {}, false};
    ind_at.push_back(indicator);
    ident_at.push_back(identity);
  }
  // Relationships with the same ends and type merge; one type per level of
  // the relationship itself keeps them apart.
  const std::vector<std::string> types = {"related-to", "indicates", "uses", "targets",
                                          "based-on"};
  for (size_t level = 0; level < levels.size(); ++level) {
    const Sharing& own = levels[level];
    for (size_t a = 0; a < levels.size(); ++a) {
      for (size_t b = 0; b < levels.size(); ++b) {
        ++n;
        std::string rel = Id("relationship", n);
        std::string sighting = Id("sighting", n);
        Submit(own,
               {R"({"type":"relationship","spec_version":"2.1","id":")" + rel + "\"," +
                    std::string(kTimes) + R"(,"relationship_type":")" + types[level] +
                    R"(","source_ref":")" +
                    ind_at[a] + R"(","target_ref":")" + ident_at[b] + "\"}",
                R"({"type":"sighting","spec_version":"2.1","id":")" + sighting + "\"," +
                    std::string(kTimes) + R"(,"sighting_of_ref":")" + ind_at[a] +
                    R"(","where_sighted_refs":[")" + ident_at[b] + "\"]}"},
               now - kDay);
        expected[rel] = {"relationship", {own}, {ind_at[a], ident_at[b]}, false};
        expected[sighting] = {"sighting", {own}, {ind_at[a], ident_at[b]}, false};
      }
    }
  }

  // Reports at every level, each referring to the indicators of every level:
  // a reader sees only the references it may follow.
  for (const Sharing& level : levels) {
    ++n;
    std::string report = Id("report", n);
    std::string refs;
    for (const std::string& ind : ind_at) refs.append(refs.empty() ? "\"" : ",\"").append(ind).append("\"");
    Submit(level,
           {R"({"type":"report","spec_version":"2.1","id":")" + report + "\"," +
            std::string(kTimes) + R"(,"name":"r)" + std::to_string(n) +
            R"(","published":"2024-01-01T00:00:00Z","object_refs":[)" + refs + "]}"},
           now - kDay);
    expected[report] = {"report", {level}, {}, false};
  }

  // 3. Pooled SCOs: three contributors, each absent or at one of three levels.
  const std::vector<std::optional<Sharing>> pool_levels = {
      std::nullopt, Sharing{"", "red", {}, {}}, Sharing{"", "green", {"c2"}, {}},
      Sharing{"", "clear", {}, {}}};
  const std::vector<std::string> pool_partners = {"p0", "p2", std::string(kExpiredPartner)};
  for (size_t i = 1; i < 64; ++i) {
    ++n;
    std::string domain = Id("domain-name", n);
    std::string json = R"({"type":"domain-name","spec_version":"2.1","id":")" + domain +
                       R"(","value":"pool)" + std::to_string(n) + R"(.example"})";
    Expected e{"domain-name", {}, {}, false};
    for (size_t k = 0; k < 3; ++k) {
      const auto& level = pool_levels[(i >> (2 * k)) & 3];
      if (!level) continue;
      Sharing s = *level;
      s.contributor = pool_partners[k];
      Submit(s, {json},
             s.contributor == kExpiredPartner ? now - 10 * kDay : now - kDay);
      e.reports.push_back(s);
    }
    expected[domain] = e;
  }

  // The oracle for one reader.
  auto admitted_reports = [&](const Expected& e, const std::string& reader) {
    std::vector<Sharing> out;
    for (const Sharing& s : e.reports) {
      if (Admits(s, reader)) out.push_back(s);
    }
    return out;
  };
  auto visible = [&](const std::string& id, const std::string& reader) {
    const Expected& e = expected.at(id);
    if (admitted_reports(e, reader).empty()) return false;
    if (reader != "*" && e.invalid) return false;
    for (const std::string& end : e.ends) {
      if (admitted_reports(expected.at(end), reader).empty()) return false;
    }
    return true;
  };

  for (const std::string& name : kReaders) {
    SCOPED_TRACE("reader '" + name + "'");
    Reader reader = ReaderFor(name);
    std::set<std::string> want;
    std::map<std::string, uint64_t> want_by_type;
    for (const auto& [id, e] : expected) {
      if (visible(id, name)) {
        want.insert(id);
        ++want_by_type[e.type];
      }
    }

    // Search, page by page (a small page exercises the cursor).
    std::set<std::string> got;
    store::Query q;
    q.limit = 97;
    while (true) {
      auto page = policy_->Search(reader, q);
      ASSERT_TRUE(page.ok()) << page.error().ToString();
      for (const store::StoredObject& o : page->objects) {
        EXPECT_TRUE(got.insert(o.id).second) << "repeated " << o.id;
      }
      if (page->next.empty()) break;
      q.cursor = page->next;
    }
    EXPECT_EQ(got, want);

    // Counts: all, and per type.
    auto count = policy_->Count(reader, store::Query{});
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, want.size());
    for (const char* type : {"domain-name", "indicator", "malware", "identity", "relationship",
                             "sighting", "report"}) {
      store::Query by_type;
      by_type.types = {type};
      auto c = policy_->Count(reader, by_type);
      ASSERT_TRUE(c.ok());
      EXPECT_EQ(*c, want_by_type[type]) << type;
    }

    // Stats.
    auto stats = policy_->Stats(reader);
    ASSERT_TRUE(stats.ok()) << stats.error().ToString();
    EXPECT_EQ(stats->objects, want.size());

    // Partner filter: only reports the reader sees.
    for (const std::string& contributor : {std::string("p0"), std::string("p2")}) {
      store::Query by_partner;
      by_partner.partners = {contributor};
      by_partner.types = {"domain-name"};
      uint64_t want_n = 0;
      for (const auto& [id, e] : expected) {
        if (e.type != "domain-name" || !visible(id, name)) continue;
        for (const Sharing& s : admitted_reports(e, name)) {
          if (s.contributor == contributor) {
            ++want_n;
            break;
          }
        }
      }
      auto c = policy_->Count(reader, by_partner);
      ASSERT_TRUE(c.ok());
      EXPECT_EQ(*c, want_n) << "--partner " << contributor;
    }

    // Every object by id: get, versions, provenance and aggregates.
    for (const auto& [id, e] : expected) {
      SCOPED_TRACE(id);
      bool see = want.count(id) > 0;
      auto object = policy_->Get(reader, id);
      ASSERT_TRUE(object.ok());
      EXPECT_EQ(object->has_value(), see);
      auto versions = policy_->Versions(reader, id);
      ASSERT_TRUE(versions.ok());
      EXPECT_EQ(versions->size(), see ? 1u : 0u);
      auto provenance = policy_->Provenance(reader, id);
      ASSERT_TRUE(provenance.ok());
      auto aggregates = policy_->AggregatesOf(reader, id);
      ASSERT_TRUE(aggregates.ok());
      if (!see) {
        EXPECT_TRUE(provenance->empty());
        EXPECT_FALSE(aggregates->has_value());
        continue;
      }
      if (e.type == "report") {
        // object_refs: exactly the indicators this reader sees.
        std::set<std::string> want_refs, got_refs;
        for (const std::string& ind : ind_at) {
          if (visible(ind, name)) want_refs.insert(ind);
        }
        auto json = core::ParseJson((*object)->json);
        ASSERT_TRUE(json.ok());
        const core::Json* refs = json->Find("object_refs");
        ASSERT_NE(refs, nullptr);
        for (const core::Json& r : refs->as_array()) got_refs.insert(r.as_string());
        EXPECT_EQ(got_refs, want_refs);
      }
      std::vector<Sharing> reports = admitted_reports(e, name);
      std::multiset<std::string> want_partners, got_partners;
      for (const Sharing& s : reports) want_partners.insert(s.contributor);
      for (const store::ProvenanceRecord& r : *provenance) got_partners.insert(r.partner);
      EXPECT_EQ(got_partners, want_partners);
      ASSERT_TRUE(aggregates->has_value());
      EXPECT_EQ((*aggregates)->partners, std::set<std::string>(want_partners.begin(),
                                                               want_partners.end()).size());
      EXPECT_EQ((*aggregates)->reports, reports.size());
    }
  }
}

TEST_P(PolicyTest, AnonymousContributorsAppearUnderPseudonymsOnEveryReadPath) {
  AddPartner("ghost", /*anonymous=*/true);
  AddPartner("reader");
  AddPartner("auditor");
  AddCommunity("c1", {"ghost", "reader"});
  auto ghost = policy_->registry().GetPartner("ghost");
  ASSERT_TRUE(ghost.ok() && *ghost);
  const std::string identity = (*ghost)->identity_id;
  const std::string own_org = Id("identity", 77);  // the identity its own data carries
  Submit({"ghost", "green", {"c1"}, {}},
         {R"({"type":"identity","spec_version":"2.1","id":")" + own_org + "\"," +
              std::string(kTimes) + R"(,"name":"Ghost Bank CERT","identity_class":"organization"})",
          R"({"type":"indicator","spec_version":"2.1","id":")" + Id("indicator", 1) + "\"," +
              std::string(kTimes) + R"(,"created_by_ref":")" + own_org +
              R"(","pattern":"[ipv4-addr:value = '192.0.2.7']","pattern_type":"stix",)"
              R"("valid_from":"2024-01-01T00:00:00Z"})",
          R"({"type":"malware","spec_version":"2.1","id":")" + Id("malware", 2) + "\"," +
              std::string(kTimes) + R"(,"created_by_ref":")" + identity +
              R"(","name":"ghostware","is_family":true})"},
         Now());

  Reader reader = ReaderFor("reader");
  Pseudonym expected = PseudonymFor(policy_->hub_key(), "ghost", "c1");
  std::string everything;  // every byte the reader got
  auto page = policy_->Search(reader, store::Query{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 3u);
  for (const store::StoredObject& o : page->objects) everything.append(o.id).append(o.json);
  for (const std::string& id : {own_org, Id("indicator", 1), Id("malware", 2)}) {
    auto provenance = policy_->Provenance(reader, id);
    ASSERT_TRUE(provenance.ok());
    ASSERT_EQ(provenance->size(), 1u);
    EXPECT_EQ(provenance->front().partner, expected.name);
    for (const store::ProvenanceRecord& r : *provenance) {
      everything.append(r.partner).append(r.file).append(r.position);
      for (const std::string& k : r.decision.audience) everything.append(k);
    }
    auto got = policy_->Get(reader, id);
    ASSERT_TRUE(got.ok() && *got);
    everything.append((*got)->id).append((*got)->json);
    auto aggregates = policy_->AggregatesOf(reader, id);
    ASSERT_TRUE(aggregates.ok() && *aggregates);
    EXPECT_EQ((*aggregates)->partners, 1u);
    for (const std::string& merged : (*aggregates)->merged_ids) everything.append(merged);
  }
  EXPECT_EQ(everything.find("ghost\""), std::string::npos) << everything;
  EXPECT_EQ(everything.find("p:ghost"), std::string::npos);
  EXPECT_EQ(everything.find("Ghost Bank"), std::string::npos);
  EXPECT_EQ(everything.find(identity), std::string::npos);
  EXPECT_EQ(everything.find(own_org), std::string::npos);
  EXPECT_NE(everything.find(expected.identity_id), std::string::npos);
  // Asking by the real name finds nothing.
  store::Query by_partner;
  by_partner.partners = {"ghost"};
  auto c = policy_->Count(reader, by_partner);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, 0u);

  // The contributor sees its own name.
  auto self = policy_->Provenance(ReaderFor("ghost"), Id("malware", 2));
  ASSERT_TRUE(self.ok() && !self->empty());
  EXPECT_EQ(self->front().partner, "ghost");

  // Only an auditor resolves it, and that is audited.
  EXPECT_FALSE(policy_->ResolvePseudonym(reader, expected.name).ok());
  Reader auditor = ReaderFor("auditor");
  auditor.roles = {Role::kAuditor};
  auto resolved = policy_->ResolvePseudonym(auditor, expected.name);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->value_or(""), "ghost");
  store::AuditFilter filter;
  filter.action = "pseudonym.resolve";
  auto entries = policy_->audit().List(filter);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 1u);
}

TEST_P(PolicyTest, PersonalDataIsAKeyedHashForReadersNotEntitledToIt) {
  AddPartner("src");
  AddPartner("plain");
  AddPartner("entitled", false, std::nullopt, /*personal_data=*/true);
  AddCommunity("c", {"src", "plain", "entitled"});
  Submit({"src", "green", {"c"}, {}},
         {R"({"type":"email-addr","spec_version":"2.1","id":")" + Id("email-addr", 1) +
              R"(","value":"alice@example.org"})",
          R"({"type":"email-message","spec_version":"2.1","id":")" + Id("email-message", 2) +
              R"(","is_multipart":false,"from_ref":")" + Id("email-addr", 1) + "\"}"},
         Now());
  auto plain = policy_->Get(ReaderFor("plain"), Id("email-addr", 1));
  ASSERT_TRUE(plain.ok() && *plain);
  EXPECT_EQ((*plain)->json.find("alice@example.org"), std::string::npos) << (*plain)->json;
  EXPECT_NE((*plain)->json.find("redacted:hmac-sha256:"), std::string::npos);
  EXPECT_NE((*plain)->id, Id("email-addr", 1));
  // The message refers to the redacted id: references stay consistent.
  auto message = policy_->Get(ReaderFor("plain"), Id("email-message", 2));
  ASSERT_TRUE(message.ok() && *message);
  EXPECT_NE((*message)->json.find((*plain)->id), std::string::npos);
  auto entitled = policy_->Get(ReaderFor("entitled"), Id("email-addr", 1));
  ASSERT_TRUE(entitled.ok() && *entitled);
  EXPECT_NE((*entitled)->json.find("alice@example.org"), std::string::npos);
}

TEST_P(PolicyTest, ATokenIsRefusedOnceRevokedOrExpiredAndEveryAttemptIsAudited) {
  AddPartner("p");
  IssuedToken issued = IssueToken();
  store::TokenRecord record;
  record.id = issued.id;
  record.partner = "p";
  record.roles = {"consumer"};
  record.hash = issued.hash;
  record.created = Now();
  record.expires = Now() + kDay;
  ASSERT_TRUE(policy_->registry().AddToken(record).ok());
  auto ok = policy_->Authenticate(issued.text, Now());
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->partner, "p");
  EXPECT_FALSE(policy_->Authenticate(issued.text + "x", Now()).ok());
  EXPECT_FALSE(policy_->Authenticate(issued.text, Now() + 2 * kDay).ok());
  ASSERT_TRUE(policy_->registry().RevokeToken(issued.id, Now()).ok());
  auto revoked = policy_->Authenticate(issued.text, Now());
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().code, core::ErrorCode::kPermissionDenied);
  store::AuditFilter filter;
  filter.action = "auth.";
  auto entries = policy_->audit().List(filter);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].action, "auth.success");
  EXPECT_EQ((*entries)[3].action, "auth.failure");
}

// Tampering with the audit table directly: verify names the first bad entry.
TEST_P(PolicyTest, AuditVerifyFindsModifiedDeletedInsertedAndReorderedEntries) {
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(policy_->audit().Append("operator", "test", "t" + std::to_string(i)).ok());
  }
  auto intact = policy_->audit().Verify();
  ASSERT_TRUE(intact.ok());
  EXPECT_TRUE(intact->intact) << intact->reason;
  EXPECT_EQ(intact->entries, 10u);

  auto raw = [&]() {
    auto c = GetParam() == "postgresql" ? store::sql::OpenPostgres(url_)
                                         : store::sql::OpenSqlite(url_);
    EXPECT_TRUE(c.ok());
    return std::move(*c);
  };
  auto expect_bad_at = [&](int64_t seq) {
    auto report = policy_->audit().Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_FALSE(report->intact);
    EXPECT_EQ(report->first_bad_seq, seq) << report->reason;
  };
  auto restore = [&]() {
    // Back to a clean chain of 10 for the next case.
    auto c = raw();
    ASSERT_TRUE(c->Execute("DELETE FROM audit_log").ok());
    ASSERT_TRUE(c->Execute("DELETE FROM settings WHERE name = 'audit_head'").ok());
    c.reset();
    for (int i = 1; i <= 10; ++i) {
      ASSERT_TRUE(policy_->audit().Append("operator", "test", "t" + std::to_string(i)).ok());
    }
  };

  // Modified: entry 4's target.
  ASSERT_TRUE(raw()->Execute("UPDATE audit_log SET target = 'forged' WHERE seq = 4").ok());
  expect_bad_at(4);
  restore();
  // Deleted: entry 6.
  ASSERT_TRUE(raw()->Execute("DELETE FROM audit_log WHERE seq = 6").ok());
  expect_bad_at(7);
  restore();
  // Inserted: a copy of entry 5 between 5 and 6 (seqs shifted up from 6).
  {
    auto c = raw();
    ASSERT_TRUE(c->Execute("UPDATE audit_log SET seq = seq + 100 WHERE seq > 5").ok());
    ASSERT_TRUE(c->Execute("UPDATE audit_log SET seq = seq - 99 WHERE seq > 100").ok());
    ASSERT_TRUE(c->Execute("INSERT INTO audit_log (seq, time, actor, action, target, details, "
                           "prev_hash, hash) SELECT 6, time, actor, action, 'inserted', details, "
                           "prev_hash, hash FROM audit_log WHERE seq = 5")
                    .ok());
  }
  expect_bad_at(6);
  restore();
  // Reordered: entries 3 and 5 swap places.
  {
    auto c = raw();
    ASSERT_TRUE(c->Execute("UPDATE audit_log SET seq = 1000 WHERE seq = 3").ok());
    ASSERT_TRUE(c->Execute("UPDATE audit_log SET seq = 3 WHERE seq = 5").ok());
    ASSERT_TRUE(c->Execute("UPDATE audit_log SET seq = 5 WHERE seq = 1000").ok());
  }
  expect_bad_at(3);
  restore();
  // Truncated: the last entry removed.
  ASSERT_TRUE(raw()->Execute("DELETE FROM audit_log WHERE seq = 10").ok());
  expect_bad_at(10);
}

INSTANTIATE_TEST_SUITE_P(Backends, PolicyTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

}  // namespace
}  // namespace tessera::governance
