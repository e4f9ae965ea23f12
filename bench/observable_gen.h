// Deterministic generator of messy observable lists for benchmarks: the same
// seed gives the same lines. Mixes every common kind with the spellings partners
// really send (defanged, upper case, trailing dots, default ports, dot segments,
// leading zeros) and about 10% repeats. Not thread-safe (one generator per thread).
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace tessera::bench {

class ObservableGenerator {
 public:
  explicit ObservableGenerator(uint64_t seed) : rng_(seed) {}
  // One observable, without a newline.
  std::string Next();

 private:
  std::string Label(size_t min, size_t max);
  std::string Hex(size_t n, bool upper);
  std::string Domain();
  std::mt19937_64 rng_;
  std::string last_;
};

}  // namespace tessera::bench
