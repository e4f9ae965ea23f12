#include "formats/xarf/report.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/time.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "normalize/stix_mapping.h"

namespace tessera::formats::xarf {
namespace {

using core::Json;

constexpr int64_t kMaxCount = 999'999'999;  // STIX 2.1 §5.2 / §4.14

Json PartyIdentity(const Party& party, std::string_view timestamp) {
  std::string key = "xarf|" + Lower(party.domain) + "|" + Lower(party.email);
  Json identity = NewObject("identity", DeterministicId("identity", key), timestamp, timestamp);
  std::string name = !party.name.empty() ? party.name : !party.email.empty() ? party.email : party.domain;
  identity.Set("name", Json::String(name));
  if (!party.identity_class.empty()) {
    identity.Set("identity_class", Json::String(party.identity_class));
  }
  if (!party.email.empty()) identity.Set("contact_information", Json::String(party.email));
  if (!party.domain.empty()) {
    KeepSourceFields(&identity, kFormat, Json::MakeObject({{"domain", Json::String(party.domain)}}));
  }
  return identity;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool LeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && LeapYear(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

bool Digits(std::string_view s, size_t min, size_t max) {
  if (s.size() < min || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// RFC 5322 §3.3: "[Thu, ]3 Jul 2008 10:56[:51] +0200" (obsolete zone names and a
// trailing comment accepted).
std::optional<core::Timestamp> ParseMailDate(std::string_view text) {
  if (size_t paren = text.find('('); paren != std::string_view::npos) text = text.substr(0, paren);
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == ',')) ++i;
    size_t b = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ',') ++i;
    if (i > b) tokens.push_back(text.substr(b, i - b));
  }
  if (!tokens.empty() && !tokens[0].empty() && std::isalpha(static_cast<unsigned char>(tokens[0][0]))) {
    tokens.erase(tokens.begin());  // day of week
  }
  if (tokens.size() < 4 || tokens.size() > 5) return std::nullopt;
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (!Digits(tokens[0], 1, 2)) return std::nullopt;
  int day = ToInt(tokens[0]);
  std::string month_name = Lower(tokens[1].substr(0, 3));
  int month = 0;
  for (int m = 0; m < 12; ++m) {
    if (month_name == kMonths[m]) month = m + 1;
  }
  if (month == 0 || tokens[1].size() < 3) return std::nullopt;
  std::string_view year_text = tokens[2];
  if (!Digits(year_text, 2, 4)) return std::nullopt;
  int64_t year = ToInt(year_text);
  if (year_text.size() == 2) year += year < 50 ? 2000 : 1900;
  if (year_text.size() == 3) year += 1900;
  if (day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  std::string_view time = tokens[3];
  if (time.size() != 5 && time.size() != 8) return std::nullopt;
  if (!Digits(time.substr(0, 2), 2, 2) || time[2] != ':' || !Digits(time.substr(3, 2), 2, 2)) {
    return std::nullopt;
  }
  int hour = ToInt(time.substr(0, 2));
  int minute = ToInt(time.substr(3, 2));
  int second = 0;
  if (time.size() == 8) {
    if (time[5] != ':' || !Digits(time.substr(6, 2), 2, 2)) return std::nullopt;
    second = ToInt(time.substr(6, 2));
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  int64_t offset = 0;  // seconds east of UTC
  if (tokens.size() == 5) {
    std::string_view zone = tokens[4];
    if ((zone[0] == '+' || zone[0] == '-') && Digits(zone.substr(1), 4, 4)) {
      int hh = ToInt(zone.substr(1, 2));
      int mm = ToInt(zone.substr(3, 2));
      if (hh > 23 || mm > 59) return std::nullopt;
      offset = (hh * 3600 + mm * 60) * (zone[0] == '-' ? -1 : 1);
    } else {
      static constexpr std::pair<std::string_view, int> kZones[] = {
          {"ut", 0},  {"utc", 0}, {"gmt", 0}, {"z", 0},   {"edt", -4}, {"est", -5}, {"cdt", -5},
          {"cst", -6}, {"mdt", -6}, {"mst", -7}, {"pdt", -7}, {"pst", -8}};
      std::string z = Lower(zone);
      bool known = false;
      for (const auto& [name, hours] : kZones) {
        if (z == name) {
          offset = hours * 3600;
          known = true;
        }
      }
      if (!known) return std::nullopt;
    }
  }
  core::Timestamp ts;
  ts.seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
               std::min(second, 59) - offset;
  ts.frac_digits = 3;
  return ts;
}

}  // namespace

void Problems::Add(std::string message) {
  if (messages_.size() < 5) {
    messages_.push_back(std::move(message));
  } else {
    ++dropped_;
  }
}

std::string Problems::Reason() const {
  std::string out;
  for (const std::string& m : messages_) {
    if (!out.empty()) out += "; ";
    out += m;
  }
  if (dropped_ > 0) out += "; and " + std::to_string(dropped_) + " more";
  return out;
}

std::string Show(const Json& value) {
  switch (value.type()) {
    case Json::Type::kString: {
      std::string s = value.as_string().substr(0, 80);
      return "'" + s + (value.as_string().size() > 80 ? "...'" : "'");
    }
    case Json::Type::kNumber: return "the number " + value.as_number().literal.substr(0, 40);
    case Json::Type::kBool: return value.as_bool() ? "true" : "false";
    case Json::Type::kNull: return "null";
    case Json::Type::kArray: return "a list";
    case Json::Type::kObject: return "an object";
  }
  return "a value";
}

std::optional<std::string> ReportTimestamp(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  auto finish = [](core::Timestamp ts) {
    if (ts.frac_digits < 3) ts.frac_digits = 3;
    return core::FormatTimestamp(ts);
  };
  if (auto ts = core::ParseRfc3339(text); ts.ok()) return finish(*ts);
  // ISO 8601 as people write it: "2008-07-03 10:56:51 +0200", no zone (UTC).
  if (text.size() >= 16 && Digits(text.substr(0, 4), 4, 4) && text[4] == '-') {
    std::string iso(text);
    size_t zone = iso.find_first_of("+-Zz", 10);
    std::string base = iso.substr(0, zone);
    while (!base.empty() && base.back() == ' ') base.pop_back();
    std::string tz = zone == std::string::npos ? "Z" : iso.substr(zone);
    if (tz.size() == 5 && (tz[0] == '+' || tz[0] == '-')) tz.insert(3, ":");
    if (base.size() == 16) base += ":00";
    std::string candidate = base + tz;
    if (auto ts = core::ParseRfc3339(candidate); ts.ok()) return finish(*ts);
  }
  if (auto ts = ParseMailDate(text)) return finish(*ts);
  return std::nullopt;
}

Record BuildRecord(const Report& report, const SourcePosition& position, const ReadContext& context,
                   rules::MarkingTracker* markings) {
  Record record;
  record.format = kFormat;
  record.position = position;
  record.notes = report.notes;
  Json marks = Json::MakeObject();
  for (stix::TlpLevel level : report.tlp) markings->Mark(&record, &marks, level);
  auto mark = [&marks](Json* object) {
    if (const Json* refs = marks.Find("object_marking_refs")) {
      for (const Json& id : refs->as_array()) AddMarking(object, id.as_string());
    }
  };
  auto add = [&](Json object) {
    mark(&object);
    record.Add(object);
  };

  Json reporter = PartyIdentity(report.reporter, context.now);
  std::string reporter_id = reporter.Find("id")->as_string();
  std::string creator_id = reporter_id;
  add(std::move(reporter));
  if (report.sender && !report.sender->empty()) {
    Json sender = PartyIdentity(*report.sender, context.now);
    creator_id = sender.Find("id")->as_string();
    if (creator_id != reporter_id) add(std::move(sender));
  }

  std::vector<std::string> refs;
  std::string indicator_id;
  auto add_sco = [&](const normalize::Observable& o) {
    Json sco = normalize::ToStixObject(o);
    std::string id = sco.Find("id")->as_string();
    for (const std::string& note : o.notes) record.notes.push_back(note);
    if (std::find(refs.begin(), refs.end(), id) != refs.end()) return id;
    refs.push_back(id);
    add(std::move(sco));
    return id;
  };
  if (report.source) {
    const normalize::Observable& o = report.source->observable;
    std::string sco_id = add_sco(o);
    std::string pattern = normalize::ToStixPattern(o);
    if (!pattern.empty()) {
      Json indicator = NewIndicator(pattern, "stix", report.reported);
      indicator.Set("name", Json::String(o.value));
      indicator_id = indicator.Find("id")->as_string();
      add(std::move(indicator));
      add(NewRelationship(indicator_id, "based-on", sco_id, report.reported));
    }
  }
  for (const ObservedValue& v : report.observed) add_sco(v.observable);

  int64_t count = std::clamp<int64_t>(report.count.value_or(1), 1, kMaxCount);
  Json observed = NewObject("observed-data", DeterministicId("observed-data", "xarf|" + report.id_key),
                            report.reported, report.reported);
  std::string observed_id = observed.Find("id")->as_string();
  observed.Set("created_by_ref", Json::String(creator_id));
  observed.Set("first_observed", Json::String(report.first_seen));
  observed.Set("last_observed", Json::String(report.last_seen));
  observed.Set("number_observed", Json::Int(count));
  Json object_refs = Json::MakeArray();
  for (const std::string& id : refs) object_refs.as_array().push_back(Json::String(id));
  observed.Set("object_refs", std::move(object_refs));
  add(std::move(observed));

  std::string sighting_id = !report.report_uuid.empty()
                                ? "sighting--" + report.report_uuid
                                : DeterministicId("sighting", "xarf|" + report.id_key);
  Json sighting = NewObject("sighting", sighting_id, report.reported, report.reported);
  sighting.Set("created_by_ref", Json::String(creator_id));
  if (!report.description.empty()) sighting.Set("description", Json::String(report.description));
  sighting.Set("first_seen", Json::String(report.first_seen));
  sighting.Set("last_seen", Json::String(report.last_seen));
  if (report.count) sighting.Set("count", Json::Int(std::clamp<int64_t>(*report.count, 0, kMaxCount)));
  sighting.Set("sighting_of_ref", Json::String(indicator_id.empty() ? observed_id : indicator_id));
  sighting.Set("observed_data_refs", Json::MakeArray({Json::String(observed_id)}));
  sighting.Set("where_sighted_refs", Json::MakeArray({Json::String(reporter_id)}));
  for (const std::string& label : report.labels) {
    if (!label.empty()) AddToList(&sighting, "labels", label);
  }
  if (report.confidence) sighting.Set("confidence", Json::Int(*report.confidence));
  for (const Json& ref : report.external_references) rules::AddExternalReference(&sighting, ref);
  KeepSourceFields(&sighting, kFormat, report.fields);
  add(std::move(sighting));
  return record;
}

}  // namespace tessera::formats::xarf
