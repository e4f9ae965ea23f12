#include "normalize/stix_mapping.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/json.h"
#include "core/time.h"
#include "core/uuid.h"
#include "stix/ids.h"

namespace tessera::normalize {
namespace {

using core::Json;

// Tessera's own identity and the ids of the extension-definitions it ships.
// Fixed UUIDv4s: they name published definitions and never change.
constexpr std::string_view kTesseraIdentity = kTesseraIdentityId;
constexpr std::string_view kDefinitionsCreated = "2026-11-29T00:00:00.000Z";

struct CustomScoType {
  std::string_view type;
  std::string_view extension_id;
  std::string_view name;
  std::string_view description;
  // The properties that make the deterministic id, in the STIX way (§2.9).
  std::array<std::string_view, 2> id_contributing;
};

constexpr std::array<CustomScoType, 4> kCustomTypes = {{
    {"cryptocurrency-wallet", "extension-definition--5b3a6f1e-2c4d-4e8f-9a0b-1c2d3e4f5a6b",
     "Cryptocurrency wallet",
     "A cryptocurrency address. Properties: address (string, required; canonical form: "
     "base58 as written or lower-case bech32 for Bitcoin, EIP-55 checksum case for Ethereum, "
     "base58 for Monero), currency (string, required: bitcoin, ethereum, monero), network "
     "(string), address_type (string). ID-contributing properties: currency, address.",
     {"currency", "address"}},
    {"bank-account", "extension-definition--6c4b7a2f-3d5e-4f90-8b1c-2d3e4f5a6b7c",
     "Bank account",
     "A bank account identified by its IBAN (ISO 13616). Properties: iban (string, required; "
     "upper case, no spaces, mod-97 checked), country (string, ISO 3166-1 alpha-2). "
     "ID-contributing properties: iban.",
     {"iban", ""}},
    {"phone-number", "extension-definition--7d5c8b3a-4e6f-4a01-9c2d-3e4f5a6b7c8d",
     "Phone number",
     "A telephone number in E.164 form. Properties: number (string, required; '+' and "
     "digits), country_code (string). ID-contributing properties: number.",
     {"number", ""}},
    {"payment-card", "extension-definition--8e6d9c4b-5f70-4b12-8d3e-4f5a6b7c8d9e",
     "Payment card",
     "A payment card, never in clear: hash (string, required; hex HMAC-SHA-256 of the digits "
     "under the hub's key), hash_algorithm (string: HMAC-SHA-256), bin (string: first six "
     "digits), last4 (string), brand (string). ID-contributing properties: hash.",
     {"hash", ""}},
}};

const CustomScoType* CustomTypeFor(Kind kind) {
  switch (kind) {
    case Kind::kBitcoinAddress:
    case Kind::kEthereumAddress:
    case Kind::kMoneroAddress: return &kCustomTypes[0];
    case Kind::kIban: return &kCustomTypes[1];
    case Kind::kPhoneNumber: return &kCustomTypes[2];
    case Kind::kPaymentCard: return &kCustomTypes[3];
    default: return nullptr;
  }
}

std::string_view HashKey(Kind kind) {
  switch (kind) {
    case Kind::kMd5: return "MD5";
    case Kind::kSha1: return "SHA-1";
    case Kind::kSha256: return "SHA-256";
    case Kind::kSha512: return "SHA-512";
    case Kind::kSsdeep: return "SSDEEP";
    case Kind::kTlsh: return "TLSH";
    default: return "";
  }
}

std::string FieldOr(const Observable& o, std::string_view name) {
  const std::string* v = o.Field(name);
  return v != nullptr ? *v : std::string();
}

// Starts an SCO: type, spec_version, then the properties; the id is inserted
// once the properties are known.
Json Sco(std::string_view type) {
  Json sco = Json::MakeObject();
  sco.Set("type", Json::String(std::string(type)));
  sco.Set("spec_version", Json::String("2.1"));
  return sco;
}

// Inserts "id" after spec_version.
void PlaceId(Json* sco, std::string id) {
  Json::Object& members = sco->as_object();
  members.insert(members.begin() + 2, Json::Member("id", Json::String(std::move(id))));
}

Json CustomSco(const CustomScoType& custom, Json sco) {
  Json name = Json::MakeObject();
  for (std::string_view prop : custom.id_contributing) {
    if (prop.empty()) continue;
    if (const Json* value = sco.Find(prop)) name.Set(prop, *value);
  }
  std::string uuid = core::UuidV5(stix::ScoNamespace(), core::CanonicalJson(name)).ToString();
  Json extensions = Json::MakeObject();
  extensions.Set(custom.extension_id,
                 Json::MakeObject({{"extension_type", Json::String("new-sco")}}));
  sco.Set("extensions", std::move(extensions));
  PlaceId(&sco, std::string(custom.type) + "--" + uuid);
  return sco;
}

}  // namespace

std::string QuotePatternLiteral(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  AppendPatternLiteral(&out, value);
  return out;
}

void AppendPatternLiteral(std::string* out, std::string_view value) {
  out->push_back('\'');
  // Values rarely hold either character: two vectorized scans decide.
  if (value.empty() || (std::memchr(value.data(), '\'', value.size()) == nullptr &&
                        std::memchr(value.data(), '\\', value.size()) == nullptr)) {
    out->append(value.data(), value.size()).push_back('\'');
    return;
  }
  size_t start = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\'' && value[i] != '\\') continue;
    out->append(value.data() + start, i - start);
    out->push_back('\\');
    start = i;
  }
  out->append(value.data() + start, value.size() - start);
  out->push_back('\'');
}

Json ToStixObject(const Observable& o) {
  Json sco;
  switch (o.kind) {
    case Kind::kIpv4:
    case Kind::kIpv4Network: sco = Sco("ipv4-addr"); sco.Set("value", Json::String(o.value)); break;
    case Kind::kIpv6:
    case Kind::kIpv6Network: sco = Sco("ipv6-addr"); sco.Set("value", Json::String(o.value)); break;
    case Kind::kDomain: sco = Sco("domain-name"); sco.Set("value", Json::String(o.value)); break;
    case Kind::kUrl: sco = Sco("url"); sco.Set("value", Json::String(o.value)); break;
    case Kind::kEmail: sco = Sco("email-addr"); sco.Set("value", Json::String(o.value)); break;
    case Kind::kMac: sco = Sco("mac-addr"); sco.Set("value", Json::String(o.value)); break;
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh:
      sco = Sco("file");
      sco.Set("hashes",
              Json::MakeObject({{std::string(HashKey(o.kind)), Json::String(o.value)}}));
      break;
    case Kind::kFileName: sco = Sco("file"); sco.Set("name", Json::String(o.value)); break;
    case Kind::kAsn: {
      sco = Sco("autonomous-system");
      std::string number = FieldOr(o, "number");
      sco.Set("number", Json::NumberLiteral(number, std::strtod(number.c_str(), nullptr)));
      break;
    }
    case Kind::kSocialAccount:
      // STIX's own home for an account on a service: user-account with the
      // platform as account_type (account-type-ov lists facebook and twitter).
      sco = Sco("user-account");
      sco.Set("account_type", Json::String(FieldOr(o, "platform")));
      sco.Set("account_login", Json::String(FieldOr(o, "handle")));
      break;
    case Kind::kCve: {
      Json v = Json::MakeObject();
      v.Set("type", Json::String("vulnerability"));
      v.Set("spec_version", Json::String("2.1"));
      v.Set("id", Json::String("vulnerability--" +
                               core::UuidV5(TesseraNamespace(), o.value).ToString()));
      std::string now = core::FormatTimestamp(core::Now(3));
      v.Set("created", Json::String(now));
      v.Set("modified", Json::String(now));
      v.Set("name", Json::String(o.value));
      Json ref = Json::MakeObject({{"source_name", Json::String("cve")},
                                   {"external_id", Json::String(o.value)}});
      v.Set("external_references", Json::MakeArray({std::move(ref)}));
      return v;
    }
    case Kind::kBitcoinAddress:
    case Kind::kEthereumAddress:
    case Kind::kMoneroAddress: {
      sco = Sco("cryptocurrency-wallet");
      sco.Set("address", Json::String(o.value));
      sco.Set("currency", Json::String(FieldOr(o, "currency")));
      for (std::string_view f : {"network", "address_type"}) {
        if (const std::string* v = o.Field(f)) sco.Set(f, Json::String(*v));
      }
      return CustomSco(*CustomTypeFor(o.kind), std::move(sco));
    }
    case Kind::kIban:
      sco = Sco("bank-account");
      sco.Set("iban", Json::String(o.value));
      if (const std::string* c = o.Field("country")) sco.Set("country", Json::String(*c));
      return CustomSco(*CustomTypeFor(o.kind), std::move(sco));
    case Kind::kPhoneNumber:
      sco = Sco("phone-number");
      sco.Set("number", Json::String(o.value));
      if (const std::string* c = o.Field("country_code")) sco.Set("country_code", Json::String(*c));
      return CustomSco(*CustomTypeFor(o.kind), std::move(sco));
    case Kind::kPaymentCard:
      sco = Sco("payment-card");
      sco.Set("hash", Json::String(o.value));
      sco.Set("hash_algorithm", Json::String("HMAC-SHA-256"));
      for (std::string_view f : {"bin", "last4", "brand"}) {
        if (const std::string* v = o.Field(f)) sco.Set(f, Json::String(*v));
      }
      return CustomSco(*CustomTypeFor(o.kind), std::move(sco));
  }
  auto id = stix::ComputeScoId(sco);
  PlaceId(&sco, id.ok() ? id->id : std::string());
  return sco;
}

std::string_view StixTypeFor(Kind kind) {
  switch (kind) {
    case Kind::kIpv4:
    case Kind::kIpv4Network: return "ipv4-addr";
    case Kind::kIpv6:
    case Kind::kIpv6Network: return "ipv6-addr";
    case Kind::kDomain: return "domain-name";
    case Kind::kUrl: return "url";
    case Kind::kEmail: return "email-addr";
    case Kind::kMac: return "mac-addr";
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh:
    case Kind::kFileName: return "file";
    case Kind::kAsn: return "autonomous-system";
    case Kind::kCve: return "vulnerability";
    case Kind::kSocialAccount: return "user-account";
    case Kind::kBitcoinAddress:
    case Kind::kEthereumAddress:
    case Kind::kMoneroAddress: return "cryptocurrency-wallet";
    case Kind::kIban: return "bank-account";
    case Kind::kPhoneNumber: return "phone-number";
    case Kind::kPaymentCard: return "payment-card";
  }
  return "";
}

namespace {

// A UUIDv5 (RFC 9562 §5.5) built in place: the SHA-1 input, the namespace's 16
// bytes and then the name, is written into one buffer kept per thread.
class UuidV5Input {
 public:
  // Room for a name of up to `max_name` bytes.
  UuidV5Input(const core::Uuid& name_space, size_t max_name) : buffer_(Buffer()) {
    if (buffer_.size() < 16 + max_name) buffer_.resize(16 + max_name);
    std::memcpy(buffer_.data(), name_space.bytes.data(), 16);
    end_ = buffer_.data() + 16;
  }
  UuidV5Input& Add(std::string_view text) {
    std::memcpy(end_, text.data(), text.size());
    end_ += text.size();
    return *this;
  }
  // `value` as a JSON string (RFC 8785's minimal escaping): up to 2 + 6 * size bytes.
  UuidV5Input& AddString(std::string_view value) {
    end_ = core::WriteJsonString(end_, value);
    return *this;
  }
  core::Uuid Finish() const {
    const core::Sha1Digest digest =
        core::Sha1(std::string_view(buffer_.data(), static_cast<size_t>(end_ - buffer_.data())));
    core::Uuid uuid;
    for (size_t i = 0; i < uuid.bytes.size(); ++i) uuid.bytes[i] = digest[i];
    uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0F) | 0x50);
    uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
    return uuid;
  }

 private:
  static std::vector<char>& Buffer() {
    thread_local std::vector<char> buffer;
    return buffer;
  }
  std::vector<char>& buffer_;
  char* end_;
};

}  // namespace

StixIdParts StixIdOf(const Observable& o) {
  // For the common single-property SCOs the RFC 8785 name is built directly.
  static const core::Uuid kScoNamespace = stix::ScoNamespace();
  switch (o.kind) {
    case Kind::kIpv4:
    case Kind::kIpv4Network:
    case Kind::kIpv6:
    case Kind::kIpv6Network:
    case Kind::kDomain:
    case Kind::kUrl:
    case Kind::kEmail:
    case Kind::kMac: break;
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh: {
      UuidV5Input id(kScoNamespace, 64 + 6 * o.value.size());
      id.Add("{\"hashes\":{").AddString(HashKey(o.kind)).Add(":").AddString(o.value).Add("}}");
      return StixIdParts{"file", id.Finish()};
    }
    case Kind::kAsn: {
      // {"number":64500}: the number is a plain decimal integer, its own JCS form.
      const std::string* number = o.Field("number");
      UuidV5Input id(kScoNamespace, 16 + (number != nullptr ? number->size() : 0));
      id.Add("{\"number\":");
      if (number != nullptr) id.Add(*number);
      id.Add("}");
      return StixIdParts{"autonomous-system", id.Finish()};
    }
    case Kind::kCve:
      return StixIdParts{"vulnerability", core::UuidV5(TesseraNamespace(), o.value)};
    default: {
      // Objects with several properties or of Tessera's own types: build them.
      Json object = ToStixObject(o);
      std::string_view id = object.Find("id")->as_string();
      auto uuid = core::ParseUuid(id.substr(id.find("--") + 2));
      return StixIdParts{StixTypeFor(o.kind), uuid.ok() ? *uuid : core::Uuid{}};
    }
  }
  UuidV5Input id(kScoNamespace, 16 + 6 * o.value.size());
  id.Add("{\"value\":").AddString(o.value).Add("}");
  return StixIdParts{StixTypeFor(o.kind), id.Finish()};
}

std::string StixId(const Observable& o) {
  StixIdParts parts = StixIdOf(o);
  return std::string(parts.type) + "--" + parts.uuid.ToString();
}

void AppendStixComparison(std::string* out, const Observable& o) {
  auto compare = [out](std::string_view path, std::string_view op, std::string_view value) {
    out->append(path).append(op);
    AppendPatternLiteral(out, value);
  };
  switch (o.kind) {
    case Kind::kIpv4: return compare("ipv4-addr:value", " = ", o.value);
    case Kind::kIpv6: return compare("ipv6-addr:value", " = ", o.value);
    case Kind::kIpv4Network: return compare("ipv4-addr:value", " ISSUBSET ", o.value);
    case Kind::kIpv6Network: return compare("ipv6-addr:value", " ISSUBSET ", o.value);
    case Kind::kDomain: return compare("domain-name:value", " = ", o.value);
    case Kind::kUrl: return compare("url:value", " = ", o.value);
    case Kind::kEmail: return compare("email-addr:value", " = ", o.value);
    case Kind::kMac: return compare("mac-addr:value", " = ", o.value);
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh:
      out->append("file:hashes.");
      AppendPatternLiteral(out, HashKey(o.kind));
      return compare("", " = ", o.value);
    case Kind::kFileName: return compare("file:name", " = ", o.value);
    case Kind::kAsn: out->append("autonomous-system:number = ").append(FieldOr(o, "number")); return;
    case Kind::kSocialAccount:
      compare("user-account:account_type", " = ", FieldOr(o, "platform"));
      return compare(" AND user-account:account_login", " = ", FieldOr(o, "handle"));
    case Kind::kBitcoinAddress:
    case Kind::kEthereumAddress:
    case Kind::kMoneroAddress: return compare("cryptocurrency-wallet:address", " = ", o.value);
    case Kind::kIban: return compare("bank-account:iban", " = ", o.value);
    case Kind::kPhoneNumber: return compare("phone-number:number", " = ", o.value);
    case Kind::kPaymentCard: return compare("payment-card:hash", " = ", o.value);
    case Kind::kCve: return;  // a vulnerability is an SDO: patterns match observables only
  }
}

std::string ToStixPattern(const Observable& o) {
  std::string pattern = "[";
  pattern.reserve(o.value.size() + 48);
  AppendStixComparison(&pattern, o);
  if (pattern.size() == 1) return "";
  pattern.push_back(']');
  return pattern;
}

const core::Uuid& TesseraNamespace() {
  static const core::Uuid kNamespace = core::UuidV5(stix::ScoNamespace(), "tessera");
  return kNamespace;
}

std::vector<Json> TesseraExtensionDefinitions() {
  std::vector<Json> out;
  Json identity = Json::MakeObject();
  identity.Set("type", Json::String("identity"));
  identity.Set("spec_version", Json::String("2.1"));
  identity.Set("id", Json::String(std::string(kTesseraIdentity)));
  identity.Set("created", Json::String(std::string(kDefinitionsCreated)));
  identity.Set("modified", Json::String(std::string(kDefinitionsCreated)));
  identity.Set("name", Json::String("Tessera"));
  identity.Set("identity_class", Json::String("system"));
  out.push_back(std::move(identity));
  for (const CustomScoType& custom : kCustomTypes) {
    Json def = Json::MakeObject();
    def.Set("type", Json::String("extension-definition"));
    def.Set("spec_version", Json::String("2.1"));
    def.Set("id", Json::String(std::string(custom.extension_id)));
    def.Set("created_by_ref", Json::String(std::string(kTesseraIdentity)));
    def.Set("created", Json::String(std::string(kDefinitionsCreated)));
    def.Set("modified", Json::String(std::string(kDefinitionsCreated)));
    def.Set("name", Json::String(std::string(custom.name)));
    def.Set("description", Json::String("Tessera custom observable type '" +
                                        std::string(custom.type) + "'."));
    def.Set("schema", Json::String(std::string(custom.description)));
    def.Set("version", Json::String("1.0"));
    def.Set("extension_types", Json::MakeArray({Json::String("new-sco")}));
    out.push_back(std::move(def));
  }
  return out;
}

}  // namespace tessera::normalize
