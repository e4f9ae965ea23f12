// libFuzzer target for MISP warninglist JSON (warninglists/misp_format.h) and the
// matchers compiled from it: whatever the input, parsing never crashes and an
// error names the origin and a reason; a list that parses compiles (or is refused
// for a limit), and, for a list that applies to every attribute type, each entry
// must then match itself: a canonical address its cidr list, a canonical domain
// (and a subdomain of it) its hostname list, an entry its string list, and a
// value containing an entry its substring list. Aborts on a violation.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/domain.h"
#include "normalize/ip.h"
#include "warninglists/misp_format.h"
#include "warninglists/warninglist.h"

namespace {

namespace wl = tessera::warninglists;
namespace normalize = tessera::normalize;
using normalize::Kind;

[[noreturn]] void Fail(const char* what, std::string_view input, std::string_view detail) {
  std::fprintf(stderr, "fuzz_warninglists: %s\n  input:  %.*s\n  detail: %.*s\n", what,
               static_cast<int>(input.size() > 2000 ? 2000 : input.size()), input.data(),
               static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()), detail.data());
  std::abort();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || (s.front() >= '\t' && s.front() <= '\r'))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || (s.back() >= '\t' && s.back() <= '\r'))) {
    s.remove_suffix(1);
  }
  return s;
}

void CheckHits(const std::vector<wl::Hit>& hits, std::string_view input) {
  for (const wl::Hit& h : hits) {
    if (h.list != "fuzz") Fail("hit names another list", input, h.list);
    if (h.reason.empty() || h.entry.empty()) Fail("hit without entry or reason", input, h.list);
  }
}

// Entry `e` of a list applying to every type: which value must hit it.
void CheckEntry(const wl::WarninglistSet& set, wl::ListType type, std::string_view e,
                std::string_view input) {
  const std::string_view t = Trim(e);
  if (t.empty() || t.size() > 4096) return;
  auto must_hit = [&](Kind kind, const std::string& value) {
    const std::vector<wl::Hit> hits = set.Match(kind, value);
    CheckHits(hits, input);
    if (hits.empty()) Fail("an entry does not match itself", input, value);
  };
  switch (type) {
    case wl::ListType::kCidr: {
      if (t.find('/') != std::string_view::npos) return;
      const bool v6 = t.find(':') != std::string_view::npos;
      auto obs = v6 ? normalize::CanonicalIpv6(t) : normalize::CanonicalIpv4(t);
      if (obs.ok()) must_hit(obs->kind, obs->value);
      return;
    }
    case wl::ListType::kHostname: {
      if (t.front() == '.' || t.substr(0, 2) == "*.") return;
      normalize::DomainOptions options;
      options.allow_wildcard = false;
      options.allow_single_label = true;
      auto obs = normalize::CanonicalDomain(t, options);
      if (!obs.ok()) return;
      must_hit(Kind::kDomain, obs->value);
      if (obs->value.size() < 250) must_hit(Kind::kDomain, "a." + obs->value);
      return;
    }
    case wl::ListType::kString: must_hit(Kind::kFileName, std::string(t)); return;
    case wl::ListType::kSubstring: {
      std::string value = "<";
      value.append(t);
      value.append(">");
      must_hit(Kind::kFileName, value);
      return;
    }
    case wl::ListType::kRegex: return;  // std::regex semantics: nothing simple to assert
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto spec = wl::ParseMispWarninglist(input, "fuzz.json");
  if (!spec.ok()) {
    if (spec.error().message.empty()) Fail("error without a reason", input, "");
    if (spec.error().location != "fuzz.json") Fail("error without the origin", input, "");
    return 0;
  }
  wl::Limits limits;
  limits.max_substring_bytes = 64 * 1024;
  limits.max_regexes = 64;
  wl::WarninglistSet set(limits);
  auto added = set.AddMispJson(input, "fuzz.json", "fuzz");
  if (!added.ok()) {
    if (added.error().code != tessera::core::ErrorCode::kLimit) {
      Fail("a parsed list was refused", input, added.error().ToString());
    }
    return 0;
  }
  set.Compile();
  const wl::ListInfo& info = set.Lists().at(0);
  if (info.entries + info.skipped_entries > spec->entries.size()) {
    Fail("more entries than the list has", input, std::to_string(info.entries));
  }
  size_t checked = 0;
  for (const std::string& e : spec->entries) {
    if (++checked > 64) break;
    // A list's own regex can backtrack exponentially (std::regex; lists are
    // trusted configuration): keep the values run through regexes short.
    if (spec->type == wl::ListType::kRegex && e.size() > 24) continue;
    for (Kind kind : {Kind::kIpv4, Kind::kIpv6, Kind::kDomain, Kind::kUrl, Kind::kEmail,
                      Kind::kMd5, Kind::kPhoneNumber}) {
      CheckHits(set.Match(kind, e), input);
    }
    if (spec->matching_attributes.empty()) CheckEntry(set, spec->type, e, input);
  }
  return 0;
}
