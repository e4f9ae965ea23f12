#include "formats/misp/attribute_types.h"

#include <array>
#include <charconv>
#include <utility>

#include "core/hash.h"
#include "core/json.h"
#include "core/uuid.h"
#include "formats/stix_build.h"
#include "normalize/stix_mapping.h"
#include "stix/ids.h"

namespace tessera::formats::misp {

using namespace std::string_view_literals;

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
    {"sha512/224", "SHA-512-224", false, Kind::kMd5, 56, true},
    {"sha512/256", "SHA-512-256", false, Kind::kMd5, 64, true},
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

using normalize::AppendPatternLiteral;

std::string HashComparison(std::string_view object_type, std::string_view key,
                           std::string_view value) {
  std::string out;
  // Room for the usual case (no quotes to escape), so the text is sized once.
  out.reserve(object_type.size() + key.size() + value.size() + 20);
  out.append(object_type).append(":hashes."sv);
  AppendPatternLiteral(&out, key);
  out.append(" = "sv);
  AppendPatternLiteral(&out, value);
  return out;
}

// ,"key":"value" without escaping: ids, canonical numbers, STIX vocabulary.
void AppendPlain(std::string* out, std::string_view key, std::string_view value) {
  out->append(",\"").append(key).append("\":\""sv).append(value).push_back('"');
}

// The id_name of a single-value property: {"key":"value"}.
std::string OneProperty(std::string_view key, std::string_view value) {
  std::string name = "{\"";
  name.append(key).append("\":"sv);
  core::AppendJsonString(&name, value);
  name.push_back('}');
  return name;
}

// Appends ,"hashes":{"KEY":"value"}: a single hash is the one that contributes
// to the id (§2.9).
void AppendOneHash(std::string* members, std::string_view key, std::string_view value) {
  members->append(",\"hashes\":{"sv);
  core::AppendJsonString(members, key);
  members->push_back(':');
  core::AppendJsonString(members, value);
  members->push_back('}');
}

// The same, returning the hashes object ({"KEY":"value"}) for the id name.
std::string OneHash(std::string_view key, std::string_view value, std::string* members) {
  const size_t at = members->size() + ",\"hashes\":"sv.size();
  AppendOneHash(members, key, value);
  return members->substr(at);
}

// An SCO's JSON up to its id, written straight into sco->json with a place
// for the uuid that SetScoUuid fills once the properties are written.
constexpr std::string_view kScoHead = "{\"type\":\"";
constexpr std::string_view kScoToId = "\",\"spec_version\":\"2.1\",\"id\":\"";
constexpr size_t kUuidTextSize = 36;
void StartSco(std::string_view type, size_t members_size, Sco* sco) {
  sco->type = std::string(type);
  // Room for the properties and the object_marking_refs the reader adds.
  sco->json.reserve(kScoHead.size() + kScoToId.size() + 2 * type.size() + kUuidTextSize + 4 +
                    members_size + 96);
  sco->json.append(kScoHead).append(type).append(kScoToId);
  sco->json.append(type).append("--"sv).append(kUuidTextSize, '0').push_back('"');
}
void SetScoUuid(const core::Uuid& uuid, Sco* sco) {
  sco->id.reserve(sco->type.size() + 2 + kUuidTextSize);
  sco->id.assign(sco->type).append("--"sv);
  uuid.AppendTo(&sco->id);
  sco->json.replace(kScoHead.size() + sco->type.size() + kScoToId.size(), sco->id.size(),
                    sco->id);
}

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

// A directory SCO (STIX 2.1 §6.6).
Sco DirectorySco(const std::string& path) {
  std::string members;
  AppendMember(&members, "path", path);
  return MakeSco("directory", OneProperty("path", path), members);
}

// A file's name (and its directory SCO, first in out->scos) as members and
// ID-contributing properties, plus the comparisons.
struct FileParts {
  std::string members;       // ,"parent_directory_ref":..,"name":..
  std::string directory_id;  // empty without a directory
};
FileParts AddFile(MappedValue* out, const FileNameValue& file) {
  FileParts parts;
  if (!file.directory.empty()) {
    Sco dir = DirectorySco(file.directory);
    parts.directory_id = dir.id;
    AppendPlain(&parts.members, "parent_directory_ref", dir.id);
    out->scos.push_back(std::move(dir));
    out->comparisons.push_back(Comparison("file:parent_directory_ref.path", file.directory));
  }
  AppendMember(&parts.members, "name", file.name);
  out->comparisons.push_back(Comparison("file:name", file.name));
  AbsorbNotes(out, file.notes);
  return parts;
}

// {"hashes":..,"name":..,"parent_directory_ref":..}: a file's id_name (sorted keys).
std::string FileIdName(std::string_view hashes, std::string_view name,
                       std::string_view directory_id) {
  std::string id_name = "{";
  if (!hashes.empty()) id_name.append("\"hashes\":"sv).append(hashes).push_back(',');
  id_name.append("\"name\":"sv);
  core::AppendJsonString(&id_name, name);
  if (!directory_id.empty()) {
    id_name.append(",\"parent_directory_ref\":\""sv).append(directory_id).push_back('"');
  }
  id_name.push_back('}');
  return id_name;
}

// ip-src, ip-dst and their |port forms: network-traffic with the address as
// src_ref or dst_ref (STIX 2.1 §6.12).
core::Status MapIp(MappedValue& out, std::string_view type, std::string_view value, bool source,
                   bool with_port, const normalize::NormalizeOptions& options) {
  std::string_view address = value;
  std::string_view port_text;
  if (with_port && !SplitComposite(value, true, &address, &port_text)) {
    return Invalid(type, value, "has no '|' between the address and the port");
  }
  std::string error;
  const Observable* ip = &out.observable;
  if (!NormalizeIpInto(address, options, &out.observable, &error)) {
    return Invalid(type, value, "is not an IP address: " + error);
  }
  out.shape = Shape::kObservable;
  Absorb(&out, *ip, address);
  Sco ip_sco = ObservableSco(*ip);
  bool v6 = ip->kind == Kind::kIpv6 || ip->kind == Kind::kIpv6Network;
  bool network = ip->kind == Kind::kIpv4Network || ip->kind == Kind::kIpv6Network;
  std::string_view ref_key = source ? "src_ref" : "dst_ref";
  std::string_view port_key = source ? "src_port" : "dst_port";
  out.comparisons.push_back(
      Comparison(source ? "network-traffic:src_ref.type" : "network-traffic:dst_ref.type",
                 v6 ? "ipv6-addr" : "ipv4-addr"));
  std::string& address_comparison = out.comparisons.emplace_back();
  address_comparison.reserve(ip->value.size() + 48);
  address_comparison.append("network-traffic:"sv).append(ref_key);
  address_comparison.append(network ? ".value ISSUBSET "sv : ".value = "sv);
  AppendPatternLiteral(&address_comparison, ip->value);
  char port_digits[8];
  std::string_view port_number;  // canonical decimal
  if (with_port) {
    auto port = PortOf(port_text);
    if (!port.ok()) return Invalid(type, value, port.error().message);
    char* end = std::to_chars(port_digits, port_digits + sizeof(port_digits), *port).ptr;
    port_number = std::string_view(port_digits, static_cast<size_t>(end - port_digits));
    out.comparisons.emplace_back("network-traffic:"sv)
        .append(port_key)
        .append(" = "sv)
        .append(port_number);
    if (port_number != Trim(port_text)) out.changed = true;
  }
  std::string_view protocols = v6 ? "[\"ipv6\"]" : "[\"ipv4\"]";
  Sco traffic;
  StartSco("network-traffic", ip_sco.id.size() + 64, &traffic);
  AppendPlain(&traffic.json, ref_key, ip_sco.id);
  if (with_port) traffic.json.append(",\""sv).append(port_key).append("\":"sv).append(port_number);
  traffic.json.append(",\"protocols\":"sv).append(protocols);
  // The id name, in RFC 8785 order: dst_port, dst_ref, protocols, src_port, src_ref.
  const std::string& ref = ip_sco.id;
  const core::Uuid& ns = stix::ScoNamespace();
  core::Uuid uuid;
  if (source && with_port) {
    uuid = core::UuidV5(ns, {"{\"protocols\":", protocols, ",\"src_port\":", port_number,
                             ",\"src_ref\":\"", ref, "\"}"});
  } else if (source) {
    uuid = core::UuidV5(ns, {"{\"protocols\":", protocols, ",\"src_ref\":\"", ref, "\"}"});
  } else if (with_port) {
    uuid = core::UuidV5(ns, {"{\"dst_port\":", port_number, ",\"dst_ref\":\"", ref,
                             "\",\"protocols\":", protocols, "}"});
  } else {
    uuid = core::UuidV5(ns, {"{\"dst_ref\":\"", ref, "\",\"protocols\":", protocols, "}"});
  }
  SetScoUuid(uuid, &traffic);
  traffic.json.push_back('}');
  out.scos.push_back(std::move(ip_sco));
  out.scos.push_back(std::move(traffic));
  return {};
}

core::Status MapDomainIp(MappedValue& out, std::string_view type, std::string_view value,
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
  out.shape = Shape::kObservable;
  Absorb(&out, *domain, name);
  Absorb(&out, *ip, address);
  Sco ip_sco = ObservableSco(*ip);
  // value is the domain-name's only ID-contributing property.
  std::string members;
  AppendMember(&members, "value", domain->value);
  members.append(",\"resolves_to_refs\":[\""sv).append(ip_sco.id).append("\"]"sv);
  Sco domain_sco = MakeSco("domain-name", OneProperty("value", domain->value), members);
  out.comparisons.push_back(ObservableComparison(*domain));
  out.comparisons.push_back(Comparison("domain-name:resolves_to_refs[*].value", ip->value));
  out.scos.push_back(std::move(ip_sco));
  out.scos.push_back(std::move(domain_sco));
  return {};
}

core::Status MapHostnamePort(MappedValue& out, std::string_view type, std::string_view value,
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
  out.shape = Shape::kObservable;
  Absorb(&out, *domain, name);
  Sco domain_sco = ObservableSco(*domain);
  std::string port_number = std::to_string(*port);
  std::string members;
  AppendPlain(&members, "dst_ref", domain_sco.id);
  // A port implies a transport; MISP does not say which. TCP, as misp-stix assumes.
  members.append(",\"dst_port\":"sv).append(port_number).append(",\"protocols\":[\"tcp\"]"sv);
  std::string id_name = "{\"dst_port\":" + port_number + ",\"dst_ref\":\"" + domain_sco.id +
                        "\",\"protocols\":[\"tcp\"]}";
  Sco traffic = MakeSco("network-traffic", id_name, members);
  out.comparisons.push_back(Comparison("network-traffic:dst_ref.type", "domain-name"));
  out.comparisons.push_back(Comparison("network-traffic:dst_ref.value", domain->value));
  out.comparisons.push_back("network-traffic:dst_port = " + port_number);
  out.scos.push_back(std::move(domain_sco));
  out.scos.push_back(std::move(traffic));
  return {};
}

// Observables normalize/ has a kind for, mapped one to one.
core::Status MapSimple(MappedValue& out, std::string_view type, std::string_view value, Kind kind,
                       const normalize::NormalizeOptions& options, std::string_view what) {
  std::string error;
  if (!normalize::NormalizeAsInto(kind, value, options, &out.observable, &error)) {
    return Invalid(type, value, "is not " + std::string(what) + ": " + error);
  }
  const Observable& o = out.observable;
  out.shape = Shape::kObservable;
  Absorb(&out, o, value);
  out.comparisons.push_back(ObservableComparison(o));
  out.scos.push_back(ObservableSco(o));
  return {};
}

core::Status MapHash(MappedValue& out, std::string_view type, std::string_view value,
                     const normalize::NormalizeOptions& options) {
  bool x509 = type.starts_with("x509-");
  // A file hash normalize/ has a kind for is its one-kind observable, a file.
  if (const HashType* h = FindHashType(type); h != nullptr && h->has_kind && !x509) {
    return MapSimple(out, type, value, h->kind, options, "a valid hash");
  }
  auto hash = HashValueOf(type, value, options);
  if (!hash.ok()) return hash.error();
  out.shape = Shape::kObservable;
  AbsorbNotes(&out, hash->notes);
  if (hash->value != Trim(value)) out.changed = true;
  std::string_view sco_type = x509 ? "x509-certificate" : "file";
  std::string members;
  // A single hash is the only ID-contributing property (§2.9).
  std::string hashes = OneHash(hash->key, hash->value, &members);
  out.comparisons.push_back(HashComparison(sco_type, hash->key, hash->value));
  out.scos.push_back(MakeSco(sco_type, "{\"hashes\":" + hashes + "}", members));
  return {};
}

// filename|<hash>: one file with its name and the hash.
core::Status MapFilenameHash(MappedValue& out, std::string_view type, std::string_view value,
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
  out.shape = Shape::kObservable;
  FileParts parts = AddFile(&out, *file);
  AbsorbNotes(&out, hash->notes);
  if (hash->value != Trim(digest) || file->name != Trim(name)) out.changed = true;
  std::string hashes = OneHash(hash->key, hash->value, &parts.members);
  out.comparisons.push_back(HashComparison("file", hash->key, hash->value));
  out.scos.push_back(
      MakeSco("file", FileIdName(hashes, file->name, parts.directory_id), parts.members));
  return {};
}

core::Status MapFilename(MappedValue& out, std::string_view type, std::string_view value,
                         const normalize::NormalizeOptions& options) {
  auto file = FileNameOf(value, options);
  if (!file.ok()) return Invalid(type, value, "is not a file name: " + file.error().message);
  out.shape = Shape::kObservable;
  FileParts parts = AddFile(&out, *file);
  if (file->directory.empty() && file->name != Trim(value)) out.changed = true;
  out.scos.push_back(
      MakeSco("file", FileIdName({}, file->name, parts.directory_id), parts.members));
  return {};
}

// attachment and malware-sample: a file whose content is an artifact holding
// the attribute's data (STIX 2.1 §6.1, §6.7).
core::Status MapSample(MappedValue& out, std::string_view type, std::string_view value,
                       std::string_view data, const normalize::NormalizeOptions& options) {
  bool sample = type == "malware-sample";
  std::string_view name = value;
  std::string_view digest;
  if (sample && !SplitComposite(value, true, &name, &digest)) {
    return Invalid(type, value, "has no '|' between the file name and the MD5");
  }
  auto file = FileNameOf(name, options);
  if (!file.ok()) return Invalid(type, value, "has no valid file name: " + file.error().message);
  out.shape = Shape::kObservable;
  Json sco = NewSco("file");
  if (!file->directory.empty()) {
    Sco dir = DirectorySco(file->directory);
    sco.Set("parent_directory_ref", Json::String(dir.id));
    out.scos.push_back(std::move(dir));
    out.comparisons.push_back(Comparison("file:parent_directory_ref.path", file->directory));
  }
  sco.Set("name", Json::String(file->name));
  out.comparisons.push_back(Comparison("file:name", file->name));
  AbsorbNotes(&out, file->notes);
  if (sample) {
    auto hash = HashValueOf("md5", digest, options);
    if (!hash.ok()) return Invalid(type, value, "has no valid MD5: " + hash.error().message);
    sco.Set("hashes", Json::MakeObject({{hash->key, Json::String(hash->value)}}));
    out.comparisons.push_back(HashComparison("file", hash->key, hash->value));
    if (hash->value != Trim(digest)) out.changed = true;
  }
  if (!data.empty() && !IsBase64(data)) {
    // Not base64: no valid artifact; the caller keeps "data" as a source field.
    out.notes.emplace_back("data is not base64; kept as a source field, no artifact made");
    out.data_unused = true;
  } else if (!data.empty()) {
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
    Sco artifact_sco = ScoFromJson(artifact, true);
    sco.Set("content_ref", Json::String(artifact_sco.id));
    out.scos.push_back(std::move(artifact_sco));
  }
  out.scos.push_back(ScoFromJson(sco, true));
  return {};
}

// The e-mail attribute types: an email-message with the part the type names
// (and the email-addr it references), STIX 2.1 §6.5.
core::Status MapEmailPart(MappedValue& out, std::string_view type, std::string_view value,
                          const normalize::NormalizeOptions& options) {
  out.shape = Shape::kObservable;
  Json message = NewSco("email-message");
  std::string_view text = value;
  auto address = [&](std::string_view property, bool list, std::string_view path) -> core::Status {
    auto email = normalize::NormalizeAs(Kind::kEmail, value, options);
    if (!email.ok())
      return Invalid(type, value, "is not an e-mail address: " + email.error().message);
    Absorb(&out, *email, value);
    Sco addr = ObservableSco(*email);
    message.Set("is_multipart", Json::Bool(false));
    message.Set(property, list ? Json::MakeArray({Json::String(addr.id)}) : Json::String(addr.id));
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
    if (!email.ok())
      return Invalid(type, value, "is not an e-mail address: " + email.error().message);
    Absorb(&out, *email, value);
    message.Set("is_multipart", Json::Bool(false));
    message.Set("additional_header_fields",
                Json::MakeObject({{"Reply-To", Json::String(email->value)}}));
    out.comparisons.push_back(
        Comparison("email-message:additional_header_fields.'Reply-To'", email->value));
  } else if (type == "email-attachment") {
    auto file = FileNameOf(value, options);
    if (!file.ok()) return Invalid(type, value, "is not a file name: " + file.error().message);
    MappedValue parts_out;
    FileParts parts = AddFile(&parts_out, *file);
    AbsorbNotes(&out, parts_out.notes);
    for (Sco& dir : parts_out.scos) out.scos.push_back(std::move(dir));
    Sco sco = MakeSco("file", FileIdName({}, file->name, parts.directory_id), parts.members);
    std::string disposition = "attachment; filename=\"" + file->name + "\"";
    Json part = Json::MakeObject({{"body_raw_ref", Json::String(sco.id)},
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
      message.Set("additional_header_fields",
                  Json::MakeObject({{std::string(header), Json::String(v)}}));
      out.comparisons.push_back(
          Comparison("email-message:additional_header_fields." + PatternLiteral(header), v));
    }
  }
  out.scos.push_back(ScoFromJson(message, true));
  return {};
}

core::Status MapRegistry(MappedValue& out, std::string_view type, std::string_view value) {
  std::string_view key = value;
  std::string_view data;
  bool with_value = type == "regkey|value";
  if (with_value && !SplitComposite(value, false, &key, &data)) {
    return Invalid(type, value, "has no '|' between the key and the value");
  }
  key = Trim(key);
  if (key.empty()) return Invalid(type, value, "has an empty registry key");
  out.shape = Shape::kObservable;
  std::string members;
  AppendMember(&members, "key", key);
  std::string id_name = "{\"key\":";
  core::AppendJsonString(&id_name, key);
  out.comparisons.push_back(Comparison("windows-registry-key:key", key));
  if (with_value) {
    std::string values = "[{\"data\":";
    core::AppendJsonString(&values, data);
    values.append("}]"sv);
    members.append(",\"values\":"sv).append(values);
    id_name.append(",\"values\":"sv).append(values);
    out.comparisons.push_back(Comparison("windows-registry-key:values[*].data", data));
  }
  id_name.push_back('}');
  out.scos.push_back(MakeSco("windows-registry-key", id_name, members));
  return {};
}

// A single-property SCO of a value kept as written (mutex name, CPE).
core::Status MapNamed(MappedValue& out, std::string_view type, std::string_view value,
                      std::string_view sco_type, std::string_view property) {
  std::string_view v = Trim(value);
  if (v.empty()) return Invalid(type, value, "is empty");
  out.shape = Shape::kObservable;
  out.comparisons.push_back(Comparison(std::string(sco_type) + ":" + std::string(property), v));
  if (sco_type == "mutex") {
    std::string members;
    AppendMember(&members, "name", v);
    out.scos.push_back(MakeSco("mutex", OneProperty("name", v), members));
    return {};
  }
  Json sco = NewSco(sco_type);
  if (sco_type == "software") sco.Set("name", Json::String(std::string(v)));
  sco.Set(property, Json::String(std::string(v)));
  out.scos.push_back(ScoFromJson(sco, true));
  return {};
}

core::Status PatternOnly(MappedValue& out, std::string comparison) {
  out.shape = Shape::kPatternOnly;
  out.comparisons.push_back(std::move(comparison));
  return {};
}

core::Status MapSocial(MappedValue& out, std::string_view type, std::string_view value,
                       std::string_view platform, const normalize::NormalizeOptions& options) {
  std::string token(platform);
  token += ':';
  token += Trim(value);
  auto o = normalize::NormalizeAs(Kind::kSocialAccount, token, options);
  if (!o.ok())
    return Invalid(type, value,
                   "is not a " + std::string(platform) + " account: " + o.error().message);
  out.shape = Shape::kObservable;
  for (const std::string& note : o->notes) out.notes.push_back(note);
  const std::string* handle = o->Field("handle");
  if (handle != nullptr && *handle != Trim(value)) out.changed = true;
  out.comparisons.push_back(ObservableComparison(*o));
  out.scos.push_back(ObservableSco(*o));
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------

void MappedValue::Clear() {
  shape = Shape::kText;
  scos.clear();
  comparisons.clear();
  pattern_type.clear();
  text.clear();
  if (is_cve) cve = normalize::Observable();
  is_cve = false;
  notes.clear();
  changed = false;
  data_unused = false;
}

bool IsBase64(std::string_view text) {
  // STIX 2.1 §2.2 binary: RFC 4648 base64 with padding.
  if (text.size() % 4 != 0) return false;
  return core::Base64Decode(text).has_value();
}

void AppendMember(std::string* members, std::string_view key, std::string_view value) {
  members->append(",\"").append(key).append("\":"sv);
  core::AppendJsonString(members, value);
}

Sco MakeSco(std::string_view type, std::string_view id_name, std::string_view members) {
  Sco sco;
  StartSco(type, members.size(), &sco);
  sco.json.append(members);
  SetScoUuid(core::UuidV5(stix::ScoNamespace(), id_name), &sco);
  sco.json.push_back('}');
  return sco;
}

Sco ScoFromJson(const Json& tree, bool compute_id) {
  Json copy = tree;
  if (compute_id) FinishSco(&copy);
  Sco sco;
  const Json* type = copy.Find("type");
  sco.type = type != nullptr && type->is_string() ? type->as_string() : "";
  sco.id = ScoId(copy);
  core::WriteJson(copy, core::JsonStyle::kCompact, &sco.json);
  return sco;
}

Sco ObservableSco(const Observable& o) {
  std::string_view hash_key;  // empty: a value kind
  switch (o.kind) {
    case Kind::kIpv4:
    case Kind::kIpv4Network:
    case Kind::kIpv6:
    case Kind::kIpv6Network:
    case Kind::kDomain:
    case Kind::kUrl:
    case Kind::kEmail:
    case Kind::kMac:
      break;
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh:
      for (const HashType& t : kHashTypes) {
        if (t.has_kind && t.kind == o.kind) {
          hash_key = t.key;
          break;
        }
      }
      break;
    default:
      // Several properties or Tessera's own types: normalize builds them.
      return ScoFromJson(normalize::ToStixObject(o), false);
  }
  normalize::StixIdParts parts = normalize::StixIdOf(o);
  Sco sco;
  StartSco(parts.type, o.value.size() + 24, &sco);
  if (hash_key.empty()) {
    AppendMember(&sco.json, "value", o.value);
  } else {
    AppendOneHash(&sco.json, hash_key, o.value);
  }
  SetScoUuid(parts.uuid, &sco);
  sco.json.push_back('}');
  return sco;
}

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
  AppendPatternLiteral(&out, value);
  return out;
}

std::string Comparison(std::string_view path, std::string_view value) {
  std::string out;
  out.reserve(path.size() + value.size() + 5);
  out.append(path).append(" = "sv);
  AppendPatternLiteral(&out, value);
  return out;
}

std::string ObservableComparison(const Observable& observable) {
  std::string comparison;
  comparison.reserve(observable.value.size() + 48);
  normalize::AppendStixComparison(&comparison, observable);
  return comparison;
}

namespace {
// The kind an IP value is written as.
Kind IpKindOf(std::string_view v) {
  bool v6 = v.find(':') != std::string_view::npos;
  bool network = v.find('/') != std::string_view::npos;
  return network ? (v6 ? Kind::kIpv6Network : Kind::kIpv4Network)
                 : (v6 ? Kind::kIpv6 : Kind::kIpv4);
}
}  // namespace

core::Result<Observable> NormalizeIp(std::string_view value,
                                     const normalize::NormalizeOptions& options) {
  std::string_view v = Trim(value);
  return normalize::NormalizeAs(IpKindOf(v), v, options);
}

bool NormalizeIpInto(std::string_view value, const normalize::NormalizeOptions& options,
                     Observable* out, std::string* error) {
  std::string_view v = Trim(value);
  return normalize::NormalizeAsInto(IpKindOf(v), v, options, out, error);
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
      return Invalid(
          type, value,
          "has " + std::to_string(v.size()) + " hex digits, not " + std::to_string(h->hex_length));
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

core::Status MapAttributeValue(std::string_view type, std::string_view value, std::string_view data,
                               const normalize::NormalizeOptions& options, MappedValue* mapped) {
  MappedValue& out = *mapped;
  out.Clear();
  if (type == "ip-src") return MapIp(out, type, value, true, false, options);
  if (type == "ip-dst") return MapIp(out, type, value, false, false, options);
  if (type == "ip-src|port") return MapIp(out, type, value, true, true, options);
  if (type == "ip-dst|port") return MapIp(out, type, value, false, true, options);
  if (type == "domain" || type == "hostname") {
    return MapSimple(out, type, value, Kind::kDomain, options, "a domain name");
  }
  if (type == "domain|ip") return MapDomainIp(out, type, value, options);
  if (type == "hostname|port") return MapHostnamePort(out, type, value, options);
  if (type == "url" || type == "link") {
    return MapSimple(out, type, value, Kind::kUrl, UrlOptions(options), "a URL");
  }
  if (type == "uri") {
    // A uri is often only a path ("/gate.php"): no STIX object holds a bare path,
    // so it stays a note when it is not a whole URL.
    if (MapSimple(out, type, value, Kind::kUrl, options, "a URL").ok()) return {};
    out.Clear();
    out.shape = Shape::kText;
    out.text = std::string(value);
    return {};
  }
  if (type == "email" || type == "target-email" || type == "whois-registrant-email" ||
      type == "dns-soa-email") {
    return MapSimple(out, type, value, Kind::kEmail, options, "an e-mail address");
  }
  if (type.starts_with("email-") && type != "email-mime-boundary" &&
      type != "email-src-display-name" && type != "email-dst-display-name") {
    return MapEmailPart(out, type, value, options);
  }
  if (type.starts_with("filename|")) {
    if (!IsHashType(type.substr(9))) {
      out.shape = Shape::kText;
      out.text = std::string(value);
      return {};
    }
    return MapFilenameHash(out, type, value, options);
  }
  if (type == "filename") return MapFilename(out, type, value, options);
  if (type == "attachment" || type == "malware-sample")
    return MapSample(out, type, value, data, options);
  if (IsHashType(type)) return MapHash(out, type, value, options);
  if (type == "AS") {
    // The type says it is an AS number: MISP often writes it without "AS".
    std::string_view v = Trim(value);
    bool digits = !v.empty() && v.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits) return MapSimple(out, type, value, Kind::kAsn, options, "an AS number");
    TESSERA_RETURN_IF_ERROR(
        MapSimple(out, type, "AS" + std::string(v), Kind::kAsn, options, "an AS number"));
    out.changed = true;
    return {};
  }
  if (type == "mac-address" || type == "mac-eui-64") {
    return MapSimple(out, type, value, Kind::kMac, options, "a MAC address");
  }
  if (type == "btc")
    return MapSimple(out, type, value, Kind::kBitcoinAddress, options, "a Bitcoin address");
  if (type == "xmr")
    return MapSimple(out, type, value, Kind::kMoneroAddress, options, "a Monero address");
  if (type == "eth")
    return MapSimple(out, type, value, Kind::kEthereumAddress, options, "an Ethereum address");
  if (type == "iban") return MapSimple(out, type, value, Kind::kIban, options, "an IBAN");
  if (type == "phone-number" || type == "whois-registrant-phone") {
    return MapSimple(out, type, value, Kind::kPhoneNumber, options, "a phone number");
  }
  if (type == "cc-number")
    return MapSimple(out, type, value, Kind::kPaymentCard, options, "a card number");
  if (type == "github-username") return MapSocial(out, type, value, "github", options);
  if (type == "twitter-id") return MapSocial(out, type, value, "twitter", options);
  if (type == "mutex") return MapNamed(out, type, value, "mutex", "name");
  if (type == "cpe") return MapNamed(out, type, value, "software", "cpe");
  if (type == "regkey" || type == "regkey|value") return MapRegistry(out, type, value);
  if (type == "user-agent") {
    if (Trim(value).empty()) return Invalid(type, value, "is empty");
    return PatternOnly(out, Comparison(
        "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'", value));
  }
  if (type == "http-method") {
    if (Trim(value).empty()) return Invalid(type, value, "is empty");
    return PatternOnly(out, 
        Comparison("network-traffic:extensions.'http-request-ext'.request_method", Trim(value)));
  }
  if (type == "port") {
    auto port = PortOf(value);
    if (!port.ok()) return Invalid(type, value, port.error().message);
    return PatternOnly(out, "network-traffic:dst_port = " + std::to_string(*port));
  }
  if (type == "size-in-bytes") {
    std::string_view v = Trim(value);
    uint64_t size = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), size);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
      return Invalid(type, value, "is not a size in bytes");
    }
    return PatternOnly(out, "file:size = " + std::to_string(size));
  }
  if (type == "mime-type") {
    if (Trim(value).empty()) return Invalid(type, value, "is empty");
    return PatternOnly(out, Comparison("file:mime_type", Trim(value)));
  }
  if (std::string_view rule = RuleTypeOf(type); !rule.empty()) {
    if (Trim(value).empty()) return Invalid(type, value, "is an empty rule");
    out.shape = Shape::kRule;
    out.pattern_type = std::string(rule);
    out.text = std::string(value);
    return {};
  }
  if (type == "vulnerability") {
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
    return {};
  }
  if (type == "campaign-name" || type == "threat-actor") {
    std::string_view v = Trim(value);
    if (v.empty()) return Invalid(type, value, "is empty");
    out.shape = type == "campaign-name" ? Shape::kCampaign : Shape::kThreatActor;
    out.text = std::string(v);
    return {};
  }
  // text, comment, other and every type STIX has no object for.
  out.shape = Shape::kText;
  out.text = std::string(value);
  return {};
}

}  // namespace tessera::formats::misp
