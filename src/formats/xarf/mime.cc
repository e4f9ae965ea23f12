#include "formats/xarf/mime.h"

#include <algorithm>
#include <cctype>

#include "formats/strings.h"

namespace tessera::formats::xarf {
namespace {

// Multipart nesting and part counts a report could need, with room to spare.
constexpr int kMaxDepth = 8;
constexpr size_t kMaxParts = 256;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A line of `text` from `pos` (without its line break); `next` gets the offset
// after the break.
std::string_view LineAt(std::string_view text, size_t pos, size_t* next) {
  size_t end = text.find('\n', pos);
  if (end == std::string_view::npos) {
    *next = text.size();
    end = text.size();
  } else {
    *next = end + 1;
  }
  std::string_view line = text.substr(pos, end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsFieldName(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    if (c <= 32 || c >= 127 || c == ':') return false;
  }
  return true;
}

// Reads header fields from `pos` up to the blank line; returns the offset of the
// body. Stops (returning `pos` unchanged and no headers) when the first line is
// not a header field.
size_t ParseHeaders(std::string_view text, size_t pos, std::vector<MimeHeader>* headers) {
  size_t start = pos;
  while (pos < text.size()) {
    size_t next = 0;
    std::string_view line = LineAt(text, pos, &next);
    if (line.empty()) return next;
    if ((line.front() == ' ' || line.front() == '\t') && !headers->empty()) {
      std::string& value = headers->back().value;
      if (value.size() < (size_t{64} << 10)) {
        value.push_back(' ');
        value.append(Trim(line));
      }
      pos = next;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || !IsFieldName(line.substr(0, colon))) {
      if (headers->empty()) return start;
      return pos;  // a body without the blank line: take it from here
    }
    headers->push_back({std::string(line.substr(0, colon)), std::string(Trim(line.substr(colon + 1)))});
    pos = next;
  }
  return text.size();
}

const std::string* FindHeader(const std::vector<MimeHeader>& headers, std::string_view name) {
  for (const MimeHeader& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return &h.value;
  }
  return nullptr;
}

void ParseContentType(const std::string* value, MimePart* part) {
  part->content_type = "text/plain";
  if (value == nullptr) return;
  std::string_view v = *value;
  size_t semi = v.find(';');
  std::string type = Lower(Trim(v.substr(0, semi)));
  if (!type.empty()) part->content_type = type;
  while (semi != std::string_view::npos) {
    v = v.substr(semi + 1);
    // A quoted value may hold ';'.
    size_t eq = v.find('=');
    if (eq == std::string_view::npos) break;
    std::string name = Lower(Trim(v.substr(0, eq)));
    std::string_view rest = Trim(v.substr(eq + 1));
    std::string value_text;
    if (!rest.empty() && rest.front() == '"') {
      size_t i = 1;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
        value_text.push_back(rest[i]);
      }
      rest = rest.substr(std::min(i + 1, rest.size()));
      semi = rest.find(';');
      v = rest;
    } else {
      semi = rest.find(';');
      value_text = std::string(Trim(rest.substr(0, semi)));
      v = rest;
    }
    part->params.emplace_back(std::move(name), std::move(value_text));
  }
}

std::string DecodeBody(std::string_view body, const std::vector<MimeHeader>& headers) {
  const std::string* encoding = FindHeader(headers, "Content-Transfer-Encoding");
  if (encoding != nullptr) {
    std::string e = Lower(Trim(*encoding));
    if (e == "base64") return DecodeBase64(body);
    if (e == "quoted-printable") return DecodeQuotedPrintable(body);
  }
  return std::string(body);
}

uint64_t LineOf(std::string_view text, size_t pos) {
  return 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

void ParseEntity(std::string_view whole, size_t begin, size_t end, std::vector<MimeHeader> headers,
                 size_t body_begin, int depth, MimeMessage* message) {
  if (message->parts.size() >= kMaxParts) {
    if (message->problems.empty() || message->problems.back() != "too many MIME parts") {
      message->problems.push_back("too many MIME parts");
    }
    return;
  }
  MimePart part;
  part.headers = std::move(headers);
  part.line = LineOf(whole, begin);
  ParseContentType(FindHeader(part.headers, "Content-Type"), &part);
  std::string_view body = whole.substr(body_begin, end - body_begin);
  const std::string* boundary = part.Param("boundary");
  if (part.content_type.rfind("multipart/", 0) != 0 || boundary == nullptr || boundary->empty() ||
      depth >= kMaxDepth) {
    if (part.content_type.rfind("multipart/", 0) == 0 && depth >= kMaxDepth) {
      message->problems.push_back("MIME parts nested too deeply");
    }
    part.body = DecodeBody(body, part.headers);
    message->parts.push_back(std::move(part));
    return;
  }
  std::string delimiter = "--" + *boundary;
  // Offsets (in `whole`) of the lines that start parts, and where the last ends.
  std::vector<std::pair<size_t, size_t>> ranges;  // [content begin, delimiter line begin)
  size_t pos = body_begin;
  size_t open = std::string_view::npos;
  bool closed = false;
  while (pos < end) {
    size_t next = 0;
    std::string_view line = LineAt(whole.substr(0, end), pos, &next);
    if (line.size() >= delimiter.size() && line.compare(0, delimiter.size(), delimiter) == 0) {
      std::string_view rest = line.substr(delimiter.size());
      bool last = rest.size() >= 2 && rest.substr(0, 2) == "--";
      if (last || Trim(rest).empty()) {
        if (open != std::string_view::npos) ranges.emplace_back(open, pos);
        if (last) {
          closed = true;
          break;
        }
        open = next;
      }
    }
    pos = next;
  }
  if (!closed) {
    message->problems.push_back("multipart body without its closing boundary");
    if (open != std::string_view::npos) ranges.emplace_back(open, end);
  }
  for (auto [b, e] : ranges) {
    // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    if (e > b && whole[e - 1] == '\n') --e;
    if (e > b && whole[e - 1] == '\r') --e;
    std::vector<MimeHeader> part_headers;
    size_t content = ParseHeaders(whole.substr(0, e), b, &part_headers);
    if (part_headers.empty()) {
      // No headers: a blank line may still separate them from the content.
      size_t next = 0;
      std::string_view first = LineAt(whole.substr(0, e), b, &next);
      content = first.empty() ? next : b;
    }
    ParseEntity(whole, b, e, std::move(part_headers), std::min(content, e), depth + 1, message);
  }
}

}  // namespace

const std::string* MimePart::Header(std::string_view name) const { return FindHeader(headers, name); }

const std::string* MimePart::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  return nullptr;
}

const std::string* MimeMessage::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

bool LooksLikeMail(std::string_view text) {
  std::vector<MimeHeader> headers;
  ParseHeaders(text.substr(0, std::min<size_t>(text.size(), 64 << 10)), 0, &headers);
  static constexpr std::string_view kMailOnly[] = {
      "from", "to", "subject", "message-id", "mime-version", "content-type", "received",
      "return-path", "x-xarf", "delivered-to", "reply-to"};
  for (const MimeHeader& h : headers) {
    for (std::string_view name : kMailOnly) {
      if (EqualsIgnoreCase(h.name, name)) return true;
    }
  }
  return false;
}

MimeMessage ParseMime(std::string_view text) {
  MimeMessage message;
  size_t body = ParseHeaders(text, 0, &message.headers);
  ParseEntity(text, 0, text.size(), message.headers, body, 0, &message);
  return message;
}

std::string DecodeQuotedPrintable(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '=') {
      out.push_back(c);
      continue;
    }
    // Soft line break: "=" at the end of a line.
    size_t j = i + 1;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && (text[j] == '\n' || text[j] == '\r')) {
      if (text[j] == '\r' && j + 1 < text.size() && text[j + 1] == '\n') ++j;
      i = j;
      continue;
    }
    if (i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string DecodeBase64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = value(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace tessera::formats::xarf
