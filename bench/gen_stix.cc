// tessera_gen_stix: writes a deterministic, realistic STIX 2.1 bundle of about
// N MB to stdout, for benchmarks (bench/run_stix.sh).
//
//   tessera_gen_stix --mb 128 --seed 1 > build/bench-data/gen-128mb.json
//   tessera_gen_stix --mb 8 --pretty > pretty.json
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stix_gen.h"

namespace {

[[noreturn]] void Usage(const char* argv0, int code) {
  std::fprintf(code == 0 ? stdout : stderr,
               "usage: %s [--mb N] [--seed S] [--pretty]\n"
               "  --mb N     approximate size in MiB (default 8; fractions allowed)\n"
               "  --seed S   generator seed (default 1); same N and S give the same bytes\n"
               "  --pretty   indent objects instead of one compact object per line\n",
               argv0);
  std::exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  tessera::bench::GenOptions options;
  double mb = 8;
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
      if (*end != '\0' || !(mb > 0) || mb > 65536) Usage(argv[0], 2);
    } else if (arg == "--seed") {
      const char* v = value();
      options.seed = std::strtoull(v, &end, 10);
      if (*end != '\0') Usage(argv[0], 2);
    } else if (arg == "--pretty") {
      options.pretty = true;
    } else if (arg == "-h" || arg == "--help") {
      Usage(argv[0], 0);
    } else {
      Usage(argv[0], 2);
    }
  }
  options.target_bytes = static_cast<size_t>(mb * 1024 * 1024);
  std::string bundle = tessera::bench::GenerateStixBundle(options);
  if (std::fwrite(bundle.data(), 1, bundle.size(), stdout) != bundle.size() || std::fflush(stdout) != 0) {
    std::perror("tessera_gen_stix: write");
    return 1;
  }
  return 0;
}
