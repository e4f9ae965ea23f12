// tessera_gen_urlhaus --mb N [--seed S]: writes a URLhaus-like CSV dump of at
// least N MiB to standard output (bench/formats/feeds/run.sh).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "urlhaus_gen.h"

int main(int argc, char** argv) {
  uint64_t mb = 128;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--mb") == 0) {
      mb = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (std::strcmp(argv[i], "--seed") == 0) {
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: tessera_gen_urlhaus --mb N [--seed S]\n");
      return 2;
    }
  }
  std::string buffer;
  tessera::bench::AppendUrlhausBanner(&buffer);
  uint64_t target = mb << 20;
  uint64_t written = 0;
  uint64_t rows = 0;
  uint64_t part = 0;
  while (written < target) {
    uint64_t chunk = std::min<uint64_t>(target - written, uint64_t{8} << 20);
    rows += tessera::bench::AppendUrlhausRows(&buffer, chunk, seed * 100000 + part++);
    if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size()) return 1;
    written += buffer.size();
    buffer.clear();
  }
  std::fprintf(stderr, "%llu bytes, %llu rows\n", static_cast<unsigned long long>(written),
               static_cast<unsigned long long>(rows));
  return 0;
}
