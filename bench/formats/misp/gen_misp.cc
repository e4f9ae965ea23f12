// tessera_gen_misp: writes a deterministic, realistic MISP events list
// ({"response": [...]}, one compact event per line) of about N MiB to stdout, for
// benchmarks (bench/formats/misp/run.sh). Streams: any size in constant memory.
//
//   tessera_gen_misp --mb 128 --seed 1 > build/bench-data/misp-128mb-seed1.json
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "misp_gen.h"

namespace {

[[noreturn]] void Usage(const char* argv0, int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: %s [--mb N] [--seed S] [--attributes A]\n"
               "  --mb N          approximate size in MiB (default 16; fractions allowed)\n"
               "  --seed S        generator seed (default 1); same N and S give the same bytes\n"
               "  --attributes A  average attributes per event (default 400)\n",
               argv0);
  std::exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  tessera::bench::MispGenOptions options;
  double mb = 16;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) Usage(argv[0], 2);
      return argv[++i];
    };
    char* end = nullptr;
    if (arg == "--mb") {
      const char* v = value();
      mb = std::strtod(v, &end);
      if (*end != '\0' || !(mb > 0) || mb > 1 << 20) Usage(argv[0], 2);
    } else if (arg == "--seed") {
      const char* v = value();
      options.seed = std::strtoull(v, &end, 10);
      if (*end != '\0') Usage(argv[0], 2);
    } else if (arg == "--attributes") {
      const char* v = value();
      options.attributes_per_event = std::strtoull(v, &end, 10);
      if (*end != '\0' || options.attributes_per_event == 0) Usage(argv[0], 2);
    } else if (arg == "-h" || arg == "--help") {
      Usage(argv[0], 0);
    } else {
      Usage(argv[0], 2);
    }
  }
  options.target_bytes = static_cast<size_t>(mb * 1024 * 1024);
  bool ok = true;
  std::function<void(std::string_view)> write = [&](std::string_view s) {
    ok = ok && std::fwrite(s.data(), 1, s.size(), stdout) == s.size();
  };
  auto stats = tessera::bench::GenerateMispEvents(options, write);
  if (!ok || std::fflush(stdout) != 0) {
    std::perror("tessera_gen_misp: write");
    return 1;
  }
  std::fprintf(stderr, "%llu bytes, %llu events, %llu attributes\n",
               static_cast<unsigned long long>(stats.bytes),
               static_cast<unsigned long long>(stats.events),
               static_cast<unsigned long long>(stats.attributes));
  return 0;
}
