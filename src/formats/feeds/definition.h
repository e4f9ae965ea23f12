// Feed definitions: how a delimited or line-based feed is laid out (delimiter,
// quoting, comments, header, banner lines) and what each column means (an
// observable kind, a STIX property, or a source field kept verbatim). A
// definition comes from a TOML file (the bundled ones under definitions/, or
// `definition=PATH`) or from reader options (`columns=url,,time:first_seen`).
// docs/formats/feeds.md documents every key. Value types; built once per read
// (or once at start-up for the bundled ones) and read-only afterwards.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "formats/reader.h"
#include "normalize/observable.h"
#include "stix/tlp.h"

namespace tessera::formats::feeds {

// How a value becomes an observable.
struct KindSpec {
  enum class Mode {
    kFixed,        // normalize::NormalizeAs(kind)
    kIp,           // IPv4 or IPv6 address
    kIpOrNetwork,  // an address, or a CIDR network when it has a '/'
    kNetwork,      // IPv4 or IPv6 CIDR network
    kAuto,         // normalize::Normalize (classification), or the read's default kind
    kCertificate,  // a certificate fingerprint: an x509-certificate SCO with `hash`
  };
  Mode mode = Mode::kAuto;
  normalize::Kind kind = normalize::Kind::kDomain;  // kFixed; kCertificate: kMd5/kSha1/kSha256
};

// What a column means. docs/formats/feeds.md, "Column types", maps each to STIX.
enum class ColumnType {
  kField,          // kept in the source-fields extension under the column's name
  kIgnore,         // dropped (only for columns that repeat another column)
  kObservable,     // an SCO (KindSpec says which)
  kExtract,        // free text: every observable in it (normalize::ExtractObservables)
  kFirstSeen,      // indicator valid_from / observed-data first_observed
  kLastSeen,       // observed-data last_observed; a source field on indicators
  kValidUntil,     // indicator valid_until
  kLabel,          // labels
  kIndicatorType,  // indicator_types
  kMalware,        // a malware SDO (is_family) the indicator indicates
  kDescription,    // indicator description
  kConfidence,     // confidence 0-100
  kReference,      // an external reference URL
  kExternalId,     // the external_id of the external reference (the feed's own id)
  kTlp,            // a TLP marking for every object of the row
  kCount,          // observed-data number_observed
};

// A column type name as definitions write it ("first_seen", "url", ...); the
// observable kinds are normalize's names plus ip, ip-or-cidr, cidr, auto,
// x509-md5, x509-sha1, x509-sha256.
core::Result<std::pair<ColumnType, KindSpec>> ParseColumnType(std::string_view name);

struct ColumnSpec {
  std::string name;                  // the header name to bind to, and the source field's name
  std::vector<std::string> aliases;  // other header names it binds to
  ColumnType type = ColumnType::kField;
  KindSpec kind;
  bool indicator = false;                 // the row's indicator is made from this observable
  std::string time_format;                // for time columns; empty: the definition's
  char split = 0;                         // multi-valued: values separated by this character
  std::vector<std::string> empty_values;  // values that mean "none" ("0", "-")
  // A value of an observable column that does not normalize: false rejects the
  // row, true keeps the value as a source field with a note. Default: false for
  // indicator columns, true for the others.
  std::optional<bool> keep_invalid;
  // kAuto only: the column whose value names the kind (ThreatFox ioc_type), and
  // the map from its values to kind names; values not in the map are auto.
  std::string kind_column;
  std::vector<std::pair<std::string, std::string>> kind_map;
};

// An observable built from several columns: "{application}://{http_host}{url}".
struct DerivedSpec {
  std::string name;  // for messages and notes
  KindSpec kind;
  bool indicator = false;
  bool keep_invalid = true;
  // Literal text and column references alternate; a reference is a column name or
  // a 1-based index. The derived value is skipped when a referenced value is empty.
  struct Piece {
    bool is_column = false;
    std::string text;
  };
  std::vector<Piece> pieces;
};

// A time read from a comment or banner line, used for rows that have no time of
// their own: the line (comment prefix and leading space removed) starts with
// `prefix`, and the rest parses with `format` (text after it ignored).
struct BannerTime {
  std::string prefix;
  std::string format;
};

enum class HeaderMode { kNo, kYes, kAuto };
enum class Layout { kDelimited, kWhitespace, kHtmlTable };

struct FeedDefinition {
  std::string name;         // the format name (what --from takes)
  std::string description;  // one line
  std::string source_name;  // external_references source_name (default: name)
  Layout layout = Layout::kDelimited;
  char delimiter = 0;           // kDelimited; 0 with !sniff_delimiter: one value per line
  bool sniff_delimiter = true;  // the delimiter is found from the first lines
  char quote = '"';             // 0: no quoting
  bool trim = true;             // surrounding whitespace of fields removed
  std::vector<std::string> comments = {"#"};  // line prefixes (after leading blanks)
  std::vector<std::string> data_prefixes;     // when set, only lines starting with one are rows
  HeaderMode header = HeaderMode::kAuto;
  // With a header line: columns bind to header names (true) or by position.
  bool bind_by_name = true;
  bool indicator = true;            // indicator feed (blocklist) or observations
  bool strict_columns = true;       // a row with another field count than the header is rejected
  bool assume_http = false;         // URLs without a scheme get http://
  std::vector<std::string> labels;  // on every indicator / observed-data
  std::vector<std::string> indicator_types;     // on every indicator
  std::string time_format = "auto";             // default for time columns (time_format.h)
  std::optional<stix::TlpLevel> tlp;            // a marking for every object
  std::optional<normalize::Kind> default_kind;  // for columns of kind auto
  std::vector<ColumnSpec> columns;
  // Without a header line: the columns' names in the order rows give them
  // (empty: all columns, in definition order).
  std::vector<std::string> positional;
  std::vector<DerivedSpec> derived;
  std::vector<BannerTime> banner_times;
  // Detection: comment/banner texts (any of them, case-insensitive, in the first
  // lines) and the header signature (names that must all be in the header line).
  std::vector<std::string> detect_banners;
  std::vector<std::string> detect_header;
  int detect_score = 60;
};

// Parses a TOML definition; `origin` names it in errors ("definitions/urlhaus.toml").
// Errors (kParse, kInvalidArgument) name the key and the TOML position.
core::Result<FeedDefinition> ParseDefinition(std::string_view toml_text, std::string_view origin);

// Parses a column list as the `columns` option writes it: comma-separated entries
// "[name:]type" in column order; an empty entry is a column kept as a field.
core::Result<std::vector<ColumnSpec>> ParseColumnList(std::string_view text);

// The options every feed format takes, and the ones only the generic "csv" takes.
const std::vector<std::pair<std::string, std::string>>& DefinitionOptions();
const std::vector<std::pair<std::string, std::string>>& CsvOptions();

// Applies reader options to a definition: loads `definition=PATH` first (for the
// generic reader), then columns, delimiter, comment, header, indicator, kind,
// time_format, labels, indicator_types, tlp, assume_http, quote.
core::Status ApplyOptions(const ReadContext& context, FeedDefinition* definition);

// Checks a definition's consistency (known column names in templates, valid time
// formats, delimiters); the error names the offending key.
core::Status CheckDefinition(const FeedDefinition& definition);

}  // namespace tessera::formats::feeds
