// The one event model every JSON feed maps into, and its STIX 2.1 form. A feed
// mapping (a rule table, or code for OTX and CleanMX) fills a FeedEvent from
// one source entry; BuildEventRecord turns it into a Record: the SCOs of its
// observables (through normalize), then either indicators based on them (feeds
// that list bad things: blocklists, IOC feeds) or an observed-data (feeds that
// report what was seen: sinkholes, scans), malware SDOs for the families named
// (`indicates`, or a `sighting` of the malware for observations), times,
// confidence, labels, TLP, external references, and the source fields no STIX
// property holds. ReadState carries what a read emits once (marking and
// extension definitions) and counts records. Not synchronized.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "formats/json_stream.h"
#include "formats/reader.h"
#include "normalize/observable.h"
#include "stix/tlp.h"

namespace tessera::formats::jsonfeeds {

// IntelMQ's two sides: source.* is the thing the feed is about (the C2, the
// phishing URL, the infected host), destination.* its peer.
enum class Side { kSource, kDestination };

// Observable kinds beyond normalize's: values whose kind depends on the text.
enum class ValueKind {
  kFixed,     // `kind` as stated
  kIp,        // IPv4 or IPv6
  kNetwork,   // an IPv4 or IPv6 CIDR
  kHost,      // an IP address or a domain
  kUrlOrHost, // a URL, else an IP address or a domain
  kHash,      // MD5, SHA-1, SHA-256 or SHA-512 by length
  kIpPort,    // "198.51.100.7:443" or "[2001:db8::1]:443"
  kAsn,       // 64500, "64500", "AS64500"
};

struct EventObservable {
  ValueKind value_kind = ValueKind::kFixed;
  normalize::Kind kind = normalize::Kind::kDomain;
  std::string raw;      // as the source wrote it
  std::string pointer;  // JSON pointer of the field ("/details/0/ip_address")
  Side side = Side::kSource;
  bool indicate = false;  // an indicator is made for it (in indicator mode)
  bool required = false;  // the entry is rejected when it does not normalize
};

struct FeedEvent {
  std::vector<EventObservable> observables;
  std::vector<std::string> malware;          // family names as written
  std::vector<std::string> malware_aliases;  // for every family named
  std::vector<std::string> malware_links;    // Malpedia and similar pages
  std::string first_seen, last_seen, valid_until;  // STIX timestamps
  std::optional<int> confidence;                   // 0-100
  std::vector<std::string> labels;
  std::optional<stix::TlpLevel> tlp;
  std::string name, description;
  std::string source_id;  // the feed's own id of the entry
  std::string self_link;  // the feed's page for the entry
  std::vector<std::string> references;  // other URLs the entry cites
  std::string classification;  // IntelMQ classification.type ("c2-server", "phishing", ...)
  std::optional<int64_t> source_port, destination_port;
  std::string transport;  // "tcp", "udp"
  int64_t count = 0;      // times seen (observed-data number_observed), 0: unknown
  core::Json kept = core::Json::MakeObject();  // source fields without a STIX home
  // The entry as parsed (or null): what is left of it once the `consumed`
  // pointers and the observables that normalized are taken out is kept too.
  const core::Json* source = nullptr;
  std::vector<std::string> consumed;
  std::string record_key;  // identifies the entry when it has no id (observed-data ids)
  std::vector<std::string> notes;
};

// Whether a classification lists bad things (indicators) or reports what was
// seen (observed-data). Unknown classifications are observations.
bool IsIndicatorClass(std::string_view classification);

class ReadState {
 public:
  ReadState(std::string_view format, const ReadContext& context, std::string file)
      : format_(format), context_(context), file_(std::move(file)) {}

  std::string_view format() const { return format_; }
  const ReadContext& context() const { return context_; }

  Record NewRecord(uint64_t offset, uint64_t line);
  void Reject(Sink& sink, uint64_t offset, uint64_t line, std::string reason,
              std::string_view raw);
  // Rejects a record already counted by NewRecord (keeps its index).
  void Reject(Sink& sink, const Record& record, std::string reason, std::string_view raw);

  // Adds the marking-definition (first use in this read) and marks the object.
  void Mark(Record* record, core::Json* object, stix::TlpLevel level);
  // Keeps source fields on the object, adding the extension definition the
  // first time this read uses it.
  void Keep(Record* record, core::Json* object, core::Json fields);

 private:
  // The position of the next record or reject (counts it).
  SourcePosition NextPosition(uint64_t offset, uint64_t line);

  std::string_view format_;
  const ReadContext& context_;
  std::string file_;
  uint64_t records_ = 0;
  std::set<stix::TlpLevel> marked_;
  bool extension_defined_ = false;
};

// Normalizes one observable. The kind-dependent ValueKinds pick the kind from
// the text; ports of kIpPort come back in *port.
core::Result<normalize::Observable> NormalizeEventValue(const EventObservable& value,
                                                        const normalize::NormalizeOptions& options,
                                                        std::optional<int64_t>* port);

// The SCO of an observable as the record's object (CVE vulnerabilities get
// `timestamp` as created/modified so output is reproducible). Returns its id.
std::string AddSco(Record* record, const normalize::Observable& observable,
                   std::string_view timestamp);

// A malware SDO for a family name: id from the lower-cased name, so every
// record naming the family refers to one object.
core::Json MalwareSdo(std::string_view name, std::string_view timestamp);

// Lower case, trimmed: the key of a family name.
std::string FamilyKey(std::string_view name);

// Builds the record of an event. Returns false, with `*reason`, when the entry
// has nothing to map (no observable normalized, or a required one failed).
bool BuildEventRecord(FeedEvent& event, ReadState& state, Record* record, std::string* reason);

// Where a feed's records are: the records mode of the JSON splitter, with the
// members of a wrapper object that hold the record array, those that may come
// before it, and whether an export keyed by id holds groups of records.
JsonStreamShape FeedShape(std::vector<std::string_view> record_members = {},
                          std::vector<std::string_view> leading_members = {},
                          bool id_keyed = false);

// The most bytes of one record.
inline constexpr size_t kMaxRecordBytes = size_t{128} << 20;

// What a reader calls one record in messages ("an entry", "a pulse") and its
// input ("a threatfox feed", "OTX pulses").
struct RecordNames {
  std::string_view record;
  std::string input;
};

// Reads the records of a JSON feed laid out as `shape`: each record that parses
// as JSON goes to `map` with where it was; a record that cannot be split or
// parsed is rejected. An error when the input cannot be split before its first
// record, or holds no JSON value.
using MapRecord = std::function<void(const core::Json& record, const JsonElement& element)>;
core::Status ReadJsonRecords(Input& input, const JsonStreamShape& shape, const RecordNames& names,
                             ReadState& state, Sink& sink, const MapRecord& map);

}  // namespace tessera::formats::jsonfeeds
