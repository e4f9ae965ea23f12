// tessera_read_bench FORMAT FILE [--take]: runs one reader over a file with a
// sink that only counts, and prints one JSON line: bytes, records, objects,
// rejected, seconds, MB/s (10^6 bytes), records/s and the process's peak RSS. The
// reader's own cost, without any output, for docs/PERFORMANCE.md
// (bench/run_formats.sh). The sink reads records as `tessera normalize` does;
// with --take it moves each record's objects out and frees them, as ingest's
// batches take them, so a reader cannot reuse their storage.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"

namespace {

class CountingSink : public tessera::formats::Sink {
 public:
  explicit CountingSink(bool take) : take_(take) {}
  void Accept(tessera::formats::Record&& record) override {
    ++records;
    objects += record.objects.size();
    if (take_) std::vector<tessera::stix::StixObject> taken = std::move(record.objects);
  }
  void Reject(tessera::formats::Rejected&&) override { ++rejected; }
  uint64_t records = 0, objects = 0, rejected = 0;

 private:
  bool take_;
};

}  // namespace

int main(int argc, char** argv) {
  const bool take = argc == 4 && std::string(argv[3]) == "--take";
  if (argc != 3 && !take) {
    std::fprintf(stderr, "usage: tessera_read_bench FORMAT FILE [--take]\n");
    return 2;
  }
  const tessera::formats::Format* format = tessera::formats::FindFormat(argv[1]);
  if (format == nullptr) {
    std::fprintf(stderr, "no format %s\n", argv[1]);
    return 2;
  }
  auto input = tessera::formats::Input::Open(argv[2]);
  if (!input.ok()) {
    std::fprintf(stderr, "%s\n", input.error().ToString().c_str());
    return 3;
  }
  tessera::formats::ReadContext context;
  context.now = "2026-01-01T00:00:00.000Z";
  CountingSink sink(take);
  auto start = std::chrono::steady_clock::now();
  auto status = format->read(*input, context, sink);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.error().ToString().c_str());
    return 1;
  }
  uint64_t bytes = input->offset();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double s = elapsed.count();
  std::printf(
      "{\"format\":\"%s\",\"bytes\":%llu,\"records\":%llu,\"objects\":%llu,\"rejected\":%llu,"
      "\"seconds\":%.3f,\"mb_per_s\":%.1f,\"records_per_s\":%.0f,\"peak_rss_mib\":%.1f}\n",
      argv[1], static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(sink.records),
      static_cast<unsigned long long>(sink.objects), static_cast<unsigned long long>(sink.rejected),
      s, bytes / s / 1e6, sink.records / s, usage.ru_maxrss / 1024.0);
  return 0;
}
