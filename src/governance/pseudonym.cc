#include "governance/pseudonym.h"

#include <algorithm>

#include "core/hash.h"
#include "core/json.h"
#include "core/uuid.h"

namespace tessera::governance {
namespace {

constexpr std::string_view kFixedTime = "2020-01-01T00:00:00.000Z";

core::Sha256Digest PseudonymMac(std::string_view hub_key, std::string_view partner,
                                std::string_view context) {
  std::string input("pseudonym");
  input.push_back('\0');
  input.append(partner);
  input.push_back('\0');
  input.append(context);
  return core::HmacSha256(hub_key, input);
}

core::Uuid UuidFromMac(const core::Sha256Digest& mac) {
  core::Uuid uuid;
  std::copy_n(mac.begin(), uuid.bytes.size(), uuid.bytes.begin());
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);  // version 4
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);  // RFC 9562 variant
  return uuid;
}

}  // namespace

Pseudonym PseudonymFor(std::string_view hub_key, std::string_view partner,
                       std::string_view context) {
  core::Sha256Digest mac = PseudonymMac(hub_key, partner, context);
  Pseudonym pseudonym;
  pseudonym.identity_id = "identity--";
  UuidFromMac(mac).AppendTo(&pseudonym.identity_id);
  pseudonym.name = "Anonymous partner ";
  pseudonym.name.append(core::HexEncode(mac).substr(0, 8));
  return pseudonym;
}

std::string PseudonymIdentityJson(const Pseudonym& pseudonym) {
  using core::Json;
  Json identity = Json::MakeObject();
  identity.Set("type", Json::String("identity"));
  identity.Set("spec_version", Json::String("2.1"));
  identity.Set("id", Json::String(pseudonym.identity_id));
  identity.Set("created", Json::String(std::string(kFixedTime)));
  identity.Set("modified", Json::String(std::string(kFixedTime)));
  identity.Set("name", Json::String(pseudonym.name));
  identity.Set("description",
               Json::String("A partner of this hub that contributes under a pseudonym."));
  identity.Set("identity_class", Json::String("organization"));
  return core::WriteJson(identity);
}

}  // namespace tessera::governance
