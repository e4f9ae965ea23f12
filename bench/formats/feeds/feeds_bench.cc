// Google Benchmark of the CSV feed reader on a generated URLhaus-like dump held
// in memory (TESSERA_BENCH_MB, default 16): the whole reader (fast and
// reference JSON paths, indicators and observations) and its stages (splitting,
// mapping, URL normalization). rows/s is the figure the target is stated in.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "formats/feeds/delimited.h"
#include "formats/feeds/feeds.h"
#include "formats/feeds/row.h"
#include "formats/registry.h"
#include "normalize/classify.h"
#include "normalize/stix_mapping.h"
#include "urlhaus_gen.h"

namespace {

using namespace tessera;

const std::string& Dump() {
  static const std::string kDump = [] {
    const char* mb = std::getenv("TESSERA_BENCH_MB");
    uint64_t bytes = (mb != nullptr ? std::strtoull(mb, nullptr, 10) : 16) << 20;
    std::string out;
    bench::AppendUrlhausBanner(&out);
    bench::AppendUrlhausRows(&out, bytes, 1);
    return out;
  }();
  return kDump;
}

// Counts, and reads each object's JSON so that nothing is optimized away; keeps
// nothing (the reader reuses the record's buffers).
class CountingSink : public formats::Sink {
 public:
  void Accept(formats::Record&& record) override {
    ++records;
    for (const stix::StixObject& o : record.objects) bytes += o.json.size();
  }
  void Reject(formats::Rejected&&) override { ++rejects; }
  uint64_t records = 0;
  uint64_t rejects = 0;
  uint64_t bytes = 0;
};

const formats::feeds::FeedDefinition& Urlhaus() {
  for (const auto& def : formats::feeds::BundledDefinitions()) {
    if (def.name == "urlhaus") return def;
  }
  std::abort();
}

void Read(benchmark::State& state, bool fast, bool indicator) {
  const std::string& dump = Dump();
  formats::feeds::FeedDefinition def = Urlhaus();
  def.indicator = indicator;
  formats::ReadContext context;
  context.now = "2026-01-01T00:00:00.000Z";
  uint64_t rows = 0;
  for (auto _ : state) {
    formats::Input input = formats::Input::FromString(dump, "bench");
    CountingSink sink;
    auto status = formats::feeds::ReadWithDefinition(def, "urlhaus", input, context, sink, fast);
    if (!status.ok() || sink.rejects != 0) state.SkipWithError("read failed");
    rows += sink.records;
    benchmark::DoNotOptimize(sink.bytes);
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dump.size()));
}

void BM_ReadUrlhaus_Fast(benchmark::State& state) { Read(state, true, true); }
void BM_ReadUrlhaus_JsonPath(benchmark::State& state) { Read(state, false, true); }
void BM_ReadUrlhaus_Observed(benchmark::State& state) { Read(state, true, false); }

// The registered format end to end (options checked, definition copied).
void BM_ReadUrlhaus_Format(benchmark::State& state) {
  const std::string& dump = Dump();
  const formats::Format* format = formats::FindFormat("urlhaus");
  formats::ReadContext context;
  uint64_t rows = 0;
  for (auto _ : state) {
    formats::Input input = formats::Input::FromString(dump, "bench");
    CountingSink sink;
    if (!format->read(input, context, sink).ok()) state.SkipWithError("read failed");
    rows += sink.records;
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dump.size()));
}

// An address blocklist (address, time, label) through the generic reader: the
// same pipeline with a cheaper canonicalizer than URLs need.
void BM_ReadIpList_Csv(benchmark::State& state) {
  static const std::string kList = [] {
    std::string out = "# ip,first_seen,threat\n";
    uint64_t x = 12345;
    while (out.size() < (size_t{16} << 20)) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      out += std::to_string(1 + (x >> 56) % 223) + "." + std::to_string((x >> 48) & 255) + "." +
             std::to_string((x >> 40) & 255) + "." + std::to_string((x >> 32) & 255) +
             ",2024-01-02 03:04:05,scanner\n";
    }
    return out;
  }();
  const formats::Format* format = formats::FindFormat("csv");
  formats::ReadContext context;
  context.options = {{"columns", "ip:ip,time:first_seen,threat:label"}, {"delimiter", ","}};
  uint64_t rows = 0;
  for (auto _ : state) {
    formats::Input input = formats::Input::FromString(kList, "bench");
    CountingSink sink;
    if (!format->read(input, context, sink).ok()) state.SkipWithError("read failed");
    rows += sink.records;
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kList.size()));
}

// Splitting records into fields only.
void BM_Split(benchmark::State& state) {
  const std::string& dump = Dump();
  uint64_t rows = 0;
  for (auto _ : state) {
    formats::feeds::RecordSplitter splitter(formats::feeds::SplitOptions{});
    std::string_view rest = dump;
    size_t consumed = 0;
    size_t lines = 0;
    while (!rest.empty()) {
      if (rest[0] == '#') {
        rest.remove_prefix(rest.find('\n') + 1);
        continue;
      }
      splitter.Split(rest, true, &consumed, &lines);
      rest.remove_prefix(consumed);
      ++rows;
      benchmark::DoNotOptimize(splitter.fields().data());
    }
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dump.size()));
}

// Splitting and mapping (normalization, times, labels, fields), no STIX objects.
void BM_SplitAndMap(benchmark::State& state) {
  const std::string& dump = Dump();
  const formats::feeds::FeedDefinition& def = Urlhaus();
  uint64_t rows = 0;
  for (auto _ : state) {
    formats::feeds::RecordSplitter splitter(formats::feeds::SplitOptions{});
    formats::feeds::RowMapper mapper(def, normalize::NormalizeOptions());
    mapper.BindPositions();
    formats::feeds::MappedRow row;
    std::string reason;
    std::string_view rest = dump;
    size_t consumed = 0;
    size_t lines = 0;
    while (!rest.empty()) {
      if (rest[0] == '#') {
        rest.remove_prefix(rest.find('\n') + 1);
        continue;
      }
      splitter.Split(rest, true, &consumed, &lines);
      rest.remove_prefix(consumed);
      if (mapper.Map(splitter.fields(), {}, &row, &reason)) ++rows;
    }
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

// Only the URL canonicalizer, on each row's URL, through the entry point the
// reader uses (NormalizeAsInto: the observable's storage reused).
void BM_NormalizeUrls(benchmark::State& state) {
  std::vector<std::string> urls;
  {
    formats::feeds::RecordSplitter splitter(formats::feeds::SplitOptions{});
    std::string_view rest = Dump();
    size_t consumed = 0;
    size_t lines = 0;
    while (!rest.empty() && urls.size() < 200000) {
      if (rest[0] == '#') {
        rest.remove_prefix(rest.find('\n') + 1);
        continue;
      }
      splitter.Split(rest, true, &consumed, &lines);
      rest.remove_prefix(consumed);
      urls.emplace_back(splitter.fields()[2]);
    }
  }
  uint64_t n = 0;
  normalize::Observable observable;
  std::string error;
  const normalize::NormalizeOptions options;
  for (auto _ : state) {
    for (const std::string& url : urls) {
      bool ok = normalize::NormalizeAsInto(normalize::Kind::kUrl, url, options, &observable, &error);
      benchmark::DoNotOptimize(ok);
      ++n;
    }
  }
  state.counters["urls/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}

// One deterministic id (UUIDv5: SHA-1 of the namespace and a ~100-byte name),
// three of which each indicator row needs (SCO, indicator, relationship).
void BM_UuidV5(benchmark::State& state) {
  std::string name =
      "indicator|stix|[url:value = 'http://update12345.files.example.com/bins/mozi.m?id=123456']";
  uint64_t n = 0;
  for (auto _ : state) {
    name[40] = static_cast<char>('a' + n % 26);
    benchmark::DoNotOptimize(core::UuidV5(normalize::TesseraNamespace(), name));
    ++n;
  }
  state.counters["ids/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_UuidV5);
BENCHMARK(BM_ReadUrlhaus_Fast)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadUrlhaus_JsonPath)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadUrlhaus_Observed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadUrlhaus_Format)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadIpList_Csv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Split)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SplitAndMap)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NormalizeUrls)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
