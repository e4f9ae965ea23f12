// Migrating a version-1 database (written before governance) to the current
// schema, on SQLite and PostgreSQL: the rows a version-1 store held are
// written with SQL, then the store is opened, which migrates it. Migration 2
// must give every report its contributor alone as audience and backfill what
// the visibility predicate reads from the objects (relationship and sighting
// ends, indicators' valid_until).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/schema.h"
#include "store/sql/connection.h"
#include "store/store.h"
#include "testing/postgres.h"
#include "testing/test_store.h"

namespace tessera::store {
namespace {

constexpr char kDomain[] = "domain-name--11111111-1111-4111-8111-111111111111";
constexpr char kIp[] = "ipv4-addr--22222222-2222-4222-8222-222222222222";
constexpr char kIndicator[] = "indicator--33333333-3333-4333-8333-333333333333";
constexpr char kExpired[] = "indicator--44444444-4444-4444-8444-444444444444";
constexpr char kOwnEnds[] = "relationship--55555555-5555-4555-8555-555555555555";
constexpr char kForeignEnd[] = "relationship--66666666-6666-4666-8666-666666666666";
constexpr char kSighting[] = "sighting--77777777-7777-4777-8777-777777777777";

constexpr Micros kReceived = 1'700'000'000'000'000;  // 2023-11-14
constexpr Micros kNow = 1'750'000'000'000'000;       // 2025-06-15

// Rows as version 1 wrote them: seq 1-7, alice contributed everything but the
// address, which bob did. Timestamps of STIX objects: 2024-01-01 (1704067200 s).
constexpr char kVersion1Rows[] = R"sql(
INSERT INTO sources (partner, file, format) VALUES ('alice', 'a.json', 'stix');
INSERT INTO sources (partner, file, format) VALUES ('bob', 'b.json', 'stix');
INSERT INTO sharing_requests (tlp, communities, recipients, distribution, sharing_group)
  VALUES ('', '', '', '', '');
UPDATE counters SET value = 7 WHERE name = 'object_seq';
INSERT INTO objects (seq, id, canonical_seq, type, created, modified, added, first_seen,
  last_seen, partners, reports, revoked, warninglisted) VALUES
  (1, 'domain-name--11111111-1111-4111-8111-111111111111', NULL, 'domain-name', NULL, 0,
   1700000000000000, 1700000000000000, 1700000000000000, 1, 1, 0, 0),
  (2, 'ipv4-addr--22222222-2222-4222-8222-222222222222', NULL, 'ipv4-addr', NULL, 0,
   1700000000000000, 1700000000000000, 1700000000000000, 1, 1, 0, 0),
  (3, 'indicator--33333333-3333-4333-8333-333333333333', NULL, 'indicator',
   1704067200000000, 1704067200000000, 1700000000000000, 1700000000000000, 1700000000000000,
   1, 1, 0, 0),
  (4, 'indicator--44444444-4444-4444-8444-444444444444', NULL, 'indicator',
   1704067200000000, 1704067200000000, 1700000000000000, 1700000000000000, 1700000000000000,
   1, 1, 0, 0),
  (5, 'relationship--55555555-5555-4555-8555-555555555555', NULL, 'relationship',
   1704067200000000, 1704067200000000, 1700000000000000, 1700000000000000, 1700000000000000,
   1, 1, 0, 0),
  (6, 'relationship--66666666-6666-4666-8666-666666666666', NULL, 'relationship',
   1704067200000000, 1704067200000000, 1700000000000000, 1700000000000000, 1700000000000000,
   1, 1, 0, 0),
  (7, 'sighting--77777777-7777-4777-8777-777777777777', NULL, 'sighting',
   1704067200000000, 1704067200000000, 1700000000000000, 1700000000000000, 1700000000000000,
   1, 1, 0, 0);
INSERT INTO object_versions (object_seq, modified, added, revoked, json) VALUES
  (1, 0, 1700000000000000, 0, '{"type":"domain-name","spec_version":"2.1","id":"domain-name--11111111-1111-4111-8111-111111111111","value":"example.com"}'),
  (2, 0, 1700000000000000, 0, '{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--22222222-2222-4222-8222-222222222222","value":"198.51.100.7"}'),
  (3, 1704067200000000, 1700000000000000, 0, '{"type":"indicator","spec_version":"2.1","id":"indicator--33333333-3333-4333-8333-333333333333","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern_type":"stix","pattern":"[domain-name:value = ''example.com'']","valid_from":"2024-01-01T00:00:00Z"}'),
  (4, 1704067200000000, 1700000000000000, 0, '{"type":"indicator","spec_version":"2.1","id":"indicator--44444444-4444-4444-8444-444444444444","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","pattern_type":"stix","pattern":"[domain-name:value = ''old.example'']","valid_from":"2024-01-01T00:00:00Z","valid_until":"2024-02-01T00:00:00Z"}'),
  (5, 1704067200000000, 1700000000000000, 0, '{"type":"relationship","spec_version":"2.1","id":"relationship--55555555-5555-4555-8555-555555555555","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"based-on","source_ref":"indicator--33333333-3333-4333-8333-333333333333","target_ref":"domain-name--11111111-1111-4111-8111-111111111111"}'),
  (6, 1704067200000000, 1700000000000000, 0, '{"type":"relationship","spec_version":"2.1","id":"relationship--66666666-6666-4666-8666-666666666666","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"related-to","source_ref":"domain-name--11111111-1111-4111-8111-111111111111","target_ref":"ipv4-addr--22222222-2222-4222-8222-222222222222"}'),
  (7, 1704067200000000, 1700000000000000, 0, '{"type":"sighting","spec_version":"2.1","id":"sighting--77777777-7777-4777-8777-777777777777","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","sighting_of_ref":"indicator--33333333-3333-4333-8333-333333333333","observed_data_refs":[],"where_sighted_refs":[]}');
)sql";

// One provenance row per object: seq, partner.
void AppendProvenance(int64_t seq, std::string_view partner, std::string* sql) {
  sql->append(
         "INSERT INTO provenance (object_seq, source_id, position, submitted_id, first_received, "
         "last_received, reports, run_id, sharing_id) SELECT ")
      .append(std::to_string(seq))
      .append(", id, 'line ")
      .append(std::to_string(seq))
      .append("', '', 1700000000000000, 1700000000000000, 1, 1, 1 FROM sources WHERE partner = '")
      .append(partner)
      .append("';\n");
}

class MigrationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") TESSERA_REQUIRE_POSTGRES();
    auto test_store = testing::TestStore::Create(GetParam());
    ASSERT_TRUE(test_store.ok()) << test_store.error().ToString();
    test_store_ = std::move(*test_store);
    url_ = test_store_->url();
  }

  void TearDown() override {
    store_.reset();
    test_store_.reset();
  }

  // Creates the version-1 schema and its rows, as a version-1 tessera left them.
  void WriteVersion1Store() {
    auto opened = GetParam() == "postgresql" ? sql::OpenPostgres(url_) : sql::OpenSqlite(url_);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    sql::Connection& db = **opened;
    const Migration version1 = Migrations(db.dialect()).at(0);
    std::string sql =
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
        "applied BIGINT NOT NULL);\n";
    sql.append(version1.sql).append(kVersion1Rows);
    sql.append("INSERT INTO schema_migrations (version, description, applied) VALUES (1, 'v1', 0);\n");
    for (int64_t seq = 1; seq <= 7; ++seq) AppendProvenance(seq, seq == 2 ? "bob" : "alice", &sql);
    auto written = db.Execute(sql);
    ASSERT_TRUE(written.ok()) << written.error().ToString();
  }

  static Scope PartnerScope(std::string_view partner) {
    Scope scope;
    scope.everything = false;
    scope.keys = {"*", "p:" + std::string(partner)};
    scope.partner = std::string(partner);
    scope.now = kNow;
    return scope;
  }

  bool Sees(const Scope& scope, std::string_view id) {
    auto exists = store_->Exists(id, scope);
    EXPECT_TRUE(exists.ok()) << exists.error().ToString();
    return exists.ok() && *exists;
  }

  std::string url_;
  std::unique_ptr<testing::TestStore> test_store_;
  std::unique_ptr<Store> store_;
};

TEST_P(MigrationTest, Version1StoreGainsAudiencesEndsAndValidity) {
  ASSERT_NO_FATAL_FAILURE(WriteVersion1Store());
  auto opened = OpenStore(url_);  // migrates
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  store_ = std::move(*opened);
  EXPECT_EQ(*store_->SchemaVersion(), CurrentSchemaVersion());
  auto problems = store_->Check();
  ASSERT_TRUE(problems.ok()) << problems.error().ToString();
  EXPECT_TRUE(problems->empty()) << problems->front();

  // The operator sees every object, the expired indicator too.
  for (const char* id : {kDomain, kIp, kIndicator, kExpired, kOwnEnds, kForeignEnd, kSighting}) {
    EXPECT_TRUE(Sees(Scope::Everything(), id)) << id;
  }
  // A report stored before governance is seen by its contributor alone.
  const Scope alice = PartnerScope("alice");
  const Scope bob = PartnerScope("bob");
  EXPECT_TRUE(Sees(alice, kDomain));
  EXPECT_FALSE(Sees(alice, kIp));
  EXPECT_TRUE(Sees(bob, kIp));
  EXPECT_FALSE(Sees(bob, kDomain));
  Scope anyone = PartnerScope("");
  anyone.keys = {"*"};
  EXPECT_FALSE(Sees(anyone, kDomain));
  // valid_until was backfilled: the expired indicator leaves partners' reads.
  EXPECT_TRUE(Sees(alice, kIndicator));
  EXPECT_FALSE(Sees(alice, kExpired));
  // Ends were backfilled: a relationship is seen only with both of its ends,
  // a sighting only with what it is a sighting of.
  EXPECT_TRUE(Sees(alice, kOwnEnds));
  EXPECT_FALSE(Sees(alice, kForeignEnd));  // bob's address is not alice's to see
  EXPECT_FALSE(Sees(bob, kForeignEnd));    // alice's report is not bob's
  EXPECT_TRUE(Sees(alice, kSighting));

  auto counted = store_->Count(Query{}, alice);
  ASSERT_TRUE(counted.ok()) << counted.error().ToString();
  EXPECT_EQ(*counted, 4u);  // domain, indicator, its based-on, the sighting

  // Reopening applies nothing more.
  store_.reset();
  auto again = OpenStore(url_);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*(*again)->Migrate(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

}  // namespace
}  // namespace tessera::store
