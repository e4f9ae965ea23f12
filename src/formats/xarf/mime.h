// Just enough of Internet mail (RFC 5322 headers, RFC 2045/2046 MIME) to take an
// X-ARF 0.2 report apart: header fields with folding undone, multipart bodies
// split at their boundaries (nested to a bounded depth), and base64 and
// quoted-printable transfer encodings undone. Charsets are not converted; the
// parts of an X-ARF report are ASCII or UTF-8. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::formats::xarf {

struct MimeHeader {
  std::string name;   // as written
  std::string value;  // unfolded, trimmed
};

struct MimePart {
  std::vector<MimeHeader> headers;
  std::string content_type;  // lower-case "type/subtype"; "text/plain" when absent
  std::vector<std::pair<std::string, std::string>> params;  // lower-case names
  std::string body;           // the transfer encoding undone
  uint64_t line = 1;          // 1-based line of the message where the part's headers start

  // The first header of that name (case-insensitive), or nullptr.
  const std::string* Header(std::string_view name) const;
  // A Content-Type parameter (lower-case name), or nullptr.
  const std::string* Param(std::string_view name) const;
};

struct MimeMessage {
  std::vector<MimeHeader> headers;  // the message's own header fields
  std::vector<MimePart> parts;      // leaf parts in order; one part for a single-part message
  std::vector<std::string> problems;  // what was odd but readable (a missing closing boundary)

  const std::string* Header(std::string_view name) const;
};

// Whether `text` starts with a block of header fields that names at least one
// field only mail has (From, To, Subject, Message-ID, MIME-Version, Content-Type,
// Received, Return-Path, X-XARF): mail, as opposed to a bare YAML report whose
// lines also look like "Name: value".
bool LooksLikeMail(std::string_view text);

// Parses a message. Never fails: text without headers is one part holding it all.
MimeMessage ParseMime(std::string_view text);

// RFC 2045 §6.7 and §6.8, lenient: bad characters are skipped.
std::string DecodeQuotedPrintable(std::string_view text);
std::string DecodeBase64(std::string_view text);

}  // namespace tessera::formats::xarf
