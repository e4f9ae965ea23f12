#include "misp_gen.h"

#include <array>
#include <cstdio>

namespace tessera::bench {
namespace {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {  // splitmix64
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  bool Chance(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 12> kTlds = {"com", "net", "org", "info", "ru", "cn",
                                                    "io",  "biz", "xyz", "top",  "de", "co.uk"};
constexpr std::array<std::string_view, 16> kWords = {
    "update",  "secure", "cdn",    "mail", "login", "static", "cloud", "portal",
    "service", "data",   "office", "sync", "micro", "files",  "check", "api"};
constexpr std::array<std::string_view, 8> kExtensions = {"exe", "dll", "doc", "xls",
                                                         "js",  "ps1", "zip", "pdf"};
constexpr std::array<std::string_view, 6> kComments = {
    "", "", "", "C&C server", "Dropped by the loader", "Seen in phishing campaign wave 2"};

void Hex(Rng& rng, size_t digits, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < digits; ++i) out->push_back(kHex[rng.Below(16)]);
}

void Uuid(Rng& rng, std::string* out) {
  Hex(rng, 8, out);
  out->push_back('-');
  Hex(rng, 4, out);
  out->append("-4");
  Hex(rng, 3, out);
  out->push_back('-');
  out->push_back("89ab"[rng.Below(4)]);
  Hex(rng, 3, out);
  out->push_back('-');
  Hex(rng, 12, out);
}

void Domain(Rng& rng, std::string* out) {
  out->append(kWords[rng.Below(kWords.size())]);
  out->append(std::to_string(rng.Below(10000)));
  out->push_back('-');
  out->append(kWords[rng.Below(kWords.size())]);
  out->push_back('.');
  out->append(kTlds[rng.Below(kTlds.size())]);
}

void Ip(Rng& rng, std::string* out) {
  out->append(std::to_string(11 + rng.Below(212)));
  for (int i = 0; i < 3; ++i) {
    out->push_back('.');
    out->append(std::to_string(rng.Below(256)));
  }
}

void FileName(Rng& rng, std::string* out) {
  out->append(kWords[rng.Below(kWords.size())]);
  out->append(std::to_string(rng.Below(1000)));
  out->push_back('.');
  out->append(kExtensions[rng.Below(kExtensions.size())]);
}

struct Value {
  std::string_view type;
  std::string_view category;
  std::string value;
};

Value RandomValue(Rng& rng) {
  Value v;
  uint64_t pick = rng.Below(100);
  if (pick < 18) {
    v.type = rng.Chance(70) ? "ip-dst" : "ip-src";
    v.category = "Network activity";
    Ip(rng, &v.value);
  } else if (pick < 34) {
    v.type = rng.Chance(80) ? "domain" : "hostname";
    v.category = "Network activity";
    Domain(rng, &v.value);
  } else if (pick < 48) {
    v.type = "url";
    v.category = "Network activity";
    v.value = rng.Chance(50) ? "http://" : "https://";
    Domain(rng, &v.value);
    v.value += "/";
    v.value += kWords[rng.Below(kWords.size())];
    v.value += "/index.php?id=";
    v.value += std::to_string(rng.Below(100000));
  } else if (pick < 60) {
    v.type = "sha256";
    v.category = "Payload delivery";
    Hex(rng, 64, &v.value);
  } else if (pick < 68) {
    v.type = "md5";
    v.category = "Payload delivery";
    Hex(rng, 32, &v.value);
  } else if (pick < 76) {
    v.type = "sha1";
    v.category = "Payload delivery";
    Hex(rng, 40, &v.value);
  } else if (pick < 84) {
    v.type = "filename|sha256";
    v.category = "Payload installation";
    FileName(rng, &v.value);
    v.value += '|';
    Hex(rng, 64, &v.value);
  } else if (pick < 88) {
    v.type = "email-src";
    v.category = "Payload delivery";
    v.value = kWords[rng.Below(kWords.size())];
    v.value += std::to_string(rng.Below(1000));
    v.value += '@';
    Domain(rng, &v.value);
  } else if (pick < 91) {
    v.type = "ip-dst|port";
    v.category = "Network activity";
    Ip(rng, &v.value);
    v.value += '|';
    v.value += std::to_string(1 + rng.Below(65535));
  } else if (pick < 93) {
    v.type = "regkey";
    v.category = "Persistence mechanism";
    v.value = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\";
    v.value += kWords[rng.Below(kWords.size())];
  } else if (pick < 95) {
    v.type = "filename";
    v.category = "Artifacts dropped";
    v.value = "%APPDATA%\\";
    FileName(rng, &v.value);
  } else {
    v.type = "text";
    v.category = "Other";
    v.value = "Observed during incident response; the implant beacons every ";
    v.value += std::to_string(1 + rng.Below(60));
    v.value += " minutes.";
  }
  return v;
}

// JSON string contents: the generator's values only need backslashes escaped.
void Escaped(std::string_view s, std::string* out) {
  for (char c : s) {
    if (c == '\\' || c == '"') out->push_back('\\');
    out->push_back(c);
  }
}

class Generator {
 public:
  Generator(const MispGenOptions& options, const std::function<void(std::string_view)>& write)
      : options_(options), write_(write), rng_(options.seed) {}

  MispGenStats Run() {
    Emit("{\"response\":[\n");
    while (stats_.bytes < options_.target_bytes) {
      if (stats_.events > 0) Emit(",\n");
      Event();
    }
    Emit("\n]}\n");
    return stats_;
  }

 private:
  void Emit(std::string_view s) {
    write_(s);
    stats_.bytes += s.size();
  }

  void Attribute(uint64_t event_id, uint64_t object_id, std::string_view relation, const Value& v,
                 bool to_ids, uint64_t ts, std::string* out) {
    ++stats_.attributes;
    out->append("{\"id\":\"");
    out->append(std::to_string(++attribute_id_));
    out->append("\",\"type\":\"");
    out->append(v.type);
    out->append("\",\"category\":\"");
    out->append(v.category);
    out->append("\",\"to_ids\":");
    out->append(to_ids ? "true" : "false");
    out->append(",\"uuid\":\"");
    Uuid(rng_, out);
    out->append("\",\"event_id\":\"");
    out->append(std::to_string(event_id));
    out->append("\",\"distribution\":\"5\",\"timestamp\":\"");
    out->append(std::to_string(ts - rng_.Below(86400)));
    out->append("\",\"comment\":\"");
    out->append(kComments[rng_.Below(kComments.size())]);
    out->append(
        "\",\"sharing_group_id\":\"0\",\"deleted\":false,\"disable_correlation\":false,"
        "\"object_id\":\"");
    out->append(std::to_string(object_id));
    out->append("\",\"object_relation\":");
    if (relation.empty()) {
      out->append("null");
    } else {
      out->push_back('"');
      out->append(relation);
      out->push_back('"');
    }
    if (rng_.Chance(10)) {
      out->append(",\"first_seen\":\"2020-0");
      out->append(std::to_string(1 + rng_.Below(9)));
      out->append("-1");
      out->append(std::to_string(rng_.Below(10)));
      out->append("T08:15:00.000000+00:00\",\"last_seen\":null");
    } else {
      out->append(",\"first_seen\":null,\"last_seen\":null");
    }
    out->append(",\"value\":\"");
    Escaped(v.value, out);
    out->append("\",\"Galaxy\":[],\"ShadowAttribute\":[]");
    if (object_id == 0 && rng_.Chance(5)) {
      out->append(",\"Sighting\":[{\"id\":\"");
      out->append(std::to_string(rng_.Below(100000)));
      out->append("\",\"event_id\":\"");
      out->append(std::to_string(event_id));
      out->append("\",\"org_id\":\"1\",\"date_sighting\":\"");
      out->append(std::to_string(ts + rng_.Below(86400)));
      out->append("\",\"uuid\":\"");
      Uuid(rng_, out);
      out->append(
          "\",\"source\":\"\",\"type\":\"0\",\"Organisation\":{\"id\":\"1\",\"uuid\":"
          "\"5c6983c8-3af8-4304-869c-4800d6c1883c\",\"name\":\"ORGNAME\"}}]");
    }
    if (rng_.Chance(3)) {
      out->append(
          ",\"Tag\":[{\"id\":\"12\",\"name\":\"kill-chain:Command and Control\","
          "\"colour\":\"#0071c3\",\"exportable\":true}]");
    }
    out->push_back('}');
  }

  void Event() {
    std::string e;
    uint64_t id = ++stats_.events;
    uint64_t ts = 1577836800 + rng_.Below(157680000);
    e.append("{\"Event\":{\"id\":\"");
    e.append(std::to_string(id));
    e.append(
        "\",\"orgc_id\":\"2\",\"org_id\":\"1\",\"date\":\"2020-10-25\",\"threat_level_id\":\"");
    e.append(std::to_string(1 + rng_.Below(4)));
    e.append("\",\"info\":\"OSINT - Generated campaign report ");
    e.append(std::to_string(id));
    e.append("\",\"published\":true,\"uuid\":\"");
    Uuid(rng_, &e);
    e.append("\",\"attribute_count\":\"0\",\"analysis\":\"2\",\"timestamp\":\"");
    e.append(std::to_string(ts));
    e.append("\",\"distribution\":\"");
    e.append(rng_.Chance(80) ? "3" : "1");
    e.append("\",\"proposal_email_lock\":false,\"locked\":false,\"publish_timestamp\":\"");
    e.append(std::to_string(ts + 3600));
    e.append(
        "\",\"sharing_group_id\":\"0\",\"disable_correlation\":false,\"extends_uuid\":\"\","
        "\"Org\":{\"id\":\"1\",\"name\":\"ORGNAME\",\"uuid\":\"5c6983c8-3af8-4304-869c-"
        "4800d6c1883c\"},"
        "\"Orgc\":{\"id\":\"2\",\"name\":\"CIRCL\",\"uuid\":\"55f6ea5e-2c60-40e5-964f-"
        "47a8950d210f\"},"
        "\"Attribute\":[");
    size_t n = options_.attributes_per_event / 2 + rng_.Below(options_.attributes_per_event + 1);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) e.push_back(',');
      Attribute(id, 0, "", RandomValue(rng_), rng_.Chance(60), ts, &e);
    }
    e.append("],\"ShadowAttribute\":[],\"RelatedEvent\":[],\"Galaxy\":[");
    if (rng_.Chance(50)) {
      e.append(
          "{\"id\":\"366\",\"uuid\":\"698774c7-8022-42c4-917f-8d6e4f06ada3\",\"name\":\"Threat "
          "Actor\",\"type\":\"threat-actor\",\"description\":\"Threat actors are "
          "characteristics of malicious actors.\",\"version\":\"3\",\"icon\":\"user-secret\","
          "\"namespace\":\"misp\",\"GalaxyCluster\":[{\"id\":\"45563\",\"collection_uuid\":"
          "\"7cdff317-a673-4474-84ec-4f1754947823\",\"type\":\"threat-actor\",\"value\":\"Sofacy\","
          "\"tag_name\":\"misp-galaxy:threat-actor=\\\"Sofacy\\\"\",\"description\":\"The Sofacy "
          "Group is a cyber espionage group.\",\"galaxy_id\":\"366\",\"source\":\"MISP Project\","
          "\"authors\":[\"Alexandre Dulaunoy\"],\"version\":\"61\",\"uuid\":"
          "\"5b4ee3ea-eee3-4c8e-8323-85ae32658754\",\"tag_id\":\"3004\",\"meta\":{\"country\":["
          "\"RU\"],"
          "\"refs\":[\"https://en.wikipedia.org/wiki/Sofacy_Group\"],\"synonyms\":[\"APT 28\","
          "\"Fancy Bear\",\"Sednit\"]}}]}");
    }
    e.append("],\"Object\":[");
    size_t objects = rng_.Below(8);
    std::string previous;
    for (size_t k = 0; k < objects; ++k) {
      if (k > 0) e.push_back(',');
      uint64_t object_id = ++object_id_;
      std::string uuid;
      Uuid(rng_, &uuid);
      bool file = rng_.Chance(60);
      e.append("{\"id\":\"");
      e.append(std::to_string(object_id));
      e.append("\",\"name\":\"");
      e.append(file ? "file" : "domain-ip");
      e.append("\",\"meta-category\":\"");
      e.append(file ? "file" : "network");
      e.append("\",\"description\":\"");
      e.append(file ? "File object describing a file with meta-information"
                    : "A domain and IP address seen as a tuple in a specific time frame.");
      e.append("\",\"template_uuid\":\"");
      e.append(file ? "688c46fb-5edb-40a3-8273-1af7923e2215"
                    : "43b3b146-77eb-4931-b4cc-b66c60f28734");
      e.append("\",\"template_version\":\"17\",\"event_id\":\"");
      e.append(std::to_string(id));
      e.append("\",\"uuid\":\"");
      e.append(uuid);
      e.append("\",\"timestamp\":\"");
      e.append(std::to_string(ts));
      e.append(
          "\",\"distribution\":\"5\",\"sharing_group_id\":\"0\",\"comment\":\"\",\"deleted\":false,"
          "\"first_seen\":null,\"last_seen\":null,\"ObjectReference\":[");
      if (!previous.empty()) {
        e.append("{\"id\":\"");
        e.append(std::to_string(object_id));
        e.append("\",\"uuid\":\"");
        Uuid(rng_, &e);
        e.append("\",\"timestamp\":\"");
        e.append(std::to_string(ts));
        e.append("\",\"object_id\":\"");
        e.append(std::to_string(object_id));
        e.append("\",\"referenced_uuid\":\"");
        e.append(previous);
        e.append(
            "\",\"relationship_type\":\"communicates-with\",\"comment\":\"\",\"deleted\":false}");
      }
      e.append("],\"Attribute\":[");
      bool ids = rng_.Chance(70);
      if (file) {
        Value name{"filename", "Payload delivery", ""};
        FileName(rng_, &name.value);
        Value md5{"md5", "Payload delivery", ""};
        Hex(rng_, 32, &md5.value);
        Value sha1{"sha1", "Payload delivery", ""};
        Hex(rng_, 40, &sha1.value);
        Value sha256{"sha256", "Payload delivery", ""};
        Hex(rng_, 64, &sha256.value);
        Value size{"size-in-bytes", "Other", std::to_string(1000 + rng_.Below(5000000))};
        Attribute(id, object_id, "filename", name, ids, ts, &e);
        e.push_back(',');
        Attribute(id, object_id, "md5", md5, ids, ts, &e);
        e.push_back(',');
        Attribute(id, object_id, "sha1", sha1, ids, ts, &e);
        e.push_back(',');
        Attribute(id, object_id, "sha256", sha256, ids, ts, &e);
        e.push_back(',');
        Attribute(id, object_id, "size-in-bytes", size, false, ts, &e);
      } else {
        Value domain{"domain", "Network activity", ""};
        Domain(rng_, &domain.value);
        Value ip{"ip-dst", "Network activity", ""};
        Ip(rng_, &ip.value);
        Attribute(id, object_id, "domain", domain, ids, ts, &e);
        e.push_back(',');
        Attribute(id, object_id, "ip", ip, ids, ts, &e);
      }
      e.append("]}");
      previous = uuid;
    }
    e.append("],\"Tag\":[{\"id\":\"2\",\"name\":\"");
    e.append(rng_.Chance(70) ? "tlp:green" : "tlp:amber");
    e.append(
        "\",\"colour\":\"#33FF00\",\"exportable\":true,\"hide_tag\":false},{\"id\":\"7\","
        "\"name\":\"osint:source-type=\\\"blog-post\\\"\",\"colour\":\"#00223b\","
        "\"exportable\":true,\"hide_tag\":false}]}}");
    Emit(e);
  }

  const MispGenOptions& options_;
  const std::function<void(std::string_view)>& write_;
  Rng rng_;
  MispGenStats stats_;
  uint64_t attribute_id_ = 0;
  uint64_t object_id_ = 0;
};

}  // namespace

MispGenStats GenerateMispEvents(const MispGenOptions& options,
                                const std::function<void(std::string_view)>& write) {
  return Generator(options, write).Run();
}

std::string GenerateMispEventsString(const MispGenOptions& options, MispGenStats* stats) {
  std::string out;
  out.reserve(options.target_bytes + (size_t{1} << 20));
  std::function<void(std::string_view)> write = [&](std::string_view s) { out.append(s); };
  MispGenStats s = GenerateMispEvents(options, write);
  if (stats != nullptr) *stats = s;
  return out;
}

}  // namespace tessera::bench
