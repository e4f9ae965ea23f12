// The misp-feed reader on a feed folder written by the test: read from the
// folder, from its manifest.json, and over HTTP from a real cpp-httplib server on
// 127.0.0.1 serving the same folder; missing events, hashes.csv entries for
// events the manifest lacks, and an unreachable feed.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "formats/registry.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

using testing::ReadBytes;
using testing::ReadPath;

constexpr const char* kEventA = "11111111-1111-4111-8111-111111111111";
constexpr const char* kEventB = "22222222-2222-4222-8222-222222222222";
constexpr const char* kMissing = "33333333-3333-4333-8333-333333333333";
constexpr const char* kUnlisted = "44444444-4444-4444-8444-444444444444";

std::string FeedEvent(const std::string& uuid, const std::string& domain) {
  return R"({"Event": {"uuid": ")" + uuid + R"(", "info": "Feed event )" + domain + R"(",
    "date": "2021-05-01", "timestamp": "1619870400", "published": true, "publish_timestamp": "1619870400",
    "analysis": "2", "threat_level_id": "3", "distribution": "3",
    "Orgc": {"name": "Feed Org", "uuid": "55555555-5555-4555-8555-555555555555"},
    "Tag": [{"name": "tlp:green"}],
    "Attribute": [{"uuid": ")" +
         uuid.substr(0, 30) + R"(aaaaaa", "type": "domain", "category": "Network activity",
      "to_ids": true, "value": ")" +
         domain + R"(", "timestamp": "1619870400"}]}})";
}

void Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A feed folder: two events, one listed but missing, and hashes.csv naming an
// event the manifest does not list.
std::filesystem::path MakeFeed() {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("tessera-misp-feed-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir / "feed");
  std::string entry =
      R"({"Orgc": {"name": "Feed Org", "uuid": "55555555-5555-4555-8555-555555555555"},
    "Tag": [{"name": "tlp:green", "colour": "#33FF00"}], "info": "x", "date": "2021-05-01",
    "analysis": "2", "threat_level_id": "3", "timestamp": "1619870400"})";
  Write(dir / "feed" / "manifest.json", std::string("{\"") + kEventA + "\": " + entry + ", \"" +
                                            kEventB + "\": " + entry + ", \"" + kMissing +
                                            "\": " + entry + "}");
  Write(dir / "feed" / (std::string(kEventA) + ".json"), FeedEvent(kEventA, "a.example"));
  Write(dir / "feed" / (std::string(kEventB) + ".json"), FeedEvent(kEventB, "b.example"));
  Write(dir / "feed" / "hashes.csv", std::string("0cc175b9c0f1b6a831c399e269772661,") + kEventA +
                                         "\n92eb5ffee6ae2fec3ad71c777531578f," + kEventB +
                                         "\n4a8a08f09d37b73795649038408b5f33," + kUnlisted +
                                         "\nnot a line\n");
  return dir;
}

void ExpectFeedOutcome(const testing::ReadOutcome& outcome) {
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  ASSERT_EQ(outcome.sink.records.size(), 2u);
  EXPECT_TRUE(testing::InvalidObjects(outcome).empty());
  EXPECT_NE(outcome.sink.records[0].position.file.find(std::string(kEventA) + ".json"),
            std::string::npos);
  EXPECT_NE(outcome.sink.records[1].position.file.find(std::string(kEventB) + ".json"),
            std::string::npos);
  EXPECT_EQ(outcome.sink.records[0].sharing.distribution, "all");
  ASSERT_EQ(outcome.sink.rejects.size(), 3u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find(std::string("event ") + kMissing),
            std::string::npos)
      << outcome.sink.rejects[0].reason;
  EXPECT_EQ(outcome.sink.rejects[0].position.record, 2u);
  EXPECT_NE(outcome.sink.rejects[1].reason.find(kUnlisted), std::string::npos);
  EXPECT_EQ(outcome.sink.rejects[1].position.line, 3u);
  EXPECT_EQ(outcome.sink.rejects[2].reason, "not 'md5,event-uuid'");
  EXPECT_EQ(outcome.sink.rejects[2].position.line, 4u);
  std::vector<core::Json> indicators = testing::ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 2u);
  EXPECT_EQ(indicators[1].Find("pattern")->as_string(), "[domain-name:value = 'b.example']");
}

class FeedServer {
 public:
  explicit FeedServer(const std::filesystem::path& root) {
    server_.set_mount_point("/", root.string());
    // Bound and listening from here on: clients wait in the backlog until the
    // thread accepts them.
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FeedServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(MispFeed, ReadsAFolder) {
  std::filesystem::path dir = MakeFeed();
  ExpectFeedOutcome(ReadPath("misp-feed", dir / "feed"));
  auto input = Input::Open((dir / "feed").string());
  ASSERT_TRUE(input.ok());
  auto chosen = DetectFormat(*input);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->format->name, "misp-feed");
  std::filesystem::remove_all(dir);
}

TEST(MispFeed, ReadsTheManifestAsInput) {
  std::filesystem::path dir = MakeFeed();
  ExpectFeedOutcome(ReadPath("misp-feed", dir / "feed" / "manifest.json"));
  // A manifest from memory has no folder: each listed event is rejected.
  auto outcome = ReadBytes("misp-feed", testing::ReadFileOrEmpty(dir / "feed" / "manifest.json"));
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_TRUE(outcome.sink.records.empty());
  EXPECT_EQ(outcome.sink.rejects.size(), 3u);
  std::filesystem::remove_all(dir);
}

TEST(MispFeed, ReadsOverHttpFromALoopbackServer) {
  std::filesystem::path dir = MakeFeed();
  FeedServer server(dir);
  ASSERT_GT(server.port(), 0);
  // As an option...
  ReadContext context = testing::TestContext();
  context.options.emplace_back("url", server.Url("/feed/"));
  context.options.emplace_back("timeout", "5");
  auto from_option = ReadBytes("misp-feed", "", context);
  ExpectFeedOutcome(from_option);
  // ...and as the input's path.
  auto from_path = ReadPath("misp-feed", server.Url("/feed"));
  ExpectFeedOutcome(from_path);
  auto local = ReadPath("misp-feed", dir / "feed");
  ASSERT_EQ(from_path.sink.records.size(), local.sink.records.size());
  for (size_t i = 0; i < local.sink.records.size(); ++i) {
    ASSERT_EQ(from_path.sink.records[i].objects.size(), local.sink.records[i].objects.size());
    for (size_t k = 0; k < local.sink.records[i].objects.size(); ++k) {
      EXPECT_EQ(from_path.sink.records[i].objects[k].json, local.sink.records[i].objects[k].json);
    }
  }
  // Detection of a URL: the manifest it serves.
  auto input = Input::Open(server.Url("/feed"));
  ASSERT_TRUE(input.ok());
  EXPECT_TRUE(input->is_url());
  auto chosen = DetectFormat(*input);
  ASSERT_TRUE(chosen.ok()) << chosen.error().ToString();
  EXPECT_EQ(chosen->format->name, "misp-feed");
  // No feed there: an error naming manifest.json.
  auto missing = ReadPath("misp-feed", server.Url("/nothing"));
  ASSERT_FALSE(missing.status.ok());
  EXPECT_NE(missing.status.error().message.find("manifest.json"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(MispFeed, BadOptionsAndUnreachableFeeds) {
  ReadContext context = testing::TestContext();
  context.options.emplace_back("url", "ftp://example.org/feed");
  EXPECT_EQ(ReadBytes("misp-feed", "", context).status.error().code,
            core::ErrorCode::kInvalidArgument);
  context.options = {{"timeout", "soon"}};
  EXPECT_EQ(ReadBytes("misp-feed", "", context).status.error().code,
            core::ErrorCode::kInvalidArgument);
  context.options = {{"url", "http://127.0.0.1:1/feed"}, {"timeout", "2"}};
  auto outcome = ReadBytes("misp-feed", "", context);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error().code, core::ErrorCode::kIo);
  EXPECT_FALSE(ReadBytes("misp-feed", "[1, 2]").status.ok());
}

}  // namespace
}  // namespace tessera::formats
