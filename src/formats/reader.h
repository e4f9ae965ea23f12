// The reader interface every format implements: a reader streams records from an
// Input and hands each to a Sink as STIX 2.1 objects with the record's source
// position, or as a rejected record with the position, the reason and the raw
// bytes. Readers map values through normalize/ (canonical observables,
// deterministic ids) and keep what STIX has no property for in the source-fields
// extension (stix_build.h). Records stream: a reader holds at most one record
// (or, for whole-document formats, one document of at most kMaxDocumentBytes).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "formats/input.h"
#include "normalize/classify.h"
#include "stix/bundle.h"

namespace tessera::formats {

// Where a record came from. Line-based formats set `line`; every reader sets
// `byte_offset` where it knows it (0 otherwise) and `record`.
struct SourcePosition {
  std::string file;          // the input's name, or a file inside a folder layout
  uint64_t line = 0;         // 1-based line where the record starts; 0: not line-based
  uint64_t byte_offset = 0;  // offset of the record's first byte in `file`
  uint64_t record = 0;       // 0-based index of the record in `file`

  // "file:12" for line-based records, else "file@byte 3456"; " (record N)" added
  // when neither is known.
  std::string ToString() const;
};

// What the source asked about sharing that markings cannot say (TLP and other
// markings are on the objects' object_marking_refs). Governance decides on it.
struct SharingRequest {
  // MISP distribution: "organisation", "community", "connected", "all",
  // "sharing-group" or "inherit"; empty when the source states none.
  std::string distribution;
  std::string sharing_group;  // the MISP sharing group's name or uuid, when given
  bool empty() const { return distribution.empty() && sharing_group.empty(); }
};

struct Record {
  std::string_view format;  // the reader's name (static storage)
  SourcePosition position;
  std::vector<stix::StixObject> objects;  // valid STIX 2.1 objects, ids set
  SharingRequest sharing;
  std::vector<std::string> notes;  // what normalization changed ("trailing dot removed")

  // Appends an object (a JSON object with at least type and id).
  void Add(const core::Json& object);
};

// The most bytes of a rejected record kept verbatim.
inline constexpr size_t kMaxRawBytes = size_t{64} << 10;

struct Rejected {
  std::string_view format;
  SourcePosition position;
  std::string reason;
  std::string raw;         // the record's bytes, at most kMaxRawBytes
  bool truncated = false;  // raw was cut at kMaxRawBytes

  // Sets raw (and truncated) from the record's bytes.
  void SetRaw(std::string_view bytes);
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Accept(Record&& record) = 0;
  virtual void Reject(Rejected&& rejected) = 0;
};

struct ReadContext {
  // STIX timestamp for created/modified/valid_from where the source gives none
  // (ingest time; a fixed value in tests so outputs are reproducible).
  std::string now = "1970-01-01T00:00:00.000Z";
  normalize::NormalizeOptions normalize;
  // Reader options, `--option key=value` on the command line. A reader refuses
  // keys it does not know (kInvalidArgument) and lists its keys in Format::options.
  std::vector<std::pair<std::string, std::string>> options;

  // The value of an option, or nullptr.
  const std::string* Option(std::string_view key) const;
};

// How surely some bytes are a format: 0 (not it) to 100 (a signature), and why.
// Scale: 100 a signature (XML namespace, "type": "bundle"), 80-90 a structure
// only this format has, 50-70 a known header or layout, 20 generic delimited
// data, 10 one token per line, 5 prose (the fallback).
struct Detection {
  int score = 0;
  std::string reason;
};

// The bytes detection looks at: the beginning of the input.
inline constexpr size_t kDetectBytes = size_t{64} << 10;

struct Format {
  std::string name;         // what --from takes: "stix", "misp", "urlhaus", ...
  std::string description;  // one line for `tessera formats`
  // Detection from the first kDetectBytes; empty: only chosen by name.
  std::function<Detection(std::string_view head)> detect;
  // Detection of a folder layout (MISP feed); empty for formats of single files.
  std::function<Detection(const std::string& directory)> detect_directory;
  // Reads the whole input. Returns an error only when the input as a whole is
  // unusable (unreadable, not this format at all, a bad option); bad records are
  // rejected through the sink and the read goes on.
  std::function<core::Status(Input&, const ReadContext&, Sink&)> read;
  // Options the reader takes: {key, help}.
  std::vector<std::pair<std::string, std::string>> options;
};

// A sink that keeps everything (tests, small inputs).
class CollectingSink : public Sink {
 public:
  void Accept(Record&& record) override { records.push_back(std::move(record)); }
  void Reject(Rejected&& rejected) override { rejects.push_back(std::move(rejected)); }
  std::vector<Record> records;
  std::vector<Rejected> rejects;
};

// Checks `context.options` against the keys a format takes; the error names the
// unknown key and the known ones.
core::Status CheckOptions(const ReadContext& context, const Format& format);
// The same for a reader that knows its name and option keys.
core::Status CheckOptions(const ReadContext& context, std::string_view format_name,
                          const std::vector<std::string_view>& keys);

}  // namespace tessera::formats
