#include "formats/feeds/delimited.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace tessera::formats::feeds {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

size_t CountNewlines(std::string_view s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

void RecordSplitter::SplitSimple(std::string_view line) {
  fields_.clear();
  if (options_.whitespace) {
    size_t i = 0;
    while (true) {
      while (i < line.size() && (IsBlank(line[i]) || line[i] == '\r')) ++i;
      if (i >= line.size()) break;
      size_t start = i;
      while (i < line.size() && !IsBlank(line[i]) && line[i] != '\r') ++i;
      fields_.push_back(line.substr(start, i - start));
    }
    return;
  }
  const char delimiter = options_.delimiter;
  const char* data = line.data();
  size_t start = 0;
  while (true) {
    const void* hit =
        delimiter == 0 ? nullptr : std::memchr(data + start, delimiter, line.size() - start);
    size_t end =
        hit == nullptr ? line.size() : static_cast<size_t>(static_cast<const char*>(hit) - data);
    std::string_view field = line.substr(start, end - start);
    if (options_.trim) field = TrimBlanks(field);
    fields_.push_back(field);
    if (hit == nullptr) break;
    start = end + 1;
  }
}

RecordSplitter::Status RecordSplitter::Split(std::string_view text, bool at_end, size_t* consumed,
                                             size_t* lines, size_t first_line_end) {
  size_t line_end = first_line_end;
  if (line_end == std::string_view::npos) {
    const void* nl = std::memchr(text.data(), '\n', text.size());
    line_end = nl == nullptr ? text.size()
                             : static_cast<size_t>(static_cast<const char*>(nl) - text.data());
  }
  const bool has_newline = line_end < text.size();
  std::string_view line = text.substr(0, line_end);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (options_.quote == 0 || std::memchr(line.data(), options_.quote, line.size()) == nullptr) {
    if (!has_newline && !at_end) return Status::kIncomplete;
    SplitSimple(line);
    raw_ = line;
    *consumed = has_newline ? line_end + 1 : text.size();
    *lines = 1;
    return Status::kRecord;
  }
  return SplitQuoted(text, line_end, at_end, consumed, lines);
}

RecordSplitter::Status RecordSplitter::SplitQuoted(std::string_view text, size_t first_line_end,
                                                   bool at_end, size_t* consumed, size_t* lines) {
  fields_.clear();
  unescaped_.clear();
  // Unescaped text never outgrows the record, which never outgrows the window:
  // views into unescaped_ stay valid because it never reallocates.
  const size_t window = std::min(text.size(), kMaxRecordBytes);
  if (unescaped_.capacity() < window + 1) unescaped_.reserve(window + 1);
  const char quote = options_.quote;
  const char delimiter = options_.delimiter;
  const bool whitespace = options_.whitespace;
  auto is_separator = [&](char c) { return whitespace ? IsBlank(c) : c == delimiter; };

  auto unterminated = [&]() {
    fields_.clear();
    const void* nl = std::memchr(text.data(), '\n', text.size());
    size_t end = nl == nullptr ? text.size()
                               : static_cast<size_t>(static_cast<const char*>(nl) - text.data());
    raw_ = text.substr(0, end);
    if (!raw_.empty() && raw_.back() == '\r') raw_.remove_suffix(1);
    *consumed = nl == nullptr ? text.size() : end + 1;
    *lines = 1;
    return Status::kUnterminated;
  };
  // Out of window: more input may close the quote unless the window is full.
  auto out_of_text = [&]() {
    if (at_end || window < text.size() || text.size() >= kMaxRecordBytes) return unterminated();
    return Status::kIncomplete;
  };

  size_t p = 0;
  const size_t n = window;
  while (true) {
    if (whitespace) {
      while (p < n && (IsBlank(text[p]) || text[p] == '\r')) ++p;
      if (p >= n || text[p] == '\n') break;
    }
    size_t start = p;
    size_t q = p;
    if (options_.trim || whitespace) {
      while (q < n && IsBlank(text[q])) ++q;
    }
    std::string_view value;
    if (q < n && text[q] == quote) {
      size_t seg = q + 1;
      size_t scan = seg;
      bool copied = false;
      size_t copy_start = unescaped_.size();
      while (true) {
        const void* hit = std::memchr(text.data() + scan, quote, n - scan);
        if (hit == nullptr) return out_of_text();
        size_t at = static_cast<size_t>(static_cast<const char*>(hit) - text.data());
        if (at + 1 >= n && !at_end && n == text.size()) return Status::kIncomplete;
        if (at + 1 < n && text[at + 1] == quote) {
          if (!copied) {
            copy_start = unescaped_.size();
            copied = true;
          }
          unescaped_.append(text.data() + seg, at + 1 - seg);
          seg = scan = at + 2;
          continue;
        }
        if (copied) unescaped_.append(text.data() + seg, at - seg);
        value =
            copied ? std::string_view(unescaped_).substr(copy_start) : text.substr(seg, at - seg);
        p = at + 1;
        break;
      }
      // Text between the closing quote and the separator is kept (lenient).
      size_t tail = p;
      while (p < n && text[p] != '\n' && !is_separator(text[p])) ++p;
      std::string_view rest = text.substr(tail, p - tail);
      if (!rest.empty() && rest.back() == '\r' && (p >= n || text[p] == '\n'))
        rest.remove_suffix(1);
      if (options_.trim || whitespace) rest = TrimBlanks(rest);
      if (!rest.empty()) {
        size_t joined = unescaped_.size();
        if (copied) {
          unescaped_.append(rest);
        } else {
          unescaped_.append(value);
          unescaped_.append(rest);
        }
        value = copied ? std::string_view(unescaped_).substr(copy_start)
                       : std::string_view(unescaped_).substr(joined);
      }
    } else {
      while (p < n && text[p] != '\n' && !is_separator(text[p])) ++p;
      value = text.substr(start, p - start);
      if (!value.empty() && value.back() == '\r' && (p >= n || text[p] == '\n')) {
        value.remove_suffix(1);
      }
      if (options_.trim) value = TrimBlanks(value);
    }
    fields_.push_back(value);
    if (p >= n) {
      if (!at_end && n == text.size()) return Status::kIncomplete;
      if (n < text.size()) return unterminated();
      break;
    }
    if (text[p] == '\n') break;
    ++p;  // the separator
    if (!whitespace && p >= n && at_end) {
      fields_.emplace_back();
      break;
    }
  }
  size_t end = p;  // at '\n' or the end of the text
  raw_ = text.substr(0, end);
  if (!raw_.empty() && raw_.back() == '\r') raw_.remove_suffix(1);
  *consumed = end < text.size() ? end + 1 : end;
  // Only a record that runs past its first line spans several.
  *lines = end <= first_line_end ? 1 : 1 + CountNewlines(raw_);
  return Status::kRecord;
}

char SniffDelimiter(std::string_view sample, const std::vector<std::string>& comment_prefixes,
                    char quote) {
  // A cut last line of a long sample says little: stop at the last newline.
  if (sample.size() >= 4096) {
    size_t nl = sample.rfind('\n');
    if (nl != std::string_view::npos) sample = sample.substr(0, nl + 1);
  }
  static constexpr std::array<char, 5> kCandidates = {',', '\t', ';', '|', ' '};
  char best = 0;
  double best_score = 0;
  for (char candidate : kCandidates) {
    SplitOptions options;
    options.delimiter = candidate;
    options.whitespace = candidate == ' ';
    options.quote = quote;
    RecordSplitter splitter(options);
    // Field counts of the first data records (at most 30), quote-aware, comment
    // and blank lines skipped.
    std::vector<size_t> counts;
    size_t leading = 0;  // records that start with the delimiter
    size_t pos = 0;
    while (pos < sample.size() && counts.size() < 30) {
      size_t end = sample.find('\n', pos);
      std::string_view line =
          sample.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
      std::string_view trimmed = TrimBlanks(line);
      bool comment = false;
      for (const std::string& prefix : comment_prefixes) {
        comment = comment || (!prefix.empty() && trimmed.substr(0, prefix.size()) == prefix);
      }
      if (trimmed.empty() || comment) {
        if (end == std::string_view::npos) break;
        pos = end + 1;
        continue;
      }
      if (candidate != ' ' && trimmed.front() == candidate) ++leading;
      size_t consumed = 0;
      size_t physical = 0;
      RecordSplitter::Status status =
          splitter.Split(sample.substr(pos), true, &consumed, &physical);
      counts.push_back(status == RecordSplitter::Status::kRecord ? splitter.fields().size() : 0);
      if (consumed == 0) break;
      pos += consumed;
    }
    if (counts.empty()) return 0;
    std::vector<size_t> sorted = counts;
    std::sort(sorted.begin(), sorted.end());
    size_t mode = 0;
    size_t mode_lines = 0;
    for (size_t i = 0; i < sorted.size();) {
      size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      if (j - i > mode_lines || (j - i == mode_lines && sorted[i] > mode)) {
        mode = sorted[i];
        mode_lines = j - i;
      }
      i = j;
    }
    if (mode < 2) continue;
    // Markup tables (AsciiDoc "|a|b", Markdown "| a | b |") start their rows with
    // the separator; delimited feeds do not.
    if (leading * 2 > counts.size()) continue;
    double consistency = static_cast<double>(mode_lines) / static_cast<double>(counts.size());
    if (consistency < 0.6) continue;
    // Consistency first; blanks only when nothing else splits (prose splits on blanks).
    double score = consistency * 100 + static_cast<double>(std::min<size_t>(mode, 20)) -
                   (candidate == ' ' ? 50 : 0);
    if (score > best_score) {
      best_score = score;
      best = candidate;
    }
  }
  return best;
}

// ---- HTML tables ----

namespace {

// Case-insensitive: does `s` at `at` start with the tag name `name` ("tr") followed
// by '>' or a blank?
bool TagAt(std::string_view s, size_t at, std::string_view name) {
  if (at + name.size() >= s.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (Lower(s[at + i]) != name[i]) return false;
  }
  char after = s[at + name.size()];
  return after == '>' || IsSpace(after) || after == '/';
}

// The offset of the next "<name" (or "</name" with `closing`) at or after `from`.
size_t FindTag(std::string_view s, size_t from, std::string_view name, bool closing) {
  size_t i = from;
  while (i < s.size()) {
    const void* hit = std::memchr(s.data() + i, '<', s.size() - i);
    if (hit == nullptr) return std::string_view::npos;
    size_t at = static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    if (closing) {
      if (at + 1 < s.size() && s[at + 1] == '/' && TagAt(s, at + 2, name)) return at;
    } else if (TagAt(s, at + 1, name)) {
      return at;
    }
    i = at + 1;
  }
  return std::string_view::npos;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string HtmlCellText(std::string_view markup) {
  std::string out;
  bool pending_space = false;
  size_t i = 0;
  auto put = [&](std::string_view text) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(text);
  };
  while (i < markup.size()) {
    char c = markup[i];
    if (c == '<') {
      size_t close = markup.find('>', i);
      if (close == std::string_view::npos) break;
      // <br> and block tags separate words.
      pending_space = true;
      i = close + 1;
      continue;
    }
    if (IsSpace(c)) {
      pending_space = true;
      ++i;
      continue;
    }
    if (c == '&') {
      size_t semi = markup.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view name = markup.substr(i + 1, semi - i - 1);
        std::string decoded;
        if (name == "amp") {
          decoded = "&";
        } else if (name == "lt") {
          decoded = "<";
        } else if (name == "gt") {
          decoded = ">";
        } else if (name == "quot") {
          decoded = "\"";
        } else if (name == "apos") {
          decoded = "'";
        } else if (name == "nbsp") {
          pending_space = true;
          i = semi + 1;
          continue;
        } else if (name.size() >= 2 && name[0] == '#') {
          uint32_t cp = 0;
          bool hex = name[1] == 'x' || name[1] == 'X';
          bool ok = name.size() > (hex ? 2u : 1u);
          for (size_t k = hex ? 2 : 1; k < name.size() && ok; ++k) {
            char d = Lower(name[k]);
            uint32_t digit = 0;
            if (d >= '0' && d <= '9') {
              digit = static_cast<uint32_t>(d - '0');
            } else if (hex && d >= 'a' && d <= 'f') {
              digit = static_cast<uint32_t>(d - 'a' + 10);
            } else {
              ok = false;
            }
            cp = cp * (hex ? 16 : 10) + digit;
            if (cp > 0x10FFFF) ok = false;
          }
          if (ok) AppendUtf8(cp, &decoded);
        }
        if (!decoded.empty()) {
          put(decoded);
          i = semi + 1;
          continue;
        }
      }
    }
    size_t start = i;
    if (markup[i] == '&') ++i;  // not a reference this decodes: a literal '&'
    while (i < markup.size() && markup[i] != '<' && markup[i] != '&' && !IsSpace(markup[i])) ++i;
    put(markup.substr(start, i - start));
  }
  return out;
}

void HtmlTableSplitter::ParseRow(std::string_view markup, Row* row) const {
  row->cells.clear();
  bool all_th = true;
  size_t i = 0;
  while (true) {
    size_t td = FindTag(markup, i, "td", false);
    size_t th = FindTag(markup, i, "th", false);
    size_t at = std::min(td, th);
    if (at == std::string_view::npos) break;
    bool is_th = at == th;
    size_t open_end = markup.find('>', at);
    if (open_end == std::string_view::npos) break;
    size_t content = open_end + 1;
    // The cell ends at its closing tag, the next cell, or the end of the row.
    size_t end =
        std::min({FindTag(markup, content, "td", true), FindTag(markup, content, "th", true),
                  FindTag(markup, content, "td", false), FindTag(markup, content, "th", false),
                  markup.size()});
    row->cells.push_back(HtmlCellText(markup.substr(content, end - content)));
    all_th = all_th && is_th;
    i = end;
    if (i < markup.size() && markup[i] == '<' && i + 1 < markup.size() && markup[i + 1] == '/') {
      size_t close = markup.find('>', i);
      i = close == std::string_view::npos ? markup.size() : close + 1;
    }
  }
  row->header = all_th && !row->cells.empty();
}

void HtmlTableSplitter::Feed(std::string_view chunk, uint64_t offset, bool at_end,
                             std::vector<Row>* rows) {
  if (pending_.empty()) pending_offset_ = offset;
  pending_.append(chunk);
  std::string_view s = pending_;
  size_t consumed = 0;  // bytes of pending_ done with
  size_t counted = 0;   // newlines counted up to here
  uint64_t line = pending_line_;
  auto advance_lines = [&](size_t to) {
    line += CountNewlines(s.substr(counted, to - counted));
    counted = to;
  };
  while (true) {
    size_t start = FindTag(s, consumed, "tr", false);
    if (start == std::string_view::npos) {
      // Keep a possible partial "<tr" at the end.
      if (at_end) {
        consumed = s.size();
      } else if (s.size() > 8) {
        consumed = std::max(consumed, s.size() - 8);
      }
      break;
    }
    size_t body = s.find('>', start);
    size_t end = std::string_view::npos;
    if (body != std::string_view::npos) {
      end = std::min({FindTag(s, body, "tr", true), FindTag(s, body, "tr", false),
                      FindTag(s, body, "table", true)});
    }
    if (end == std::string_view::npos) {
      if (!at_end && s.size() - start < kMaxRecordBytes) {
        consumed = start;
        break;
      }
      end = std::min(s.size(), start + kMaxRecordBytes);
    }
    advance_lines(start);
    Row row;
    row.line = line;
    row.byte_offset = pending_offset_ + start;
    std::string_view markup = s.substr(start, end - start);
    ParseRow(markup, &row);
    size_t close = end;
    if (FindTag(s, end, "tr", true) == end) {
      size_t gt = s.find('>', end);
      close = gt == std::string_view::npos ? s.size() : gt + 1;
    }
    row.raw.assign(s.substr(start, std::min(close - start, kMaxRecordBytes)));
    if (!row.cells.empty()) rows->push_back(std::move(row));
    consumed = close;
  }
  if (consumed > counted) advance_lines(consumed);
  pending_line_ = line;
  pending_offset_ += consumed;
  pending_.erase(0, consumed);
}

}  // namespace tessera::formats::feeds
