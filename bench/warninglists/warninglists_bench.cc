// Google Benchmark of warninglist matching: a deterministic mixed stream of
// canonical observables (IPv4 and IPv6 addresses, domains, URLs, e-mail
// addresses, MD5 and SHA-256 hashes, phone numbers; about one in eight on some
// list) against the built-in lists plus every MISP list in
// ../shared/corpora/misp/warninglists (builtins only, and said so, when absent).
//   BM_MatchMixed    WarninglistSet::Match(kind, canonical value): the store's path
//   BM_MatchKind     the same, one kind of value at a time
//   BM_MatchObjects  WarninglistSet::Match(StixObject): JSON parse + canonicalize + match
//   BM_Compile       loading and compiling every list
// TESSERA_BENCH_VALUES sets the stream length (default 100,000).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "normalize/ip.h"
#include "stix/bundle.h"
#include "warninglists/warninglist.h"

namespace {

using tessera::normalize::Kind;
namespace wl = tessera::warninglists;

std::filesystem::path MispDir() {
  return std::filesystem::path(TESSERA_SHARED_DIR) / "corpora" / "misp" / "warninglists";
}

wl::WarninglistSet LoadAll() {
  wl::WarninglistSet set;
  set.AddBuiltins();
  if (std::filesystem::is_directory(MispDir())) {
    auto s = set.AddPath(MispDir());
    if (!s.ok()) std::fprintf(stderr, "warninglists_bench: %s\n", s.error().ToString().c_str());
  }
  set.Compile();
  return set;
}

const wl::WarninglistSet& Set() {
  static const wl::WarninglistSet set = LoadAll();
  return set;
}

struct Value {
  Kind kind;
  std::string value;
};

std::string Dotted(uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out += '.';
    out += std::to_string((v >> (24 - 8 * i)) & 0xff);
  }
  return out;
}

std::string Hex(std::mt19937_64& rng, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(n, '0');
  for (char& c : out) c = kHex[rng() & 15];
  return out;
}

std::string Label(std::mt19937_64& rng) {
  static const char kAlpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out(4 + rng() % 9, 'a');
  for (char& c : out) c = kAlpha[rng() % 26];  // letters only: no all-digit labels
  return out;
}

// The stream: mostly values on no list (as in real feeds), some on lists.
const std::vector<Value>& Stream() {
  static const std::vector<Value> values = [] {
    size_t n = 100000;
    if (const char* env = std::getenv("TESSERA_BENCH_VALUES")) n = std::strtoul(env, nullptr, 10);
    std::mt19937_64 rng(1);
    static const char* kTlds[] = {"com", "net", "org", "ru", "info", "xyz", "de", "io"};
    static const char* kListed[] = {"www.example.com", "bit.ly", "app.any.run", "localhost",
                                    "mail.google.com", "printer.local"};
    std::vector<Value> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t r = rng();
      const bool listed = r % 8 == 0;
      std::string domain = listed ? kListed[rng() % 6]
                                  : Label(rng) + "." + Label(rng) + "." + kTlds[rng() % 8];
      switch ((r >> 8) % 10) {
        case 0:
        case 1:
        case 2: {
          uint32_t v = static_cast<uint32_t>(rng());
          if (listed) v = (192u << 24) | (168u << 16) | (v & 0xffff);
          out.push_back({Kind::kIpv4, Dotted(v)});
          break;
        }
        case 3: {
          std::string text = listed ? "2001:db8:" : "2a0" + Hex(rng, 1) + ":" + Hex(rng, 4) + ":";
          text += Hex(rng, 4) + "::" + Hex(rng, 3) + "1";
          auto obs = tessera::normalize::CanonicalIpv6(text);
          out.push_back({Kind::kIpv6, obs.ok() ? obs->value : text});
          break;
        }
        case 4:
        case 5: out.push_back({Kind::kDomain, domain}); break;
        case 6: out.push_back({Kind::kUrl, "https://" + domain + "/" + Label(rng) + "?id=" + Hex(rng, 8)}); break;
        case 7: out.push_back({Kind::kEmail, Label(rng) + "@" + domain}); break;
        case 8:
          out.push_back({Kind::kMd5, listed ? "d41d8cd98f00b204e9800998ecf8427e" : Hex(rng, 32)});
          break;
        default:
          if (rng() % 2 == 0) {
            out.push_back({Kind::kSha256, Hex(rng, 64)});
          } else {
            out.push_back({Kind::kPhoneNumber, "+1" + std::to_string(2000000000 + rng() % 7999999999)});
          }
          break;
      }
    }
    return out;
  }();
  return values;
}

void BM_MatchMixed(benchmark::State& state) {
  const wl::WarninglistSet& set = Set();
  const std::vector<Value>& values = Stream();
  size_t hits = 0;
  for (auto _ : state) {
    for (const Value& v : values) {
      std::vector<wl::Hit> h = set.Match(v.kind, v.value);
      hits += h.empty() ? 0 : 1;
      benchmark::DoNotOptimize(h);
    }
  }
  const auto total = static_cast<int64_t>(state.iterations() * values.size());
  state.SetItemsProcessed(total);
  state.counters["hit_share"] = static_cast<double>(hits) / static_cast<double>(total);
  state.counters["lists"] = static_cast<double>(set.Lists().size());
}
BENCHMARK(BM_MatchMixed)->Unit(benchmark::kMillisecond);

// The same stream, one kind at a time (the argument is the normalize::Kind).
void BM_MatchKind(benchmark::State& state) {
  const wl::WarninglistSet& set = Set();
  const auto kind = static_cast<Kind>(state.range(0));
  std::vector<const Value*> values;
  for (const Value& v : Stream()) {
    if (v.kind == kind) values.push_back(&v);
  }
  for (auto _ : state) {
    for (const Value* v : values) benchmark::DoNotOptimize(set.Match(v->kind, v->value));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * values.size()));
  state.counters["values"] = static_cast<double>(values.size());
  state.SetLabel(std::string(tessera::normalize::KindName(kind)));
}
BENCHMARK(BM_MatchKind)
    ->Arg(static_cast<int>(Kind::kIpv4))
    ->Arg(static_cast<int>(Kind::kIpv6))
    ->Arg(static_cast<int>(Kind::kDomain))
    ->Arg(static_cast<int>(Kind::kUrl))
    ->Arg(static_cast<int>(Kind::kEmail))
    ->Arg(static_cast<int>(Kind::kMd5))
    ->Arg(static_cast<int>(Kind::kSha256))
    ->Arg(static_cast<int>(Kind::kPhoneNumber))
    ->Unit(benchmark::kMillisecond);

void BM_MatchObjects(benchmark::State& state) {
  const wl::WarninglistSet& set = Set();
  std::vector<tessera::stix::StixObject> objects;
  for (const Value& v : Stream()) {
    tessera::stix::StixObject o;
    std::string property = "value";
    switch (v.kind) {
      case Kind::kIpv4: o.type = "ipv4-addr"; break;
      case Kind::kIpv6: o.type = "ipv6-addr"; break;
      case Kind::kDomain: o.type = "domain-name"; break;
      case Kind::kUrl: o.type = "url"; break;
      case Kind::kEmail: o.type = "email-addr"; break;
      case Kind::kMd5: o.type = "file"; break;
      case Kind::kSha256: o.type = "file"; break;
      default: o.type = "phone-number"; property = "number"; break;
    }
    o.json = "{\"type\":\"" + o.type + "\",";
    if (o.type == "file") {
      o.json += std::string("\"hashes\":{\"") + (v.kind == Kind::kMd5 ? "MD5" : "SHA-256") +
                "\":";
      tessera::core::AppendJsonString(&o.json, v.value);
      o.json += "}}";
    } else {
      o.json += "\"" + property + "\":";
      tessera::core::AppendJsonString(&o.json, v.value);
      o.json += "}";
    }
    objects.push_back(std::move(o));
  }
  for (auto _ : state) {
    for (const auto& o : objects) benchmark::DoNotOptimize(set.Match(o));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * objects.size()));
}
BENCHMARK(BM_MatchObjects)->Unit(benchmark::kMillisecond);

void BM_Compile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(LoadAll());
}
BENCHMARK(BM_Compile)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
