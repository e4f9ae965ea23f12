// WarninglistSet::Match on a whole STIX object: which properties hold
// observable values, and their canonical forms (normalize) before matching.
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "normalize/classify.h"
#include "normalize/domain.h"
#include "normalize/identifiers.h"
#include "normalize/ip.h"
#include "stix/bundle.h"
#include "warninglists/warninglist.h"

namespace tessera::warninglists {
namespace {

using normalize::Kind;

// The canonical form of `raw` as `kind`; `raw` itself when normalize refuses it
// (then only string, substring and regex lists can match, never a wrong range).
normalize::Observable Canonical(Kind kind, std::string_view raw) {
  core::Result<normalize::Observable> obs = [&]() -> core::Result<normalize::Observable> {
    switch (kind) {
      case Kind::kIpv4:
        return raw.find('/') != std::string_view::npos ? normalize::CanonicalCidr(raw)
                                                       : normalize::CanonicalIpv4(raw);
      case Kind::kIpv6:
        return raw.find('/') != std::string_view::npos ? normalize::CanonicalCidr(raw)
                                                       : normalize::CanonicalIpv6(raw);
      case Kind::kDomain: {
        normalize::DomainOptions options;
        options.allow_single_label = true;
        return normalize::CanonicalDomain(raw, options);
      }
      case Kind::kMd5:
      case Kind::kSha1:
      case Kind::kSha256:
      case Kind::kSha512:
      case Kind::kSsdeep:
      case Kind::kTlsh: return normalize::CanonicalHashAs(kind, raw);
      default: {
        normalize::NormalizeOptions options;
        options.refang = false;  // STIX values are what they say
        return normalize::NormalizeAs(kind, raw, options);
      }
    }
  }();
  if (obs.ok()) return std::move(*obs);
  normalize::Observable fallback;
  fallback.kind = kind;
  fallback.value = std::string(raw);
  return fallback;
}

struct Probe {
  std::string property;
  Kind kind;
  std::string raw;
};

// STIX 2.1 hash-algorithm-ov names (§10.7) Tessera has kinds for.
bool HashKind(std::string_view algorithm, Kind* kind) {
  if (algorithm == "MD5") *kind = Kind::kMd5;
  else if (algorithm == "SHA-1") *kind = Kind::kSha1;
  else if (algorithm == "SHA-256") *kind = Kind::kSha256;
  else if (algorithm == "SHA-512") *kind = Kind::kSha512;
  else if (algorithm == "SSDEEP") *kind = Kind::kSsdeep;
  else if (algorithm == "TLSH") *kind = Kind::kTlsh;
  else return false;
  return true;
}

std::vector<Probe> ProbesOf(std::string_view type, const core::Json& obj) {
  std::vector<Probe> probes;
  auto string_prop = [&](std::string_view name, Kind kind) {
    const core::Json* v = obj.Find(name);
    if (v != nullptr && v->is_string()) {
      probes.push_back(Probe{std::string(name), kind, v->as_string()});
    }
  };
  if (type == "ipv4-addr") string_prop("value", Kind::kIpv4);
  else if (type == "ipv6-addr") string_prop("value", Kind::kIpv6);
  else if (type == "domain-name") string_prop("value", Kind::kDomain);
  else if (type == "url") string_prop("value", Kind::kUrl);
  else if (type == "email-addr") string_prop("value", Kind::kEmail);
  else if (type == "mac-addr") string_prop("value", Kind::kMac);
  else if (type == "phone-number") string_prop("number", Kind::kPhoneNumber);
  else if (type == "bank-account") string_prop("iban", Kind::kIban);
  else if (type == "autonomous-system") {
    const core::Json* n = obj.Find("number");
    if (n != nullptr && n->is_number()) {
      probes.push_back(Probe{"number", Kind::kAsn, "AS" + n->as_number().literal});
    }
  }
  if (type == "file" || type == "artifact" || type == "x509-certificate") {
    if (const core::Json* hashes = obj.Find("hashes"); hashes != nullptr && hashes->is_object()) {
      for (const auto& [algorithm, value] : hashes->as_object()) {
        Kind kind;
        if (value.is_string() && HashKind(algorithm, &kind)) {
          probes.push_back(Probe{"hashes." + algorithm, kind, value.as_string()});
        }
      }
    }
    if (type == "file") string_prop("name", Kind::kFileName);
  }
  return probes;
}

}  // namespace

std::vector<ObjectHit> WarninglistSet::Match(const stix::StixObject& object) const {
  std::vector<ObjectHit> out;
  if (!compiled()) return out;
  core::Result<core::Json> json = core::ParseJson(object.json);
  if (!json.ok() || !json->is_object()) return out;
  std::string_view type = object.type;
  const core::Json* type_member = json->Find("type");
  if (type.empty() && type_member != nullptr && type_member->is_string()) {
    type = type_member->as_string();
  }
  for (const Probe& probe : ProbesOf(type, *json)) {
    const normalize::Observable obs = Canonical(probe.kind, probe.raw);
    for (Hit& hit : Match(obs.kind, obs.value)) {
      out.push_back(ObjectHit{probe.property, std::move(hit)});
    }
  }
  return out;
}

}  // namespace tessera::warninglists
