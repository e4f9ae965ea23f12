// Google Benchmark of the STIX hot paths on one input held in memory:
//   - by default a generated bundle of TESSERA_BENCH_MB MiB (default 8, seed 1),
//   - or the file named by TESSERA_BENCH_FILE (e.g. a real ATT&CK bundle).
// Benchmarks: ReadStix parse+validate (keep_objects=false), parse+validate+extract
// (keep_objects=true), ParseJson of the whole document, WriteBundle (compact and
// pretty), CanonicalJson of every object, ComputeScoId of every SCO.
//
//   TESSERA_BENCH_MB=32 build/release/bench/stix_bench --benchmark_repetitions=5
//   TESSERA_BENCH_FILE=../shared/corpora/stix2/attack/ics-attack-18.1.json build/release/bench/stix_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/json.h"
#include "stix/bundle.h"
#include "stix/ids.h"
#include "stix_gen.h"

namespace {

namespace core = tessera::core;
namespace stix = tessera::stix;

struct Input {
  std::string name;
  std::string text;
  stix::StixDocument doc;          // read once, with objects
  std::vector<core::Json> trees;   // every object as a tree
  std::vector<core::Json> scos;    // the objects ComputeScoId accepts
  size_t tree_bytes = 0;
  size_t sco_bytes = 0;
};

Input& TheInput() {
  static Input input;
  return input;
}

bool Load(Input* in) {
  if (const char* file = std::getenv("TESSERA_BENCH_FILE"); file != nullptr && *file != '\0') {
    std::ifstream f(file, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "stix_bench: cannot read TESSERA_BENCH_FILE=%s\n", file);
      return false;
    }
    in->text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    in->name = file;
  } else {
    double mb = 8;
    if (const char* env = std::getenv("TESSERA_BENCH_MB"); env != nullptr && *env != '\0') {
      mb = std::atof(env);
    }
    if (!(mb > 0)) {
      std::fprintf(stderr, "stix_bench: bad TESSERA_BENCH_MB\n");
      return false;
    }
    tessera::bench::GenOptions options;
    options.target_bytes = static_cast<size_t>(mb * 1024 * 1024);
    in->text = tessera::bench::GenerateStixBundle(options);
    in->name = "generated(" + std::to_string(mb) + " MiB, seed 1)";
  }
  in->text.reserve(in->text.size() + stix::kReadPadding);  // parse in place, as the CLI does
  auto doc = stix::ReadStix(in->text);
  if (!doc.ok()) {
    std::fprintf(stderr, "stix_bench: input is not STIX: %s\n", doc.error().ToString().c_str());
    return false;
  }
  in->doc = std::move(*doc);
  for (const stix::StixObject& o : in->doc.objects) {
    auto tree = core::ParseJson(o.json);
    if (!tree.ok()) continue;
    in->tree_bytes += o.json.size();
    if (stix::ComputeScoId(*tree).ok()) {
      in->scos.push_back(*tree);
      in->sco_bytes += o.json.size();
    }
    in->trees.push_back(std::move(*tree));
  }
  std::fprintf(stderr, "stix_bench: input %s: %zu bytes, %zu objects (%zu SCOs), %zu errors, %zu warnings\n",
               in->name.c_str(), in->text.size(), in->doc.objects.size(), in->scos.size(),
               in->doc.CountProblems(stix::Severity::kError),
               in->doc.CountProblems(stix::Severity::kWarning));
  return true;
}

void ReadBench(benchmark::State& state, bool keep_objects) {
  const Input& in = TheInput();
  stix::ReadOptions options;
  options.validate = true;
  options.keep_objects = keep_objects;
  for (auto _ : state) {
    auto doc = stix::ReadStixBuffer(in.text, options);
    if (!doc.ok()) {
      state.SkipWithError("ReadStix failed");
      break;
    }
    benchmark::DoNotOptimize(doc->problems.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.doc.objects.size()));
}

void BM_ReadStix_Validate(benchmark::State& state) { ReadBench(state, false); }
void BM_ReadStix_ValidateExtract(benchmark::State& state) { ReadBench(state, true); }

void BM_ParseJson_Tree(benchmark::State& state) {
  const Input& in = TheInput();
  for (auto _ : state) {
    auto tree = core::ParseJson(in.text);
    if (!tree.ok()) {
      state.SkipWithError("ParseJson failed");
      break;
    }
    benchmark::DoNotOptimize(&*tree);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
}

void WriteBench(benchmark::State& state, core::JsonStyle style) {
  const Input& in = TheInput();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = stix::WriteBundle(in.doc, style);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.doc.objects.size()));
}

void BM_WriteBundle_Compact(benchmark::State& state) { WriteBench(state, core::JsonStyle::kCompact); }
void BM_WriteBundle_Pretty(benchmark::State& state) { WriteBench(state, core::JsonStyle::kPretty); }

void BM_CanonicalJson_Objects(benchmark::State& state) {
  const Input& in = TheInput();
  std::string out;
  for (auto _ : state) {
    for (const core::Json& tree : in.trees) {
      out.clear();
      core::CanonicalJson(tree, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.tree_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.trees.size()));
}

void BM_ComputeScoId(benchmark::State& state) {
  const Input& in = TheInput();
  if (in.scos.empty()) {
    state.SkipWithError("no SCOs in the input");
    return;
  }
  for (auto _ : state) {
    for (const core::Json& sco : in.scos) {
      auto id = stix::ComputeScoId(sco);
      benchmark::DoNotOptimize(id.ok());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.sco_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.scos.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!Load(&TheInput())) return 1;
  for (auto* b : {
           benchmark::RegisterBenchmark("BM_ReadStix_Validate", BM_ReadStix_Validate),
           benchmark::RegisterBenchmark("BM_ReadStix_ValidateExtract", BM_ReadStix_ValidateExtract),
           benchmark::RegisterBenchmark("BM_ParseJson_Tree", BM_ParseJson_Tree),
           benchmark::RegisterBenchmark("BM_WriteBundle_Compact", BM_WriteBundle_Compact),
           benchmark::RegisterBenchmark("BM_WriteBundle_Pretty", BM_WriteBundle_Pretty),
           benchmark::RegisterBenchmark("BM_CanonicalJson_Objects", BM_CanonicalJson_Objects),
           benchmark::RegisterBenchmark("BM_ComputeScoId", BM_ComputeScoId),
       }) {
    b->Unit(benchmark::kMillisecond);
  }
  benchmark::AddCustomContext("input", TheInput().name);
  benchmark::AddCustomContext("input_bytes", std::to_string(TheInput().text.size()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
