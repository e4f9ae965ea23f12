// tessera_gen_observables --lines N [--seed S]: writes N messy observables, one
// per line, to stdout (deterministic for a seed). Input for the normalize benchmark.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "observable_gen.h"

int main(int argc, char** argv) {
  unsigned long long lines = 1000000, seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--lines") == 0) lines = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: tessera_gen_observables --lines N [--seed S]\n");
      return 2;
    }
  }
  tessera::bench::ObservableGenerator gen(seed);
  std::string buffer;
  for (unsigned long long i = 0; i < lines; ++i) {
    buffer += gen.Next();
    buffer += '\n';
    if (buffer.size() > (1 << 16)) {
      std::fwrite(buffer.data(), 1, buffer.size(), stdout);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), stdout);
  return 0;
}
