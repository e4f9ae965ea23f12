// Canonical file names. Stateless functions; thread-safe.
#pragma once

#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

// A file name (no directory part): trimmed, no NUL or '/' or control
// characters, at most 255 bytes; case kept. Fields: "extension" (lower case).
// Refused: empty, "." and "..", a path ("a path; the file name is X"), control
// characters (C0, DEL, C1), invalid UTF-8, more than 255 bytes. A right-to-left
// override (U+202E, "invoice\u202Efdp.exe") is kept and noted.
core::Result<Observable> CanonicalFileName(std::string_view text);

namespace detail {

// Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points
// above U+10FFFF.
bool IsValidUtf8(std::string_view text);

}  // namespace detail

}  // namespace tessera::normalize
