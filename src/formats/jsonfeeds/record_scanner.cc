#include "formats/jsonfeeds/record_scanner.h"

#include <algorithm>
#include <utility>

namespace tessera::formats::jsonfeeds {
namespace {

// What a too-big capture keeps of its beginning (for the rejection's raw bytes).
constexpr size_t kKeptPrefix = size_t{64} << 10;
constexpr size_t kMaxKeyBytes = 4096;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Contains(const std::vector<std::string_view>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

}  // namespace

void RecordScanner::Capture::Begin(size_t i, uint64_t at, uint64_t at_line, size_t max) {
  active = true;
  too_big = false;
  start = i;
  size = 0;
  limit = max;
  offset = at;
  line = at_line;
  spill.clear();
}

void RecordScanner::Capture::Carry(std::string_view bytes) {
  if (!active) return;
  std::string_view rest = bytes.substr(start);
  start = 0;
  size += rest.size();
  if (too_big) return;
  if (size > limit) {
    too_big = true;
    spill.append(rest.substr(0, kKeptPrefix > spill.size() ? kKeptPrefix - spill.size() : 0));
    if (spill.size() > kKeptPrefix) spill.resize(kKeptPrefix);
    return;
  }
  spill.append(rest);
}

std::string_view RecordScanner::Capture::End(std::string_view bytes, size_t end) {
  active = false;
  std::string_view here = bytes.substr(start, end - start);
  size += here.size();
  if (!too_big && size > limit) {
    too_big = true;
    if (spill.size() < kKeptPrefix) spill.append(here.substr(0, kKeptPrefix - spill.size()));
    if (spill.size() > kKeptPrefix) spill.resize(kKeptPrefix);
  }
  if (too_big) return spill;
  if (spill.empty()) return here;
  spill.append(here);
  return spill;
}

RecordScanner::RecordScanner(RecordShape shape, Callbacks callbacks)
    : shape_(std::move(shape)), callbacks_(std::move(callbacks)) {}

core::Status RecordScanner::Fail(const std::string& message) const {
  return core::MakeError(core::ErrorCode::kParse, message);
}

void RecordScanner::EmitRecord(Capture* capture, std::string_view bytes, size_t end, bool stray) {
  ScannedRecord r;
  r.offset = capture->offset;
  r.line = capture->line;
  r.bytes = capture->End(bytes, end);
  r.too_big = capture->too_big;
  r.stray = stray;
  r.index = records_++;
  r.group = group_;
  if (callbacks_.record) callbacks_.record(r);
  capture->spill.clear();
  capture->spill.shrink_to_fit();
}

void RecordScanner::ValueStart(std::string_view /*bytes*/, size_t i, char c) {
  uint64_t at = base_ + i;
  if (depth_ == 0) {
    saw_value_ = true;
    root_is_wrapper_ = false;
    only_meta_so_far_ = true;
    group_.clear();
    if (c == '{') {
      root_.Begin(i, at, line_, kMaxRecordBytes);
    } else if (c != '[') {
      root_.Begin(i, at, line_, kMaxRecordBytes);
      stray_ = true;
    }
    return;
  }
  if (depth_ > 2) return;
  Frame& frame = frames_[depth_];
  if (frame.array) {
    if (frame.records && !element_.active) {
      element_.Begin(i, at, line_, kMaxRecordBytes);
      element_depth_ = depth_;
    }
    return;
  }
  if (depth_ != 1) return;
  // A member value of the top-level object.
  bool record_array = false;
  if (c == '[') {
    if (shape_.id_keyed && AllDigits(key_)) {
      record_array = true;
      group_ = key_;
    } else if (only_meta_so_far_ && Contains(shape_.record_members, key_)) {
      record_array = true;
      group_.clear();
    }
  }
  if (record_array) {
    root_is_wrapper_ = true;
    root_.active = false;
    root_.spill.clear();
    root_.spill.shrink_to_fit();
    pending_records_ = true;
    return;
  }
  if (!Contains(shape_.meta_members, key_)) only_meta_so_far_ = false;
  member_.Begin(i, at, line_, kMaxMemberBytes);
}

void RecordScanner::ValueEnd(std::string_view bytes, size_t end) {
  if (depth_ == 0) {
    if (root_.active && !root_is_wrapper_) EmitRecord(&root_, bytes, end, false);
    root_.active = false;
    return;
  }
  if (depth_ > 2) return;
  Frame& frame = frames_[depth_];
  if (frame.array) {
    if (frame.records && element_.active && element_depth_ == depth_) {
      EmitRecord(&element_, bytes, end, false);
    }
    return;
  }
  if (depth_ == 1 && member_.active) {
    std::string_view raw = member_.End(bytes, end);
    if (callbacks_.member) callbacks_.member(key_, member_.too_big ? std::string_view() : raw);
    member_.spill.clear();
  }
}

core::Status RecordScanner::Feed(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (stray_) {
      if (c == '\n' || c == '\r') {
        stray_ = false;
        EmitRecord(&root_, bytes, i, true);
        if (c == '\n') ++line_;
      }
      continue;
    }
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        if (key_active_) {
          key_active_ = false;
          if (key_.size() < kMaxKeyBytes) key_.append(bytes.substr(key_start_, i - key_start_));
        } else {
          ValueEnd(bytes, i + 1);
        }
      } else if (c == '\n') {
        ++line_;
      }
      continue;
    }
    if (in_scalar_) {
      if (!IsSpace(c) && c != ',' && c != ']' && c != '}' && c != ':' && c != '"' && c != '{' &&
          c != '[') {
        continue;
      }
      in_scalar_ = false;
      ValueEnd(bytes, i);
    }
    switch (c) {
      case '\n':
        ++line_;
        break;
      case ' ':
      case '\t':
      case '\r':
        break;
      case '"':
        if (depth_ == 1 && !frames_[1].array && frames_[1].expect_key) {
          key_active_ = true;
          key_.clear();
          key_start_ = i + 1;
        } else {
          ValueStart(bytes, i, c);
          if (stray_) break;
        }
        in_string_ = true;
        break;
      case '{':
      case '[':
        ValueStart(bytes, i, c);
        if (++depth_ > kMaxDepth) {
          return Fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels at byte " +
                      std::to_string(base_ + i));
        }
        if (depth_ <= 2) {
          frames_[depth_] = Frame{c == '[', pending_records_ || (depth_ == 1 && c == '['), true};
        }
        pending_records_ = false;
        break;
      case '}':
      case ']':
        if (depth_ == 0) {
          return Fail(std::string("'") + c + "' with nothing open at byte " +
                      std::to_string(base_ + i));
        }
        --depth_;
        ValueEnd(bytes, i + 1);
        break;
      case ',':
        if (depth_ == 1 && !frames_[1].array) frames_[1].expect_key = true;
        break;
      case ':':
        if (depth_ == 1 && !frames_[1].array) frames_[1].expect_key = false;
        break;
      default:
        if (depth_ == 0 && !saw_value_ && base_ + i < 3 && c == "\xEF\xBB\xBF"[base_ + i]) {
          break;  // a UTF-8 byte order mark
        }
        ValueStart(bytes, i, c);
        if (!stray_) in_scalar_ = true;
        break;
    }
  }
  // Carry the open captures over to the next bytes.
  if (key_active_) {
    if (key_.size() < kMaxKeyBytes) key_.append(bytes.substr(key_start_));
    key_start_ = 0;
  }
  root_.Carry(bytes);
  member_.Carry(bytes);
  element_.Carry(bytes);
  base_ += bytes.size();
  return {};
}

core::Status RecordScanner::Finish() {
  std::string_view none;
  if (in_scalar_) {
    in_scalar_ = false;
    ValueEnd(none, 0);
  }
  if (stray_) {
    stray_ = false;
    EmitRecord(&root_, none, 0, true);
    return {};
  }
  // A record left open is handed over as it is; its parser reports it.
  if (element_.active) {
    EmitRecord(&element_, none, 0, false);
    return {};
  }
  if (root_.active && !root_is_wrapper_) {
    EmitRecord(&root_, none, 0, false);
    return {};
  }
  if (depth_ > 0 || in_string_) {
    return core::MakeError(core::ErrorCode::kParse,
                           "the input ends inside a JSON value (cut short?) at byte " +
                               std::to_string(base_));
  }
  return {};
}

}  // namespace tessera::formats::jsonfeeds
