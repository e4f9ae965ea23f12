#include "cli/batch_builder.h"

#include <utility>

namespace tessera::cli {
namespace {

// The position within the batch's file (":12", "@byte 3456"): the file is the
// provenance's source already. A record from another file (a file inside a
// folder layout) keeps its file name.
std::string PositionInFile(const formats::SourcePosition& position, const std::string& file) {
  std::string text = position.ToString();
  if (!position.file.empty() && position.file == file) text.erase(0, file.size());
  return text;
}

}  // namespace

core::Status CheckSharingOptions(const std::string& tlp,
                                 const std::vector<std::string>& recipients) {
  if (!tlp.empty() && tlp != "clear" && tlp != "green" && tlp != "amber" &&
      tlp != "amber+strict" && tlp != "red") {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "--tlp takes clear, green, amber, amber+strict or red, not '" + tlp +
                               "'");
  }
  if (tlp == "red" && recipients.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "--tlp red needs at least one --recipient PARTNER");
  }
  return {};
}

core::Status ParseReaderOptions(const std::vector<std::string>& options,
                                formats::ReadContext* context) {
  for (const std::string& option : options) {
    size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "--option takes KEY=VALUE, not '" + option + "'");
    }
    context->options.emplace_back(option.substr(0, eq), option.substr(eq + 1));
  }
  return {};
}

BatchBuilder::BatchBuilder(store::Source source, store::SharingRequest sharing,
                           WarninglistMatcher matcher, size_t batch_size, Flush flush,
                           SharingDecider decide)
    : source_(std::move(source)),
      sharing_(std::move(sharing)),
      matcher_(std::move(matcher)),
      decide_(std::move(decide)),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      flush_(std::move(flush)) {
  batch_.source = source_;
}

void BatchBuilder::Accept(formats::Record&& record) {
  if (failed()) return;
  ++records_;
  std::string position = PositionInFile(record.position, batch_.source.file);
  for (stix::StixObject& object : record.objects) {
    store::Submission sub;
    sub.position = position;
    sub.sharing = sharing_;
    sub.sharing.distribution = record.sharing.distribution;
    sub.sharing.sharing_group = record.sharing.sharing_group;
    if (matcher_) sub.warnings = matcher_(object);
    sub.object = std::move(object);
    if (decide_) {
      if (core::Status decided = decide_(&sub); !decided.ok()) {
        error_ = decided;
        return;
      }
    }
    batch_.objects.push_back(std::move(sub));
    ++objects_;
  }
  FlushIfFull();
}

void BatchBuilder::Reject(formats::Rejected&& rejected) {
  if (failed()) return;
  ++records_;
  ++rejected_;
  store::Rejection r;
  r.position = PositionInFile(rejected.position, batch_.source.file);
  r.reason = std::move(rejected.reason);
  r.raw = std::move(rejected.raw);
  r.truncated = rejected.truncated;
  batch_.rejected.push_back(std::move(r));
  FlushIfFull();
}

void BatchBuilder::FlushIfFull() {
  if (batch_.objects.size() + batch_.rejected.size() < batch_size_) return;
  error_ = flush_(batch_);
  Restart();
}

void BatchBuilder::Restart() {
  // The flush may have moved the batch away, source included.
  batch_ = store::Batch();
  batch_.source = source_;
}

core::Status BatchBuilder::Finish() {
  if (!failed() && (!batch_.objects.empty() || !batch_.rejected.empty())) {
    error_ = flush_(batch_);
    Restart();
  }
  return error_;
}

}  // namespace tessera::cli
