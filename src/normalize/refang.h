// Refanging (undoing the defanging people apply so indicators are not clickable:
// "hxxp://evil[.]com", "user[at]example(.)com") and defanging for safe display.
// Stateless; thread-safe. docs/NORMALIZATION.md ("Refanging") has the full table.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/observable.h"

namespace tessera::normalize {

// Undoes every common defang style, in one left-to-right pass:
//   schemes   hxxp hXXp hxxps fxp fxps sfxp, "http[s]" -> https, when followed by a
//             separator; separators "[://]" "[:]//" "(://)" "{://}" "(:)//"
//   dots      [.] (.) {.} [dot] (dot) {dot} [ . ] and the same with spaces around
//             ("example [.] com"), "\." between host characters; a stray "[.]" next
//             to a real dot ("218.[.]234") collapses into that dot
//   others    [:] (after a host character), [@] (@) {@} [at] (at) {at}, [/]
//   words     "user at example dot com", "www dot example dot com": word forms are
//             only read as punctuation in a chain that cannot be prose (an "at"
//             plus at least one "dot", or at least two "dot"s, ending in a real TLD)
// A bracketed form is only replaced between host-like characters, so regexes and
// prose ("(at) noon", "[.]" alone) are left alone. Text that was never defanged comes
// back unchanged, and Refang(Refang(x)) == Refang(x).
std::string Refang(std::string_view text);

// True when Refang would change `text`.
bool LooksDefanged(std::string_view text);

// Safe-to-display form of a canonical value: URLs "hxxp[://]evil[.]com/...",
// domains "evil[.]com", IPv4 "198.51.100[.]7" (and networks "198.51.100[.]0/24"),
// e-mail "user[@]example[.]com"; other kinds (IPv6 included: not clickable) are
// returned unchanged. Refang(Defang(o)) == o.value for every canonical value that
// does not itself contain defang-like text.
std::string Defang(const Observable& observable);

namespace detail {

// One replacement Refang made: input bytes [in_begin, in_begin + in_size) became
// output bytes [out_begin, out_begin + out_size).
struct RefangEdit {
  size_t in_begin = 0;
  size_t in_size = 0;
  size_t out_begin = 0;
  size_t out_size = 0;
};

// Refang, also listing the replacements in order (for mapping offsets in the
// refanged text back to the input; used by ExtractObservables).
std::string RefangWithEdits(std::string_view text, std::vector<RefangEdit>* edits);

// LooksDefanged and Refang in one pass: when `text` is defanged, writes
// Refang(text) into `*out` (reusing its capacity) and returns true; otherwise
// returns false, `*out` unspecified.
bool RefangIfDefanged(std::string_view text, std::string* out);

}  // namespace detail
}  // namespace tessera::normalize
