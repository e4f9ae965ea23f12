// BatchBuilder: a reader sink that turns records into store batches. Accepted
// records become submissions (with their position, the sharing request and any
// warninglist hits), rejected ones quarantine entries; every `batch_size`
// objects the batch is handed to `flush` (which stores it, or moves it away).
// Not synchronized.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/reader.h"
#include "store/store.h"

namespace tessera::cli {

// The warninglist hits of an object (empty: none, or not an observable).
using WarninglistMatcher = std::function<std::vector<store::WarninglistHit>(const stix::StixObject&)>;

// Checks a sharing request given on the command line (--tlp, --recipient):
// the TLP 2.0 level is known, and RED names its recipients. The error says
// what to change (kInvalidArgument).
core::Status CheckSharingOptions(const std::string& tlp,
                                 const std::vector<std::string>& recipients);

// Reader options from KEY=VALUE arguments (-o) into `context`.
core::Status ParseReaderOptions(const std::vector<std::string>& options,
                                formats::ReadContext* context);

// Makes the sharing decision for a submission (sets its `decision`).
using SharingDecider = std::function<core::Status(store::Submission*)>;

class BatchBuilder : public formats::Sink {
 public:
  using Flush = std::function<core::Status(store::Batch&)>;

  // `source` is copied into every batch; `matcher` and `decide` may be empty
  // (no warninglists; the store's default decision: the contributor alone).
  BatchBuilder(store::Source source, store::SharingRequest sharing, WarninglistMatcher matcher,
               size_t batch_size, Flush flush, SharingDecider decide = {});

  void Accept(formats::Record&& record) override;
  void Reject(formats::Rejected&& rejected) override;

  // Hands over what is left. Returns the first error a flush returned (after
  // one, later records are ignored).
  core::Status Finish();

  bool failed() const { return !error_.ok(); }
  uint64_t records() const { return records_; }
  uint64_t objects() const { return objects_; }
  uint64_t rejected() const { return rejected_; }

 private:
  void FlushIfFull();
  void Restart();

  store::Source source_;
  store::Batch batch_;
  store::SharingRequest sharing_;
  WarninglistMatcher matcher_;
  SharingDecider decide_;
  size_t batch_size_;
  Flush flush_;
  core::Status error_;
  uint64_t records_ = 0;
  uint64_t objects_ = 0;
  uint64_t rejected_ = 0;
};

}  // namespace tessera::cli
