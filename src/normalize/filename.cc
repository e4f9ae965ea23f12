#include "normalize/filename.h"

#include <cstdint>
#include <string>

namespace tessera::normalize {
namespace {

constexpr size_t kMaxFileName = 255;  // NAME_MAX on Linux, NTFS, APFS

core::Error Refuse(std::string reason) { return NotA(Kind::kFileName, std::move(reason)); }

}  // namespace

namespace detail {

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalFileName(std::string_view text) {
  std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return Refuse("empty");
  size_t separator = s.find_last_of("/\\");
  if (separator != std::string_view::npos) {
    std::string_view base = detail::TrimAsciiSpace(s.substr(separator + 1));
    if (base.empty()) return Refuse("a path ending in a separator; no file name");
    return Refuse("a path; the file name is " + std::string(base));
  }
  if (s == "." || s == "..") return Refuse("'" + std::string(s) + "' names a directory");
  if (s.size() > kMaxFileName) {
    return Refuse("longer than 255 bytes (" + std::to_string(s.size()) + ")");
  }
  if (!detail::IsValidUtf8(s)) return Refuse("not valid UTF-8");
  bool rtl_override = false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return Refuse("contains a NUL byte");
    if (c < 0x20 || c == 0x7f) return Refuse("contains a control character");
    // C1 controls U+0080-U+009F are C2 80 - C2 9F in UTF-8.
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0) {
      return Refuse("contains a control character");
    }
    // U+202E RIGHT-TO-LEFT OVERRIDE: "invoice\u202Efdp.exe" displays as "invoiceexe.pdf".
    if (c == 0xe2 && s.substr(i, 3) == "\xE2\x80\xAE") rtl_override = true;
  }

  Observable out;
  out.kind = Kind::kFileName;
  out.value.assign(s);
  if (s.size() != text.size()) out.notes.emplace_back("surrounding white space removed");
  if (rtl_override) {
    out.notes.emplace_back(
        "contains a right-to-left override (U+202E); the name displays differently");
  }
  size_t dot = s.rfind('.');
  if (dot != std::string_view::npos && dot != 0 && dot + 1 < s.size()) {
    std::string extension(s.substr(dot + 1));
    for (char& c : extension) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    out.fields.emplace_back("extension", std::move(extension));
  }
  return out;
}

}  // namespace tessera::normalize
