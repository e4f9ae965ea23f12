// Google Benchmark of the normalization hot path: classify + canonicalize + STIX
// id (+ the JSON line) for messy observables from the generator
// (TESSERA_BENCH_LINES, default 200k).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "normalize/classify.h"
#include "normalize/json_line.h"
#include "normalize/stix_mapping.h"
#include "observable_gen.h"

namespace {

const std::vector<std::string>& Tokens() {
  static const std::vector<std::string> kTokens = [] {
    size_t n = 200000;
    if (const char* env = std::getenv("TESSERA_BENCH_LINES")) n = std::strtoul(env, nullptr, 10);
    tessera::bench::ObservableGenerator gen(1);
    std::vector<std::string> tokens;
    tokens.reserve(n);
    for (size_t i = 0; i < n; ++i) tokens.push_back(gen.Next());
    return tokens;
  }();
  return kTokens;
}

void BM_Normalize(benchmark::State& state) {
  const auto& tokens = Tokens();
  size_t ok = 0;
  for (auto _ : state) {
    for (const std::string& t : tokens) {
      auto o = tessera::normalize::Normalize(t);
      ok += o.ok() ? 1 : 0;
      benchmark::DoNotOptimize(o);
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * tokens.size()));
  state.counters["accepted_share"] =
      static_cast<double>(ok) / static_cast<double>(state.iterations() * tokens.size());
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);

void BM_NormalizeAndId(benchmark::State& state) {
  const auto& tokens = Tokens();
  for (auto _ : state) {
    for (const std::string& t : tokens) {
      auto o = tessera::normalize::Normalize(t);
      if (o.ok()) benchmark::DoNotOptimize(tessera::normalize::StixId(*o));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * tokens.size()));
}
BENCHMARK(BM_NormalizeAndId)->Unit(benchmark::kMillisecond);

// What `tessera normalize --to jsonl` does per line, minus reading, writing and
// de-duplication: a TokenNormalizer (storage reused from token to token), the
// STIX id, the JSON line.
void BM_NormalizeToJsonLine(benchmark::State& state) {
  const auto& tokens = Tokens();
  tessera::normalize::TokenNormalizer normalizer;
  std::string line;
  for (auto _ : state) {
    for (const std::string& t : tokens) {
      line.clear();
      if (const tessera::normalize::Observable* o = normalizer.Normalize(t)) {
        tessera::normalize::AppendJsonLine(*o, tessera::normalize::StixIdOf(*o), &line);
      }
      benchmark::DoNotOptimize(line.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * tokens.size()));
}
BENCHMARK(BM_NormalizeToJsonLine)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
