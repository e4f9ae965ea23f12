// The store's conformance suite: every case runs on SQLite (a real file) and on
// PostgreSQL (a real server; a fresh database per test, see tests/testing/postgres.h).
#include "store/store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "core/json.h"
#include "testing/postgres.h"
#include "testing/test_store.h"
#include "testing/stix_object.h"

namespace tessera::store {
namespace {

constexpr Micros kDay = 86'400'000'000;
constexpr Micros kT0 = 1'700'000'000'000'000;  // 2023-11-14

stix::StixObject Obj(std::string_view json_text) { return testing::StixObjectFromJson(json_text); }

std::string Domain(std::string_view value, std::string_view id_suffix) {
  std::string json = R"({"type":"domain-name","spec_version":"2.1","id":"domain-name--)";
  json.append(id_suffix).append(R"(","value":")").append(value).append("\"}");
  return json;
}

std::string Ip(std::string_view value, std::string_view id_suffix) {
  std::string json = R"({"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--)";
  json.append(id_suffix).append(R"(","value":")").append(value).append("\"}");
  return json;
}

std::string Indicator(std::string_view id_suffix, std::string_view pattern,
                      std::string_view modified = "2024-01-01T00:00:00.000Z",
                      std::string_view extra = "") {
  std::string json = R"({"type":"indicator","spec_version":"2.1","id":"indicator--)";
  json.append(id_suffix)
      .append(R"(","created":"2024-01-01T00:00:00.000Z","modified":")")
      .append(modified)
      .append(R"(","pattern_type":"stix","pattern":")")
      .append(pattern)
      .append(R"(","valid_from":"2024-01-01T00:00:00Z")")
      .append(extra)
      .append("}");
  return json;
}

std::string Named(std::string_view type, std::string_view id_suffix, std::string_view name,
                  std::string_view aliases = "") {
  std::string json = R"({"type":")";
  json.append(type)
      .append(R"(","spec_version":"2.1","id":")")
      .append(type)
      .append("--")
      .append(id_suffix)
      .append(R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":")")
      .append(name)
      .append("\"");
  if (!aliases.empty()) json.append(R"(,"aliases":)").append(aliases);
  if (type == "malware") json.append(R"(,"is_family":true)");
  json.append("}");
  return json;
}

std::string Relationship(std::string_view id_suffix, std::string_view source,
                         std::string_view type, std::string_view target) {
  std::string json = R"({"type":"relationship","spec_version":"2.1","id":"relationship--)";
  json.append(id_suffix)
      .append(R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",)")
      .append(R"("relationship_type":")")
      .append(type)
      .append(R"(","source_ref":")")
      .append(source)
      .append(R"(","target_ref":")")
      .append(target)
      .append("\"}");
  return json;
}

constexpr char kU1[] = "11111111-1111-4111-8111-111111111111";
constexpr char kU2[] = "22222222-2222-4222-8222-222222222222";
constexpr char kU3[] = "33333333-3333-4333-8333-333333333333";
constexpr char kU4[] = "44444444-4444-4444-8444-444444444444";
constexpr char kU5[] = "55555555-5555-4555-8555-555555555555";

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") TESSERA_REQUIRE_POSTGRES();
    auto test_store = testing::TestStore::Create(GetParam());
    ASSERT_TRUE(test_store.ok()) << test_store.error().ToString();
    test_store_ = std::move(*test_store);
    url_ = test_store_->url();
    Reopen();
  }

  void TearDown() override {
    store_.reset();
    test_store_.reset();
  }

  void Reopen() {
    store_.reset();
    auto s = OpenStore(url_);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(*s);
  }

  PutStats Put(std::string_view partner, const std::vector<std::string>& objects,
               Micros received = kT0, std::string_view file = "feed.json") {
    Batch batch;
    batch.source.partner = std::string(partner);
    batch.source.format = "stix";
    batch.source.file = std::string(file);
    batch.source.received = received;
    int line = 1;
    for (const std::string& json : objects) {
      Submission sub;
      sub.object = Obj(json);
      sub.position = std::string(file) + ":" + std::to_string(line++);
      batch.objects.push_back(std::move(sub));
    }
    auto stats = store_->Put(batch);
    EXPECT_TRUE(stats.ok()) << stats.error().ToString();
    return stats.ok() ? *stats : PutStats{};
  }

  std::vector<std::string> Ids(const Query& q) {
    std::vector<std::string> ids;
    Query page_query = q;
    while (true) {
      auto page = store_->Search(page_query);
      EXPECT_TRUE(page.ok()) << page.error().ToString();
      if (!page.ok()) break;
      for (const StoredObject& o : page->objects) ids.push_back(o.id);
      if (page->next.empty()) break;
      page_query.cursor = page->next;
    }
    return ids;
  }

  uint64_t CountOf(const Query& q) {
    auto n = store_->Count(q);
    EXPECT_TRUE(n.ok()) << n.error().ToString();
    return n.ok() ? *n : 0;
  }

  std::string url_;
  std::unique_ptr<testing::TestStore> test_store_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, NewObjectIsStoredAndReadBack) {
  PutStats stats = Put("cert-a", {Domain("evil.example", kU1)});
  EXPECT_EQ(stats.new_objects, 1u);
  auto got = store_->Get(std::string("domain-name--") + kU1);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(*got);
  EXPECT_EQ((*got)->type, "domain-name");
  EXPECT_NE((*got)->json.find("evil.example"), std::string::npos);
  EXPECT_TRUE((*got)->latest);
  auto missing = store_->Get(std::string("domain-name--") + kU2);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

TEST_P(StoreTest, ReingestChangesOnlyLastSeenAndReportCounts) {
  std::vector<std::string> batch = {Domain("evil.example", kU1), Indicator(kU2, "[domain-name:value = 'evil.example']"),
                                    Named("malware", kU3, "Emotet")};
  Put("cert-a", batch, kT0);
  auto stats_before = store_->Stats();
  ASSERT_TRUE(stats_before.ok());
  PutStats again = Put("cert-a", batch, kT0 + kDay);
  EXPECT_EQ(again.new_objects, 0u);
  EXPECT_EQ(again.updated, 0u);
  EXPECT_EQ(again.duplicates, 3u);
  auto stats_after = store_->Stats();
  ASSERT_TRUE(stats_after.ok());
  EXPECT_EQ(stats_after->objects, stats_before->objects);
  EXPECT_EQ(stats_after->versions, stats_before->versions);
  EXPECT_EQ(stats_after->provenance, stats_before->provenance);
  auto agg = store_->AggregatesOf(std::string("indicator--") + kU2);
  ASSERT_TRUE(agg.ok() && *agg);
  EXPECT_EQ((*agg)->first_seen, kT0);
  EXPECT_EQ((*agg)->last_seen, kT0 + kDay);
  EXPECT_EQ((*agg)->reports, 2u);
  EXPECT_EQ((*agg)->partners, 1u);
  auto prov = store_->Provenance(std::string("indicator--") + kU2);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 1u);
  EXPECT_EQ((*prov)[0].reports, 2u);
  EXPECT_EQ((*prov)[0].first_received, kT0);
  EXPECT_EQ((*prov)[0].last_received, kT0 + kDay);
}

TEST_P(StoreTest, SameObservableFromTwoPartnersIsOneObjectWithBothSources) {
  Put("cert-a", {Domain("evil.example", kU1)}, kT0);
  PutStats b = Put("bank-b", {Domain("evil.example", kU1)}, kT0 + kDay, "b.csv");
  EXPECT_EQ(b.duplicates, 1u);
  auto agg = store_->AggregatesOf(std::string("domain-name--") + kU1);
  ASSERT_TRUE(agg.ok() && *agg);
  EXPECT_EQ((*agg)->partners, 2u);
  EXPECT_EQ((*agg)->reports, 2u);
  auto prov = store_->Provenance(std::string("domain-name--") + kU1);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 2u);
  EXPECT_EQ((*prov)[0].partner, "cert-a");
  EXPECT_EQ((*prov)[1].partner, "bank-b");
  EXPECT_EQ((*prov)[1].file, "b.csv");
  EXPECT_EQ((*prov)[1].position, "b.csv:1");
  Query q;
  q.partners = {"bank-b"};
  EXPECT_EQ(CountOf(q), 1u);
}

TEST_P(StoreTest, AnScoWithARandomIdIsTheSameObjectAsItsValue) {
  Put("cert-a", {Domain("evil.example", kU1)});
  // STIX allows a UUIDv4 id on an SCO; the value still identifies it.
  PutStats b = Put("bank-b", {Domain("evil.example", kU2), Domain("other.example", kU3)});
  EXPECT_EQ(b.merged, 1u);
  EXPECT_EQ(b.new_objects, 1u);
  Query q;
  q.types = {"domain-name"};
  EXPECT_EQ(CountOf(q), 2u);
  auto got = store_->Get(std::string("domain-name--") + kU2);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->id, std::string("domain-name--") + kU1);
}

TEST_P(StoreTest, AReportWithoutASharingRequestKeepsTheOneStatedBefore) {
  auto put = [&](SharingRequest sharing) {
    Batch batch;
    batch.source.partner = "cert-a";
    batch.source.file = "a.txt";
    batch.source.received = kT0;
    Submission sub;
    sub.object = Obj(Ip("192.0.2.1", kU1));
    sub.position = ":1";
    sub.sharing = std::move(sharing);
    batch.objects.push_back(sub);
    ASSERT_TRUE(store_->Put(batch).ok());
  };
  SharingRequest amber;
  amber.tlp = "amber";
  amber.communities = {"finance"};
  put(amber);
  put(SharingRequest());
  auto prov = store_->Provenance(std::string("ipv4-addr--") + kU1);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 1u);
  EXPECT_EQ((*prov)[0].sharing.tlp, "amber");
  EXPECT_EQ((*prov)[0].reports, 2u);
  SharingRequest green;
  green.tlp = "green";
  put(green);  // a request stated anew replaces the old one
  prov = store_->Provenance(std::string("ipv4-addr--") + kU1);
  ASSERT_TRUE(prov.ok());
  EXPECT_EQ((*prov)[0].sharing.tlp, "green");
}

TEST_P(StoreTest, AnScoGainsThePropertiesALaterSubmissionAdds) {
  Put("cert-a", {Domain("evil.example", kU1)});
  std::string richer = R"({"type":"domain-name","spec_version":"2.1","id":"domain-name--)";
  richer.append(kU1).append(
      R"(","value":"evil.example","resolves_to_refs":["ipv4-addr--)").append(kU2).append("\"]}");
  PutStats s = Put("bank-b", {richer});
  EXPECT_EQ(s.updated, 1u);
  auto got = store_->Get(std::string("domain-name--") + kU1);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_NE((*got)->json.find("resolves_to_refs"), std::string::npos);
  PutStats again = Put("bank-b", {richer});
  EXPECT_EQ(again.duplicates, 1u);
}

TEST_P(StoreTest, VersionsFollowModifiedAndOlderVersionsDoNotWin) {
  std::string id = std::string("indicator--") + kU1;
  Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']", "2024-01-01T00:00:00.000Z")});
  PutStats v3 = Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']",
                                         "2024-03-01T00:00:00.000Z", R"(,"labels":["v3"])")});
  EXPECT_EQ(v3.updated, 1u);
  PutStats v2 = Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']",
                                         "2024-02-01T00:00:00.000Z", R"(,"labels":["v2"])")});
  EXPECT_EQ(v2.updated, 1u);
  auto latest = store_->Get(id);
  ASSERT_TRUE(latest.ok() && *latest);
  EXPECT_NE((*latest)->json.find("v3"), std::string::npos);
  auto versions = store_->Versions(id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_LT((*versions)[0].modified, (*versions)[1].modified);
  EXPECT_LT((*versions)[1].modified, (*versions)[2].modified);
  EXPECT_TRUE((*versions)[2].latest);
  EXPECT_FALSE((*versions)[0].latest);
  auto v2_read = store_->Get(id, *ParseMicros("2024-02-01T00:00:00.000Z"));
  ASSERT_TRUE(v2_read.ok() && *v2_read);
  EXPECT_NE((*v2_read)->json.find("v2"), std::string::npos);
  EXPECT_FALSE((*v2_read)->latest);
  Query label;
  label.label = "v3";
  EXPECT_EQ(CountOf(label), 1u);
  label.label = "v2";
  EXPECT_EQ(CountOf(label), 0u) << "labels are those of the latest version";
  EXPECT_EQ(Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']",
                                     "2024-02-01T00:00:00.000Z", R"(,"labels":["v2"])")})
                .duplicates,
            1u);
}

TEST_P(StoreTest, ANewerTimestampOnAnUnchangedObjectIsNoNewVersion) {
  std::string id = std::string("indicator--") + kU1;
  Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']", "2024-01-01T00:00:00.000Z")});
  std::string restamped = Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']", "2024-06-01T00:00:00.000Z");
  PutStats again = Put("cert-a", {restamped});
  EXPECT_EQ(again.duplicates, 1u);
  auto versions = store_->Versions(id);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(versions->size(), 1u);
}

TEST_P(StoreTest, RevokedObjectsLeaveSearchesButCanBeRead) {
  std::string id = std::string("indicator--") + kU1;
  Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']")});
  Put("cert-a", {Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']", "2024-05-01T00:00:00.000Z",
                           R"(,"revoked":true)")});
  Query q;
  q.types = {"indicator"};
  EXPECT_EQ(CountOf(q), 0u);
  q.include_revoked = true;
  EXPECT_EQ(CountOf(q), 1u);
  auto got = store_->Get(id);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_TRUE((*got)->revoked);
}

TEST_P(StoreTest, IndicatorsWithTheSamePatternAreOneObject) {
  Put("cert-a", {Indicator(kU1, "[domain-name:value = 'evil.example']")});
  PutStats b = Put("bank-b", {Indicator(kU2, "[ domain-name:value  =  'evil.example' ]")});
  EXPECT_EQ(b.duplicates, 1u);
  EXPECT_EQ(b.merged, 1u);
  Query q;
  q.types = {"indicator"};
  EXPECT_EQ(CountOf(q), 1u);
  auto got = store_->Get(std::string("indicator--") + kU2);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->id, std::string("indicator--") + kU1);
  auto agg = store_->AggregatesOf(std::string("indicator--") + kU1);
  ASSERT_TRUE(agg.ok() && *agg);
  EXPECT_EQ((*agg)->partners, 2u);
  EXPECT_EQ((*agg)->merged_ids, std::vector<std::string>{std::string("indicator--") + kU2});
  auto prov = store_->Provenance(std::string("indicator--") + kU1);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 2u);
  EXPECT_EQ((*prov)[0].partner, "bank-b") << "same time: ordered by partner";
  EXPECT_EQ((*prov)[0].submitted_id, std::string("indicator--") + kU2);
  // Another pattern is another indicator.
  EXPECT_EQ(Put("bank-b", {Indicator(kU3, "[domain-name:value = 'other.example']")}).new_objects,
            1u);
}

TEST_P(StoreTest, NamedObjectsMergeByNameAndAliasWithinTheirType) {
  Put("cert-a", {Named("intrusion-set", kU1, "APT28", R"(["Fancy Bear"])")});
  PutStats by_alias = Put("bank-b", {Named("intrusion-set", kU2, "fancy-bear", R"(["Sofacy"])")});
  EXPECT_EQ(by_alias.merged, 1u);
  // The alias the second partner brought now identifies the object too.
  PutStats by_new_alias = Put("isac-c", {Named("intrusion-set", kU3, "SOFACY")});
  EXPECT_EQ(by_new_alias.merged, 1u);
  // The same name in another type is another object.
  PutStats other_type = Put("isac-c", {Named("threat-actor", kU4, "APT28")});
  EXPECT_EQ(other_type.new_objects, 1u);
  Query q;
  q.types = {"intrusion-set"};
  EXPECT_EQ(CountOf(q), 1u);
  Query text;
  text.text = "sofa";
  EXPECT_EQ(Ids(text), std::vector<std::string>{std::string("intrusion-set--") + kU1});
  auto agg = store_->AggregatesOf(std::string("intrusion-set--") + kU3);
  ASSERT_TRUE(agg.ok() && *agg);
  EXPECT_EQ((*agg)->partners, 3u);
  EXPECT_EQ((*agg)->merged_ids.size(), 2u);
}

TEST_P(StoreTest, RelationshipsMergeBySourceTypeAndTargetThroughMergedEnds) {
  std::string ind1 = std::string("indicator--") + kU1;
  std::string ind2 = std::string("indicator--") + kU2;
  std::string mal = std::string("malware--") + kU3;
  Put("cert-a", {Indicator(kU1, "[domain-name:value = 'evil.example']"), Named("malware", kU3, "Emotet"),
                 Relationship(kU4, ind1, "indicates", mal)});
  // Partner B names the same indicator under its own id; its relationship
  // resolves to the same ends.
  PutStats b = Put("bank-b", {Relationship(kU5, ind2, "indicates", mal),
                              Indicator(kU2, "[domain-name:value = 'evil.example']")});
  EXPECT_EQ(b.merged, 2u);
  Query q;
  q.types = {"relationship"};
  EXPECT_EQ(CountOf(q), 1u);
}

TEST_P(StoreTest, QueriesByValueDomainNetworkAndTime) {
  Put("cert-a", {Domain("example.com", kU1), Domain("mail.example.com", kU2),
                 Domain("notexample.com", kU3), Ip("192.0.2.7", kU4),
                 Ip("198.51.100.0/24", kU5)},
      kT0);
  Query value;
  value.value = "mail.example.com";
  EXPECT_EQ(Ids(value), std::vector<std::string>{std::string("domain-name--") + kU2});
  Query domain;
  domain.domain = "Example.com";
  EXPECT_EQ(Ids(domain), (std::vector<std::string>{std::string("domain-name--") + kU1,
                                                   std::string("domain-name--") + kU2}));
  Query inside;
  inside.inside = "192.0.2.0/24";
  EXPECT_EQ(Ids(inside), std::vector<std::string>{std::string("ipv4-addr--") + kU4});
  inside.inside = "198.51.0.0/16";
  EXPECT_EQ(Ids(inside), std::vector<std::string>{std::string("ipv4-addr--") + kU5});
  inside.inside = "198.51.100.0/25";
  EXPECT_TRUE(Ids(inside).empty()) << "a /24 is not inside a /25";
  Query containing;
  containing.containing = "198.51.100.200";
  EXPECT_EQ(Ids(containing), std::vector<std::string>{std::string("ipv4-addr--") + kU5});
  containing.containing = "192.0.2.7";
  EXPECT_EQ(Ids(containing), std::vector<std::string>{std::string("ipv4-addr--") + kU4});
  Query bad;
  bad.inside = "not-a-network";
  EXPECT_FALSE(store_->Search(bad).ok());

  Put("bank-b", {Domain("later.example", "66666666-6666-4666-8666-666666666666")}, kT0 + 2 * kDay);
  Query recent;
  recent.first_seen.from = kT0 + kDay;
  EXPECT_EQ(CountOf(recent), 1u);
  Query old;
  old.last_seen.to = kT0;
  EXPECT_EQ(CountOf(old), 5u);
  Query types;
  types.types = {"ipv4-addr", "domain-name"};
  EXPECT_EQ(CountOf(types), 6u);
}

TEST_P(StoreTest, IndicatorsAreFoundByTheValuesInTheirPatterns) {
  Put("cert-a", {Indicator(kU1, "[domain-name:value = 'www.evil.example']"),
                 Domain("www.evil.example", kU2)});
  Query q;
  q.value = "www.evil.example";
  EXPECT_EQ(CountOf(q), 2u);
  q = Query();
  q.domain = "evil.example";
  q.types = {"indicator"};
  EXPECT_EQ(Ids(q), std::vector<std::string>{std::string("indicator--") + kU1});
}

TEST_P(StoreTest, MarkingsLabelsAndNames) {
  std::string marked = Indicator(kU1, "[ipv4-addr:value = '192.0.2.1']", "2024-01-01T00:00:00.000Z",
                                 R"(,"labels":["botnet"],"name":"Botnet C2",)"
                                 R"("object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"])");
  Put("cert-a", {marked, Indicator(kU2, "[ipv4-addr:value = '192.0.2.2']")});
  Query m;
  m.markings = {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
                "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"};
  EXPECT_EQ(Ids(m), std::vector<std::string>{std::string("indicator--") + kU1});
  Query l;
  l.label = "botnet";
  EXPECT_EQ(CountOf(l), 1u);
  Query t;
  t.text = "BOTNET c2";
  EXPECT_EQ(CountOf(t), 1u);
  t.text = "50%";
  EXPECT_EQ(CountOf(t), 0u) << "LIKE wildcards are matched literally";
}

TEST_P(StoreTest, PaginationNeitherSkipsNorRepeatsWhileInsertsHappen) {
  std::vector<std::string> first;
  for (int i = 0; i < 25; ++i) {
    char id[64];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", i);
    first.push_back(Domain("d" + std::to_string(i) + ".example", id));
  }
  Put("cert-a", first);
  Query q;
  q.types = {"domain-name"};
  q.limit = 7;
  std::vector<std::string> seen;
  int inserted = 0;
  while (true) {
    auto page = store_->Search(q);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const StoredObject& o : page->objects) seen.push_back(o.id);
    // Between pages: a new object, and a new version of one already seen.
    char id[64];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", 100 + inserted++);
    Put("bank-b", {Domain("new" + std::to_string(inserted) + ".example", id),
                   Domain("d0.example", "00000000-0000-4000-8000-000000000000")});
    if (page->next.empty()) break;
    q.cursor = page->next;
  }
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "an object was repeated";
  for (int i = 0; i < 25; ++i) {
    char id[64];
    std::snprintf(id, sizeof id, "domain-name--00000000-0000-4000-8000-%012d", i);
    EXPECT_TRUE(unique.count(id)) << id << " was skipped";
  }
  Query bad;
  bad.cursor = "abc";
  EXPECT_FALSE(store_->Search(bad).ok());
}

TEST_P(StoreTest, QuarantineKeepsRejectedRecordsWithTheirBytes) {
  Batch batch;
  batch.source.partner = "cert-a";
  batch.source.format = "csv";
  batch.source.file = "feed.csv";
  batch.source.received = kT0;
  std::string raw("bad,\0row\xff", 9);
  batch.rejected.push_back({"feed.csv:3", "column 2: not a URL", raw, false});
  batch.rejected.push_back({"feed.csv:9", "too long", "x", true});
  auto stats = store_->Put(batch);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->quarantined, 2u);
  auto list = store_->ListQuarantine({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].position, "feed.csv:3");
  EXPECT_EQ((*list)[0].raw, raw);
  EXPECT_EQ((*list)[0].partner, "cert-a");
  EXPECT_TRUE((*list)[1].truncated);
  auto one = store_->GetQuarantined((*list)[1].id);
  ASSERT_TRUE(one.ok() && *one);
  EXPECT_EQ((*one)->reason, "too long");
  auto dropped = store_->DropQuarantined((*list)[0].id);
  ASSERT_TRUE(dropped.ok());
  EXPECT_TRUE(*dropped);
  auto again = store_->DropQuarantined((*list)[0].id);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  QuarantineFilter other;
  other.partner = "bank-b";
  EXPECT_TRUE(store_->ListQuarantine(other)->empty());

  // A batch that resolves an entry drops it in its own transaction.
  Batch retry;
  retry.source = batch.source;
  Submission sub;
  sub.object = Obj(Domain("fixed.example", kU1));
  retry.objects.push_back(sub);
  retry.resolves_quarantined = {(*list)[1].id};
  ASSERT_TRUE(store_->Put(retry).ok());
  EXPECT_TRUE(store_->ListQuarantine({})->empty());
  EXPECT_EQ(CountOf(Query()), 1u);
}

TEST_P(StoreTest, IngestRunsAreRecorded) {
  IngestRun run;
  run.partner = "cert-a";
  run.source = "feed.json";
  run.format = "stix";
  run.started = kT0;
  auto id = store_->BeginRun(run);
  ASSERT_TRUE(id.ok());
  auto listed = store_->Runs(10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].status, "running");
  run.id = *id;
  run.finished = kT0 + 1000;
  run.status = "done";
  run.records = 10;
  run.stats.new_objects = 7;
  run.stats.duplicates = 3;
  ASSERT_TRUE(store_->FinishRun(run).ok());
  listed = store_->Runs(10);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].status, "done");
  EXPECT_EQ((*listed)[0].stats.new_objects, 7u);
  EXPECT_EQ((*listed)[0].finished, kT0 + 1000);
}

TEST_P(StoreTest, WarninglistedObjectsAreFlaggedNotDropped) {
  Batch batch;
  batch.source.partner = "cert-a";
  batch.source.format = "lines";
  batch.source.received = kT0;
  Submission sub;
  sub.object = Obj(Ip("10.0.0.1", kU1));
  sub.warnings.push_back({"rfc1918", "10.0.0.1 is inside 10.0.0.0/8"});
  batch.objects.push_back(sub);
  Submission plain;
  plain.object = Obj(Ip("192.0.2.9", kU2));
  batch.objects.push_back(plain);
  ASSERT_TRUE(store_->Put(batch).ok());
  Query all;
  EXPECT_EQ(CountOf(all), 2u);
  all.include_warninglisted = false;
  EXPECT_EQ(Ids(all), std::vector<std::string>{std::string("ipv4-addr--") + kU2});
  auto agg = store_->AggregatesOf(std::string("ipv4-addr--") + kU1);
  ASSERT_TRUE(agg.ok() && *agg);
  ASSERT_EQ((*agg)->warnings.size(), 1u);
  EXPECT_EQ((*agg)->warnings[0].list, "rfc1918");
}

TEST_P(StoreTest, SharingRequestIsKeptWithTheProvenance) {
  Batch batch;
  batch.source.partner = "cert-a";
  batch.source.received = kT0;
  Submission sub;
  sub.object = Obj(Ip("192.0.2.1", kU1));
  sub.sharing.tlp = "red";
  sub.sharing.recipients = {"bank-b", "isac-c"};
  sub.sharing.communities = {"finance"};
  sub.sharing.distribution = "sharing-group";
  sub.sharing.sharing_group = "sg-1";
  batch.objects.push_back(sub);
  ASSERT_TRUE(store_->Put(batch).ok());
  auto prov = store_->Provenance(std::string("ipv4-addr--") + kU1);
  ASSERT_TRUE(prov.ok());
  ASSERT_EQ(prov->size(), 1u);
  EXPECT_EQ((*prov)[0].sharing.tlp, "red");
  EXPECT_EQ((*prov)[0].sharing.recipients, (std::vector<std::string>{"bank-b", "isac-c"}));
  EXPECT_EQ((*prov)[0].sharing.communities, std::vector<std::string>{"finance"});
  EXPECT_EQ((*prov)[0].sharing.sharing_group, "sg-1");
}

TEST_P(StoreTest, AFailedBatchLeavesNothingBehind) {
  Batch batch;
  batch.source.partner = "cert-a";
  batch.source.received = kT0;
  Submission good;
  good.object = Obj(Domain("fine.example", kU1));
  Submission bad;
  bad.object = Obj(Indicator(kU2, "[ipv4-addr:value = '192.0.2.1']"));
  bad.object.modified = "not a timestamp";
  batch.objects = {good, bad};
  batch.rejected.push_back({"x:1", "bad", "raw", false});
  EXPECT_FALSE(store_->Put(batch).ok());
  EXPECT_EQ(CountOf(Query()), 0u);
  EXPECT_TRUE(store_->ListQuarantine({})->empty());
  // The store is still usable afterwards.
  EXPECT_EQ(Put("cert-a", {Domain("fine.example", kU1)}).new_objects, 1u);
}

TEST_P(StoreTest, CheckIsCleanAndStatsCount) {
  Put("cert-a", {Domain("evil.example", kU1), Indicator(kU2, "[domain-name:value = 'evil.example']"),
                 Indicator(kU3, "[domain-name:value='evil.example']")});
  auto problems = store_->Check();
  ASSERT_TRUE(problems.ok()) << problems.error().ToString();
  EXPECT_TRUE(problems->empty()) << (*problems)[0];
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->schema_version, CurrentSchemaVersion());
  EXPECT_EQ(stats->backend, GetParam());
  EXPECT_EQ(stats->objects, 2u);
  EXPECT_EQ(stats->merged, 1u);
  EXPECT_EQ(stats->partners, 1u);
  ASSERT_EQ(stats->objects_by_type.size(), 2u);
  EXPECT_EQ(stats->objects_by_type[0].first, "domain-name");
}

TEST_P(StoreTest, ReopeningKeepsDataAndNeedsNoMigration) {
  Put("cert-a", {Domain("evil.example", kU1)});
  Reopen();
  auto migrated = store_->Migrate();
  ASSERT_TRUE(migrated.ok());
  EXPECT_EQ(*migrated, 0);
  EXPECT_EQ(CountOf(Query()), 1u);
  auto readonly = OpenStore(url_, OpenOptions{.migrate = false});
  EXPECT_TRUE(readonly.ok());
  auto got = store_->Search(Query());
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->objects.size(), 1u);
  EXPECT_EQ(got->objects[0].first_seen, kT0);
  EXPECT_EQ(got->objects[0].last_seen, kT0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) { return param_info.param; });

TEST(OpenStoreTest, ReadOnlyOpenOfAMissingFileIsNotFound) {
  auto s = OpenStore("/nonexistent-dir/x.db", OpenOptions{.migrate = false});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kNotFound);
}

TEST(MicrosTest, RoundTrip) {
  auto m = ParseMicros("2024-01-02T03:04:05.123456Z");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(FormatMicros(*m), "2024-01-02T03:04:05.123456Z");
  EXPECT_EQ(FormatMicros(*ParseMicros("2024-01-02T03:04:05Z")), "2024-01-02T03:04:05.000Z");
  EXPECT_FALSE(ParseMicros("yesterday").ok());
}

}  // namespace
}  // namespace tessera::store
