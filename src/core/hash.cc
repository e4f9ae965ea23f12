#include "core/hash.h"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

namespace tessera::core {
namespace {

// EVP failures here mean a broken OpenSSL installation (e.g. SHA-1 disabled by a
// provider config); no input can cause them, so they abort rather than return.
// Explicitly fetched digests, fetched once: EVP_sha1() and friends make OpenSSL 3
// fetch the implementation again on every call, which dominated short inputs
// (deterministic ids hash a few dozen bytes each).
const EVP_MD* FetchedDigest(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) std::abort();
  return md;  // kept for the life of the process
}

// One digest context per thread, reused: EVP_Digest allocates and frees a
// context per call, which costs more than hashing a short input.
void Digest(const EVP_MD* md, std::string_view data, uint8_t* out) {
  struct ContextDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
    std::abort();
  }
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Sha1Digest Sha1(std::string_view data) {
  Sha1Digest out{};
  static const EVP_MD* const kSha1 = FetchedDigest("SHA1");
  Digest(kSha1, data, out.data());
  return out;
}

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out{};
  static const EVP_MD* const kSha256 = FetchedDigest("SHA256");
  Digest(kSha256, data, out.data());
  return out;
}

Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  Sha256Digest out{};
  size_t len = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
                out.size(), &len) == nullptr ||
      len != out.size()) {
    std::abort();
  }
  return out;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(kAlphabet[v >> 6 & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = byte(i) << 16;
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out += "==";
  } else if (rest == 2) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out.push_back(kAlphabet[v >> 18 & 63]);
    out.push_back(kAlphabet[v >> 12 & 63]);
    out.push_back(kAlphabet[v >> 6 & 63]);
    out.push_back('=');
  }
  return out;
}

// Strict: length a multiple of 4, '=' only as the final one or two characters, no
// whitespace, and the unused bits before padding must be zero (RFC 4648 §3.5
// canonical encoding), so each byte string has exactly one accepted encoding.
std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    size_t pad = 0;
    if (last) {
      if (text[i + 3] == '=') pad = (text[i + 2] == '=') ? 2 : 1;
    }
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k) {
      int d = 0;
      if (k >= 4 - pad) {
        d = 0;
      } else {
        d = Base64Value(text[i + k]);
        if (d < 0) return std::nullopt;
      }
      v = v << 6 | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<char>(v >> 16 & 0xFF));
    if (pad == 2) {
      if ((v & 0xFFFF) != 0) return std::nullopt;
      break;
    }
    out.push_back(static_cast<char>(v >> 8 & 0xFF));
    if (pad == 1) {
      if ((v & 0xFF) != 0) return std::nullopt;
      break;
    }
    out.push_back(static_cast<char>(v & 0xFF));
  }
  return out;
}

}  // namespace tessera::core
