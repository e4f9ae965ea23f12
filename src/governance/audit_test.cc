#include "governance/audit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "core/hash.h"
#include "store/registry.h"

namespace tessera::governance {
namespace {

using Chain = std::vector<store::AuditRecord>;

store::AuditRecord Entry(int64_t seq) {
  store::AuditRecord e;
  e.seq = seq;
  e.time = 1'700'000'000'000'000 + seq * 1'000'000;
  e.actor = "partner:acme";
  e.action = "read";
  e.target = "indicator--";
  e.target.append(std::to_string(seq));
  e.details = R"({"n":)";
  e.details.append(std::to_string(seq)).append("}");
  return e;
}

// Recomputes prev_hash and hash from `from` (an index) onwards, as a forger would.
void Relink(Chain* chain, size_t from = 0) {
  for (size_t i = from; i < chain->size(); ++i) {
    (*chain)[i].prev_hash = i == 0 ? "" : (*chain)[i - 1].hash;
    (*chain)[i].hash = AuditHash((*chain)[i]);
  }
}

Chain MakeChain(int64_t n) {
  Chain chain;
  for (int64_t seq = 1; seq <= n; ++seq) chain.push_back(Entry(seq));
  Relink(&chain);
  return chain;
}

ChainReport Verify(const Chain& chain,
                   std::optional<std::pair<int64_t, std::string>> head = std::nullopt) {
  ChainVerifier verifier(std::move(head));
  for (const store::AuditRecord& e : chain) verifier.Add(e);
  return verifier.Finish();
}

ChainReport VerifyLatest(const Chain& chain, std::pair<int64_t, std::string> latest) {
  ChainVerifier verifier;
  for (const store::AuditRecord& e : chain) verifier.Add(e);
  return verifier.Finish(std::move(latest));
}

TEST(AuditHashTest, DocumentedSerialization) {
  store::AuditRecord e;
  e.seq = 7;
  e.time = 1234;
  e.actor = "operator";
  e.action = "token.issue";
  e.target = "token:abc";
  e.details = "{}";
  e.prev_hash = "ff";
  std::string input =
      "16:tessera-audit-v1,1:7,4:1234,8:operator,11:token.issue,9:token:abc,2:{},2:ff,";
  EXPECT_EQ(AuditHash(e), core::HexEncode(core::Sha256(input)));
  EXPECT_EQ(AuditHash(e).size(), 64u);
}

TEST(AuditHashTest, EveryFieldCountsAndBoundariesAreUnambiguous) {
  const store::AuditRecord base = Entry(3);
  const std::string h = AuditHash(base);
  std::vector<std::function<void(store::AuditRecord*)>> edits = {
      [](store::AuditRecord* e) { e->seq += 1; },
      [](store::AuditRecord* e) { e->time += 1; },
      [](store::AuditRecord* e) { e->actor += "x"; },
      [](store::AuditRecord* e) { e->action += "x"; },
      [](store::AuditRecord* e) { e->target += "x"; },
      [](store::AuditRecord* e) { e->details += " "; },
      [](store::AuditRecord* e) { e->prev_hash = "00"; },
      // Moving a character across a field boundary.
      [](store::AuditRecord* e) {
        e->actor = "partner:acm";
        e->action = "eread";
      },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    store::AuditRecord e = base;
    edits[i](&e);
    EXPECT_NE(AuditHash(e), h) << "edit " << i;
  }
  store::AuditRecord stored = base;
  stored.hash = "whatever";  // the hash field itself is not covered
  EXPECT_EQ(AuditHash(stored), h);
}

TEST(ChainVerifierTest, IntactChains) {
  for (int64_t n : {0, 1, 2, 10}) {
    Chain chain = MakeChain(n);
    ChainReport report = Verify(chain);
    EXPECT_TRUE(report.intact) << n << ": " << report.reason;
    EXPECT_EQ(report.entries, static_cast<uint64_t>(n));
    EXPECT_EQ(report.first_bad_seq, 0);
    EXPECT_EQ(report.head_seq, n);
    EXPECT_EQ(report.head_hash, n == 0 ? "" : chain.back().hash);
  }
  // A head recorded earlier that the chain reaches (and has grown past).
  Chain chain = MakeChain(10);
  EXPECT_TRUE(Verify(chain, std::make_pair(int64_t{10}, chain[9].hash)).intact);
  EXPECT_TRUE(Verify(chain, std::make_pair(int64_t{4}, chain[3].hash)).intact);
}

TEST(ChainVerifierTest, Tampering) {
  struct Case {
    const char* what;
    std::function<void(Chain*)> tamper;
    int64_t head_seq;  // 0: no expected head; else the untampered chain's entry
    int64_t want_seq;
    std::string want_reason;  // a fragment of the reason
  };
  const Case cases[] = {
      {"modified details", [](Chain* c) { (*c)[4].details = R"({"n":666})"; }, 0, 5,
       "seq 5 was modified"},
      {"modified actor, last entry", [](Chain* c) { c->back().actor = "operator"; }, 0, 10,
       "seq 10 was modified"},
      {"deleted entry", [](Chain* c) { c->erase(c->begin() + 4); }, 0, 6,
       "seq 5 is missing: seq 4 is followed by seq 6"},
      {"deleted run", [](Chain* c) { c->erase(c->begin() + 3, c->begin() + 6); }, 0, 7,
       "seq 4 to 6 are missing"},
      {"deleted first entry", [](Chain* c) { c->erase(c->begin()); }, 0, 2,
       "the chain starts at seq 2"},
      {"deleted and renumbered",
       [](Chain* c) {
         c->erase(c->begin() + 4);
         for (size_t i = 4; i < c->size(); ++i) {
           (*c)[i].seq -= 1;
           (*c)[i].hash = AuditHash((*c)[i]);  // rehashed, prev_hash left alone
         }
       },
       0, 5, "seq 5 does not chain to seq 4"},
      {"inserted with a repeated seq",
       [](Chain* c) {
         store::AuditRecord forged = Entry(5);
         forged.action = "token.issue";
         forged.prev_hash = (*c)[3].hash;
         forged.hash = AuditHash(forged);
         c->insert(c->begin() + 4, forged);
       },
       0, 5, "seq 5 appears twice"},
      {"inserted and renumbered",
       [](Chain* c) {
         store::AuditRecord forged = Entry(5);
         forged.action = "token.issue";
         forged.prev_hash = (*c)[3].hash;
         forged.hash = AuditHash(forged);
         c->insert(c->begin() + 4, forged);
         for (size_t i = 5; i < c->size(); ++i) {
           (*c)[i].seq += 1;
           (*c)[i].hash = AuditHash((*c)[i]);
         }
       },
       0, 6, "seq 6 does not chain to seq 5"},
      {"swapped neighbours", [](Chain* c) { std::swap((*c)[4], (*c)[5]); }, 0, 6,
       "seq 6 follows seq 4 and seq 5 comes later: entries out of order"},
      {"moved to the end",
       [](Chain* c) { std::rotate(c->begin() + 2, c->begin() + 3, c->end()); }, 0, 4,
       "seq 4 follows seq 2 and seq 3 comes later"},
      {"moved to the front",
       [](Chain* c) { std::rotate(c->begin() + 2, c->begin() + 9, c->end()); }, 0, 10,
       "seq 10 follows seq 2 and seq 3 comes later"},
      {"first moved", [](Chain* c) { std::swap((*c)[0], (*c)[1]); }, 0, 2,
       "seq 2 comes first and seq 1 comes later"},
      {"going backwards",
       [](Chain* c) { c->push_back((*c)[3]); }, 0, 4, "seq 4 comes after seq 10"},
      {"contents swapped, seqs kept",
       [](Chain* c) {
         std::swap((*c)[4], (*c)[5]);
         std::swap((*c)[4].seq, (*c)[5].seq);
       },
       0, 5, "seq 5 was modified"},
      {"first entry with a prev_hash",
       [](Chain* c) {
         (*c)[0].prev_hash = "00";
         (*c)[0].hash = AuditHash((*c)[0]);
         Relink(c, 1);
       },
       0, 1, "first entry"},
      {"truncated tail", [](Chain* c) { c->resize(7); }, 10, 8, "truncated"},
      {"truncated to nothing", [](Chain* c) { c->clear(); }, 3, 1,
       "the chain ends at seq 0"},
      {"tail rewritten consistently",
       [](Chain* c) {
         (*c)[6].details = "{}";
         Relink(c, 6);
       },
       9, 9, "history rewritten"},
      {"tail deleted and relinked",
       [](Chain* c) {
         c->erase(c->begin() + 4);
         for (size_t i = 4; i < c->size(); ++i) (*c)[i].seq -= 1;
         Relink(c, 4);
       },
       10, 10, "truncated"},
  };
  for (const Case& c : cases) {
    Chain chain = MakeChain(10);
    std::optional<std::pair<int64_t, std::string>> head;
    if (c.head_seq > 0) head = std::make_pair(c.head_seq, chain[c.head_seq - 1].hash);
    c.tamper(&chain);
    ChainReport report = Verify(chain, head);
    EXPECT_FALSE(report.intact) << c.what;
    EXPECT_EQ(report.first_bad_seq, c.want_seq) << c.what << ": " << report.reason;
    EXPECT_NE(report.reason.find(c.want_reason), std::string::npos)
        << c.what << ": " << report.reason;
    EXPECT_EQ(report.entries, chain.size()) << c.what;
  }
}

TEST(ChainVerifierTest, LatestHeadGivenToFinish) {
  struct Case {
    const char* what;
    int64_t keep;       // entries of a 10-entry chain left
    int64_t head_seq;   // the recorded latest head (its hash from the untampered chain)
    bool rewrite;       // entry 3 rewritten and the chain relinked
    bool intact;
    int64_t want_seq;
    std::string want_reason;
  };
  const Case cases[] = {
      {"matches", 10, 10, false, true, 0, ""},
      {"truncated", 8, 10, false, false, 9, "truncated"},
      {"empty log", 0, 10, false, false, 1, "the chain ends at seq 0"},
      {"appended past the head", 10, 7, false, false, 8,
       "seq 8 to 10 come after the recorded head seq 7"},
      {"rewritten", 10, 10, true, false, 10, "history rewritten"},
  };
  for (const Case& c : cases) {
    Chain chain = MakeChain(10);
    std::pair<int64_t, std::string> head(c.head_seq, chain[c.head_seq - 1].hash);
    if (c.rewrite) {
      chain[2].details = "{}";
      Relink(&chain, 2);
    }
    chain.resize(c.keep);
    ChainReport report = VerifyLatest(chain, head);
    EXPECT_EQ(report.intact, c.intact) << c.what << ": " << report.reason;
    EXPECT_EQ(report.first_bad_seq, c.want_seq) << c.what << ": " << report.reason;
    EXPECT_NE(report.reason.find(c.want_reason), std::string::npos)
        << c.what << ": " << report.reason;
  }
}

TEST(ChainVerifierTest, UntamperedChainWithoutHeadHidesConsistentRewrite) {
  // The documented limit: a consistent rewrite is only visible against a head.
  Chain chain = MakeChain(5);
  chain[2].details = "{}";
  Relink(&chain, 2);
  EXPECT_TRUE(Verify(chain).intact);
}

}  // namespace
}  // namespace tessera::governance
