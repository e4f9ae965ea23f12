// The feed tables: one FeedSpec per JSON feed the generic reader reads.
// docs/formats/jsonfeeds.md has the same mapping as tables.
#include <cctype>
#include <string>

#include "formats/jsonfeeds/feed_spec.h"

namespace tessera::formats::jsonfeeds {

using core::Json;
using normalize::Kind;

namespace {

constexpr Side kSrc = Side::kSource;
constexpr Side kDst = Side::kDestination;

FieldRule Obs(std::string_view path, ValueKind value_kind, Side side = kSrc, uint8_t flags = 0) {
  return FieldRule{path, Target::kObservable, value_kind, Kind::kDomain, side, flags};
}
FieldRule Obs(std::string_view path, Kind kind, Side side = kSrc, uint8_t flags = 0) {
  return FieldRule{path, Target::kObservable, ValueKind::kFixed, kind, side, flags};
}
FieldRule Field(std::string_view path, Target target, uint8_t flags = 0) {
  return FieldRule{path, target, ValueKind::kFixed, Kind::kDomain, kSrc, flags};
}

// IntelMQ's harmonized field names (its own JSON events, CZ.NIC PROKI data).
std::vector<FieldRule> IntelMqRules() {
  std::vector<FieldRule> rules;
  for (Side side : {kSrc, kDst}) {
    bool s = side == kSrc;
    uint8_t indicate = s ? kIndicate : 0;
    rules.push_back(Obs(s ? "source.url" : "destination.url", Kind::kUrl, side, indicate));
    rules.push_back(Obs(s ? "source.fqdn" : "destination.fqdn", Kind::kDomain, side, indicate));
    rules.push_back(Obs(s ? "source.ip" : "destination.ip", ValueKind::kIp, side, indicate));
    rules.push_back(Obs(s ? "source.network" : "destination.network", ValueKind::kNetwork, side));
    rules.push_back(Obs(s ? "source.asn" : "destination.asn", ValueKind::kAsn, side));
    rules.push_back(Obs(s ? "source.reverse_dns" : "destination.reverse_dns", Kind::kDomain, side));
    rules.push_back(Field(s ? "source.port" : "destination.port",
                          s ? Target::kSourcePort : Target::kDestinationPort));
  }
  rules.push_back(Obs("malware.hash.md5", Kind::kMd5, kSrc, kIndicate));
  rules.push_back(Obs("malware.hash.sha1", Kind::kSha1, kSrc, kIndicate));
  rules.push_back(Obs("malware.hash.sha256", Kind::kSha256, kSrc, kIndicate));
  rules.push_back(Field("malware.name", Target::kMalware));
  rules.push_back(Field("time.source", Target::kFirstSeen));
  rules.push_back(Field("tlp", Target::kTlp));
  rules.push_back(Field("event_description.text", Target::kDescription));
  rules.push_back(Field("event_description.url", Target::kReference));
  rules.push_back(Field("protocol.transport", Target::kTransport));
  rules.push_back(Field("classification.type", Target::kClassification, kAlsoKeep));
  return rules;
}

// AnubisNetworks Cyberfeed: the URL the infected host asked for, and the
// network of its address from the geolocation block.
void AnubisHook(const Json& entry, FeedEvent* event, std::vector<std::string>* consumed) {
  const Json* comm = entry.Find("comm");
  const Json* http = comm != nullptr ? comm->Find("http") : nullptr;
  const Json* host = http != nullptr ? http->Find("host") : nullptr;
  const Json* path = http != nullptr ? http->Find("path") : nullptr;
  if (host != nullptr && host->is_string() && path != nullptr && path->is_string()) {
    std::string scheme = "http";
    if (const Json* proto = entry.Find("app_proto");
        proto != nullptr && proto->is_string() && proto->as_string() == "https") {
      scheme = "https";
    }
    EventObservable url;
    url.kind = Kind::kUrl;
    url.raw = scheme + "://" + host->as_string() + path->as_string();
    url.pointer = "/comm/http/path";
    url.side = kDst;
    event->observables.push_back(std::move(url));
  }
  const Json* geo = entry.Find("_geo_src_ip");
  if (geo != nullptr && geo->is_object()) {
    const Json* ip = geo->Find("ip");
    const Json* mask = geo->Find("netmask");
    int64_t bits = 0;
    if (ip != nullptr && ip->is_string() && mask != nullptr && mask->GetInt64(&bits)) {
      EventObservable network;
      network.value_kind = ValueKind::kNetwork;
      network.raw = ip->as_string() + "/" + std::to_string(bits);
      network.pointer = "/_geo_src_ip/netmask";
      event->observables.push_back(std::move(network));
      consumed->push_back("/_geo_src_ip/ip");
    }
  }
}

// n6: blocklist updates ("bl-new", "bl-update", ...) list bad things whatever
// their category.
void N6Hook(const Json& entry, FeedEvent* event, std::vector<std::string>*) {
  const Json* type = entry.Find("type");
  if (type != nullptr && type->is_string() && type->as_string().rfind("bl", 0) == 0) {
    event->classification = "blacklist";
  }
}

// ThreatFox: the IOC's page.
void ThreatFoxHook(const Json&, FeedEvent* event, std::vector<std::string>*) {
  if (event->self_link.empty() && !event->source_id.empty()) {
    event->self_link = "https://threatfox.abuse.ch/ioc/" + event->source_id + "/";
  }
}

std::vector<FeedSpec> Build() {
  return {
      {
          .name = "threatfox",
          .description =
              "ThreatFox IOCs: API answers ({\"query_status\", \"data\": [...]}) and JSON exports",
          .shape = FeedShape({"data"}, {"query_status"}, /*id_keyed=*/true),
          .classification = "c2-server",
          .rules =
              {
                  Field("ioc", Target::kIocValue, kRequired),
                  Field("ioc_value", Target::kIocValue, kRequired),
                  Field("ioc_type", Target::kIocType),
                  Field("id", Target::kId),
                  Field("threat_type", Target::kClassification, kAlsoKeep),
                  Field("malware_printable", Target::kMalware),
                  Field("malware_alias", Target::kMalwareAlias),
                  Field("malware_malpedia", Target::kMalwareLink),
                  Field("confidence_level", Target::kConfidence),
                  Field("first_seen", Target::kFirstSeen),
                  Field("first_seen_utc", Target::kFirstSeen),
                  Field("last_seen", Target::kLastSeen),
                  Field("last_seen_utc", Target::kLastSeen),
                  Field("reference", Target::kReference),
                  Field("tags", Target::kTags, kSplit),
              },
          .classifications = {{"botnet_cc", "c2-server"},
                              {"payload_delivery", "malware-distribution"},
                              {"payload", "malware-distribution"},
                              {"cc_skimming", "malware-distribution"}},
          .ioc_types = {{"ip:port", ValueKind::kIpPort, Kind::kIpv4},
                        {"domain", ValueKind::kFixed, Kind::kDomain},
                        {"url", ValueKind::kFixed, Kind::kUrl},
                        {"md5_hash", ValueKind::kFixed, Kind::kMd5},
                        {"sha1_hash", ValueKind::kFixed, Kind::kSha1},
                        {"sha256_hash", ValueKind::kFixed, Kind::kSha256}},
          .detect_keys = {{"ioc_type", "threat_type"}, {"ioc_value", "ioc_type"}},
          .detect_score = 85,
          .detect_reason = "ThreatFox keys \"ioc_type\" and \"threat_type\"",
          .hook = ThreatFoxHook,
      },
      {
          .name = "urlhaus-json",
          .description =
              "URLhaus API answers (urls, payloads, url/host/payload queries) and JSON exports",
          .shape = FeedShape({"urls", "payloads"}, {"query_status"}, /*id_keyed=*/true),
          .classification = "malware-distribution",
          .rules =
              {
                  Obs("url", Kind::kUrl, kSrc, kIndicate),
                  Obs("host", ValueKind::kHost),
                  Obs("md5_hash", Kind::kMd5, kSrc, kIndicate),
                  Obs("sha256_hash", Kind::kSha256, kSrc, kIndicate),
                  Obs("response_md5", Kind::kMd5, kSrc, kIndicate),
                  Obs("response_sha256", Kind::kSha256, kSrc, kIndicate),
                  Obs("ssdeep", Kind::kSsdeep),
                  Obs("tlsh", Kind::kTlsh),
                  Obs("payloads/*/response_md5", Kind::kMd5),
                  Obs("payloads/*/response_sha256", Kind::kSha256),
                  Field("payloads/*/signature", Target::kMalware),
                  Obs("urls/*/url", Kind::kUrl, kSrc, kIndicate),
                  Field("id", Target::kId),
                  Field("urlhaus_reference", Target::kSelfLink),
                  Field("urlhaus_link", Target::kSelfLink),
                  Field("date_added", Target::kFirstSeen),
                  Field("dateadded", Target::kFirstSeen),
                  Field("firstseen", Target::kFirstSeen),
                  Field("lastseen", Target::kLastSeen),
                  Field("last_online", Target::kLastSeen),
                  Field("signature", Target::kMalware),
                  Field("threat", Target::kClassification, kAlsoKeep),
                  Field("tags", Target::kTags),
              },
          .classifications = {{"malware_download", "malware-distribution"}},
          .detect_keys = {{"urlhaus_reference"},
                          {"urlhaus_link"},
                          {"urlhaus_download"},
                          {"url_status", "threat", "dateadded"}},
          .detect_score = 85,
          .detect_reason =
              "URLhaus keys (\"urlhaus_reference\", \"urlhaus_download\", \"url_status\")",
      },
      {
          .name = "feodotracker",
          .description = "abuse.ch Feodo Tracker JSON IP blocklist (botnet C2 servers)",
          .classification = "c2-server",
          .rules =
              {
                  Obs("ip_address", ValueKind::kIp, kSrc, kIndicate | kRequired),
                  Field("port", Target::kSourcePort),
                  Obs("hostname", Kind::kDomain),
                  Obs("as_number", ValueKind::kAsn),
                  Field("malware", Target::kMalware),
                  Field("first_seen", Target::kFirstSeen),
                  Field("last_online", Target::kLastSeen),
              },
          .detect_keys = {{"ip_address", "as_number", "last_online"}},
          .detect_score = 85,
          .detect_reason = "Feodo Tracker keys \"ip_address\", \"as_number\", \"last_online\"",
      },
      {
          .name = "phishtank",
          .description = "PhishTank JSON database of verified phishing URLs",
          .classification = "phishing",
          .rules =
              {
                  Obs("url", Kind::kUrl, kSrc, kIndicate | kRequired),
                  Field("phish_id", Target::kId),
                  Field("phish_detail_url", Target::kSelfLink),
                  Field("submission_time", Target::kFirstSeen),
                  Obs("details/*/ip_address", ValueKind::kIp),
                  Obs("details/*/cidr_block", ValueKind::kNetwork),
                  Obs("details/*/announcing_network", ValueKind::kAsn),
              },
          .detect_keys = {{"phish_id", "phish_detail_url"}},
          .detect_score = 90,
          .detect_reason = "PhishTank keys \"phish_id\" and \"phish_detail_url\"",
      },
      {
          .name = "blueliv-crimeserver",
          .description = "Blueliv Crimeserver JSON (malware, phishing, C2 servers, TOR nodes)",
          .classification = "malware-distribution",
          .rules =
              {
                  Obs("url", ValueKind::kUrlOrHost, kSrc, kIndicate | kRequired),
                  Obs("ip", ValueKind::kIp),
                  Field("firstSeenAt", Target::kFirstSeen),
                  Field("lastSeenAt", Target::kLastSeen),
                  Field("type", Target::kClassification, kAlsoKeep),
              },
          .classifications = {{"MALWARE", "malware-distribution"},
                              {"PHISHING", "phishing"},
                              {"C_AND_C", "c2-server"},
                              {"BACKDOOR", "c2-server"},
                              {"EXPLOIT_KIT", "exploit"},
                              {"TOR_IP", "proxy"}},
          .detect_keys = {{"firstSeenAt", "lastSeenAt", "updatedAt"}},
          .detect_score = 80,
          .detect_reason = "Blueliv keys \"firstSeenAt\", \"lastSeenAt\", \"updatedAt\"",
      },
      {
          .name = "eset-eti",
          .description = "ESET Threat Intelligence JSON domain and URL feeds",
          .classification = "malware-distribution",
          .rules =
              {
                  Obs("domain", Kind::kDomain, kSrc, kIndicate),
                  Obs("url", Kind::kUrl, kSrc, kIndicate),
                  Obs("ip", ValueKind::kIp),
                  Field("first_seen", Target::kFirstSeen),
                  Field("last_seen", Target::kLastSeen),
                  Field("valid_to", Target::kValidUntil),
                  Field("reason", Target::kDescription),
                  Field("confidence", Target::kConfidenceWord),
              },
          .detect_keys = {{"downloaded_detection", "opener_detection"}},
          .detect_score = 85,
          .detect_reason = "ESET ETI keys \"downloaded_detection\" and \"opener_detection\"",
      },
      {
          .name = "microsoft-bingmurls",
          .description = "Microsoft Interflow Bing malicious URLs JSON",
          .classification = "blacklist",
          .rules =
              {
                  Obs("Url", Kind::kUrl, kSrc, kIndicate | kRequired),
                  Obs("NetworkDestinationIPv4", ValueKind::kIp),
                  Obs("NetworkDestinationAsn", ValueKind::kAsn),
                  Field("NetworkDestinationPort", Target::kSourcePort),
                  Field("FirstReportedDateTime", Target::kFirstSeen),
                  Field("LastReportedDateTime", Target::kLastSeen),
                  Field("IndicatorExpirationDateTime", Target::kValidUntil),
                  Field("TLPLevel", Target::kTlp),
                  Field("Description", Target::kDescription),
                  Field("IndicatorThreatType", Target::kClassification, kAlsoKeep),
              },
          .classifications = {{"MaliciousUrl", "blacklist"}},
          .detect_keys = {{"IndicatorThreatType", "IndicatorProvider"}},
          .detect_score = 85,
          .detect_reason =
              "Microsoft Interflow keys \"IndicatorThreatType\", \"IndicatorProvider\"",
      },
      {
          .name = "microsoft-ctip",
          .description = "Microsoft CTIP (Interflow) infected-system JSON",
          .classification = "infected-system",
          .rules =
              {
                  Obs("networksourceipv4", ValueKind::kIp, kSrc, kRequired),
                  Field("networksourceport", Target::kSourcePort),
                  Obs("networksourceasn", ValueKind::kAsn),
                  Obs("networkdestinationipv4", ValueKind::kIp, kDst, kSplit),
                  Field("networkdestinationport", Target::kDestinationPort),
                  Obs("hostname", ValueKind::kHost, kDst),
                  Field("firstreporteddatetime", Target::kFirstSeen),
                  Field("indicatorexpirationdatetime", Target::kValidUntil),
                  Field("tlplevel", Target::kTlp),
                  Field("confidence", Target::kConfidence),
                  Field("externalid", Target::kMalware),
                  Field("description", Target::kDescription),
              },
          .detect_keys = {{"indicatorthreattype", "networksourceipv4"}},
          .detect_score = 85,
          .detect_reason = "Microsoft CTIP keys \"indicatorthreattype\", \"networksourceipv4\"",
      },
      {
          .name = "n6",
          .description = "CERT Polska n6 JSON events (STOMP stream or REST)",
          .classification = "other",
          .rules =
              {
                  Obs("address/*/ip", ValueKind::kIp, kSrc, kIndicate),
                  Obs("address/*/asn", ValueKind::kAsn),
                  Obs("fqdn", Kind::kDomain, kSrc, kIndicate),
                  Obs("url", Kind::kUrl, kSrc, kIndicate),
                  Obs("md5", Kind::kMd5, kSrc, kIndicate),
                  Obs("sha1", Kind::kSha1, kSrc, kIndicate),
                  Obs("sha256", Kind::kSha256, kSrc, kIndicate),
                  Field("name", Target::kMalware),
                  Field("time", Target::kFirstSeen),
                  Field("expires", Target::kValidUntil),
                  Field("id", Target::kId),
                  Field("confidence", Target::kConfidenceWord),
                  Field("sport", Target::kSourcePort),
                  Field("dport", Target::kDestinationPort),
                  Field("proto", Target::kTransport),
                  Field("category", Target::kClassification, kAlsoKeep),
              },
          .classifications = {{"bots", "infected-system"},
                              {"cnc", "c2-server"},
                              {"malurl", "malware-distribution"},
                              {"phish", "phishing"},
                              {"scanning", "scanner"},
                              {"spam", "spam"},
                              {"amplifier", "vulnerable-system"},
                              {"vulnerable", "vulnerable-system"},
                              {"proxy", "proxy"},
                              {"tor", "proxy"},
                              {"server-exploit", "exploit"},
                              {"dos-attacker", "ddos"},
                              {"dos-victim", "ddos"},
                              {"backdoor", "system-compromise"}},
          .detect_keys = {{"category", "confidence", "source", "time", "type", "id"}},
          .detect_score = 60,
          .detect_reason =
              "n6 keys \"category\", \"confidence\", \"source\", \"time\", \"type\", \"id\"",
          .hook = N6Hook,
      },
      {
          .name = "anubisnetworks",
          .description = "AnubisNetworks Cyberfeed JSON stream (sinkholed infections)",
          .classification = "infected-system",
          .rules =
              {
                  Obs("src/ip", ValueKind::kIp, kSrc, kRequired),
                  Field("src/port", Target::kSourcePort),
                  Obs("dst/ip", ValueKind::kIp, kDst),
                  Field("dst/port", Target::kDestinationPort),
                  Obs("comm/http/host", ValueKind::kHost, kDst),
                  Obs("_geo_src_ip/asn", ValueKind::kAsn),
                  Field("_ts", Target::kFirstSeen),
                  Field("malw/family", Target::kMalware),
              },
          .detect_keys = {{"_geo_src_ip"}, {"_origin", "malw"}},
          .detect_score = 85,
          .detect_reason = "AnubisNetworks keys \"_geo_src_ip\" or \"_origin\" and \"malw\"",
          .hook = AnubisHook,
      },
      {
          .name = "shodan",
          .description = "Shodan banners JSON (stream and download lines)",
          .classification = "other",
          .rules =
              {
                  Obs("ip_str", ValueKind::kIp, kSrc, kRequired),
                  Field("port", Target::kSourcePort),
                  Field("transport", Target::kTransport),
                  Obs("hostnames", Kind::kDomain),
                  Obs("domains", Kind::kDomain),
                  Obs("asn", ValueKind::kAsn),
                  Field("timestamp", Target::kFirstSeen),
                  Field("tags", Target::kTags),
              },
          .detect_keys = {{"_shodan", "ip_str"}},
          .detect_score = 90,
          .detect_reason = "Shodan keys \"_shodan\" and \"ip_str\"",
      },
      {
          .name = "cznic-proki",
          .description = "CZ.NIC PROKI JSON ({\"status\", \"data\": [IntelMQ events]})",
          .shape = FeedShape({"data"}, {"status", "message"}),
          .classification = "other",
          .rules = IntelMqRules(),
          .detect_keys = {{"status", "message", "data", "classification.type"}},
          .detect_score = 85,
          .detect_reason = "a {\"status\", \"message\", \"data\"} answer holding IntelMQ events",
      },
      {
          .name = "intelmq-json",
          .description = "IntelMQ events as JSON (one document, an array, or JSON lines)",
          .classification = "other",
          .rules = IntelMqRules(),
          .detect_keys = {{"__type", "classification.type"},
                          {"classification.type", "feed.name"},
                          {"classification.type", "source.ip"}},
          .detect_score = 75,
          .detect_reason =
              "IntelMQ harmonized keys (\"classification.type\", \"__type\", \"feed.name\")",
      },
  };
}

}  // namespace

const std::vector<FeedSpec>& FeedSpecs() {
  static const std::vector<FeedSpec> kSpecs = Build();
  return kSpecs;
}

}  // namespace tessera::formats::jsonfeeds
