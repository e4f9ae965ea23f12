#include "urlhaus_gen.h"

#include <array>
#include <string_view>

namespace tessera::bench {
namespace {

// splitmix64: small, fast, and the same everywhere.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

constexpr std::array<std::string_view, 12> kWords = {"update", "invoice", "secure",  "login",
                                                     "cdn",    "files",   "static",  "panel",
                                                     "docs",   "mail",    "service", "download"};
constexpr std::array<std::string_view, 8> kTlds = {"com", "net", "org",  "ru",
                                                   "xyz", "top", "info", "cn"};
constexpr std::array<std::string_view, 10> kPaths = {"/bins/mozi.m",
                                                     "/bins/x86",
                                                     "/i.php",
                                                     "/Mozi.a",
                                                     "/download/setup.exe",
                                                     "/wp-content/uploads/2024/doc.zip",
                                                     "/sh",
                                                     "/.i",
                                                     "/update/update.bin",
                                                     "/files/payload.dll"};
constexpr std::array<std::string_view, 6> kTags = {
    "elf,mozi", "32-bit,elf,mips,Mozi", "exe", "Emotet,epoch4", "", "doc,heodo"};
constexpr std::array<std::string_view, 5> kReporters = {"lrz_urlhaus", "abuse_ch", "Cryptolaemus1",
                                                        "geenensp", "anonymous"};

void AppendNumber(std::string* out, uint64_t v) { out->append(std::to_string(v)); }

void Append2(std::string* out, uint64_t v) {
  out->push_back(static_cast<char>('0' + v / 10));
  out->push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

void AppendUrlhausBanner(std::string* out) {
  out->append(
      "################################################################\n"
      "# abuse.ch URLhaus Database Dump (CSV)                         #\n"
      "# Last updated: 2024-03-01 10:00:00 (UTC)                      #\n"
      "#                                                              #\n"
      "# Terms Of Use: https://urlhaus.abuse.ch/api/                  #\n"
      "################################################################\n"
      "#\n"
      "# id,dateadded,url,url_status,threat,tags,urlhaus_link,reporter\n");
}

uint64_t AppendUrlhausRows(std::string* out, uint64_t bytes, uint64_t seed) {
  Rng rng{seed * 0x2545F4914F6CDD1DULL + 1};
  uint64_t rows = 0;
  uint64_t id = 1000000 + seed * 10000000;
  while (out->size() < bytes) {
    ++id;
    std::string url = "http://";
    if (rng.Below(3) == 0) {
      // An address and a port, as the IoT malware rows have them.
      for (int i = 0; i < 4; ++i) {
        if (i > 0) url.push_back('.');
        AppendNumber(&url, 1 + rng.Below(223));
      }
      url.push_back(':');
      AppendNumber(&url, 1024 + rng.Below(60000));
    } else {
      url.append(kWords[rng.Below(kWords.size())]);
      AppendNumber(&url, rng.Below(100000));
      url.push_back('.');
      url.append(kWords[rng.Below(kWords.size())]);
      url.push_back('.');
      url.append(kTlds[rng.Below(kTlds.size())]);
    }
    url.append(kPaths[rng.Below(kPaths.size())]);
    if (rng.Below(4) == 0) {
      url.append("?id=");
      AppendNumber(&url, rng.Below(1000000));
    }
    out->append("\"");
    AppendNumber(out, id);
    out->append("\",\"2024-");
    Append2(out, 1 + rng.Below(12));
    out->push_back('-');
    Append2(out, 1 + rng.Below(28));
    out->push_back(' ');
    Append2(out, rng.Below(24));
    out->push_back(':');
    Append2(out, rng.Below(60));
    out->push_back(':');
    Append2(out, rng.Below(60));
    out->append("\",\"");
    out->append(url);
    out->append(rng.Below(5) == 0 ? "\",\"online\",\"malware_download\",\""
                                  : "\",\"offline\",\"malware_download\",\"");
    out->append(kTags[rng.Below(kTags.size())]);
    out->append("\",\"https://urlhaus.abuse.ch/url/");
    AppendNumber(out, id);
    out->append("/\",\"");
    out->append(kReporters[rng.Below(kReporters.size())]);
    out->append("\"\n");
    ++rows;
  }
  return rows;
}

}  // namespace tessera::bench
