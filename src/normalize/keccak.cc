// Keccak-f[1600] and the Keccak-256 sponge, after the Keccak team's reference
// ("The Keccak reference", version 3.0, §1.2 and §5) written for clarity: the
// state is 25 little-endian 64-bit lanes A[x + 5y].
#include "normalize/keccak.h"

#include <cstddef>

namespace tessera::normalize::detail {
namespace {

constexpr size_t kRateBytes = 136;  // 1600 - 2 * 256 bits of capacity, in bytes
constexpr int kRounds = 24;

// ι: round constants RC[i].
constexpr std::array<uint64_t, kRounds> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// ρ and π combined, walking the single 24-lane cycle of π that starts at lane
// (1, 0): lane kPiLane[i] receives the previous lane of the walk, rotated left by
// kRhoOffset[i] (the ρ offsets r[x][y] in walk order).
constexpr std::array<int, 24> kPiLane = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                         15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};
constexpr std::array<int, 24> kRhoOffset = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                            27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};

constexpr uint64_t RotateLeft(uint64_t v, int n) { return (v << n) | (v >> (64 - n)); }

// The 24-round permutation on lanes a[x + 5y]. θ and χ are written out per
// column / row: GCC at -O2 neither unrolls the five-step loops nor removes their
// modulo, which made the permutation three times slower.
void KeccakF1600(std::array<uint64_t, 25>& a) {
  for (int round = 0; round < kRounds; ++round) {
    // θ: xor each lane with the parities of its two neighbouring columns.
    uint64_t c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
    uint64_t c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
    uint64_t c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
    uint64_t c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
    uint64_t c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
    uint64_t d0 = c4 ^ RotateLeft(c1, 1);
    uint64_t d1 = c0 ^ RotateLeft(c2, 1);
    uint64_t d2 = c1 ^ RotateLeft(c3, 1);
    uint64_t d3 = c2 ^ RotateLeft(c4, 1);
    uint64_t d4 = c3 ^ RotateLeft(c0, 1);
    for (int y = 0; y < 25; y += 5) {
      a[y] ^= d0;
      a[y + 1] ^= d1;
      a[y + 2] ^= d2;
      a[y + 3] ^= d3;
      a[y + 4] ^= d4;
    }
    // ρ and π: move lane (x, y) to (y, 2x + 3y), rotating it.
    uint64_t carried = a[1];
    for (int i = 0; i < 24; ++i) {
      int lane = kPiLane[i];
      uint64_t next = a[lane];
      a[lane] = RotateLeft(carried, kRhoOffset[i]);
      carried = next;
    }
    // χ: the only non-linear step, along each row.
    for (int y = 0; y < 25; y += 5) {
      uint64_t r0 = a[y], r1 = a[y + 1], r2 = a[y + 2], r3 = a[y + 3], r4 = a[y + 4];
      a[y] = r0 ^ (~r1 & r2);
      a[y + 1] = r1 ^ (~r2 & r3);
      a[y + 2] = r2 ^ (~r3 & r4);
      a[y + 3] = r3 ^ (~r4 & r0);
      a[y + 4] = r4 ^ (~r0 & r1);
    }
    // ι: break the symmetry between rounds.
    a[0] ^= kRoundConstants[round];
  }
}

// Little-endian 64-bit load (compilers turn this into one load on x86 and ARM).
uint64_t LoadLane(const uint8_t* p) {
  return static_cast<uint64_t>(p[0]) | static_cast<uint64_t>(p[1]) << 8 |
         static_cast<uint64_t>(p[2]) << 16 | static_cast<uint64_t>(p[3]) << 24 |
         static_cast<uint64_t>(p[4]) << 32 | static_cast<uint64_t>(p[5]) << 40 |
         static_cast<uint64_t>(p[6]) << 48 | static_cast<uint64_t>(p[7]) << 56;
}

// XORs one rate-sized block into the first 17 lanes, then permutes.
void Absorb(std::array<uint64_t, 25>& state, const uint8_t* block) {
  for (size_t i = 0; i < kRateBytes / 8; ++i) state[i] ^= LoadLane(block + 8 * i);
  KeccakF1600(state);
}

}  // namespace

Keccak256Digest Keccak256(std::string_view data) {
  std::array<uint64_t, 25> state{};
  const auto* in = reinterpret_cast<const uint8_t*>(data.data());
  size_t left = data.size();
  while (left >= kRateBytes) {
    Absorb(state, in);
    in += kRateBytes;
    left -= kRateBytes;
  }
  // Keccak pad10*1 with the original domain byte 0x01 (SHA-3 would use 0x06).
  // When only one padding byte fits, 0x01 and 0x80 share it as 0x81.
  std::array<uint8_t, kRateBytes> last{};
  for (size_t i = 0; i < left; ++i) last[i] = in[i];
  last[left] ^= 0x01;
  last[kRateBytes - 1] ^= 0x80;
  Absorb(state, last.data());

  Keccak256Digest out;
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(state[i / 8] >> (8 * (i % 8)));
  }
  return out;
}

}  // namespace tessera::normalize::detail
