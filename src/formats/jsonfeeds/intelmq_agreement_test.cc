// Agreement with IntelMQ: for every IntelMQ corpus file these readers cover,
// the observables we emit for an entry equal the observables of IntelMQ's
// expected event for it (after both are canonicalized by normalize/), except for
// the deliberate differences docs/formats/jsonfeeds.md lists, encoded below.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "formats/jsonfeeds/feed_event.h"
#include "normalize/stix_mapping.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

using core::Json;
using jsonfeeds::ValueKind;

std::filesystem::path CorpusDir() { return testing::SharedDir() / "corpora" / "feeds" / "intelmq"; }

// IntelMQ fields that hold observables, and how to read them.
struct ObservableField {
  std::string_view name;
  ValueKind value_kind;
  normalize::Kind kind;
};
const ObservableField kFields[] = {
    {"ip", ValueKind::kIp, normalize::Kind::kIpv4},
    {"fqdn", ValueKind::kFixed, normalize::Kind::kDomain},
    {"reverse_dns", ValueKind::kFixed, normalize::Kind::kDomain},
    {"url", ValueKind::kFixed, normalize::Kind::kUrl},
    {"network", ValueKind::kNetwork, normalize::Kind::kIpv4Network},
    {"asn", ValueKind::kAsn, normalize::Kind::kAsn},
};

// "<stix type>:<canonical value>", the form both sides are compared in.
std::string Key(const normalize::Observable& o) {
  return std::string(normalize::StixTypeFor(o.kind)) + ":" + o.value;
}

std::set<std::string> Expected(const Json& event) {
  std::set<std::string> out;
  auto add = [&](ValueKind vk, normalize::Kind kind, const Json& value) {
    std::string text = value.is_string() ? value.as_string()
                       : value.is_number() ? value.as_number().literal
                                           : std::string();
    jsonfeeds::EventObservable o;
    o.value_kind = vk;
    o.kind = kind;
    o.raw = text;
    std::optional<int64_t> port;
    auto n = jsonfeeds::NormalizeEventValue(o, {}, &port);
    ASSERT_TRUE(n.ok()) << "IntelMQ value " << text << ": " << n.error().ToString();
    out.insert(Key(*n));
  };
  for (std::string_view side : {"source.", "destination."}) {
    for (const ObservableField& f : kFields) {
      std::string name = std::string(side) + std::string(f.name);
      if (const Json* v = event.Find(name)) add(f.value_kind, f.kind, *v);
    }
  }
  for (auto [name, kind] : {std::pair{"malware.hash.md5", normalize::Kind::kMd5},
                            std::pair{"malware.hash.sha1", normalize::Kind::kSha1},
                            std::pair{"malware.hash.sha256", normalize::Kind::kSha256}}) {
    if (const Json* v = event.Find(name)) add(ValueKind::kFixed, kind, *v);
  }
  return out;
}

// The observables of one of our records, in the same form.
std::set<std::string> Ours(const Record& record) {
  std::set<std::string> out;
  for (const stix::StixObject& so : record.objects) {
    auto o = core::ParseJson(so.json);
    if (!o.ok()) continue;
    const std::string& type = so.type;
    if (type == "ipv4-addr" || type == "ipv6-addr" || type == "domain-name" || type == "url" ||
        type == "email-addr") {
      out.insert(type + ":" + o->Find("value")->as_string());
    } else if (type == "autonomous-system") {
      out.insert(type + ":AS" + o->Find("number")->as_number().literal);
    } else if (type == "file") {
      for (const auto& [algorithm, value] : o->Find("hashes")->as_object()) {
        out.insert("file:" + value.as_string());
      }
    }
  }
  return out;
}

std::string Base64Decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0;
  uint32_t acc = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// The entries of a JSON input: an array's elements, a wrapper's "data", or
// the values of JSON lines.
std::vector<Json> Entries(const std::string& text) {
  std::vector<Json> out;
  auto whole = core::ParseJson(text);
  if (whole.ok()) {
    if (whole->is_array()) return whole->as_array();
    if (const Json* data = whole->Find("data"); data != nullptr && data->is_array()) {
      return data->as_array();
    }
    out.push_back(*whole);
    return out;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    auto line = core::ParseJson(text.substr(pos, end - pos));
    if (line.ok()) out.push_back(std::move(*line));
    pos = end + 1;
  }
  return out;
}

struct Pair {
  const char* format;
  const char* input;     // under corpora/feeds/intelmq/
  const char* expected;  // IntelMQ's expected events
  // Observable types we emit that IntelMQ does not (deliberate; see the docs).
  std::vector<std::string> extra_types;
  // Expected events that come from inputs other than this file (upstream test
  // modules share expectations between test inputs).
  size_t foreign_events = 0;
  // Entries IntelMQ turns into an event without any observable; we reject them.
  size_t observable_less = 0;
};

const Pair kPairs[] = {
    {"feodotracker", "abusech/feodotracker_ipblocklist.json",
     "abusech/feodotracker_ipblocklist.expected.json", {}, 0, 0},
    {"otx", "alienvault/otx_pulses__test_parser_otx.data", "alienvault/otx_pulses.expected.json",
     {}, 0, 1},
    {"anubisnetworks", "anubisnetworks/anubisnetworks_cyberfeed__example_report3.json",
     "anubisnetworks/anubisnetworks_cyberfeed.expected.json", {}, 0, 0},
    {"blueliv-crimeserver", "blueliv/blueliv_crimeserver__test_parser_crimeserver.data",
     "blueliv/blueliv_crimeserver.expected.json", {}, 0, 0},
    {"cleanmx", "cleanmx/cleanmx_phishing__xmlphishing", "cleanmx/cleanmx_phishing.expected.json",
     {}, 0, 0},
    {"cznic-proki", "cznic/cznic_proki__example_proki.json", "cznic/cznic_proki.expected.json", {},
     0, 0},
    {"eset-eti", "eset/eset_1_event.json", "eset/eset_1_event.expected.json", {}, 0, 0},
    {"eset-eti", "eset/eset_2_nxdomain.json", "eset/eset_2_nxdomain.expected.json", {}, 0, 0},
    {"intelmq-json", "json/intelmq_json_1_oneline_report.json",
     "json/intelmq_json_1_oneline_report.expected.json", {}, 0, 1},
    {"intelmq-json", "json/intelmq_json_2_multiline_report__data.json",
     "json/intelmq_json_2_multiline_report.expected.json", {}, 0, 0},
    {"intelmq-json", "json/intelmq_json_3_default_event__data2.json",
     "json/intelmq_json_3_default_event.expected.json", {}, 0, 0},
    {"microsoft-bingmurls", "microsoft/bingmurls__bingmurls.json",
     "microsoft/bingmurls.expected.json", {}, 0, 0},
    {"microsoft-ctip", "microsoft/ctip__ctip.txt", "microsoft/ctip.expected.json", {}, 0, 0},
    {"n6", "n6/n6_1_event.json", "n6/n6_1_event.expected.json", {}, 0, 0},
    {"n6", "n6/n6_2_blacklist.json", "n6/n6_2_blacklist.expected.json", {}, 0, 0},
    {"n6", "n6/n6_3_no_address.json", "n6/n6_3_no_address.expected.json", {}, 0, 0},
    {"n6", "n6/n6_4_futher_ios.json", "n6/n6_4_futher_ios.expected.json", {}, 0, 0},
    {"phishtank", "phishtank/phishtank.json", "phishtank/phishtank.expected.json", {}, 0, 0},
    {"shodan", "shodan/shodan_1_minimal_ftp.json", "shodan/shodan_1_minimal_ftp.expected.json",
     {"domain-name"}, 2, 0},
    {"shodan", "shodan/shodan_2_minimal_http.json", "shodan/shodan_2_minimal_http.expected.json",
     {"domain-name"}, 2, 0},
};

TEST(IntelMqAgreement, ObservablesAgreeOnEveryCoveredFile) {
  TESSERA_REQUIRE_SHARED();
  for (const Pair& pair : kPairs) {
    SCOPED_TRACE(pair.input);
    auto outcome = testing::ReadPath(pair.format, CorpusDir() / pair.input);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
    auto expectation = core::ParseJson(testing::ReadFileOrEmpty(CorpusDir() / pair.expected));
    ASSERT_TRUE(expectation.ok());
    const Json::Array& events = expectation->Find("expected_events")->as_array();
    std::vector<Json> entries = Entries(testing::ReadFileOrEmpty(CorpusDir() / pair.input));
    bool otx = std::string_view(pair.format) == "otx";

    size_t foreign = 0;
    size_t observable_less = 0;
    std::set<uint64_t> matched;
    for (size_t i = 0; i < events.size(); ++i) {
      const Json& event = events[i];
      if (const Json* type = event.Find("__type"); type != nullptr && type->as_string() == "Report") {
        continue;  // an upstream test listing its report among the events
      }
      // Which entry of the input the event is for.
      std::optional<size_t> entry;
      if (otx) {
        std::string pulse = event.Find("extra.pulse_key")->as_string();
        for (size_t k = 0; k < entries.size(); ++k) {
          const Json* id = entries[k].Find("id");
          if (id != nullptr && id->is_string() && id->as_string() == pulse) entry = k;
        }
      } else if (const Json* raw = event.Find("raw"); raw != nullptr) {
        auto parsed = core::ParseJson(Base64Decode(raw->as_string()));
        if (parsed.ok()) {
          const Json& one = parsed->is_array() && !parsed->as_array().empty()
                                ? parsed->as_array()[0]
                                : *parsed;
          for (size_t k = 0; k < entries.size(); ++k) {
            if (entries[k] == one) entry = k;
          }
        }
      }
      if (!entry && events.size() == outcome.sink.records.size() + outcome.sink.rejects.size()) {
        entry = i;  // XML entries, IntelMQ's own events: the same order
      }
      if (!entry) {
        ++foreign;
        continue;
      }
      std::set<std::string> expected = Expected(event);
      const Record* record = nullptr;
      for (const Record& r : outcome.sink.records) {
        if (r.position.record == *entry) record = &r;
      }
      if (expected.empty()) {
        // IntelMQ made an event without observables (the pulse indicator of
        // OTX type URI "/woolen/" is only a source.urlpath): we map none either.
        ++observable_less;
        if (!otx) {
          EXPECT_EQ(record, nullptr) << "event " << i << " has no observable; we reject it";
        }
        continue;
      }
      ASSERT_NE(record, nullptr) << "no record for entry " << *entry << " (event " << i << ")";
      matched.insert(*entry);
      std::set<std::string> ours = Ours(*record);
      for (const std::string& e : expected) {
        EXPECT_TRUE(ours.count(e) == 1) << "event " << i << ": IntelMQ has " << e << ", we do not";
      }
      if (otx) continue;  // IntelMQ makes one event per indicator, we one record per pulse
      for (const std::string& o : ours) {
        std::string type = o.substr(0, o.find(':'));
        bool allowed = std::find(pair.extra_types.begin(), pair.extra_types.end(), type) !=
                       pair.extra_types.end();
        EXPECT_TRUE(expected.count(o) == 1 || allowed)
            << "event " << i << ": we have " << o << ", IntelMQ does not";
      }
    }
    EXPECT_EQ(foreign, pair.foreign_events);
    EXPECT_EQ(observable_less, pair.observable_less);
    if (!otx) {
      // Every record we make is one IntelMQ makes an event for.
      for (const Record& r : outcome.sink.records) {
        EXPECT_TRUE(matched.count(r.position.record) == 1)
            << "record " << r.position.record << " has no IntelMQ event";
      }
    }
  }
}

}  // namespace
}  // namespace tessera::formats
