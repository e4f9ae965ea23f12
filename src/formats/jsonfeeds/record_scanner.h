// RecordScanner: splits a JSON feed into its records without parsing it, so a
// reader parses one record at a time and memory stays bounded by one record.
// It understands the shapes feeds come in: a top-level array of records; JSON
// lines or concatenated values (each top-level value a record); a wrapper object
// whose record array sits under a known member ({"query_status": "ok",
// "data": [...]}); an export keyed by id ({"<id>": [records], ...}); and a
// single object that is itself the record. It tracks strings and nesting only;
// syntax errors inside a record are for the record's parser to find.
// Not synchronized; one scanner per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tessera::formats::jsonfeeds {

// Which members of a top-level object hold the record array.
struct RecordShape {
  // Members whose array value is the record array ("data", "urls", "results").
  std::vector<std::string_view> record_members;
  // Members that may come before the record array in a wrapper ("query_status",
  // "count"); a record member after any other member is part of a record.
  std::vector<std::string_view> meta_members;
  // {"<digits>": [records], ...}: every member with a numeric key is a group
  // of records (ThreatFox and URLhaus JSON exports).
  bool id_keyed = false;
};

// One record's bytes and where it starts.
struct ScannedRecord {
  std::string_view bytes;  // valid until the callback returns
  uint64_t offset = 0;     // of the first byte in the input
  uint64_t line = 0;       // 1-based line of the first byte
  uint64_t index = 0;      // 0-based record index in the input
  std::string_view group;  // the id key of an id-keyed export, else empty
  bool too_big = false;    // over kMaxRecordBytes: `bytes` holds only its beginning
  bool stray = false;      // not a JSON container (a stray token at the top level)
};

class RecordScanner {
 public:
  struct Callbacks {
    std::function<void(const ScannedRecord&)> record;
    // A member of a wrapper object other than the record array, with its raw
    // JSON value (empty when over kMaxMemberBytes).
    std::function<void(std::string_view key, std::string_view raw_value)> member;
  };

  static constexpr size_t kMaxRecordBytes = size_t{128} << 20;
  static constexpr size_t kMaxMemberBytes = size_t{64} << 10;
  static constexpr int kMaxDepth = 1024;

  RecordScanner(RecordShape shape, Callbacks callbacks);

  // Scans the next bytes. An error (kParse, naming the byte) only when the
  // input cannot be split any further: a closing bracket with nothing open, or
  // nesting deeper than kMaxDepth.
  core::Status Feed(std::string_view bytes);
  // Ends the input. A record left open is handed over (its parser will find
  // it broken); an error (kParse) when the input ends inside anything else.
  core::Status Finish();

  uint64_t records() const { return records_; }
  // Whether any top-level value was seen.
  bool saw_value() const { return saw_value_; }

 private:
  struct Capture {
    bool active = false;
    bool too_big = false;
    size_t start = 0;  // index in the current bytes
    size_t size = 0;   // bytes captured so far
    size_t limit = 0;
    uint64_t offset = 0;
    uint64_t line = 0;
    std::string spill;  // bytes from earlier Feed calls
    void Begin(size_t i, uint64_t at, uint64_t at_line, size_t max);
    void Carry(std::string_view bytes);
    std::string_view End(std::string_view bytes, size_t end);
  };
  struct Frame {
    bool array = false;
    bool records = false;  // an array whose elements are records
    bool expect_key = true;
  };

  void ValueStart(std::string_view bytes, size_t i, char c);
  void ValueEnd(std::string_view bytes, size_t end);  // a value at depth_ ended
  void EmitRecord(Capture* capture, std::string_view bytes, size_t end, bool stray);
  core::Status Fail(const std::string& message) const;

  RecordShape shape_;
  Callbacks callbacks_;

  uint64_t base_ = 0;  // input offset of the current bytes
  uint64_t line_ = 1;
  int depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool in_scalar_ = false;  // inside a number/true/false/null token
  bool stray_ = false;      // skipping a stray top-level token up to the line's end
  bool saw_value_ = false;
  Frame frames_[3];  // depth 1 and 2 (index = depth); deeper levels are not tracked

  // Root object members.
  bool key_active_ = false;
  size_t key_start_ = 0;
  std::string key_;
  std::string group_;
  bool only_meta_so_far_ = true;
  bool root_is_wrapper_ = false;
  bool pending_records_ = false;  // the array about to open holds records

  Capture root_;     // the whole top-level object (until it turns out to be a wrapper)
  Capture member_;   // a wrapper member's value
  Capture element_;  // a record inside a record array
  int element_depth_ = 0;
  uint64_t records_ = 0;
};

}  // namespace tessera::formats::jsonfeeds
