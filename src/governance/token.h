// API tokens and roles. A token is "tsr_<id>_<secret>": a public id (12 hex
// characters, the registry key) and a 256-bit secret (base64url, no padding).
// Only SHA-256 of the secret is stored; secrets are compared in constant time.
// Stateless functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace tessera::store {
struct TokenRecord;
}

namespace tessera::governance {

struct IssuedToken {
  std::string text;  // "tsr_<id>_<secret>": shown to the user once, never stored
  std::string id;    // 12 lower-case hex characters (48 random bits)
  std::string hash;  // raw 32-byte SHA-256 of the secret (TokenRecord::hash)
};

// A new token from OpenSSL's CSPRNG (RAND_bytes). Aborts if the CSPRNG fails
// (the process could not make a safe token at all).
IssuedToken IssueToken();

struct ParsedToken {
  std::string id;
  std::string secret;  // the base64url text after the second '_'
};

// Strict: "tsr_", 12 lower-case hex characters, "_", 43 base64url characters
// (exactly 256 bits, unused low bits zero). nullopt for anything else.
std::optional<ParsedToken> ParseToken(std::string_view text);

// The hash IssueToken stores: raw SHA-256 of the secret text.
std::string SecretHash(std::string_view secret);

// Whether SHA-256(secret) equals stored_hash, compared in constant time
// (CRYPTO_memcmp). A stored hash of the wrong length never matches.
bool SecretMatches(std::string_view secret, std::string_view stored_hash);

enum class Role { kAdmin, kContributor, kConsumer, kAuditor };

// "admin", "contributor", "consumer", "auditor".
std::string_view RoleName(Role role);
// Exact lower-case names only.
std::optional<Role> ParseRole(std::string_view name);
// A comma-separated list ("consumer,contributor"; spaces around names are
// ignored) as sorted, unique role names (TokenRecord::roles). Errors
// (kInvalidArgument): an empty list, an empty item or an unknown role.
[[nodiscard]] core::Result<std::vector<std::string>> ParseRoles(std::string_view text);

enum class TokenState { kValid, kWrongSecret, kExpired, kRevoked };

std::string_view TokenStateName(TokenState state);

// Judges a presented secret against its record at `now`. The secret is checked
// first (so a caller without the secret learns nothing about the token's
// state), then revocation (any revocation time counts, so clock skew between
// processes cannot reopen a token), then expiry (expires at or before now).
TokenState Check(const store::TokenRecord& token, std::string_view secret, store::Micros now);

}  // namespace tessera::governance
