#include "formats/misp/attribute_types.h"

#include <array>
#include <charconv>
#include <utility>

#include "core/json.h"
#include "formats/stix_build.h"
#include "normalize/stix_mapping.h"
#include "stix/ids.h"

namespace tessera::formats::misp {
namespace {

using core::Json;
using normalize::Kind;
using normalize::Observable;

core::Error Invalid(std::string_view type, std::string_view value, std::string_view reason) {
  std::string message(type);
  message += ": '";
  message.append(value.substr(0, 200));
  if (value.size() > 200) message += "...";
  message += "' ";
  message += reason;
  return core::MakeError(core::ErrorCode::kValidation, std::move(message));
}

std::string_view Trim(std::string_view s) { return normalize::detail::TrimAsciiSpace(s); }

bool IsHex(std::string_view s) {
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return !s.empty();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// MISP hash types: the STIX key, the normalize kind (if any) and, for other hex
// types, the length in hex digits (0: any length, not necessarily hex).
struct HashType {
  std::string_view misp;
  std::string_view key;
  bool has_kind;
  Kind kind;
  size_t hex_length;
  bool hex;
};

constexpr std::array<HashType, 25> kHashTypes = {{
    {"md5", "MD5", true, Kind::kMd5, 32, true},
    {"sha1", "SHA-1", true, Kind::kSha1, 40, true},
    {"sha256", "SHA-256", true, Kind::kSha256, 64, true},
    {"sha512", "SHA-512", true, Kind::kSha512, 128, true},
    {"ssdeep", "SSDEEP", true, Kind::kSsdeep, 0, false},
    {"tlsh", "TLSH", true, Kind::kTlsh, 0, false},
    {"sha224", "SHA-224", false, Kind::kMd5, 56, true},
    {"sha384", "SHA-384", false, Kind::kMd5, 96, true},
    {"sha512/224", "SHA-512/224", false, Kind::kMd5, 56, true},
    {"sha512/256", "SHA-512/256", false, Kind::kMd5, 64, true},
    {"sha3-224", "SHA3-224", false, Kind::kMd5, 56, true},
    {"sha3-256", "SHA3-256", false, Kind::kMd5, 64, true},
    {"sha3-384", "SHA3-384", false, Kind::kMd5, 96, true},
    {"sha3-512", "SHA3-512", false, Kind::kMd5, 128, true},
    {"imphash", "IMPHASH", false, Kind::kMd5, 32, true},
    {"authentihash", "AUTHENTIHASH", false, Kind::kMd5, 64, true},
    {"pehash", "PEHASH", false, Kind::kMd5, 40, true},
    {"cdhash", "CDHASH", false, Kind::kMd5, 40, true},
    {"telfhash", "TELFHASH", false, Kind::kMd5, 0, true},
    {"vhash", "VHASH", false, Kind::kMd5, 0, false},
    {"impfuzzy", "IMPFUZZY", false, Kind::kMd5, 0, false},
    {"x509-fingerprint-md5", "MD5", true, Kind::kMd5, 32, true},
    {"x509-fingerprint-sha1", "SHA-1", true, Kind::kSha1, 40, true},
    {"x509-fingerprint-sha256", "SHA-256", true, Kind::kSha256, 64, true},
    {"malware-sample", "MD5", true, Kind::kMd5, 32, true},
}};

const HashType* FindHashType(std::string_view type) {
  for (const HashType& h : kHashTypes) {
    if (h.misp == type) return &h;
  }
  return nullptr;
}

std::string HashComparison(std::string_view object_type, std::string_view key,
                           std::string_view value) {
  std::string out(object_type);
  out += ":hashes.";
  out += PatternLiteral(key);
  out += " = ";
  out += PatternLiteral(value);
  return out;
}

std::string Comparison(std::string_view path, std::string_view value) {
  std::string out(path);
  out += " = ";
  out += PatternLiteral(value);
  return out;
}

// A normalized observable's SCO (CVE ids are SDOs and never come here).
Json ObservableSco(const Observable& o) { return normalize::ToStixObject(o); }

// Adds the notes of a normalization and whether it changed the written value.
void Absorb(MappedValue* out, const Observable& o, std::string_view written) {
  for (const std::string& note : o.notes) out->notes.push_back(note);
  if (o.value != Trim(written)) out->changed = true;
}

void AbsorbNotes(MappedValue* out, const std::vector<std::string>& notes) {
  for (const std::string& note : notes) out->notes.push_back(note);
}

// Splits a composite "a|b" value at the first or the last '|'.
bool SplitComposite(std::string_view value, bool at_last, std::string_view* a,
                    std::string_view* b) {
  size_t bar = at_last ? value.rfind('|') : value.find('|');
  if (bar == std::string_view::npos) return false;
  *a = value.substr(0, bar);
  *b = value.substr(bar + 1);
  return true;
}

normalize::NormalizeOptions UrlOptions(const normalize::NormalizeOptions& options) {
  normalize::NormalizeOptions o = options;
  o.assume_http_without_scheme = true;
  return o;
}

// The file SCO for a name or path (with its directory SCO first), plus comparisons.
void AddFile(MappedValue* out, const FileNameValue& file, Json* sco) {
  if (!file.directory.empty()) {
    Json dir = NewSco("directory");
    dir.Set("path", Json::String(file.directory));
    FinishSco(&dir);
    sco->Set("parent_directory_ref", Json::String(ScoId(dir)));
    out->scos.push_back(std::move(dir));
    out->comparisons.push_back(Comparison("file:parent_directory_ref.path", file.directory));
  }
  sco->Set("name", Json::String(file.name));
  out->comparisons.push_back(Comparison("file:name", file.name));
  AbsorbNotes(out, file.notes);
}

// ip-src, ip-dst and their |port forms: network-traffic with the address as
// src_ref or dst_ref (STIX 2.1 §6.12).
core::Result<MappedValue> MapIp(std::string_view type, std::string_view value, bool source,
                                bool with_port, const normalize::NormalizeOptions& options) {
  std::string_view address = value;
  std::string_view port_text;
  if (with_port && !SplitComposite(value, true, &address, &port_text)) {
    return Invalid(type, value, "has no '|' between the address and the port");
  }
  auto ip = NormalizeIp(address, options);
  if (!ip.ok()) return Invalid(type, value, "is not an IP address: " + ip.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Absorb(&out, *ip, address);
  Json ip_sco = ObservableSco(*ip);
  std::string ip_id = ScoId(ip_sco);
  bool v6 = ip->kind == Kind::kIpv6 || ip->kind == Kind::kIpv6Network;
  bool network = ip->kind == Kind::kIpv4Network || ip->kind == Kind::kIpv6Network;
  std::string_view side = source ? "src" : "dst";
  Json traffic = NewSco("network-traffic");
  traffic.Set(std::string(side) + "_ref", Json::String(ip_id));
  std::string ref_path = "network-traffic:" + std::string(side) + "_ref";
  out.comparisons.push_back(Comparison(ref_path + ".type", v6 ? "ipv6-addr" : "ipv4-addr"));
  out.comparisons.push_back(ref_path + ".value " + (network ? "ISSUBSET " : "= ") +
                            PatternLiteral(ip->value));
  if (with_port) {
    auto port = PortOf(port_text);
    if (!port.ok()) return Invalid(type, value, port.error().message);
    traffic.Set(std::string(side) + "_port", Json::Int(*port));
    out.comparisons.push_back("network-traffic:" + std::string(side) +
                              "_port = " + std::to_string(*port));
    if (std::to_string(*port) != Trim(port_text)) out.changed = true;
  }
  traffic.Set("protocols", Json::MakeArray({Json::String(v6 ? "ipv6" : "ipv4")}));
  FinishSco(&traffic);
  out.scos.push_back(std::move(ip_sco));
  out.scos.push_back(std::move(traffic));
  return out;
}

core::Result<MappedValue> MapDomain(std::string_view type, std::string_view value,
                                    const normalize::NormalizeOptions& options) {
  auto domain = normalize::NormalizeAs(Kind::kDomain, value, options);
  if (!domain.ok()) return Invalid(type, value, "is not a domain name: " + domain.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Absorb(&out, *domain, value);
  out.comparisons.push_back(ObservableComparison(*domain));
  out.scos.push_back(ObservableSco(*domain));
  return out;
}

core::Result<MappedValue> MapDomainIp(std::string_view type, std::string_view value,
                                      const normalize::NormalizeOptions& options) {
  std::string_view name;
  std::string_view address;
  if (!SplitComposite(value, false, &name, &address)) {
    return Invalid(type, value, "has no '|' between the domain and the address");
  }
  auto domain = normalize::NormalizeAs(Kind::kDomain, name, options);
  if (!domain.ok()) return Invalid(type, value, "is not a domain name: " + domain.error().message);
  auto ip = NormalizeIp(address, options);
  if (!ip.ok()) return Invalid(type, value, "is not an IP address: " + ip.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Absorb(&out, *domain, name);
  Absorb(&out, *ip, address);
  Json ip_sco = ObservableSco(*ip);
  Json domain_sco = ObservableSco(*domain);
  domain_sco.Set("resolves_to_refs", Json::MakeArray({Json::String(ScoId(ip_sco))}));
  out.comparisons.push_back(ObservableComparison(*domain));
  out.comparisons.push_back(Comparison("domain-name:resolves_to_refs[*].value", ip->value));
  out.scos.push_back(std::move(ip_sco));
  out.scos.push_back(std::move(domain_sco));
  return out;
}

core::Result<MappedValue> MapHostnamePort(std::string_view type, std::string_view value,
                                          const normalize::NormalizeOptions& options) {
  std::string_view name;
  std::string_view port_text;
  if (!SplitComposite(value, true, &name, &port_text)) {
    return Invalid(type, value, "has no '|' between the host name and the port");
  }
  auto domain = normalize::NormalizeAs(Kind::kDomain, name, options);
  if (!domain.ok()) return Invalid(type, value, "is not a host name: " + domain.error().message);
  auto port = PortOf(port_text);
  if (!port.ok()) return Invalid(type, value, port.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Absorb(&out, *domain, name);
  Json domain_sco = ObservableSco(*domain);
  Json traffic = NewSco("network-traffic");
  traffic.Set("dst_ref", Json::String(ScoId(domain_sco)));
  traffic.Set("dst_port", Json::Int(*port));
  // A port implies a transport; MISP does not say which. TCP, as misp-stix assumes.
  traffic.Set("protocols", Json::MakeArray({Json::String("tcp")}));
  FinishSco(&traffic);
  out.comparisons.push_back(Comparison("network-traffic:dst_ref.type", "domain-name"));
  out.comparisons.push_back(Comparison("network-traffic:dst_ref.value", domain->value));
  out.comparisons.push_back("network-traffic:dst_port = " + std::to_string(*port));
  out.scos.push_back(std::move(domain_sco));
  out.scos.push_back(std::move(traffic));
  return out;
}

// Observables normalize/ has a kind for, mapped one to one.
core::Result<MappedValue> MapSimple(std::string_view type, std::string_view value, Kind kind,
                                    const normalize::NormalizeOptions& options,
                                    std::string_view what) {
  auto o = normalize::NormalizeAs(kind, value, options);
  if (!o.ok()) return Invalid(type, value, "is not " + std::string(what) + ": " + o.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Absorb(&out, *o, value);
  out.comparisons.push_back(ObservableComparison(*o));
  out.scos.push_back(ObservableSco(*o));
  return out;
}

core::Result<MappedValue> MapHash(std::string_view type, std::string_view value,
                                  const normalize::NormalizeOptions& options) {
  auto hash = HashValueOf(type, value, options);
  if (!hash.ok()) return hash.error();
  MappedValue out;
  out.shape = Shape::kObservable;
  AbsorbNotes(&out, hash->notes);
  if (hash->value != Trim(value)) out.changed = true;
  bool x509 = type.starts_with("x509-");
  std::string_view sco_type = x509 ? "x509-certificate" : "file";
  Json sco = NewSco(sco_type);
  sco.Set("hashes", Json::MakeObject({{hash->key, Json::String(hash->value)}}));
  FinishSco(&sco);
  out.comparisons.push_back(HashComparison(sco_type, hash->key, hash->value));
  out.scos.push_back(std::move(sco));
  return out;
}

// filename|<hash>: one file with its name and the hash.
core::Result<MappedValue> MapFilenameHash(std::string_view type, std::string_view value,
                                          const normalize::NormalizeOptions& options) {
  std::string_view hash_type = type.substr(type.find('|') + 1);
  std::string_view name;
  std::string_view digest;
  if (!SplitComposite(value, true, &name, &digest)) {
    return Invalid(type, value, "has no '|' between the file name and the hash");
  }
  auto file = FileNameOf(name, options);
  if (!file.ok()) return Invalid(type, value, "has no valid file name: " + file.error().message);
  auto hash = HashValueOf(hash_type, digest, options);
  if (!hash.ok()) return Invalid(type, value, "has no valid hash: " + hash.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Json sco = NewSco("file");
  AddFile(&out, *file, &sco);
  AbsorbNotes(&out, hash->notes);
  if (hash->value != Trim(digest) || file->name != Trim(name)) out.changed = true;
  sco.Set("hashes", Json::MakeObject({{hash->key, Json::String(hash->value)}}));
  out.comparisons.push_back(HashComparison("file", hash->key, hash->value));
  FinishSco(&sco);
  out.scos.push_back(std::move(sco));
  return out;
}

core::Result<MappedValue> MapFilename(std::string_view type, std::string_view value,
                                      const normalize::NormalizeOptions& options) {
  auto file = FileNameOf(value, options);
  if (!file.ok()) return Invalid(type, value, "is not a file name: " + file.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Json sco = NewSco("file");
  AddFile(&out, *file, &sco);
  if (file->directory.empty() && file->name != Trim(value)) out.changed = true;
  FinishSco(&sco);
  out.scos.push_back(std::move(sco));
  return out;
}

// attachment and malware-sample: a file whose content is an artifact holding
// the attribute's data (STIX 2.1 §6.1, §6.7).
core::Result<MappedValue> MapSample(std::string_view type, std::string_view value,
                                    std::string_view data,
                                    const normalize::NormalizeOptions& options) {
  bool sample = type == "malware-sample";
  std::string_view name = value;
  std::string_view digest;
  if (sample && !SplitComposite(value, true, &name, &digest)) {
    return Invalid(type, value, "has no '|' between the file name and the MD5");
  }
  auto file = FileNameOf(name, options);
  if (!file.ok()) return Invalid(type, value, "has no valid file name: " + file.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  Json sco = NewSco("file");
  AddFile(&out, *file, &sco);
  if (sample) {
    auto hash = HashValueOf("md5", digest, options);
    if (!hash.ok()) return Invalid(type, value, "has no valid MD5: " + hash.error().message);
    sco.Set("hashes", Json::MakeObject({{hash->key, Json::String(hash->value)}}));
    out.comparisons.push_back(HashComparison("file", hash->key, hash->value));
    if (hash->value != Trim(digest)) out.changed = true;
  }
  if (!data.empty()) {
    Json artifact = NewSco("artifact");
    if (sample) {
      // MISP stores samples as a zip encrypted with the password "infected".
      artifact.Set("mime_type", Json::String("application/zip"));
    }
    artifact.Set("payload_bin", Json::String(std::string(data)));
    if (sample) {
      artifact.Set("encryption_algorithm", Json::String("mime-type-indicated"));
      artifact.Set("decryption_key", Json::String("infected"));
    }
    FinishSco(&artifact);
    sco.Set("content_ref", Json::String(ScoId(artifact)));
    out.scos.push_back(std::move(artifact));
  }
  FinishSco(&sco);
  out.scos.push_back(std::move(sco));
  return out;
}

// The e-mail attribute types: an email-message with the part the type names
// (and the email-addr it references), STIX 2.1 §6.5.
core::Result<MappedValue> MapEmailPart(std::string_view type, std::string_view value,
                                       const normalize::NormalizeOptions& options) {
  MappedValue out;
  out.shape = Shape::kObservable;
  Json message = NewSco("email-message");
  std::string_view text = value;
  auto address = [&](std::string_view property, bool list,
                     std::string_view path) -> core::Status {
    auto email = normalize::NormalizeAs(Kind::kEmail, value, options);
    if (!email.ok()) return Invalid(type, value, "is not an e-mail address: " + email.error().message);
    Absorb(&out, *email, value);
    Json addr = ObservableSco(*email);
    std::string id = ScoId(addr);
    message.Set("is_multipart", Json::Bool(false));
    message.Set(property, list ? Json::MakeArray({Json::String(id)}) : Json::String(id));
    out.comparisons.push_back(Comparison(path, email->value));
    out.scos.push_back(std::move(addr));
    return {};
  };
  if (type == "email-src") {
    TESSERA_RETURN_IF_ERROR(address("from_ref", false, "email-message:from_ref.value"));
  } else if (type == "email-dst") {
    TESSERA_RETURN_IF_ERROR(address("to_refs", true, "email-message:to_refs[*].value"));
  } else if (type == "email-reply-to") {
    auto email = normalize::NormalizeAs(Kind::kEmail, value, options);
    if (!email.ok()) return Invalid(type, value, "is not an e-mail address: " + email.error().message);
    Absorb(&out, *email, value);
    message.Set("is_multipart", Json::Bool(false));
    message.Set("additional_header_fields",
                Json::MakeObject({{"Reply-To", Json::String(email->value)}}));
    out.comparisons.push_back(
        Comparison("email-message:additional_header_fields.'Reply-To'", email->value));
  } else if (type == "email-attachment") {
    auto file = FileNameOf(value, options);
    if (!file.ok()) return Invalid(type, value, "is not a file name: " + file.error().message);
    Json sco = NewSco("file");
    MappedValue ignored;
    AddFile(&ignored, *file, &sco);
    AbsorbNotes(&out, ignored.notes);
    for (Json& dir : ignored.scos) out.scos.push_back(std::move(dir));
    FinishSco(&sco);
    std::string disposition = "attachment; filename=\"" + file->name + "\"";
    Json part = Json::MakeObject({{"body_raw_ref", Json::String(ScoId(sco))},
                                  {"content_disposition", Json::String(disposition)}});
    message.Set("is_multipart", Json::Bool(true));
    message.Set("body_multipart", Json::MakeArray({std::move(part)}));
    out.comparisons.push_back(
        Comparison("email-message:body_multipart[*].body_raw_ref.name", file->name));
    out.scos.push_back(std::move(sco));
  } else {
    // Text parts, kept as written.
    if (Trim(text).empty()) return Invalid(type, value, "is empty");
    message.Set("is_multipart", Json::Bool(false));
    std::string v(text);
    if (type == "email-subject") {
      message.Set("subject", Json::String(v));
      out.comparisons.push_back(Comparison("email-message:subject", v));
    } else if (type == "email-body") {
      message.Set("body", Json::String(v));
      out.comparisons.push_back(Comparison("email-message:body", v));
    } else if (type == "email-message-id") {
      message.Set("message_id", Json::String(v));
      out.comparisons.push_back(Comparison("email-message:message_id", v));
    } else if (type == "email-header") {
      message.Set("received_lines", Json::MakeArray({Json::String(v)}));
      out.comparisons.push_back(Comparison("email-message:received_lines[*]", v));
    } else {
      std::string_view header = type == "email-x-mailer" ? "X-Mailer" : "Thread-Index";
      message.Set("additional_header_fields", Json::MakeObject({{std::string(header), Json::String(v)}}));
      out.comparisons.push_back(Comparison(
          "email-message:additional_header_fields." + PatternLiteral(header), v));
    }
  }
  FinishSco(&message);
  out.scos.push_back(std::move(message));
  return out;
}

core::Result<MappedValue> MapRegistry(std::string_view type, std::string_view value) {
  std::string_view key = value;
  std::string_view data;
  bool with_value = type == "regkey|value";
  if (with_value && !SplitComposite(value, false, &key, &data)) {
    return Invalid(type, value, "has no '|' between the key and the value");
  }
  key = Trim(key);
  if (key.empty()) return Invalid(type, value, "has an empty registry key");
  MappedValue out;
  out.shape = Shape::kObservable;
  Json sco = NewSco("windows-registry-key");
  sco.Set("key", Json::String(std::string(key)));
  out.comparisons.push_back(Comparison("windows-registry-key:key", key));
  if (with_value) {
    sco.Set("values", Json::MakeArray({Json::MakeObject({{"data", Json::String(std::string(data))}})}));
    out.comparisons.push_back(Comparison("windows-registry-key:values[*].data", data));
  }
  FinishSco(&sco);
  out.scos.push_back(std::move(sco));
  return out;
}

// A single-property SCO of a value kept as written (mutex name, CPE).
core::Result<MappedValue> MapNamed(std::string_view type, std::string_view value,
                                   std::string_view sco_type, std::string_view property) {
  std::string_view v = Trim(value);
  if (v.empty()) return Invalid(type, value, "is empty");
  MappedValue out;
  out.shape = Shape::kObservable;
  Json sco = NewSco(sco_type);
  if (sco_type == "software") sco.Set("name", Json::String(std::string(v)));
  sco.Set(property, Json::String(std::string(v)));
  out.comparisons.push_back(Comparison(std::string(sco_type) + ":" + std::string(property), v));
  FinishSco(&sco);
  out.scos.push_back(std::move(sco));
  return out;
}

core::Result<MappedValue> PatternOnly(std::string comparison) {
  MappedValue out;
  out.shape = Shape::kPatternOnly;
  out.comparisons.push_back(std::move(comparison));
  return out;
}

core::Result<MappedValue> MapSocial(std::string_view type, std::string_view value,
                                    std::string_view platform,
                                    const normalize::NormalizeOptions& options) {
  std::string token(platform);
  token += ':';
  token += Trim(value);
  auto o = normalize::NormalizeAs(Kind::kSocialAccount, token, options);
  if (!o.ok()) return Invalid(type, value, "is not a " + std::string(platform) + " account: " + o.error().message);
  MappedValue out;
  out.shape = Shape::kObservable;
  for (const std::string& note : o->notes) out.notes.push_back(note);
  const std::string* handle = o->Field("handle");
  if (handle != nullptr && *handle != Trim(value)) out.changed = true;
  out.comparisons.push_back(ObservableComparison(*o));
  out.scos.push_back(ObservableSco(*o));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------

Json NewSco(std::string_view type) {
  Json sco = Json::MakeObject();
  sco.Set("type", Json::String(std::string(type)));
  sco.Set("spec_version", Json::String("2.1"));
  return sco;
}

void FinishSco(Json* sco) {
  sco->Erase("id");
  std::string id;
  auto computed = stix::ComputeScoId(*sco);
  if (computed.ok() && computed->deterministic) {
    id = std::move(computed->id);
  } else {
    const Json* type = sco->Find("type");
    id = DeterministicId(type != nullptr && type->is_string() ? type->as_string() : "x-unknown",
                         core::CanonicalJson(*sco));
  }
  Json::Object& members = sco->as_object();
  members.insert(members.begin() + 2, Json::Member("id", Json::String(std::move(id))));
}

const std::string& ScoId(const Json& sco) {
  static const std::string kNone;
  const Json* id = sco.Find("id");
  return id != nullptr && id->is_string() ? id->as_string() : kNone;
}

std::string PatternLiteral(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  out += '\'';
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string ObservableComparison(const Observable& observable) {
  std::string pattern = normalize::ToStixPattern(observable);
  // "[comparison]": the comparison is the text between the outer brackets.
  if (pattern.size() < 2) return pattern;
  return pattern.substr(1, pattern.size() - 2);
}

core::Result<Observable> NormalizeIp(std::string_view value,
                                     const normalize::NormalizeOptions& options) {
  std::string_view v = Trim(value);
  bool v6 = v.find(':') != std::string_view::npos;
  bool network = v.find('/') != std::string_view::npos;
  Kind kind = network ? (v6 ? Kind::kIpv6Network : Kind::kIpv4Network)
                      : (v6 ? Kind::kIpv6 : Kind::kIpv4);
  return normalize::NormalizeAs(kind, v, options);
}

bool IsHashType(std::string_view type) { return FindHashType(type) != nullptr; }

core::Result<HashValue> HashValueOf(std::string_view type, std::string_view value,
                                    const normalize::NormalizeOptions& options) {
  const HashType* h = FindHashType(type);
  if (h == nullptr) return Invalid(type, value, "is not a hash type");
  HashValue out;
  out.key = std::string(h->key);
  if (h->has_kind) {
    auto o = normalize::NormalizeAs(h->kind, value, options);
    if (!o.ok()) return Invalid(type, value, "is not a valid hash: " + o.error().message);
    out.value = std::move(o->value);
    out.notes = std::move(o->notes);
    return out;
  }
  std::string_view v = Trim(value);
  if (v.empty()) return Invalid(type, value, "is empty");
  if (h->hex) {
    if (!IsHex(v)) return Invalid(type, value, "is not hexadecimal");
    if (h->hex_length != 0 && v.size() != h->hex_length) {
      return Invalid(type, value,
                     "has " + std::to_string(v.size()) + " hex digits, not " +
                         std::to_string(h->hex_length));
    }
    out.value = Lower(v);
    if (out.value != v) out.notes.emplace_back("hex digits lower-cased");
  } else {
    out.value = std::string(v);
  }
  return out;
}

core::Result<FileNameValue> FileNameOf(std::string_view value,
                                       const normalize::NormalizeOptions& options) {
  std::string_view v = Trim(value);
  FileNameValue out;
  size_t slash = v.find_last_of("/\\");
  std::string_view name = v;
  if (slash != std::string_view::npos) {
    out.directory = std::string(v.substr(0, slash));
    name = v.substr(slash + 1);
    if (out.directory.empty()) out.directory = std::string(v.substr(0, 1));  // "/name"
  }
  auto o = normalize::NormalizeAs(Kind::kFileName, name, options);
  if (!o.ok()) return o.error();
  out.name = std::move(o->value);
  out.notes = std::move(o->notes);
  return out;
}

core::Result<int> PortOf(std::string_view value) {
  std::string_view v = Trim(value);
  int port = -1;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
  if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || port < 0 || port > 65535) {
    return core::MakeError(core::ErrorCode::kValidation,
                           "port '" + std::string(v.substr(0, 40)) + "' is not a number 0-65535");
  }
  return port;
}

std::string_view RuleTypeOf(std::string_view type) {
  if (type == "yara") return "yara";
  if (type == "snort") return "snort";
  if (type == "suricata") return "suricata";
  if (type == "sigma") return "sigma";
  if (type == "zeek" || type == "bro") return "zeek";
  if (type == "stix2-pattern") return "stix";
  return {};
}

core::Result<MappedValue> MapAttributeValue(std::string_view type, std::string_view value,
                                            std::string_view data,
                                            const normalize::NormalizeOptions& options) {
  if (type == "ip-src") return MapIp(type, value, true, false, options);
  if (type == "ip-dst") return MapIp(type, value, false, false, options);
  if (type == "ip-src|port") return MapIp(type, value, true, true, options);
  if (type == "ip-dst|port") return MapIp(type, value, false, true, options);
  if (type == "domain" || type == "hostname") return MapDomain(type, value, options);
  if (type == "domain|ip") return MapDomainIp(type, value, options);
  if (type == "hostname|port") return MapHostnamePort(type, value, options);
  if (type == "url" || type == "link") {
    return MapSimple(type, value, Kind::kUrl, UrlOptions(options), "a URL");
  }
  if (type == "uri") {
    // A uri is often only a path ("/gate.php"): no STIX object holds a bare path,
    // so it stays a note when it is not a whole URL.
    auto url = MapSimple(type, value, Kind::kUrl, options, "a URL");
    if (url.ok()) return url;
    MappedValue out;
    out.shape = Shape::kText;
    out.text = std::string(value);
    return out;
  }
  if (type == "email" || type == "target-email" || type == "whois-registrant-email" ||
      type == "dns-soa-email") {
    return MapSimple(type, value, Kind::kEmail, options, "an e-mail address");
  }
  if (type.starts_with("email-") && type != "email-mime-boundary" &&
      type != "email-src-display-name" && type != "email-dst-display-name") {
    return MapEmailPart(type, value, options);
  }
  if (type.starts_with("filename|")) {
    if (!IsHashType(type.substr(9))) {
      MappedValue out;
      out.shape = Shape::kText;
      out.text = std::string(value);
      return out;
    }
    return MapFilenameHash(type, value, options);
  }
  if (type == "filename") return MapFilename(type, value, options);
  if (type == "attachment" || type == "malware-sample") return MapSample(type, value, data, options);
  if (IsHashType(type)) return MapHash(type, value, options);
  if (type == "AS") return MapSimple(type, value, Kind::kAsn, options, "an AS number");
  if (type == "mac-address" || type == "mac-eui-64") {
    return MapSimple(type, value, Kind::kMac, options, "a MAC address");
  }
  if (type == "btc") return MapSimple(type, value, Kind::kBitcoinAddress, options, "a Bitcoin address");
  if (type == "xmr") return MapSimple(type, value, Kind::kMoneroAddress, options, "a Monero address");
  if (type == "eth") return MapSimple(type, value, Kind::kEthereumAddress, options, "an Ethereum address");
  if (type == "iban") return MapSimple(type, value, Kind::kIban, options, "an IBAN");
  if (type == "phone-number" || type == "whois-registrant-phone") {
    return MapSimple(type, value, Kind::kPhoneNumber, options, "a phone number");
  }
  if (type == "cc-number") return MapSimple(type, value, Kind::kPaymentCard, options, "a card number");
  if (type == "github-username") return MapSocial(type, value, "github", options);
  if (type == "twitter-id") return MapSocial(type, value, "twitter", options);
  if (type == "mutex") return MapNamed(type, value, "mutex", "name");
  if (type == "cpe") return MapNamed(type, value, "software", "cpe");
  if (type == "regkey" || type == "regkey|value") return MapRegistry(type, value);
  if (type == "user-agent") {
    if (Trim(value).empty()) return Invalid(type, value, "is empty");
    return PatternOnly(Comparison(
        "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'", value));
  }
  if (type == "http-method") {
    if (Trim(value).empty()) return Invalid(type, value, "is empty");
    return PatternOnly(
        Comparison("network-traffic:extensions.'http-request-ext'.request_method", Trim(value)));
  }
  if (type == "port") {
    auto port = PortOf(value);
    if (!port.ok()) return Invalid(type, value, port.error().message);
    return PatternOnly("network-traffic:dst_port = " + std::to_string(*port));
  }
  if (type == "size-in-bytes") {
    std::string_view v = Trim(value);
    uint64_t size = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), size);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
      return Invalid(type, value, "is not a size in bytes");
    }
    return PatternOnly("file:size = " + std::to_string(size));
  }
  if (type == "mime-type") {
    if (Trim(value).empty()) return Invalid(type, value, "is empty");
    return PatternOnly(Comparison("file:mime_type", Trim(value)));
  }
  if (std::string_view rule = RuleTypeOf(type); !rule.empty()) {
    if (Trim(value).empty()) return Invalid(type, value, "is an empty rule");
    MappedValue out;
    out.shape = Shape::kRule;
    out.pattern_type = std::string(rule);
    out.text = std::string(value);
    return out;
  }
  if (type == "vulnerability") {
    MappedValue out;
    out.shape = Shape::kVulnerability;
    std::string_view v = Trim(value);
    if (v.empty()) return Invalid(type, value, "is empty");
    auto cve = normalize::NormalizeAs(Kind::kCve, v, options);
    if (cve.ok()) {
      out.is_cve = true;
      Absorb(&out, *cve, value);
      out.text = cve->value;
      out.cve = std::move(*cve);
    } else {
      out.text = std::string(v);
    }
    return out;
  }
  if (type == "campaign-name" || type == "threat-actor") {
    std::string_view v = Trim(value);
    if (v.empty()) return Invalid(type, value, "is empty");
    MappedValue out;
    out.shape = type == "campaign-name" ? Shape::kCampaign : Shape::kThreatActor;
    out.text = std::string(v);
    return out;
  }
  // text, comment, other and every type STIX has no object for.
  MappedValue out;
  out.shape = Shape::kText;
  out.text = std::string(value);
  return out;
}

}  // namespace tessera::formats::misp
