#include "governance/audit.h"

#include <initializer_list>
#include <string_view>

#include "core/hash.h"
#include "store/registry.h"

namespace tessera::governance {
namespace {

void AppendNetstring(std::string* out, std::string_view bytes) {
  out->append(std::to_string(bytes.size())).append(":").append(bytes).append(",");
}

std::string Seq(int64_t seq) { return std::to_string(seq); }

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

}  // namespace

std::string AuditHash(const store::AuditRecord& entry) {
  std::string input;
  AppendNetstring(&input, "tessera-audit-v1");
  AppendNetstring(&input, std::to_string(entry.seq));
  AppendNetstring(&input, std::to_string(entry.time));
  AppendNetstring(&input, entry.actor);
  AppendNetstring(&input, entry.action);
  AppendNetstring(&input, entry.target);
  AppendNetstring(&input, entry.details);
  AppendNetstring(&input, entry.prev_hash);
  return core::HexEncode(core::Sha256(input));
}

ChainVerifier::ChainVerifier(std::optional<std::pair<int64_t, std::string>> expected_head)
    : expected_head_(std::move(expected_head)) {}

void ChainVerifier::Fail(int64_t seq, std::string reason) {
  if (!report_.intact) return;  // the first problem is the one reported
  report_.intact = false;
  report_.first_bad_seq = seq;
  report_.reason = std::move(reason);
}

void ChainVerifier::CheckOrder(const store::AuditRecord& entry) {
  bool first = report_.entries == 1;
  int64_t prev = first ? 0 : report_.head_seq;
  std::string seq = Seq(entry.seq);
  if (first && entry.seq < 1) {
    Fail(entry.seq, Cat({"seq ", seq, " is not a valid seq (the chain starts at 1)"}));
  } else if (entry.seq == prev) {
    Fail(entry.seq, Cat({"seq ", seq, " appears twice (an entry was inserted)"}));
  } else if (entry.seq < prev) {
    Fail(entry.seq, Cat({"seq ", seq, " comes after seq ", Seq(prev), ": entries out of order"}));
  } else if (entry.seq > prev + 1) {
    missing_from_ = prev + 1;
    missing_to_ = entry.seq - 1;
    gap_after_ = entry.seq;
    gap_prev_ = prev;
    std::string missing = missing_from_ == missing_to_
                              ? Cat({"seq ", Seq(missing_from_), " is missing"})
                              : Cat({"seq ", Seq(missing_from_), " to ", Seq(missing_to_),
                                     " are missing"});
    std::string context = first ? Cat({": the chain starts at seq ", seq})
                                : Cat({": seq ", Seq(prev), " is followed by seq ", seq});
    Fail(entry.seq, Cat({missing, context, " (entries deleted)"}));
  }
}

void ChainVerifier::CheckContents(const store::AuditRecord& entry) {
  bool first = report_.entries == 1;
  std::string seq = Seq(entry.seq);
  if (AuditHash(entry) != entry.hash) {
    Fail(entry.seq,
         Cat({"seq ", seq, " was modified: its stored hash does not match its contents"}));
  } else if (first && !entry.prev_hash.empty()) {
    Fail(entry.seq,
         Cat({"seq ", seq, " has a prev_hash but is the first entry (entries before it deleted)"}));
  } else if (!first && entry.prev_hash != report_.head_hash) {
    Fail(entry.seq, Cat({"seq ", seq, " does not chain to seq ", Seq(report_.head_seq),
                         ": its prev_hash is not that entry's hash (an entry was deleted, "
                         "inserted or rewritten)"}));
  }
}

void ChainVerifier::CheckExpectedHead(const store::AuditRecord& entry) {
  if (!expected_head_ || entry.seq != expected_head_->first) return;
  head_seen_ = true;
  if (entry.hash != expected_head_->second) {
    Fail(entry.seq, Cat({"seq ", Seq(entry.seq), " has hash ", entry.hash,
                         " but the recorded head says ", expected_head_->second,
                         " (history rewritten)"}));
  }
}

void ChainVerifier::Add(const store::AuditRecord& entry) {
  ++report_.entries;
  if (report_.intact) {
    CheckOrder(entry);
    if (report_.intact) CheckContents(entry);
    CheckExpectedHead(entry);
  } else if (!refined_ && entry.seq >= missing_from_ && entry.seq <= missing_to_) {
    // What looked like a deletion is a missing seq that shows up later. The
    // first bad seq stays the entry where the order first broke.
    refined_ = true;
    std::string before = gap_prev_ == 0 ? std::string(" comes first")
                                        : Cat({" follows seq ", Seq(gap_prev_)});
    report_.reason = Cat({"seq ", Seq(gap_after_), before, " and seq ", Seq(entry.seq),
                          " comes later: entries out of order"});
  }
  report_.head_seq = entry.seq;
  report_.head_hash = entry.hash;
}

void ChainVerifier::CheckLatestHead(const std::pair<int64_t, std::string>& head) {
  int64_t last = report_.entries == 0 ? 0 : report_.head_seq;
  std::string seq = Seq(head.first);
  if (head.first > last) {
    Fail(last + 1, Cat({"the chain ends at seq ", Seq(last), " but the recorded head is seq ", seq,
                        ": entries after seq ", Seq(last), " were removed (truncated)"}));
  } else if (head.first < last) {
    Fail(head.first + 1,
         Cat({"seq ", Seq(head.first + 1), " to ", Seq(last), " come after the recorded head seq ",
              seq, " (appended without updating the head)"}));
  } else if (head.second != report_.head_hash) {
    Fail(head.first, Cat({"seq ", seq, " has hash ", report_.head_hash,
                          " but the recorded head says ", head.second, " (history rewritten)"}));
  }
}

ChainReport ChainVerifier::Finish(std::optional<std::pair<int64_t, std::string>> latest_head) {
  if (expected_head_ && !head_seen_) {
    int64_t last = report_.entries == 0 ? 0 : report_.head_seq;
    std::string head = Seq(expected_head_->first);
    if (expected_head_->first > last) {
      Fail(last + 1, Cat({"the chain ends at seq ", Seq(last), " but the recorded head is seq ",
                          head, ": entries after seq ", Seq(last), " were removed (truncated)"}));
    } else {
      Fail(expected_head_->first, Cat({"the recorded head seq ", head, " is not in the chain"}));
    }
  }
  if (latest_head) CheckLatestHead(*latest_head);
  return report_;
}

}  // namespace tessera::governance
