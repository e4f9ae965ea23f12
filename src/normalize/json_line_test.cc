#include "normalize/json_line.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "normalize/classify.h"

namespace tessera::normalize {
namespace {

// The line as the CLI wrote it before it had WriteJsonLine, from core's writer.
std::string Reference(const Observable& o, const StixIdParts& id) {
  std::string line = "{\"type\":\"";
  line += KindName(o.kind);
  line += "\",\"value\":";
  core::AppendJsonString(&line, o.value);
  line += ",\"id\":\"";
  line += id.type;
  line += "--";
  id.uuid.AppendTo(&line);
  line += '"';
  for (const auto& [key, value] : o.fields) {
    line += ",\"";
    line += key;
    line += "\":";
    core::AppendJsonString(&line, value);
  }
  if (!o.notes.empty()) {
    line += ",\"notes\":[";
    for (size_t i = 0; i < o.notes.size(); ++i) {
      if (i > 0) line += ',';
      core::AppendJsonString(&line, o.notes[i]);
    }
    line += ']';
  }
  line += "}\n";
  return line;
}

std::string Line(const Observable& o, const StixIdParts& id) {
  std::string line;
  AppendJsonLine(o, id, &line);
  EXPECT_LE(line.size(), JsonLineCapacity(o, id));
  return line;
}

TEST(JsonLineTest, TypeValueIdFieldsNotes) {
  auto o = Normalize("EXAMPLE.COM.");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(Line(*o, StixIdOf(*o)),
            "{\"type\":\"domain\",\"value\":\"example.com\","
            "\"id\":\"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7\","
            "\"registrable_domain\":\"example.com\",\"public_suffix\":\"com\","
            "\"notes\":[\"trailing dot removed\"]}\n");
}

TEST(JsonLineTest, EscapesEveryByteAsCoreDoes) {
  Observable o;
  o.kind = Kind::kFileName;
  for (int c = 0; c < 256; ++c) o.value.push_back(static_cast<char>(c));
  o.fields.emplace_back("unicode",
                        "b\xc3\xbc"
                        "cher \"quoted\" back\\slash");
  o.notes.emplace_back("tab\there, newline\n, nul");
  o.notes.back().push_back('\0');
  o.notes.emplace_back(std::string(17, '"'));
  StixIdParts id = StixIdOf(o);
  EXPECT_EQ(Line(o, id), Reference(o, id));
  // Plain runs of every length around the eight-byte steps, with an escape after.
  for (size_t n = 0; n < 40; ++n) {
    o.value = std::string(n, 'a') + "\"" + std::string(n % 9, 'b');
    o.fields.clear();
    o.notes.clear();
    EXPECT_EQ(Line(o, id), Reference(o, id)) << n;
  }
}

TEST(JsonLineTest, EveryKindAsBefore) {
  NormalizeOptions options;
  options.payment_card_key = "test-key";
  for (const char* token :
       {"198.51.100.7", "192.168.001.010", "2001:db8::1", "::ffff:192.0.2.1", "198.51.100.0/24",
        "EXAMPLE.COM.",
        "b\xc3\xbc"
        "cher.de",
        "user@example.com", "AS65550", "CVE-2021-44228", "00:1a:2b:3c:4d:5e",
        "44d88612fea8a8f36de82e1278abb02f", "invoice.pdf.exe", "4111 1111 1111 1111",
        "+49 30 1234567", "DE89370400440532013000", "twitter:example_handle"}) {
    auto o = Normalize(token, options);
    ASSERT_TRUE(o.ok()) << token << ": " << o.error().message;
    StixIdParts id = StixIdOf(*o);
    EXPECT_EQ(Line(*o, id), Reference(*o, id)) << token;
  }
}

}  // namespace
}  // namespace tessera::normalize
