// One row of a feed to STIX: RowMapper binds a definition's columns to the
// fields of an input (by header name or by position) and maps each row's fields
// to a MappedRow (canonical observables, STIX timestamps, labels, source
// fields) or a reason it does not map; RecordBuilder turns a MappedRow into the
// record's STIX objects. RecordBuilder has two equivalent paths: one through
// the core::Json builders of stix_build.h (the reference) and one that writes
// the compact JSON text directly (the default; row_test.cc checks they agree
// byte for byte). Both hold per-read state (the TLP marking definitions already
// shipped); not synchronized.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/feeds/definition.h"
#include "formats/reader.h"
#include "normalize/observable.h"
#include "stix/tlp.h"

namespace tessera::formats::feeds {

// A list whose elements keep their storage from row to row: once warm, refilling
// it allocates nothing (an element is overwritten, not rebuilt).
template <typename T>
class KeptList {
 public:
  void clear() { size_ = 0; }
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const T& operator[](size_t i) const { return items_[i]; }
  T& operator[](size_t i) { return items_[i]; }
  T& front() { return items_[0]; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + size_; }
  T* begin() { return items_.data(); }
  T* end() { return items_.data() + size_; }
  // A new last element, holding whatever an earlier row left in its slot.
  T& AddSlot() {
    if (size_ == items_.size()) items_.emplace_back();
    return items_[size_++];
  }
  void pop_back() { --size_; }

 private:
  std::vector<T> items_;
  size_t size_ = 0;
};

class StringList : public KeptList<std::string> {
 public:
  // Appends `value` unless it is already in the list.
  void AddUnique(std::string_view value) {
    for (const std::string& item : *this) {
      if (item == value) return;
    }
    AddSlot().assign(value);
  }
};

// A header name compared without case, spaces or punctuation: "Dateadded (UTC)"
// -> "dateaddedutc".
std::string NameKey(std::string_view name);

struct MappedObservable {
  normalize::Observable observable;
  bool certificate = false;  // an x509-certificate fingerprint (observable is its hash)
  bool indicator = false;    // an indicator is made from it
};

struct MappedRow {
  KeptList<MappedObservable> observables;
  std::string first_seen;  // STIX timestamps; empty when the row has none
  std::string last_seen;
  std::string valid_until;
  StringList labels;
  StringList indicator_types;
  StringList malware;
  std::string description;
  int confidence = -1;  // -1: none
  StringList references;
  std::string external_id;
  std::optional<stix::TlpLevel> tlp;
  int64_t count = 0;  // 0: none
  // Source fields in column order: name (stable for the read) and value (a view
  // into the row or into `owned`).
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  std::vector<std::string> notes;
  // Values built while mapping (decoded kind maps, joined templates) that
  // `fields` may point into; reserved so that views stay valid.
  std::deque<std::string> owned;

  void Clear();
};

class RowMapper {
 public:
  RowMapper(const FeedDefinition& definition, const normalize::NormalizeOptions& options);

  // Binds columns by header names (`header` holds the header line's fields).
  void BindHeader(const std::vector<std::string_view>& header);
  // Binds columns by position (no header line).
  void BindPositions();
  bool bound() const { return bound_; }

  // Does this line (a comment's text or a first data line) name the definition's
  // columns? True when at least half of the named columns (and two or more) are
  // among `fields`.
  bool LooksLikeHeader(const std::vector<std::string_view>& fields) const;

  // Maps one row; false with *reason set when it does not map. `banner_time` is
  // the time from a banner line (or empty).
  bool Map(const std::vector<std::string_view>& fields, std::string_view banner_time,
           MappedRow* row, std::string* reason);

 private:
  struct BoundColumn {
    const ColumnSpec* spec = nullptr;  // null: kept as a field
    std::string name;                  // the source field's name
    int kind_field = -1;               // ColumnSpec::kind_column's field
  };

  bool MapObservable(const ColumnSpec& spec, std::string_view column_name, std::string_view value,
                     std::string_view kind_value, MappedRow* row, std::string* reason);
  bool NormalizeValue(const KindSpec& kind, std::string_view value, MappedObservable* out,
                      std::string* why);
  void EnsureColumns(size_t count);
  int FieldNamed(std::string_view name) const;
  void ResolveColumnReferences();

  const FeedDefinition& def_;
  normalize::NormalizeOptions options_;
  std::vector<ColumnSpec> guessed_;      // specs made from header names (no columns defined)
  const ColumnSpec* primary_ = nullptr;  // the implicit indicator column, when none is marked
  std::vector<BoundColumn> columns_;
  std::vector<std::vector<int>> derived_fields_;  // per derived spec, per piece: field or -1
  size_t expected_fields_ = 0;                    // 0: not checked
  bool bound_ = false;
  bool auto_columns_ = false;      // no columns defined: every column is guessed
  bool classify_unbound_ = false;  // unbound columns are classified value by value
  std::string first_failure_;      // why a classified value was not an observable
  std::string scratch_;
};

class RecordBuilder {
 public:
  // `format` must have static storage (it is the Record's format name).
  RecordBuilder(std::string_view format, const FeedDefinition& definition, std::string now,
                bool fast = true);

  // Fills `record` (objects, notes) from a mapped row; `raw` is the row's bytes
  // (the observed-data id key). `banner_time` is used when the row has no time.
  void Build(const MappedRow& row, std::string_view raw, std::string_view banner_time,
             Record* record);

 private:
  void BuildJson(const MappedRow& row, std::string_view raw, std::string_view time, Record* record);
  void BuildFast(const MappedRow& row, std::string_view raw, std::string_view time, Record* record);
  bool NeedsPrelude(const MappedRow& row) const;
  void AddPrelude(const MappedRow& row, Record* record);

  std::string_view format_;
  const FeedDefinition& def_;
  std::string now_;
  bool fast_;
  bool marking_shipped_[5] = {false, false, false, false, false};
  // Reused buffers of the fast path.
  std::string pattern_;
  std::string name_;
  std::vector<std::string> sco_ids_;
  KeptList<std::string> indicator_ids_;
  // The marking of the last row (none at first), as JSON to append
  // (,"object_marking_refs":["..."] or empty) and as the list its objects share.
  std::optional<stix::TlpLevel> marked_tlp_;
  std::string marking_json_;
  stix::MarkingRefs marking_refs_;
};

}  // namespace tessera::formats::feeds
