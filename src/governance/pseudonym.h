// Pseudonyms for anonymous partners: one STIX identity per (partner, context),
// stable under the hub key, different in every context, and not linkable to the
// partner (or across contexts) without the key. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tessera::governance {

struct Pseudonym {
  std::string identity_id;  // "identity--<uuid>"
  std::string name;         // "Anonymous partner <8 hex>"
};

// mac = HMAC-SHA-256(hub_key, "pseudonym" NUL partner NUL context), where
// context is a community name or "" for the public view. The identity's UUID is
// mac[0..16) with the version-4 and RFC 9562 variant bits set: keyed
// pseudorandom bits, as good as random without the key, and version 4 as STIX
// 2.1 §2.9 asks of SDO ids (a version 5 would draw a validator warning).
// The name is "Anonymous partner " + the first 8 hex characters of mac.
// Partner names cannot contain NUL (the registry's names are text), so the
// input is unambiguous.
Pseudonym PseudonymFor(std::string_view hub_key, std::string_view partner,
                       std::string_view context);

// A valid STIX 2.1 identity (compact JSON) for the pseudonym: identity_class
// "organization", created and modified fixed at 2020-01-01T00:00:00.000Z so
// the object is the same whenever it is made.
std::string PseudonymIdentityJson(const Pseudonym& pseudonym);

}  // namespace tessera::governance
