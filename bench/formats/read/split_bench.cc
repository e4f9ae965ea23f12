// tessera_split_bench MEMBER FILE [REPS]: the streaming JSON splitter alone
// (formats/json_stream.h) over a file already in memory, fed in 1 MiB pieces as
// the readers feed it, with each way of scanning the inside of elements (byte
// by byte, SSE2 blocks, the widest blocks the CPU has) in turn, REPS times
// (default 5). Prints one JSON line per way: elements, the median seconds and
// MB/s (10^6 bytes). MEMBER is the top-level member whose array streams
// ("objects" for STIX bundles, "response" for MISP events lists), or "-" for
// a top-level array. For docs/PERFORMANCE.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "formats/json_stream.h"

namespace {

using tessera::formats::BlockScanning;

double SplitSeconds(const tessera::formats::JsonStreamShape& shape, const std::string& text,
                    BlockScanning scanning, uint64_t* elements) {
  tessera::formats::JsonStreamSplitter::Callbacks callbacks;
  uint64_t count = 0;
  callbacks.element = [&](const tessera::formats::JsonElement&) { ++count; };
  tessera::formats::JsonStreamSplitter splitter(shape, size_t{64} << 20, std::move(callbacks),
                                                scanning);
  constexpr size_t kPiece = size_t{1} << 20;
  const auto start = std::chrono::steady_clock::now();
  for (size_t at = 0; at < text.size(); at += kPiece) {
    if (!splitter.Feed(std::string_view(text).substr(at, kPiece)).ok()) std::exit(1);
  }
  if (!splitter.Finish().ok()) std::exit(1);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  *elements = count;
  return elapsed.count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: tessera_split_bench MEMBER FILE [REPS]\n");
    return 2;
  }
  const int reps = argc == 4 ? std::atoi(argv[3]) : 5;
  std::ifstream file(argv[2], std::ios::binary);
  if (!file || reps < 1) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 3;
  }
  std::stringstream content;
  content << file.rdbuf();
  const std::string text = content.str();
  tessera::formats::JsonStreamShape shape;
  const std::string member = argv[1];
  if (member != "-") shape.array_members = {member};
  const std::pair<BlockScanning, const char*> ways[] = {
      {BlockScanning::kByteByByte, "byte-by-byte"},
      {BlockScanning::kSse2, "sse2"},
      {BlockScanning::kWidest, "widest"}};
  std::vector<std::vector<double>> seconds(3);
  uint64_t elements = 0;
  for (int rep = 0; rep < reps; ++rep) {
    for (size_t w = 0; w < 3; ++w)
      seconds[w].push_back(SplitSeconds(shape, text, ways[w].first, &elements));
  }
  for (size_t w = 0; w < 3; ++w) {
    std::sort(seconds[w].begin(), seconds[w].end());
    const double median = seconds[w][seconds[w].size() / 2];
    std::printf(
        "{\"scanning\":\"%s\",\"bytes\":%zu,\"elements\":%llu,\"seconds\":%.4f,\"mb_per_s\":%.0f}"
        "\n",
        ways[w].second, text.size(), static_cast<unsigned long long>(elements), median,
        text.size() / median / 1e6);
  }
  return 0;
}
