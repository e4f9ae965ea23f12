// misp_bench: Google Benchmark of the misp reader in memory: a generated events
// list (TESSERA_BENCH_MB, default 16 MiB; bench/formats/misp/misp_gen.h) read
// through the registry's "misp" format into a sink that only counts. Reports
// bytes/s (MB/s), events/s (records) and attributes/s. A single event (the
// ESET badiis event in ../shared, when present) is measured on its own too.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"
#include "misp_gen.h"

namespace {

class CountingSink : public tessera::formats::Sink {
 public:
  void Accept(tessera::formats::Record&& record) override {
    ++records;
    objects += record.objects.size();
    for (const auto& o : record.objects) json_bytes += o.json.size();
  }
  void Reject(tessera::formats::Rejected&&) override { ++rejected; }
  uint64_t records = 0, objects = 0, rejected = 0, json_bytes = 0;
};

const std::string& Generated(tessera::bench::MispGenStats* stats_out) {
  static tessera::bench::MispGenStats stats;
  static const std::string text = [] {
    tessera::bench::MispGenOptions options;
    const char* mb = std::getenv("TESSERA_BENCH_MB");
    options.target_bytes = static_cast<size_t>((mb != nullptr ? std::atof(mb) : 16.0) * (1 << 20));
    return tessera::bench::GenerateMispEventsString(options, &stats);
  }();
  *stats_out = stats;
  return text;
}

void Read(benchmark::State& state, const std::string& text, uint64_t attributes) {
  const tessera::formats::Format* misp = tessera::formats::FindFormat("misp");
  tessera::formats::ReadContext context;
  context.now = "2026-01-01T00:00:00.000Z";
  uint64_t records = 0;
  uint64_t objects = 0;
  uint64_t json_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto input = tessera::formats::Input::FromString(text, "bench");
    state.ResumeTiming();
    CountingSink sink;
    auto status = misp->read(input, context, sink);
    if (!status.ok() || sink.rejected != 0) state.SkipWithError("read failed or rejected records");
    records = sink.records;
    objects = sink.objects;
    json_bytes = sink.json_bytes;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(records),
                                                  benchmark::Counter::kIsIterationInvariantRate);
  state.counters["attributes/s"] = benchmark::Counter(
      static_cast<double>(attributes), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["objects/event"] = static_cast<double>(objects) / static_cast<double>(records);
  // STIX written per input byte: the work grows with the output, not only the input.
  state.counters["out/in bytes"] =
      static_cast<double>(json_bytes) / static_cast<double>(text.size());
}

void BM_MispEventsList(benchmark::State& state) {
  tessera::bench::MispGenStats stats;
  const std::string& text = Generated(&stats);
  Read(state, text, stats.attributes);
}
BENCHMARK(BM_MispEventsList)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MispBadiisEvent(benchmark::State& state) {
  std::ifstream in(TESSERA_SHARED_DIR "/corpora/misp/events/eset/badiis__misp-badiis.json",
                   std::ios::binary);
  if (!in) {
    state.SkipWithError("../shared not present");
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  Read(state, buffer.str(), 0);
}
BENCHMARK(BM_MispBadiisEvent)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
