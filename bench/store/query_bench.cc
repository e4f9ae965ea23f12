// Query latency of the store (issue 5, item 8: a value lookup in a
// 10M-object store under 1 ms median), in process, without the command's
// start-up. The store is built once, at TESSERA_BENCH_STORE (default
// build/bench-data/store-query-10m.db), with TESSERA_BENCH_OBJECTS synthetic
// observables (default 10,000,000: domain names, IPv4 addresses and URLs in
// equal parts, each reported once), and reused by later runs.
//
//   build/release/bench/store/store_query_bench --benchmark_repetitions=5 \
//       --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "core/uuid.h"
#include "store/store.h"

namespace tessera::store {
namespace {

const core::Uuid& Namespace() {
  static const core::Uuid ns = *core::ParseUuid("9c1a3f0e-52b8-4c6f-8f0a-3d2b1e4c5a60");
  return ns;
}

// The i-th synthetic observable: (type, value).
std::pair<std::string, std::string> Observable(int64_t i) {
  char text[64];
  switch (i % 3) {
    case 0:
      std::snprintf(text, sizeof text, "host%lld.zone%lld.example.net", static_cast<long long>(i),  // NOLINT
                    static_cast<long long>(i % 1000));  // NOLINT
      return {"domain-name", text};
    case 1:
      std::snprintf(text, sizeof text, "%lld.%lld.%lld.%lld", static_cast<long long>(10 + (i >> 24) % 200),  // NOLINT
                    static_cast<long long>((i >> 16) & 255), static_cast<long long>((i >> 8) & 255),  // NOLINT
                    static_cast<long long>(i & 255));  // NOLINT
      return {"ipv4-addr", text};
    default:
      std::snprintf(text, sizeof text, "http://site%lld.example.org/p/%lld", static_cast<long long>(i % 50000),  // NOLINT
                    static_cast<long long>(i));  // NOLINT
      return {"url", text};
  }
}

std::string Id(const std::string& type, const std::string& value) {
  return type + "--" + core::UuidV5(Namespace(), type + value).ToString();
}

int64_t ObjectCount() {
  const char* env = std::getenv("TESSERA_BENCH_OBJECTS");
  return env != nullptr ? std::atoll(env) : 10'000'000;
}

Store& BenchStore() {
  static std::unique_ptr<Store> store = [] {
    const char* env = std::getenv("TESSERA_BENCH_STORE");
    std::string path = env != nullptr ? env : "build/bench-data/store-query-10m.db";
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    auto opened = OpenStore(path);
    if (!opened.ok()) {
      std::fprintf(stderr, "store_query_bench: %s\n", opened.error().ToString().c_str());
      std::exit(1);
    }
    std::unique_ptr<Store> db = std::move(*opened);
    uint64_t have = *db->Count(Query());
    const int64_t want = ObjectCount();
    if (have < static_cast<uint64_t>(want)) {
      std::fprintf(stderr, "store_query_bench: filling %s from %llu to %lld objects...\n",
                   path.c_str(), static_cast<unsigned long long>(have),  // NOLINT
                   static_cast<long long>(want));  // NOLINT
    }
    constexpr int64_t kBatch = 50'000;
    for (int64_t first = static_cast<int64_t>(have); first < want; first += kBatch) {
      Batch batch;
      batch.source.partner = "bench";
      batch.source.format = "synthetic";
      batch.source.file = "query_bench";
      batch.source.received = 1'700'000'000'000'000 + first;
      for (int64_t i = first; i < std::min(want, first + kBatch); ++i) {
        auto [type, value] = Observable(i);
        Submission sub;
        sub.object.type = type;
        sub.object.id = Id(type, value);
        sub.object.json = "{\"type\":\"" + type + "\",\"spec_version\":\"2.1\",\"id\":\"" +
                          sub.object.id + "\",\"value\":\"" + value + "\"}";
        sub.position = ":" + std::to_string(i + 1);
        batch.objects.push_back(std::move(sub));
      }
      if (auto put = db->Put(batch); !put.ok()) {
        std::fprintf(stderr, "store_query_bench: %s\n", put.error().ToString().c_str());
        std::exit(1);
      }
    }
    return db;
  }();
  return *store;
}

// Looks up values known to be there, in random order (cold for the page cache
// as far as the store is larger than it).
void BM_ValueLookup(benchmark::State& state) {
  Store& db = BenchStore();
  std::mt19937_64 random(42);
  std::uniform_int_distribution<int64_t> pick(0, ObjectCount() - 1);
  for (auto _ : state) {
    Query q;
    q.value = Observable(pick(random)).second;
    auto page = db.Search(q);
    if (!page.ok() || page->objects.size() != 1) state.SkipWithError("value not found once");
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_ValueLookup)->Unit(benchmark::kMicrosecond);

void BM_GetById(benchmark::State& state) {
  Store& db = BenchStore();
  std::mt19937_64 random(43);
  std::uniform_int_distribution<int64_t> pick(0, ObjectCount() - 1);
  for (auto _ : state) {
    auto [type, value] = Observable(pick(random));
    auto got = db.Get(Id(type, value));
    if (!got.ok() || !*got) state.SkipWithError("id not found");
    benchmark::DoNotOptimize(got);
  }
}
BENCHMARK(BM_GetById)->Unit(benchmark::kMicrosecond);

// A domain and everything under it: one "zoneN.example.net" has about
// ObjectCount()/3000 hosts; the first page of 100.
void BM_DomainSubtreeFirstPage(benchmark::State& state) {
  Store& db = BenchStore();
  std::mt19937_64 random(44);
  std::uniform_int_distribution<int> zone(0, 999);
  for (auto _ : state) {
    Query q;
    q.domain = "zone" + std::to_string(zone(random)) + ".example.net";
    auto page = db.Search(q);
    if (!page.ok() || page->objects.empty()) state.SkipWithError("no domain found");
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_DomainSubtreeFirstPage)->Unit(benchmark::kMicrosecond);

// Addresses inside a /24.
void BM_InsideCidr(benchmark::State& state) {
  Store& db = BenchStore();
  std::mt19937_64 random(45);
  std::uniform_int_distribution<int64_t> pick(0, ObjectCount() / 3 - 1);
  for (auto _ : state) {
    std::string ip = Observable(pick(random) * 3 + 1).second;
    Query q;
    q.inside = ip.substr(0, ip.rfind('.')) + ".0/24";
    auto page = db.Search(q);
    if (!page.ok() || page->objects.empty()) state.SkipWithError("no address found");
    benchmark::DoNotOptimize(page);
  }
}
BENCHMARK(BM_InsideCidr)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tessera::store

BENCHMARK_MAIN();
