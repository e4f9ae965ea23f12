// Warninglists: lists of values that are known benign or meaningless as
// indicators (private ranges, documentation domains, public resolvers, empty-file
// hashes, ...), read in the MISP warninglist JSON format or built in, and matched
// compiled (CIDR prefix trees, a label-suffix hash map, hash sets, one
// Aho-Corasick automaton, regexes compiled once). Lifecycle: Add… then Compile();
// after Compile() a set is read-only and safe to share between threads. A rebuilt
// set replaces an old one whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "normalize/observable.h"
#include "warninglists/misp_format.h"

namespace tessera::stix {
struct StixObject;
}

namespace tessera::warninglists {

// What a loaded list is, for listing (`tessera warninglists list`).
struct ListInfo {
  std::string id;      // short, unique in a set: "reserved-ipv4", "rfc1918"
  std::string name;    // MISP "name": a sentence
  std::string description;
  int64_t version = 0;
  ListType type = ListType::kString;
  std::string category;  // MISP "category" ("false-positive", "known"); may be empty
  std::vector<std::string> matching_attributes;  // MISP attribute types; empty: all
  std::string origin;    // file path, "<builtin>", or what AddMispJson was given
  bool builtin = false;
  size_t entries = 0;          // distinct entries compiled
  size_t skipped_entries = 0;  // entries that could not be used (see first_skip_reason)
  std::string first_skip_reason;
};

// One list a value is on. At most one hit per list per value: the most specific
// entry (longest prefix, longest domain suffix; for substrings and regexes the
// first entry found).
struct Hit {
  std::string list;   // ListInfo::id
  std::string entry;  // the list entry that matched, canonical ("192.168.0.0/16")
  // In words, starting with the value probed: "192.168.1.1 is inside
  // 192.168.0.0/16 (RFC 1918 private address space)". The parenthesis is the
  // entry's note for built-in lists, the list's name otherwise.
  std::string reason;
};

// Hits for one property of a STIX object ("value", "hashes.MD5", "name").
struct ObjectHit {
  std::string property;
  Hit hit;
};

// Size limits on what a set accepts; a list over them is refused with kLimit.
struct Limits {
  size_t max_substring_bytes = size_t{256} << 10;  // all substring entries of a set together
  size_t max_regexes = 10'000;                   // regex entries of a set together
  // Values longer than this are not run through regexes (RE2 is linear in the
  // value, but a set may hold thousands of them). Other matchers take any length.
  size_t max_regex_input_bytes = 64 * 1024;
};

class WarninglistSet {
 public:
  explicit WarninglistSet(Limits limits = {});
  ~WarninglistSet();
  WarninglistSet(WarninglistSet&&) noexcept;
  WarninglistSet& operator=(WarninglistSet&&) noexcept;
  WarninglistSet(const WarninglistSet&) = delete;
  WarninglistSet& operator=(const WarninglistSet&) = delete;

  // Adds one list in MISP JSON. `origin` names it in errors (a file path). `id`
  // is the list's short name; empty: derived from `origin` (see ListIdFromPath).
  // Errors: kParse / kValidation / kLimit for a bad list (the message says why,
  // the location is `origin`), kInvalidArgument for a duplicate id or a set
  // already compiled. Entries that cannot be used (a hostname that is not a
  // domain, a regex RE2 refuses) are skipped and counted in ListInfo.
  core::Status AddMispJson(std::string_view json, std::string_view origin,
                           std::string_view id = {});

  // A MISP list file, or a directory: every file named list.json under it (the
  // layout of the misp-warninglists repository), in path order. kNotFound / kIo
  // when unreadable, then as AddMispJson.
  core::Status AddPath(const std::filesystem::path& path);

  // An already parsed list (the built-in lists go through here too).
  core::Status AddList(const ListSpec& list);

  // Tessera's own lists (builtins.h): reserved IPv4/IPv6 ranges, documentation
  // domains, public resolvers, empty-file hashes, top sites, cloud ranges.
  void AddBuiltins();

  // Builds the matchers. Idempotent. Match before Compile finds nothing.
  void Compile();
  bool compiled() const;

  // Lists in the order they were added.
  const std::vector<ListInfo>& Lists() const;

  // Lists `value` is on. Precondition: `value` is canonical for `kind` (as the
  // normalize module writes it). Values of a kind that cannot be parsed as such
  // (an "IPv4" that is not a dotted quad) hit no CIDR or hostname list, never a
  // wrong one. URLs are also matched on their host, e-mail addresses on their
  // domain. Thread-safe after Compile().
  std::vector<Hit> Match(normalize::Kind kind, std::string_view value) const;

  // By STIX type and the canonical value of its main property: ipv4-addr,
  // ipv6-addr (an address or a CIDR), domain-name, url, email-addr, mac-addr;
  // "file" takes a hash (the algorithm from its length: 32 MD5, 40 SHA-1, 64
  // SHA-256, 128 SHA-512) or else a file name. Other types hit nothing.
  std::vector<Hit> Match(std::string_view stix_type, std::string_view value) const;

  // A whole STIX object: ipv4-addr / ipv6-addr / domain-name / url / email-addr /
  // mac-addr "value", hashes of file / artifact / x509-certificate, file "name",
  // autonomous-system "number", phone-number "number", bank-account "iban".
  // Values are canonicalized first (normalize); a value that is not canonical-
  // izable is matched as written. Objects whose JSON does not parse hit nothing.
  std::vector<ObjectHit> Match(const stix::StixObject& object) const;

  // A raw token as a person types it (refanged, classified and canonicalized by
  // normalize::Classify). An ambiguous token ("example.py") is checked as each of
  // its kinds. Error: the token is no observable (kValidation, the reason).
  struct TokenResult {
    std::vector<normalize::Observable> as;  // the canonical readings checked
    std::vector<Hit> hits;
  };
  core::Result<TokenResult> MatchToken(std::string_view token) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The id a list file gets: the folder name for ".../NAME/list.json" (the MISP
// layout), else the file name without ".json".
std::string ListIdFromPath(std::string_view path);

}  // namespace tessera::warninglists
