#include "stix_gen.h"

#include <array>
#include <cstdio>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/uuid.h"
#include "stix/ids.h"

namespace tessera::bench {
namespace {

using core::Json;

// splitmix64: tiny, fast and identical on every platform (unlike std:: distributions).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<size_t>(hi - lo + 1))); }
  bool Percent(int p) { return static_cast<int>(Below(100)) < p; }
  template <typename T, size_t N>
  const T& Pick(const std::array<T, N>& a) { return a[Below(N)]; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 64> kWords = {
    "the", "actor", "campaign", "observed", "payload", "loader", "beacon", "credential",
    "phishing", "lateral", "movement", "exfiltration", "infrastructure", "domain", "server",
    "victim", "sector", "energy", "finance", "government", "ransomware", "backdoor",
    "persistence", "registry", "scheduled", "task", "PowerShell", "macro", "document",
    "exploit", "CVE", "vulnerability", "patch", "network", "traffic", "TLS", "certificate",
    "HTTP", "POST", "request", "encoded", "base64", "XOR", "key", "and", "of", "to", "with",
    "from", "in", "was", "has", "been", "uses", "targets", "deploys", "après", "Überwachung",
    "наблюдение", "攻撃", "\"quoted\"", "path\\to\\file", "line\nbreak", "tab\there"};

constexpr std::array<std::string_view, 8> kTlpIds = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",  // white
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",  // green
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",  // amber
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",  // red
    "", "", "", ""};
constexpr std::array<std::string_view, 4> kTlpNames = {"white", "green", "amber", "red"};

constexpr std::array<std::string_view, 7> kIndicatorTypes = {
    "malicious-activity", "anomalous-activity", "attribution", "compromised", "benign",
    "anonymization", "unknown"};
constexpr std::array<std::string_view, 9> kMalwareTypes = {
    "ransomware", "backdoor", "trojan", "dropper", "downloader", "remote-access-trojan",
    "spyware", "keylogger", "worm"};
constexpr std::array<std::string_view, 6> kActorTypes = {
    "nation-state", "crime-syndicate", "hacker", "insider-disgruntled", "activist", "spy"};
constexpr std::array<std::string_view, 8> kSectors = {
    "energy", "financial-services", "government", "healthcare", "technology",
    "telecommunications", "defense", "education"};
constexpr std::array<std::string_view, 6> kPhases = {
    "initial-access", "execution", "persistence", "privilege-escalation", "command-and-control",
    "exfiltration"};
constexpr std::array<std::string_view, 6> kRelTypes = {
    "indicates", "uses", "targets", "attributed-to", "related-to", "delivers"};
constexpr std::array<std::string_view, 8> kTlds = {"com", "net", "org", "ru", "cn", "io", "xyz",
                                                   "info"};

std::string Hex(Rng& rng, size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digits);
  while (out.size() < digits) {
    uint64_t v = rng.Next();
    for (int i = 0; i < 16 && out.size() < digits; ++i, v >>= 4) out.push_back(kHex[v & 15]);
  }
  return out;
}

std::string UuidV4(Rng& rng) {
  core::Uuid u;
  for (size_t i = 0; i < 16; i += 8) {
    uint64_t v = rng.Next();
    for (size_t j = 0; j < 8; ++j) u.bytes[i + j] = static_cast<uint8_t>(v >> (8 * j));
  }
  u.bytes[6] = static_cast<uint8_t>((u.bytes[6] & 0x0F) | 0x40);
  u.bytes[8] = static_cast<uint8_t>((u.bytes[8] & 0x3F) | 0x80);
  return u.ToString();
}

std::string Timestamp(Rng& rng, int year_lo = 2015, int year_hi = 2024) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", rng.Range(year_lo, year_hi),
                rng.Range(1, 12), rng.Range(1, 28), rng.Range(0, 23), rng.Range(0, 59),
                rng.Range(0, 59), rng.Range(0, 999));
  return buf;
}

std::string Words(Rng& rng, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += (rng.Percent(8) ? ". " : " ");
    out += rng.Pick(kWords);
  }
  return out;
}

// Description lengths: none, short, medium, long (a few KB), roughly as in real feeds.
void MaybeDescription(Rng& rng, Json* obj) {
  int r = rng.Range(0, 99);
  size_t n = r < 25 ? 0 : r < 65 ? rng.Range(5, 20) : r < 95 ? rng.Range(20, 150) : rng.Range(300, 900);
  if (n > 0) obj->Set("description", Json::String(Words(rng, n)));
}

std::string DomainName(Rng& rng) {
  return std::string(1, static_cast<char>('a' + rng.Below(26))) + Hex(rng, rng.Range(4, 10)) + "." +
         std::string(rng.Pick(kTlds));
}
std::string Ipv4(Rng& rng) {
  return std::to_string(rng.Range(1, 223)) + "." + std::to_string(rng.Range(0, 255)) + "." +
         std::to_string(rng.Range(0, 255)) + "." + std::to_string(rng.Range(1, 254));
}

class Generator {
 public:
  explicit Generator(const GenOptions& options) : options_(options), rng_(options.seed) {}

  std::string Run() {
    out_.reserve(options_.target_bytes + (size_t{1} << 16));
    out_ += "{\"type\":\"bundle\",\"id\":\"bundle--" + UuidV4(rng_) + "\",\"objects\":[";
    for (size_t i = 0; i < 4; ++i) Emit(TlpMarking(i));
    for (int i = 0; i < 20; ++i) Emit(Identity());
    while (out_.size() < options_.target_bytes) Round();
    out_ += "\n]}\n";
    return std::move(out_);
  }

 private:
  // Common SDO/SRO properties, in the order producers usually write them.
  Json Sdo(std::string_view type) {
    Json o = Json::MakeObject();
    std::string id = std::string(type) + "--" + UuidV4(rng_);
    o.Set("type", Json::String(std::string(type)));
    o.Set("spec_version", Json::String("2.1"));
    o.Set("id", Json::String(id));
    if (!identities_.empty() && rng_.Percent(80)) {
      o.Set("created_by_ref", Json::String(rng_.Pick(identities_)));
    }
    std::string created = Timestamp(rng_, 2015, 2019);
    o.Set("created", Json::String(created));
    o.Set("modified", Json::String(rng_.Percent(60) ? created : Timestamp(rng_, 2020, 2024)));
    if (rng_.Percent(30)) o.Set("revoked", Json::Bool(false));
    if (rng_.Percent(20)) o.Set("confidence", Json::Int(rng_.Range(0, 100)));
    if (rng_.Percent(15)) o.Set("lang", Json::String("en"));
    if (rng_.Percent(60)) {
      o.Set("object_marking_refs",
            Json::MakeArray({Json::String(std::string(kTlpIds[rng_.Below(4)]))}));
    }
    return o;
  }

  void Finish(Json* o) {
    if (rng_.Percent(40)) {
      Json::Array refs;
      int n = rng_.Range(1, 4);
      for (int i = 0; i < n; ++i) {
        Json ref = Json::MakeObject();
        ref.Set("source_name", Json::String(i == 0 ? "vendor-report" : "ref-" + Hex(rng_, 4)));
        if (rng_.Percent(70)) {
          ref.Set("url", Json::String("https://intel.example.com/r/" + Hex(rng_, 12)));
        }
        if (rng_.Percent(50)) ref.Set("external_id", Json::String("R-" + std::to_string(rng_.Range(1, 99999))));
        if (!ref.Find("url") && !ref.Find("external_id")) {
          ref.Set("description", Json::String(Words(rng_, rng_.Range(3, 12))));
        }
        if (rng_.Percent(10)) {
          Json h = Json::MakeObject();
          h.Set("SHA-256", Json::String(Hex(rng_, 64)));
          ref.Set("hashes", std::move(h));
        }
        refs.push_back(std::move(ref));
      }
      o->Set("external_references", Json::MakeArray(std::move(refs)));
    }
    if (rng_.Percent(35)) o->Set("x_acme_score", Json::Int(rng_.Range(0, 100)));
    if (rng_.Percent(15)) {
      Json x = Json::MakeObject();
      x.Set("source", Json::String("sensor-" + std::to_string(rng_.Range(1, 40))));
      x.Set("tags", Json::MakeArray({Json::String(std::string(rng_.Pick(kWords))),
                                     Json::String(std::string(rng_.Pick(kWords)))}));
      x.Set("ratio", Json::Double(static_cast<double>(rng_.Range(0, 1000)) / 7.0));
      o->Set("x_acme_context", std::move(x));
    }
    if (rng_.Percent(10)) o->Set("labels", Json::MakeArray({Json::String("acme:" + Hex(rng_, 6))}));
  }

  Json TlpMarking(size_t i) {
    Json o = Json::MakeObject();
    o.Set("type", Json::String("marking-definition"));
    o.Set("spec_version", Json::String("2.1"));
    o.Set("id", Json::String(std::string(kTlpIds[i])));
    o.Set("created", Json::String("2017-01-20T00:00:00.000Z"));
    o.Set("definition_type", Json::String("tlp"));
    o.Set("name", Json::String("TLP:" + std::string(i == 0 ? "WHITE" : i == 1 ? "GREEN" : i == 2 ? "AMBER" : "RED")));
    Json def = Json::MakeObject();
    def.Set("tlp", Json::String(std::string(kTlpNames[i])));
    o.Set("definition", std::move(def));
    return o;
  }

  Json Identity() {
    Json o = Sdo("identity");
    o.Set("name", Json::String("Org " + Hex(rng_, 6)));
    o.Set("identity_class", Json::String(rng_.Percent(80) ? "organization" : "individual"));
    o.Set("sectors", Json::MakeArray({Json::String(std::string(rng_.Pick(kSectors)))}));
    if (rng_.Percent(50)) o.Set("contact_information", Json::String("soc-" + Hex(rng_, 4) + "@example.org"));
    MaybeDescription(rng_, &o);
    identities_.push_back(o.Find("id")->as_string());
    return o;
  }

  // An SCO with its deterministic id (UUIDv5, §2.9); process and friends get a v4.
  Json Sco(Json o) {
    auto id = stix::ComputeScoId(o);
    std::string value = id.ok() && id->deterministic
                            ? id->id
                            : o.Find("type")->as_string() + "--" + UuidV4(rng_);
    Json out = Json::MakeObject();
    out.Set("type", *o.Find("type"));
    out.Set("spec_version", Json::String("2.1"));
    out.Set("id", Json::String(value));
    for (auto& [k, v] : o.as_object()) {
      if (k != "type") out.Set(k, std::move(v));
    }
    scos_.push_back(value);
    return out;
  }

  Json Obj(std::string_view type) {
    Json o = Json::MakeObject();
    o.Set("type", Json::String(std::string(type)));
    return o;
  }

  // One SCO of a random type; `*pattern` gets a matching STIX pattern comparison.
  Json RandomSco(std::string* pattern) {
    int kind = rng_.Range(0, 15);
    switch (kind) {
      case 0:
      case 1: {
        Json o = Obj("ipv4-addr");
        std::string v = Ipv4(rng_);
        *pattern = "[ipv4-addr:value = '" + v + "']";
        o.Set("value", Json::String(v));
        Json s = Sco(std::move(o));
        ipv4_ids_.push_back(s.Find("id")->as_string());
        return s;
      }
      case 2: {
        Json o = Obj("domain-name");
        std::string v = DomainName(rng_);
        *pattern = "[domain-name:value = '" + v + "']";
        o.Set("value", Json::String(v));
        if (!ipv4_ids_.empty() && rng_.Percent(50)) {
          o.Set("resolves_to_refs", Json::MakeArray({Json::String(rng_.Pick(ipv4_ids_))}));
        }
        return Sco(std::move(o));
      }
      case 3: {
        Json o = Obj("url");
        std::string v = "http://" + DomainName(rng_) + "/" + Hex(rng_, rng_.Range(4, 40)) + ".php?id=" +
                        std::to_string(rng_.Range(1, 99999));
        *pattern = "[url:value = '" + v + "']";
        o.Set("value", Json::String(v));
        return Sco(std::move(o));
      }
      case 4:
      case 5: {
        Json o = Obj("file");
        Json h = Json::MakeObject();
        std::string sha256 = Hex(rng_, 64);
        if (rng_.Percent(60)) h.Set("MD5", Json::String(Hex(rng_, 32)));
        if (rng_.Percent(50)) h.Set("SHA-1", Json::String(Hex(rng_, 40)));
        h.Set("SHA-256", Json::String(sha256));
        *pattern = "[file:hashes.'SHA-256' = '" + sha256 + "']";
        o.Set("hashes", std::move(h));
        if (rng_.Percent(70)) o.Set("name", Json::String(Hex(rng_, 8) + (rng_.Percent(50) ? ".exe" : ".dll")));
        if (rng_.Percent(60)) o.Set("size", Json::Int(rng_.Range(1024, 50000000)));
        if (rng_.Percent(10)) {
          Json pe = Json::MakeObject();
          pe.Set("pe_type", Json::String("exe"));
          pe.Set("number_of_sections", Json::Int(rng_.Range(2, 9)));
          Json ext = Json::MakeObject();
          ext.Set("windows-pebinary-ext", std::move(pe));
          o.Set("extensions", std::move(ext));
        }
        return Sco(std::move(o));
      }
      case 6: {
        Json o = Obj("email-addr");
        std::string v = Hex(rng_, 6) + "@" + DomainName(rng_);
        *pattern = "[email-addr:value = '" + v + "']";
        o.Set("value", Json::String(v));
        if (rng_.Percent(40)) o.Set("display_name", Json::String(Words(rng_, 2)));
        return Sco(std::move(o));
      }
      case 7: {
        Json o = Obj("ipv6-addr");
        std::string v = "2001:db8:" + Hex(rng_, 4) + "::" + Hex(rng_, 3);
        *pattern = "[ipv6-addr:value = '" + v + "']";
        o.Set("value", Json::String(v));
        return Sco(std::move(o));
      }
      case 8: {
        Json o = Obj("mutex");
        std::string v = "Global\\" + Hex(rng_, 12);
        *pattern = "[mutex:name = '" + v + "']";
        o.Set("name", Json::String(v));
        return Sco(std::move(o));
      }
      case 9: {
        Json o = Obj("windows-registry-key");
        std::string v = "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\" + Hex(rng_, 6);
        *pattern = "[windows-registry-key:key = '" + v + "']";
        o.Set("key", Json::String(v));
        if (rng_.Percent(50)) {
          Json val = Json::MakeObject();
          val.Set("name", Json::String(Hex(rng_, 5)));
          val.Set("data", Json::String("C:\\Users\\Public\\" + Hex(rng_, 8) + ".exe"));
          val.Set("data_type", Json::String("REG_SZ"));
          o.Set("values", Json::MakeArray({std::move(val)}));
        }
        return Sco(std::move(o));
      }
      case 10: {
        Json o = Obj("network-traffic");
        *pattern = "[network-traffic:dst_port = " + std::to_string(rng_.Range(1, 65535)) + "]";
        if (ipv4_ids_.empty()) RandomScoIpv4Only();
        o.Set("dst_ref", Json::String(rng_.Pick(ipv4_ids_)));
        if (rng_.Percent(50)) o.Set("src_ref", Json::String(rng_.Pick(ipv4_ids_)));
        o.Set("dst_port", Json::Int(rng_.Percent(50) ? 443 : rng_.Range(1, 65535)));
        o.Set("protocols", Json::MakeArray({Json::String("ipv4"), Json::String("tcp")}));
        if (rng_.Percent(30)) o.Set("dst_byte_count", Json::Int(rng_.Range(100, 10000000)));
        return Sco(std::move(o));
      }
      case 11: {
        Json o = Obj("autonomous-system");
        int n = rng_.Range(1, 400000);
        *pattern = "[autonomous-system:number = " + std::to_string(n) + "]";
        o.Set("number", Json::Int(n));
        o.Set("name", Json::String("AS-" + Hex(rng_, 6)));
        return Sco(std::move(o));
      }
      case 12: {
        Json o = Obj("user-account");
        std::string v = "u" + Hex(rng_, 7);
        *pattern = "[user-account:account_login = '" + v + "']";
        o.Set("user_id", Json::String(std::to_string(rng_.Range(1000, 60000))));
        o.Set("account_login", Json::String(v));
        o.Set("account_type", Json::String(rng_.Percent(50) ? "unix" : "windows-local"));
        return Sco(std::move(o));
      }
      case 13: {
        Json o = Obj("software");
        std::string v = "Tool" + Hex(rng_, 4);
        *pattern = "[software:name = '" + v + "']";
        o.Set("name", Json::String(v));
        o.Set("vendor", Json::String("Vendor " + Hex(rng_, 3)));
        o.Set("version", Json::String(std::to_string(rng_.Range(1, 12)) + "." + std::to_string(rng_.Range(0, 30))));
        return Sco(std::move(o));
      }
      case 14: {
        Json o = Obj("process");
        *pattern = "[process:name = 'svchost.exe']";
        o.Set("pid", Json::Int(rng_.Range(4, 65000)));
        o.Set("command_line", Json::String("C:\\Windows\\System32\\svchost.exe -k " + Hex(rng_, 8)));
        return Sco(std::move(o));
      }
      default: {
        Json o = Obj("x509-certificate");
        std::string serial = Hex(rng_, 32);
        *pattern = "[x509-certificate:serial_number = '" + serial + "']";
        o.Set("serial_number", Json::String(serial));
        o.Set("issuer", Json::String("C=US, O=Example CA, CN=" + DomainName(rng_)));
        o.Set("subject", Json::String("CN=" + DomainName(rng_)));
        Json h = Json::MakeObject();
        h.Set("SHA-256", Json::String(Hex(rng_, 64)));
        o.Set("hashes", std::move(h));
        return Sco(std::move(o));
      }
    }
  }

  void RandomScoIpv4Only() {
    Json o = Obj("ipv4-addr");
    o.Set("value", Json::String(Ipv4(rng_)));
    Json s = Sco(std::move(o));
    ipv4_ids_.push_back(s.Find("id")->as_string());
    Emit(std::move(s));
  }

  Json Indicator(const std::string& pattern) {
    Json o = Sdo("indicator");
    o.Set("name", Json::String("Indicator " + Hex(rng_, 6)));
    MaybeDescription(rng_, &o);
    o.Set("indicator_types", Json::MakeArray({Json::String(std::string(rng_.Pick(kIndicatorTypes)))}));
    o.Set("pattern", Json::String(pattern));
    o.Set("pattern_type", Json::String("stix"));
    o.Set("pattern_version", Json::String("2.1"));
    o.Set("valid_from", Json::String(Timestamp(rng_, 2015, 2019)));
    if (rng_.Percent(40)) o.Set("valid_until", Json::String(Timestamp(rng_, 2025, 2027)));
    if (rng_.Percent(50)) {
      Json phase = Json::MakeObject();
      phase.Set("kill_chain_name", Json::String("mitre-attack"));
      phase.Set("phase_name", Json::String(std::string(rng_.Pick(kPhases))));
      o.Set("kill_chain_phases", Json::MakeArray({std::move(phase)}));
    }
    Finish(&o);
    indicators_.push_back(o.Find("id")->as_string());
    return o;
  }

  Json Named(std::string_view type, std::vector<std::string>* pool) {
    Json o = Sdo(type);
    o.Set("name", Json::String(std::string(rng_.Pick(kWords)) + " " + Hex(rng_, 5)));
    MaybeDescription(rng_, &o);
    if (type == "malware") {
      o.Set("malware_types", Json::MakeArray({Json::String(std::string(rng_.Pick(kMalwareTypes)))}));
      o.Set("is_family", Json::Bool(rng_.Percent(70)));
      if (rng_.Percent(30)) o.Set("implementation_languages", Json::MakeArray({Json::String("c++")}));
    } else if (type == "threat-actor") {
      o.Set("threat_actor_types", Json::MakeArray({Json::String(std::string(rng_.Pick(kActorTypes)))}));
      o.Set("aliases", Json::MakeArray({Json::String("APT" + std::to_string(rng_.Range(1, 99))),
                                        Json::String(Hex(rng_, 6))}));
      o.Set("first_seen", Json::String(Timestamp(rng_, 2010, 2014)));
      o.Set("sophistication", Json::String("advanced"));
      o.Set("resource_level", Json::String("government"));
      o.Set("primary_motivation", Json::String("organizational-gain"));
    } else if (type == "intrusion-set" || type == "campaign") {
      o.Set("aliases", Json::MakeArray({Json::String(Hex(rng_, 8))}));
      o.Set("first_seen", Json::String(Timestamp(rng_, 2010, 2014)));
      o.Set("last_seen", Json::String(Timestamp(rng_, 2020, 2024)));
    } else if (type == "attack-pattern") {
      Json phase = Json::MakeObject();
      phase.Set("kill_chain_name", Json::String("mitre-attack"));
      phase.Set("phase_name", Json::String(std::string(rng_.Pick(kPhases))));
      o.Set("kill_chain_phases", Json::MakeArray({std::move(phase)}));
      o.Set("x_mitre_platforms", Json::MakeArray({Json::String("Windows"), Json::String("Linux")}));
    } else if (type == "vulnerability") {
      Json ref = Json::MakeObject();
      ref.Set("source_name", Json::String("cve"));
      ref.Set("external_id", Json::String("CVE-" + std::to_string(rng_.Range(2010, 2024)) + "-" +
                                          std::to_string(rng_.Range(1000, 49999))));
      o.Set("external_references", Json::MakeArray({std::move(ref)}));
    }
    if (type != "vulnerability") Finish(&o);
    pool->push_back(o.Find("id")->as_string());
    return o;
  }

  Json Relationship(const std::string& source, const std::string& target) {
    Json o = Sdo("relationship");
    o.Set("relationship_type", Json::String(std::string(rng_.Pick(kRelTypes))));
    o.Set("source_ref", Json::String(source));
    o.Set("target_ref", Json::String(target));
    if (rng_.Percent(20)) MaybeDescription(rng_, &o);
    if (rng_.Percent(20)) o.Set("start_time", Json::String(Timestamp(rng_, 2015, 2017)));
    return o;
  }

  Json Sighting() {
    Json o = Sdo("sighting");
    o.Set("sighting_of_ref", Json::String(rng_.Pick(indicators_)));
    o.Set("first_seen", Json::String(Timestamp(rng_, 2015, 2019)));
    o.Set("count", Json::Int(rng_.Range(1, 500)));
    o.Set("where_sighted_refs", Json::MakeArray({Json::String(rng_.Pick(identities_))}));
    if (!observed_.empty() && rng_.Percent(50)) {
      o.Set("observed_data_refs", Json::MakeArray({Json::String(rng_.Pick(observed_))}));
    }
    return o;
  }

  Json ObservedData() {
    Json o = Sdo("observed-data");
    o.Set("first_observed", Json::String(Timestamp(rng_, 2015, 2017)));
    o.Set("last_observed", Json::String(Timestamp(rng_, 2018, 2019)));
    o.Set("number_observed", Json::Int(rng_.Range(1, 1000)));
    Json::Array refs;
    int n = rng_.Range(1, 5);
    for (int i = 0; i < n; ++i) refs.push_back(Json::String(rng_.Pick(scos_)));
    o.Set("object_refs", Json::MakeArray(std::move(refs)));
    observed_.push_back(o.Find("id")->as_string());
    return o;
  }

  Json Report() {
    Json o = Sdo("report");
    o.Set("name", Json::String("Report " + Words(rng_, 4)));
    MaybeDescription(rng_, &o);
    o.Set("report_types", Json::MakeArray({Json::String("threat-report")}));
    o.Set("published", Json::String(Timestamp(rng_, 2020, 2024)));
    Json::Array refs;
    int n = rng_.Range(5, 60);
    for (int i = 0; i < n; ++i) {
      refs.push_back(Json::String(rng_.Percent(50) ? rng_.Pick(indicators_) : rng_.Pick(scos_)));
    }
    o.Set("object_refs", Json::MakeArray(std::move(refs)));
    Finish(&o);
    return o;
  }

  Json Note() {
    Json o = Sdo("note");
    o.Set("abstract", Json::String(Words(rng_, 6)));
    o.Set("content", Json::String(Words(rng_, rng_.Range(10, 200))));
    o.Set("authors", Json::MakeArray({Json::String("analyst " + Hex(rng_, 3))}));
    o.Set("object_refs", Json::MakeArray({Json::String(rng_.Pick(indicators_))}));
    return o;
  }

  // About 10 objects, in the proportions of a typical intel feed.
  void Round() {
    if (malware_.empty() || rng_.Percent(25)) Emit(Named("malware", &malware_));
    if (actors_.empty() || rng_.Percent(10)) Emit(Named("threat-actor", &actors_));
    if (rng_.Percent(8)) Emit(Named("intrusion-set", &actors_));
    if (rng_.Percent(6)) Emit(Named("campaign", &actors_));
    if (rng_.Percent(12)) Emit(Named("attack-pattern", &attack_patterns_));
    if (rng_.Percent(6)) Emit(Named("vulnerability", &attack_patterns_));
    if (rng_.Percent(3)) Emit(Identity());
    int n = rng_.Range(1, 3);
    for (int i = 0; i < n; ++i) {
      std::string pattern;
      Emit(RandomSco(&pattern));
      if (rng_.Percent(70)) {
        Emit(Indicator(pattern));
        Emit(Relationship(indicators_.back(), rng_.Percent(70) ? rng_.Pick(malware_) : rng_.Pick(actors_)));
      }
    }
    if (!attack_patterns_.empty() && rng_.Percent(20)) {
      Emit(Relationship(rng_.Pick(malware_), rng_.Pick(attack_patterns_)));
    }
    if (rng_.Percent(15)) Emit(ObservedData());
    if (!indicators_.empty()) {
      if (rng_.Percent(15)) Emit(Sighting());
      if (rng_.Percent(3)) Emit(Report());
      if (rng_.Percent(3)) Emit(Note());
    }
  }

  void Emit(Json o) {
    // A repeated SCO value gives the same deterministic id: write it once.
    if (!emitted_.insert(o.Find("id")->as_string()).second) return;
    out_ += first_ ? "\n" : ",\n";
    first_ = false;
    if (!options_.pretty) {
      core::WriteJson(o, core::JsonStyle::kCompact, &out_);
      return;
    }
    std::string text = core::WriteJson(o, core::JsonStyle::kPretty);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    out_ += "    ";
    for (char c : text) {
      out_ += c;
      if (c == '\n') out_ += "    ";
    }
  }

  GenOptions options_;
  Rng rng_;
  std::string out_;
  bool first_ = true;
  std::unordered_set<std::string> emitted_;
  std::vector<std::string> identities_, scos_, ipv4_ids_, indicators_, malware_, actors_,
      attack_patterns_, observed_;
};

}  // namespace

std::string GenerateStixBundle(const GenOptions& options) { return Generator(options).Run(); }

}  // namespace tessera::bench
