#include "formats/openioc/openioc.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "formats/openioc/openioc_terms.h"
#include "formats/openioc/stix_pattern_check.h"
#include "formats/stix_build.h"
#include "testing/format_golden.h"
#include "testing/stix_fields.h"

namespace tessera::formats {
namespace {

using core::Json;
using openioc::MapSearchTerm;
using openioc::TermValue;
using testing::SourceFields;

std::filesystem::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests" / "data" / "formats" / "openioc" / name;
}

std::string Ioc10(std::string_view indicator_body, std::string_view meta = "") {
  return std::string(
             "<?xml version=\"1.0\"?>\n"
             "<ioc xmlns=\"http://schemas.mandiant.com/2010/ioc\" "
             "id=\"11111111-2222-4333-8444-555555555555\" last-modified=\"2020-01-02T03:04:05\">\n"
             "<short_description>T</short_description>\n") +
         std::string(meta) + "<definition>\n<Indicator operator=\"OR\" id=\"top\">\n" +
         std::string(indicator_body) + "</Indicator>\n</definition>\n</ioc>\n";
}

std::string Item(std::string_view condition, std::string_view search, std::string_view type,
                 std::string_view content, std::string_view attributes = "") {
  return "<IndicatorItem id=\"i\" condition=\"" + std::string(condition) + "\" " +
         std::string(attributes) + "><Context document=\"x\" search=\"" + std::string(search) +
         "\" type=\"mir\"/><Content type=\"" + std::string(type) + "\">" + std::string(content) +
         "</Content></IndicatorItem>\n";
}

std::string Str(const Json* j) { return j != nullptr && j->is_string() ? j->as_string() : ""; }

struct Read {
  testing::ReadOutcome outcome;
  Json indicator;
  std::string pattern;
};

Read ReadIoc(const std::string& xml) {
  Read r;
  r.outcome = testing::ReadBytes("openioc", xml);
  std::vector<Json> indicators = testing::ObjectsOfType(r.outcome, "indicator");
  if (indicators.size() == 1) {
    r.indicator = indicators[0];
    r.pattern = Str(r.indicator.Find("pattern"));
    EXPECT_EQ(testing_pattern::CheckPattern(r.pattern), "");
  }
  EXPECT_EQ(testing::InvalidObjects(r.outcome), std::vector<std::string>());
  return r;
}

// ---- detection ----------------------------------------------------------------------

TEST(OpenIocDetectTest, ScoresByRootAndNamespace) {
  const Format* f = FindFormat("openioc");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->detect(Ioc10(Item("is", "FileItem/Md5sum", "md5", "x"))).score, 100);
  EXPECT_EQ(f->detect("\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><OpenIOC "
                      "xmlns=\"http://openioc.org/schemas/OpenIOC_1.1\" id=\"x\">")
                .score,
            100);
  EXPECT_EQ(f->detect("<ioc:ioc xmlns:ioc=\"http://schemas.mandiant.com/2010/ioc\">").score, 100);
  // No namespace: a weaker claim, only with IndicatorItems.
  EXPECT_EQ(f->detect("<ioc id=\"x\"><definition><Indicator><IndicatorItem/>").score, 60);
  EXPECT_EQ(f->detect("<ioc id=\"x\"><something/></ioc>").score, 0);
  EXPECT_EQ(f->detect("<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">").score, 0);
  EXPECT_EQ(f->detect("{\"type\": \"bundle\"}").score, 0);
  EXPECT_EQ(f->detect("").score, 0);
  EXPECT_NE(f->detect(Ioc10("")).reason.find("OpenIOC 1.0"), std::string::npos);
}

TEST(OpenIocPatternCheckTest, TheCheckerRefusesBrokenPatterns) {
  using testing_pattern::CheckPattern;
  EXPECT_EQ(CheckPattern("[file:name = 'a'] OR ([x-y-z:a_b[*].c NOT LIKE 'x\\'y' AND "
                         "file:size > 10] AND [file:hashes.'MD5' = t'2020-01-01T00:00:00Z'])"),
            "");
  for (const char* bad : {"[file:name = 'a'", "file:name = 'a'", "[file:name 'a']",
                          "[file:name = 'a] ", "[file:name = 'a' AND]", "[(file:name = 'a']",
                          "[file:name = 'a\\q']", "[file:name = t'2020']", "[File:name = 1]",
                          "[file:name = 'a'] XOR [file:name = 'b']"}) {
    EXPECT_NE(CheckPattern(bad), "") << bad;
  }
}

// ---- terms --------------------------------------------------------------------------

TEST(OpenIocTermsTest, ExplicitTermsHaveStixPaths) {
  struct Case {
    std::string_view search;
    std::string_view path;
    TermValue value;
    bool custom;
  };
  const Case cases[] = {
      {"FileItem/Md5sum", "file:hashes.'MD5'", TermValue::kMd5, false},
      {"fileitem/md5SUM", "file:hashes.'MD5'", TermValue::kMd5, false},  // case-insensitive
      {"FileItem/Sha256sum", "file:hashes.'SHA-256'", TermValue::kSha256, false},
      {"FileItem/FileName", "file:name", TermValue::kFileName, false},
      {"FileItem/FilePath", "file:parent_directory_ref.path", TermValue::kNone, false},
      {"FileItem/FullPath", "file:x_openioc_full_path", TermValue::kNone, true},
      {"FileItem/PEInfo/Sections/Section/Name",
       "file:extensions.'windows-pebinary-ext'.sections[*].name", TermValue::kNone, false},
      {"ProcessItem/name", "process:image_ref.name", TermValue::kNone, false},
      {"processEvent/processCmdLine", "process:command_line", TermValue::kNone, false},
      {"processEvent/md5", "process:image_ref.hashes.'MD5'", TermValue::kMd5, false},
      {"ServiceItem/name", "process:extensions.'windows-service-ext'.service_name",
       TermValue::kNone, false},
      {"PortItem/remoteIP", "network-traffic:dst_ref.value", TermValue::kIp, false},
      {"Network/URI", "network-traffic:extensions.'http-request-ext'.request_value",
       TermValue::kNone, false},
      {"urlMonitorEvent/hostname", "network-traffic:dst_ref.value", TermValue::kDomain, false},
      {"DnsEntryItem/Host", "domain-name:value", TermValue::kDomain, false},
      {"dnsLookupEvent/hostname", "domain-name:value", TermValue::kDomain, false},
      {"UrlHistoryItem/URL", "url:value", TermValue::kUrl, false},
      {"Email/From", "email-message:from_ref.value", TermValue::kEmail, false},
      {"RegistryItem/KeyPath", "windows-registry-key:key", TermValue::kNone, false},
      {"RegistryItem/Text", "windows-registry-key:values[*].data", TermValue::kNone, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.search);
    auto m = MapSearchTerm(c.search);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->object_path, c.path);
    EXPECT_EQ(m->value, c.value);
    EXPECT_EQ(m->custom, c.custom);
  }
}

TEST(OpenIocTermsTest, OtherTermsGetCustomPaths) {
  // A property STIX lacks on a known document: x_openioc_<snake case> on that object.
  EXPECT_EQ(MapSearchTerm("ProcessItem/HandleList/Handle/Name")->object_path,
            "process:x_openioc_handle_list_handle_name");
  EXPECT_EQ(MapSearchTerm("fileWriteEvent/textAtLowestOffset")->object_path,
            "file:x_openioc_text_at_lowest_offset");
  EXPECT_EQ(MapSearchTerm("ServiceItem/serviceDLL")->object_path,
            "process:extensions.'windows-service-ext'.x_openioc_service_dll");
  EXPECT_EQ(MapSearchTerm("FileItem/PEInfo/DigitalSignature/CertificateSubject")->object_path,
            "file:extensions.'windows-pebinary-ext'.x_openioc_digital_signature_certificate_subject");
  EXPECT_EQ(MapSearchTerm("RegistryItem/Path")->object_path, "windows-registry-key:x_openioc_path");
  // A document STIX has no object for: an x-openioc-<document> type.
  EXPECT_EQ(MapSearchTerm("HookItem/HookedFunction")->object_path,
            "x-openioc-hook-item:hooked_function");
  EXPECT_EQ(MapSearchTerm("EventLogItem/EID")->object_path, "x-openioc-event-log-item:eid");
  EXPECT_EQ(MapSearchTerm("Yara/TextString")->object_path, "x-openioc-yara:text_string");
  EXPECT_EQ(MapSearchTerm("Foo/ID")->object_path, "x-openioc-foo:x_openioc_id");  // >= 3 chars
  EXPECT_TRUE(MapSearchTerm("HookItem/HookedFunction")->custom);
  // Not Document/Property.
  for (std::string_view bad : {"", "FileItem", "/Md5sum", "FileItem/", "FileItem//Name", "a/__"}) {
    EXPECT_FALSE(MapSearchTerm(bad).has_value()) << bad;
  }
}

TEST(OpenIocTermsTest, SnakeCase) {
  EXPECT_EQ(openioc::SnakeCase("PETimeStamp"), "pe_time_stamp");
  EXPECT_EQ(openioc::SnakeCase("HandleList/Handle/Name"), "handle_list_handle_name");
  EXPECT_EQ(openioc::SnakeCase("serviceDLL"), "service_dll");
  EXPECT_EQ(openioc::SnakeCase("EID"), "eid");
  EXPECT_EQ(openioc::SnakeCase("md5"), "md5");
  EXPECT_EQ(openioc::SnakeCase("a-b.c"), "a_b_c");
}

// ---- conditions and values ------------------------------------------------------------

TEST(OpenIocConditionTest, EachConditionHasItsOperator) {
  struct Case {
    std::string item;
    std::string pattern;
  };
  const Case cases[] = {
      {Item("is", "ProcessItem/name", "string", "a.exe"), "[process:image_ref.name = 'a.exe']"},
      {Item("contains", "ProcessItem/name", "string", "a.exe"),
       "[process:image_ref.name LIKE '%a.exe%']"},
      {Item("starts-with", "ProcessItem/name", "string", "a"),
       "[process:image_ref.name LIKE 'a%']"},
      {Item("ends-with", "ProcessItem/name", "string", ".exe"),
       "[process:image_ref.name LIKE '%.exe']"},
      {Item("matches", "ProcessItem/name", "string", "^a\\.exe$"),
       "[process:image_ref.name MATCHES '^a\\\\.exe$']"},
      {Item("greater-than", "FileItem/SizeInBytes", "int", "100"), "[file:size > 100]"},
      {Item("less-than", "FileItem/SizeInBytes", "int", " 100 "), "[file:size < 100]"},
      // Negation: the negate attribute and the 1.0 "not" conditions.
      {Item("is", "ProcessItem/name", "string", "a.exe", "negate=\"true\""),
       "[process:image_ref.name NOT = 'a.exe']"},
      {Item("isnot", "ProcessItem/name", "string", "a.exe"),
       "[process:image_ref.name NOT = 'a.exe']"},
      {Item("containsnot", "ProcessItem/name", "string", "a"),
       "[process:image_ref.name NOT LIKE '%a%']"},
      {Item("containsnot", "ProcessItem/name", "string", "a", "negate=\"true\""),
       "[process:image_ref.name LIKE '%a%']"},
      // LIKE has no escape: values with % or _ are matched verbatim with MATCHES.
      {Item("contains", "ProcessItem/name", "string", "__SYSTEM__"),
       "[process:image_ref.name MATCHES '__SYSTEM__']"},
      {Item("starts-with", "ProcessItem/name", "string", "50%.exe"),
       "[process:image_ref.name MATCHES '^50%\\\\.exe']"},
      {Item("ends-with", "ProcessItem/name", "string", "a_b(1)"),
       "[process:image_ref.name MATCHES 'a_b\\\\(1\\\\)$']"},
      // Literals: quotes and backslashes escaped, spaces kept, dates as t'...'.
      {Item("contains", "ProcessItem/arguments", "string", " -r "),
       "[process:command_line LIKE '% -r %']"},
      {Item("is", "FileItem/FullPath", "string", "C:\\o'brien.txt"),
       "[file:x_openioc_full_path = 'C:\\\\o\\'brien.txt']"},
      {Item("is", "FileItem/PEInfo/PETimeStamp", "date", "2015-07-13T08:11:01"),
       "[file:extensions.'windows-pebinary-ext'.time_date_stamp = t'2015-07-13T08:11:01.000Z']"},
      {Item("is", "FileItem/PEInfo/PETimeStamp", "date", "2015-07-13T10:11:01+02:00"),
       "[file:extensions.'windows-pebinary-ext'.time_date_stamp = t'2015-07-13T08:11:01.000Z']"},
      {Item("is", "FileItem/SizeInBytes", "int", "12kb"), "[file:size = '12kb']"},
      {Item("is", "Foo/Flag", "bool", "TRUE"), "[x-openioc-foo:flag = true]"},
      // Observable values are normalized under "is" (not under contains).
      {Item("is", "FileItem/Md5sum", "md5", " D41D8CD98F00B204E9800998ECF8427E "),
       "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"},
      {Item("is", "PortItem/remoteIP", "IP", "2001:DB8:0:0::1"),
       "[network-traffic:dst_ref.value = '2001:db8::1']"},
      {Item("is", "PortItem/remoteIP", "IP", "198.51.100.0/24"),
       "[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']"},
      {Item("is", "DnsEntryItem/Host", "string", "WWW.Example.COM."),
       "[domain-name:value = 'www.example.com']"},
      {Item("contains", "DnsEntryItem/Host", "string", "Example.COM"),
       "[domain-name:value LIKE '%Example.COM%']"},
      {Item("is", "UrlHistoryItem/URL", "string", "HTTP://Example.com:80/a"),
       "[url:value = 'http://example.com/a']"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.item);
    Read r = ReadIoc(Ioc10(c.item));
    ASSERT_EQ(r.outcome.sink.records.size(), 1u);
    EXPECT_EQ(r.pattern, c.pattern);
  }
}

TEST(OpenIocConditionTest, ValuesThatDoNotNormalizeAreKeptWithANote) {
  Read r = ReadIoc(Ioc10(Item("is", "FileItem/Md5sum", "md5", "not-a-hash") +
                         Item("is", "FileItem/SizeInBytes", "int", "many")));
  ASSERT_EQ(r.outcome.sink.records.size(), 1u);
  EXPECT_EQ(r.pattern, "[file:hashes.'MD5' = 'not-a-hash' OR file:size = 'many']");
  const std::vector<std::string>& notes = r.outcome.sink.records[0].notes;
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[0].find("'not-a-hash' is not a valid file:hashes.'MD5' value"), std::string::npos)
      << notes[0];
  EXPECT_NE(notes[1].find("int content 'many' is not an integer"), std::string::npos);
  EXPECT_TRUE(testing::ObjectsOfType(r.outcome, "file").empty());
}

// ---- the AND/OR tree ------------------------------------------------------------------

TEST(OpenIocTreeTest, OneDocumentSharesAnObservationOthersAreJoined) {
  // Terms of one document under AND describe the same item: one [...]; terms of
  // different documents are separate observations; nesting keeps its parentheses.
  std::string body =
      "<Indicator operator=\"AND\" id=\"and1\">" +
      Item("is", "FileItem/FileName", "string", "a.exe") +
      Item("is", "ProcessItem/name", "string", "b.exe") +
      Item("greater-than", "FileItem/SizeInBytes", "int", "10") +
      "<Indicator operator=\"OR\" id=\"or2\">" + Item("is", "FileItem/Md5sum", "md5",
                                                      "d41d8cd98f00b204e9800998ecf8427e") +
      Item("is", "DnsEntryItem/Host", "string", "example.com") + "</Indicator>" +
      "<Indicator operator=\"OR\" id=\"or3\">" +
      Item("contains", "ProcessItem/arguments", "string", "-x") +
      Item("contains", "ProcessItem/arguments", "string", "-y") + "</Indicator>" +
      "</Indicator>" + Item("is", "FileItem/FileName", "string", "c.exe");
  Read r = ReadIoc(Ioc10(body));
  EXPECT_EQ(r.pattern,
            "([file:name = 'a.exe' AND file:size > 10] AND [process:image_ref.name = 'b.exe' AND "
            "(process:command_line LIKE '%-x%' OR process:command_line LIKE '%-y%')] AND "
            "([file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e'] OR "
            "[domain-name:value = 'example.com'])) OR [file:name = 'c.exe']");
}

TEST(OpenIocTreeTest, SameStixTypeFromDifferentDocumentsIsNotMerged) {
  // fileWriteEvent and imageLoadEvent are both `file` but different events.
  std::string body = "<Indicator operator=\"AND\" id=\"a\">" +
                     Item("is", "fileWriteEvent/fileName", "string", "a.dll") +
                     Item("is", "imageLoadEvent/fileName", "string", "a.dll") + "</Indicator>";
  EXPECT_EQ(ReadIoc(Ioc10(body)).pattern, "[file:name = 'a.dll'] AND [file:name = 'a.dll']");
}

TEST(OpenIocTreeTest, EmptyIndicatorsAreLeftOutWithANote) {
  std::string body = "<Indicator operator=\"AND\" id=\"empty\"/>" +
                     Item("is", "ProcessItem/name", "string", "a.exe");
  Read r = ReadIoc(Ioc10(body));
  EXPECT_EQ(r.pattern, "[process:image_ref.name = 'a.exe']");
  ASSERT_EQ(r.outcome.sink.records.size(), 1u);
  ASSERT_EQ(r.outcome.sink.records[0].notes.size(), 1u);
  EXPECT_NE(r.outcome.sink.records[0].notes[0].find("Indicator empty"), std::string::npos);
}

// ---- whole documents ------------------------------------------------------------------

TEST(OpenIocReadTest, Version10MetadataAndObservables) {
  auto outcome = testing::ReadPath("openioc", Fixture("mixed-1.0.ioc"));
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_TRUE(outcome.sink.rejects.empty());
  EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
  const Record& record = outcome.sink.records[0];
  EXPECT_EQ(record.format, "openioc");
  EXPECT_GT(record.position.byte_offset, 0u);  // the <ioc> element, after the comment

  std::vector<Json> indicators = testing::ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 1u);
  const Json& ind = indicators[0];
  EXPECT_EQ(Str(ind.Find("id")), "indicator--5b1e2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  EXPECT_EQ(Str(ind.Find("name")), "EXAMPLE DROPPER (FAMILY)");
  EXPECT_EQ(Str(ind.Find("description")), "Dropper that writes svc_host.exe and calls home.");
  EXPECT_EQ(Str(ind.Find("created")), "2024-03-01T09:30:00.000Z");
  EXPECT_EQ(Str(ind.Find("valid_from")), "2024-03-01T09:30:00.000Z");
  EXPECT_EQ(Str(ind.Find("modified")), "2024-03-02T10:00:00.000Z");
  ASSERT_NE(ind.Find("labels"), nullptr);
  EXPECT_EQ(WriteJson(*ind.Find("labels")), R"(["dropper","family"])");
  EXPECT_EQ(WriteJson(*ind.Find("external_references")),
            R"([{"source_name":"openioc","external_id":"5b1e2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"},)"
            R"({"source_name":"report","description":"Report 42","url":"https://cert.example.org/reports/42"},)"
            R"({"source_name":"threatgroup","description":"EXAMPLE-GROUP"}])");

  std::vector<Json> identities = testing::ObjectsOfType(outcome, "identity");
  ASSERT_EQ(identities.size(), 1u);
  EXPECT_EQ(Str(identities[0].Find("name")), "Example CERT");
  EXPECT_EQ(Str(ind.Find("created_by_ref")), Str(identities[0].Find("id")));

  // Plain values become SCOs, each with a based-on relationship from the indicator:
  // the MD5 (upper case in the source), the IP (leading zero), the e-mail address,
  // and the domain under "contains". Not: the filename under "contains", the
  // domain suffix ".Evil.EXAMPLE" (not a domain), the process name, the bad hash.
  std::vector<std::string> values;
  for (const Json& o : testing::Objects(outcome)) {
    std::string type = Str(o.Find("type"));
    if (type == "file") values.push_back("file " + Str(o.Find("hashes")->Find("MD5")));
    if (type == "ipv4-addr" || type == "email-addr" || type == "domain-name") {
      values.push_back(type + " " + Str(o.Find("value")));
    }
  }
  EXPECT_EQ(values, (std::vector<std::string>{"file d41d8cd98f00b204e9800998ecf8427e",
                                              "ipv4-addr 198.51.100.23", "domain-name c2.example.net",
                                              "email-addr Dropper@example.org"}));
  std::vector<Json> rels = testing::ObjectsOfType(outcome, "relationship");
  ASSERT_EQ(rels.size(), 4u);
  for (const Json& rel : rels) {
    EXPECT_EQ(Str(rel.Find("relationship_type")), "based-on");
    EXPECT_EQ(Str(rel.Find("source_ref")), Str(ind.Find("id")));
  }

  // The source keeps what STIX cannot hold: the tree with every item as written,
  // the link without text, the keywords as written.
  const Json* fields = SourceFields(ind);
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(Str(fields->Find("schema")), "OpenIOC 1.0");
  EXPECT_EQ(Str(fields->Find("keywords")), "dropper, family");
  EXPECT_EQ(WriteJson(*fields->Find("links")), R"([{"rel":"empty"}])");
  const Json* criteria = fields->Find("criteria");
  ASSERT_NE(criteria, nullptr);
  EXPECT_EQ(Str(criteria->Find("id")), "a0000000-0000-4000-8000-000000000001");
  EXPECT_EQ(criteria->Find("children")->as_array().size(), 9u);
  const Json& hook = criteria->Find("children")->as_array()[5];
  EXPECT_EQ(Str(hook.Find("search")), "HookItem/HookedFunction");
  EXPECT_EQ(Str(hook.Find("stix_path")), "x-openioc-hook-item:hooked_function");
  EXPECT_EQ(Str(hook.Find("content")), "NtQuerySystemInformation");
}

TEST(OpenIocReadTest, Version11ParametersCommentsAndPlaceholderDates) {
  auto outcome = testing::ReadPath("openioc", Fixture("params-1.1.ioc"));
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
  std::vector<Json> indicators = testing::ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 1u);
  const Json& ind = indicators[0];
  EXPECT_EQ(Str(ind.Find("pattern")),
            "[process:parent_ref.image_ref.name = 'WINWORD.EXE' AND process:image_ref.name NOT = "
            "'splwow64.exe'] AND ([process:command_line LIKE '% -w hidden %'] OR "
            "[domain-name:value = 'update.example.com'])");
  // authored_date is the 0001 placeholder: created falls back to last-modified.
  EXPECT_EQ(Str(ind.Find("created")), "2024-05-06T07:08:09.000Z");
  EXPECT_EQ(Str(ind.Find("modified")), "2024-05-06T07:08:09.000Z");
  const Json* fields = SourceFields(ind);
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(Str(fields->Find("schema")), "OpenIOC 1.1");
  EXPECT_EQ(Str(fields->Find("authored_date")), "0001-01-01T00:00:00");
  EXPECT_EQ(Str(fields->Find("published-date")), "0001-01-01T00:00:00");
  // The parameter for an item sits on it; one for no element is kept apart.
  const Json& children = *fields->Find("criteria")->Find("children");
  EXPECT_EQ(Str(children.as_array()[1].Find("comment")), "printing is fine");
  const Json& cmdline = children.as_array()[2].Find("children")->as_array()[0];
  EXPECT_EQ(WriteJson(*cmdline.Find("parameters")),
            R"([{"id":"e0000000-0000-4000-8000-000000000001","name":"yara/wide","value":"true"}])");
  EXPECT_EQ(WriteJson(*fields->Find("parameters")),
            R"([{"id":"e0000000-0000-4000-8000-000000000002","name":"comment",)"
            R"("value":"refers to nothing here","value_type":"string",)"
            R"("ref-id":"f0000000-0000-4000-8000-000000000009"}])");
  // The author is an e-mail address: still the identity's name.
  std::vector<Json> identities = testing::ObjectsOfType(outcome, "identity");
  ASSERT_EQ(identities.size(), 1u);
  EXPECT_EQ(Str(identities[0].Find("name")), "analyst@example.org");
}

TEST(OpenIocReadTest, FixturesMatchTheirGoldens) {
  for (const char* name : {"mixed-1.0.ioc", "params-1.1.ioc"}) {
    SCOPED_TRACE(name);
    auto outcome = testing::ReadPath("openioc", Fixture(name));
    EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
    testing::ExpectGolden(testing::Render(outcome, name),
                          std::string("openioc/fixtures/") + name + ".json");
  }
}

TEST(OpenIocReadTest, IdsComeFromTheSource) {
  // A non-UUID ioc id: a deterministic id from it, the id kept in the source fields.
  std::string xml = Ioc10(Item("is", "ProcessItem/name", "string", "a.exe"));
  std::string other = xml;
  other.replace(other.find("11111111-2222-4333-8444-555555555555"), 36, "my-ioc-7");
  Read a = ReadIoc(other);
  Read b = ReadIoc(other);
  EXPECT_EQ(Str(a.indicator.Find("id")), DeterministicId("indicator", "openioc|my-ioc-7"));
  EXPECT_EQ(Str(a.indicator.Find("id")), Str(b.indicator.Find("id")));
  EXPECT_EQ(Str(SourceFields(a.indicator)->Find("id")), "my-ioc-7");
  EXPECT_EQ(Str(ReadIoc(xml).indicator.Find("id")),
            "indicator--11111111-2222-4333-8444-555555555555");
}

TEST(OpenIocReadTest, ModifiedIsNeverBeforeCreated) {
  Read r = ReadIoc(Ioc10(Item("is", "ProcessItem/name", "string", "a.exe"),
                         "<authored_date>2021-01-01T00:00:00Z</authored_date>"));
  EXPECT_EQ(Str(r.indicator.Find("created")), "2021-01-01T00:00:00.000Z");
  EXPECT_EQ(Str(r.indicator.Find("modified")), "2021-01-01T00:00:00.000Z");
  EXPECT_EQ(Str(SourceFields(r.indicator)->Find("last-modified")), "2020-01-02T03:04:05");
}

// ---- bad input ------------------------------------------------------------------------

struct BadCase {
  std::string xml;
  std::string reason;  // a substring of the rejection reason
};

TEST(OpenIocRejectTest, BadIocsAreRejectedWithTheElementPath) {
  std::string deep;
  for (int i = 0; i < 70; ++i) deep += "<Indicator operator=\"AND\" id=\"d\">";
  deep += Item("is", "ProcessItem/name", "string", "a.exe");
  for (int i = 0; i < 70; ++i) deep += "</Indicator>";
  const BadCase cases[] = {
      {Ioc10("<IndicatorItem id=\"i\" condition=\"is\"><Content type=\"string\">x</Content>"
             "</IndicatorItem>"),
       "/ioc/definition/Indicator/IndicatorItem (line 6): IndicatorItem has no Context element"},
      {Ioc10("<IndicatorItem id=\"i\" condition=\"is\"><Context document=\"x\"/>"
             "<Content>x</Content></IndicatorItem>"),
       "/ioc/definition/Indicator/IndicatorItem/Context (line 6): Context has no search"},
      {Ioc10(Item("is", "ProcessItem/name", "string", "a") +
             Item("sounds-like", "ProcessItem/name", "string", "a")),
       "/ioc/definition/Indicator/IndicatorItem[2] (line 7): condition 'sounds-like' is not an "
       "OpenIOC condition"},
      {Ioc10(Item("is", "ProcessItem", "string", "a")),
       "search term 'ProcessItem' is not of the form Document/Property"},
      {Ioc10("<Indicator operator=\"XOR\" id=\"x\">" +
             Item("is", "ProcessItem/name", "string", "a") + "</Indicator>"),
       "/ioc/definition/Indicator/Indicator (line 6): operator 'XOR' is neither AND nor OR"},
      {Ioc10("<Note>x</Note>"), "unexpected element <Note> in an Indicator"},
      {Ioc10(""), "no IndicatorItem in the criteria"},
      {Ioc10(deep), "Indicator elements nest deeper than 64 levels"},
      {"<ioc xmlns=\"http://schemas.mandiant.com/2010/ioc\" id=\"x\"><short_description/></ioc>",
       "/ioc (line 1): no <definition> element"},
      {"<OpenIOC xmlns=\"http://openioc.org/schemas/OpenIOC_1.1\"><criteria/></OpenIOC>",
       "/OpenIOC/criteria (line 1): no Indicator element"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.reason);
    auto outcome = testing::ReadBytes("openioc", c.xml);
    ASSERT_TRUE(outcome.status.ok());
    EXPECT_TRUE(outcome.sink.records.empty());
    ASSERT_EQ(outcome.sink.rejects.size(), 1u);
    const Rejected& rej = outcome.sink.rejects[0];
    EXPECT_NE(rej.reason.find(c.reason), std::string::npos) << rej.reason;
    EXPECT_EQ(rej.format, "openioc");
    EXPECT_EQ(rej.position.file, "input");
    EXPECT_EQ(rej.raw, c.xml);
  }
}

TEST(OpenIocRejectTest, UnusableInputIsAnError) {
  auto not_xml = testing::ReadBytes("openioc", "<ioc><definition>");
  ASSERT_FALSE(not_xml.status.ok());
  EXPECT_EQ(not_xml.status.error().code, core::ErrorCode::kParse);
  EXPECT_NE(not_xml.status.error().location.find("input@byte"), std::string::npos);
  auto other = testing::ReadBytes("openioc", "<STIX_Package/>");
  ASSERT_FALSE(other.status.ok());
  EXPECT_NE(other.status.error().message.find("root element is <STIX_Package>"),
            std::string::npos);
  EXPECT_FALSE(testing::ReadBytes("openioc", "").status.ok());
  formats::ReadContext context = testing::TestContext();
  context.options.emplace_back("nope", "1");
  auto bad_option = testing::ReadBytes("openioc", Ioc10(""), context);
  ASSERT_FALSE(bad_option.status.ok());
  EXPECT_EQ(bad_option.status.error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera::formats
