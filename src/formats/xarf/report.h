// One X-ARF report as the reader understood it, whatever its version (4 JSON,
// 3 JSON, 0.2 e-mail/YAML), and the STIX objects it becomes: the reporter (and
// sender) as identities, the abuse source as an SCO with an indicator, the other
// values the report observed as SCOs, an observed-data of them all, and a
// sighting of the indicator by the reporter. docs/formats/xarf.md has the
// mapping. Internal to src/formats/xarf/; value types, not synchronized.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "formats/reader.h"
#include "formats/rules/rule_common.h"
#include "normalize/observable.h"
#include "stix/tlp.h"

namespace tessera::formats::xarf {

inline constexpr std::string_view kFormat = "xarf";

// A reporter or sender.
struct Party {
  std::string name;            // organization or person; the e-mail when nothing else
  std::string email;           // contact e-mail, normalized
  std::string domain;          // the organization's domain, normalized
  std::string identity_class;  // "organization", "individual" or empty
  bool empty() const { return name.empty() && email.empty() && domain.empty(); }
};

// A value a report field holds, normalized.
struct ObservedValue {
  std::string field;  // where it was: "source_identifier", "Report.SourceUrl", ...
  normalize::Observable observable;
};

struct Report {
  std::string version;     // "4.2.0", "3", "0.2": kept as a source field by the caller
  std::string id_key;      // what deterministic ids of the report's objects derive from
  std::string report_uuid; // the report's own UUID (X-ARF 4 report_id), lower case
  Party reporter;
  std::optional<Party> sender;
  // The abuse source; nullopt when the report names only a victim (a v3
  // PotentiallyCompromisedAccount report without AttackerIp).
  std::optional<ObservedValue> source;
  std::vector<ObservedValue> observed;  // other values (URLs, domains, hashes, ...)
  std::string reported;    // when the report says the abuse happened: STIX timestamp
  std::string first_seen;  // STIX timestamps
  std::string last_seen;
  std::optional<int64_t> count;
  std::optional<int> confidence;  // 0-100
  std::string description;
  std::vector<std::string> labels;
  std::vector<stix::TlpLevel> tlp;
  std::vector<core::Json> external_references;  // CVEs the report names
  core::Json fields = core::Json::MakeObject();  // source fields: what has no STIX property
  std::vector<std::string> notes;
};

// The STIX objects of a report, in one record. `markings` tracks the TLP
// definitions the read has emitted. Precondition: reported, first_seen and
// last_seen are set; source or observed is not empty.
Record BuildRecord(const Report& report, const SourcePosition& position,
                   const ReadContext& context, rules::MarkingTracker* markings);

// Validation messages for one report: the field path and what is wrong with it,
// at most a handful (the first ones are the useful ones).
class Problems {
 public:
  void Add(std::string message);
  bool empty() const { return messages_.empty(); }
  // "a; b; c" (and "; ..." when some were left out).
  std::string Reason() const;

 private:
  std::vector<std::string> messages_;
  size_t dropped_ = 0;
};

// A timestamp as X-ARF writes it (RFC 3339 in 3 and 4; RFC 5322 or ISO 8601 in
// 0.2) as a STIX timestamp with at least millisecond precision.
std::optional<std::string> ReportTimestamp(std::string_view text);

// "x" for a value in a message: the text (cut at 80 bytes) in quotes, or its JSON
// type for a non-string.
std::string Show(const core::Json& value);

}  // namespace tessera::formats::xarf
