#include "governance/token.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/hash.h"
#include "store/registry.h"

namespace tessera::governance {
namespace {

constexpr std::string_view kPrefix = "tsr_";
constexpr size_t kIdBytes = 6;                     // 12 hex characters
constexpr size_t kSecretBytes = 32;                // 256 bits
constexpr size_t kSecretChars = 43;                // ceil(256 / 6), no padding
constexpr size_t kIdChars = kIdBytes * 2;

constexpr std::array<std::string_view, 4> kRoleNames = {"admin", "contributor", "consumer",
                                                        "auditor"};

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    std::abort();  // no CSPRNG: no safe token can be made
  }
  return bytes;
}

// RFC 4648 §5 base64url without padding.
std::string Base64Url(std::string_view bytes) {
  std::string text = core::Base64Encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::optional<std::string> DecodeBase64Url(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (c == '+' || c == '/') {
      return std::nullopt;
    }
  }
  while (standard.size() % 4 != 0) standard.push_back('=');
  return core::Base64Decode(standard);
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Exactly 256 bits in canonical form (re-encoding gives the same text, so the
// unused low bits of the last character are zero).
bool IsCanonicalSecret(std::string_view secret) {
  if (secret.size() != kSecretChars) return false;
  std::optional<std::string> bytes = DecodeBase64Url(secret);
  return bytes && bytes->size() == kSecretBytes && Base64Url(*bytes) == secret;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

IssuedToken IssueToken() {
  IssuedToken token;
  token.id = core::HexEncode(RandomBytes(kIdBytes));
  std::string secret = Base64Url(RandomBytes(kSecretBytes));
  token.hash = SecretHash(secret);
  token.text = std::string(kPrefix);
  token.text.append(token.id).append("_").append(secret);
  return token;
}

std::optional<ParsedToken> ParseToken(std::string_view text) {
  if (text.size() != kPrefix.size() + kIdChars + 1 + kSecretChars) return std::nullopt;
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view id = text.substr(kPrefix.size(), kIdChars);
  if (!IsLowerHex(id) || text[kPrefix.size() + kIdChars] != '_') return std::nullopt;
  std::string_view secret = text.substr(kPrefix.size() + kIdChars + 1);
  if (!IsCanonicalSecret(secret)) return std::nullopt;
  return ParsedToken{std::string(id), std::string(secret)};
}

std::string SecretHash(std::string_view secret) {
  core::Sha256Digest digest = core::Sha256(secret);
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool SecretMatches(std::string_view secret, std::string_view stored_hash) {
  core::Sha256Digest digest = core::Sha256(secret);
  if (stored_hash.size() != digest.size()) return false;
  return CRYPTO_memcmp(digest.data(), stored_hash.data(), digest.size()) == 0;
}

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (name == kRoleNames[i]) return static_cast<Role>(i);
  }
  return std::nullopt;
}

core::Result<std::vector<std::string>> ParseRoles(std::string_view text) {
  std::vector<std::string> roles;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item = Trim(text.substr(start, comma - start));
    std::optional<Role> role = ParseRole(item);
    if (!role) {
      std::string message = item.empty() ? std::string("empty role name") : "unknown role '";
      if (!item.empty()) message.append(item).append("'");
      message.append(" (roles: admin, contributor, consumer, auditor)");
      return core::MakeError(core::ErrorCode::kInvalidArgument, std::move(message));
    }
    roles.emplace_back(RoleName(*role));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

std::string_view TokenStateName(TokenState state) {
  constexpr std::array<std::string_view, 4> kNames = {"valid", "wrong secret", "expired",
                                                      "revoked"};
  return kNames[static_cast<size_t>(state)];
}

TokenState Check(const store::TokenRecord& token, std::string_view secret, store::Micros now) {
  if (!SecretMatches(secret, token.hash)) return TokenState::kWrongSecret;
  if (token.revoked) return TokenState::kRevoked;
  if (token.expires && *token.expires <= now) return TokenState::kExpired;
  return TokenState::kValid;
}

}  // namespace tessera::governance
