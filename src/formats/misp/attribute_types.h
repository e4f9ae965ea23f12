// MISP attribute values to STIX 2.1: what one (type, value) pair becomes (SCOs and
// the comparisons of a STIX pattern, a detection rule, an SDO, or plain text), and
// the value helpers the object templates build on. Values go through normalize/
// wherever it has a kind for them. Internal to the MISP readers; stateless and
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "normalize/classify.h"
#include "normalize/observable.h"

namespace tessera::formats::misp {

// What a value maps to.
enum class Shape {
  kObservable,     // SCOs (observed-data; an indicator too when to_ids)
  kPatternOnly,    // only a STIX pattern (user-agent, port, ...): indicator when to_ids
  kRule,           // a detection rule (yara, snort, sigma, ...): always an indicator
  kVulnerability,  // a vulnerability SDO
  kCampaign,       // a campaign SDO (campaign-name)
  kThreatActor,    // a threat-actor SDO (threat-actor)
  kText,           // no STIX object of its own: a note
};

// An SCO as emitted: its type, deterministic id and compact JSON text
// ({"type", "spec_version", "id", then its properties}; no markings).
struct Sco {
  std::string type;
  std::string id;
  std::string json;
};

struct MappedValue {
  Shape shape = Shape::kText;
  // kObservable: the SCOs; referenced ones before the objects that reference
  // them, the main SCO last.
  std::vector<Sco> scos;
  // kObservable, kPatternOnly: comparison expressions of one observation,
  // joined with AND ("file:hashes.MD5 = '...'").
  std::vector<std::string> comparisons;
  // kRule: pattern_type ("yara", "snort", "sigma", "suricata", "stix", ...).
  std::string pattern_type;
  // kRule: the rule text; kVulnerability/kCampaign/kThreatActor: the name;
  // kText: the value.
  std::string text;
  // kVulnerability of a CVE id: the normalized observable (its id is shared by
  // every partner that reports the same CVE).
  bool is_cve = false;
  normalize::Observable cve;
  // What normalization changed, for the record's notes.
  std::vector<std::string> notes;
  // The canonical value differs from the value as written (the written form is
  // then kept in the source fields).
  bool changed = false;
  // The attribute's data could not be used (not base64): keep it as a source field.
  bool data_unused = false;

  // Working storage: the value's normalized observable, kept from value to
  // value so that normalizing reuses its text (not part of the result).
  normalize::Observable observable;

  // Empty again, keeping the lists' storage for the next value.
  void Clear();
};

// Maps the value of a MISP attribute of `type` (an attribute outside any MISP
// object) into *mapped, which is cleared first (a reader reuses one from value
// to value). `data` is the attribute's base64 `data` (attachment,
// malware-sample), empty when absent. An error (kValidation) says why a value is
// not a valid value of its type ("ip-dst: '1.2.3' is not an IP address: ...").
core::Status MapAttributeValue(std::string_view type, std::string_view value,
                               std::string_view data, const normalize::NormalizeOptions& options,
                               MappedValue* mapped);

// ---------------------------------------------------------------------------
// Building blocks shared with the object templates.

// An SCO from its properties written as JSON members (",\"value\":\"x\""), with id
// type--UUIDv5(STIX SCO namespace, id_name): `id_name` is the RFC 8785 form of its
// ID-contributing properties (STIX 2.1 §2.9), written by the caller.
Sco MakeSco(std::string_view type, std::string_view id_name, std::string_view members);
// An SCO given as a tree: with `compute_id`, its id is computed as FinishSco
// does; otherwise the tree's own id is kept (normalize::ToStixObject's).
Sco ScoFromJson(const core::Json& sco, bool compute_id);
// A normalized observable's SCO (the single-value kinds without building a tree).
Sco ObservableSco(const normalize::Observable& observable);
// Appends ,"key":"value" (value escaped) to SCO members.
void AppendMember(std::string* members, std::string_view key, std::string_view value);

// A new SCO: {"type", "spec_version": "2.1"}; FinishSco adds the deterministic id
// (STIX 2.1 §2.9; for SCOs without an ID-contributing property, a UUIDv5 of the
// whole object in Tessera's namespace, so re-reading gives the same id).
core::Json NewSco(std::string_view type);
void FinishSco(core::Json* sco);
// The id of a finished SCO.
const std::string& ScoId(const core::Json& sco);

// A STIX pattern string literal: 'value' with ' and \ escaped.
std::string PatternLiteral(std::string_view value);
// The comparison `path = 'value'`.
std::string Comparison(std::string_view path, std::string_view value);
// The comparison of a normalized observable ("domain-name:value = 'x'").
std::string ObservableComparison(const normalize::Observable& observable);

// An IP address or network (IPv4 or IPv6, CIDR allowed), normalized.
core::Result<normalize::Observable> NormalizeIp(std::string_view value,
                                                const normalize::NormalizeOptions& options);
// The same into *out, reusing its storage (normalize::NormalizeAsInto).
bool NormalizeIpInto(std::string_view value, const normalize::NormalizeOptions& options,
                     normalize::Observable* out, std::string* error);

// A hash value of a MISP hash type ("md5", "sha3-256", "imphash", "x509-fingerprint-sha1", ...):
// the STIX hashes key and the canonical value. Types normalize/ knows are
// normalized there; the other hex types are checked for length and lower-cased.
struct HashValue {
  std::string key;    // "MD5", "SHA-256", "SHA3-256", "IMPHASH", ...
  std::string value;  // canonical
  std::vector<std::string> notes;
};
// True for the MISP types HashValueOf accepts.
bool IsHashType(std::string_view type);
core::Result<HashValue> HashValueOf(std::string_view type, std::string_view value,
                                    const normalize::NormalizeOptions& options);

// A file name or path: the name (normalized) and, for a path, its directory.
struct FileNameValue {
  std::string name;
  std::string directory;  // empty when the value is a bare name
  std::vector<std::string> notes;
};
core::Result<FileNameValue> FileNameOf(std::string_view value,
                                       const normalize::NormalizeOptions& options);

// True for RFC 4648 base64 with padding (STIX's binary type).
bool IsBase64(std::string_view text);

// A port number 0-65535 written in decimal.
core::Result<int> PortOf(std::string_view value);

// The pattern_type a MISP rule type maps to ("yara" -> "yara", "bro" -> "zeek"),
// or empty when `type` is not a rule type.
std::string_view RuleTypeOf(std::string_view type);

}  // namespace tessera::formats::misp
