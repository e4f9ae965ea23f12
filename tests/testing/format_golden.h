// Test helpers for readers: run a format over a file or bytes with a fixed
// context, render what came out as a stable, reviewable JSON document, check
// that every object is valid STIX 2.1, and compare against a golden file under
// tests/golden/formats/ (TESSERA_UPDATE_GOLDEN=1 rewrites goldens instead).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"
#include "stix/bundle.h"
#include "testing/shared_data.h"

namespace tessera::testing {

// The timestamp readers get as "now" in tests.
inline constexpr const char* kTestNow = "2026-01-01T00:00:00.000Z";

inline formats::ReadContext TestContext() {
  formats::ReadContext context;
  context.now = kTestNow;
  context.normalize.payment_card_key = "tessera-test-card-key";
  return context;
}

struct ReadOutcome {
  core::Status status;
  formats::CollectingSink sink;
};

inline ReadOutcome ReadWith(const std::string& format_name, formats::Input& input,
                            const formats::ReadContext& context = TestContext()) {
  ReadOutcome out;
  const formats::Format* format = formats::FindFormat(format_name);
  if (format == nullptr) {
    out.status = core::MakeError(core::ErrorCode::kNotFound, "no format " + format_name);
    return out;
  }
  out.status = format->read(input, context, out.sink);
  return out;
}

inline ReadOutcome ReadBytes(const std::string& format_name, std::string bytes,
                             const formats::ReadContext& context = TestContext()) {
  formats::Input input = formats::Input::FromString(std::move(bytes), "input");
  return ReadWith(format_name, input, context);
}

inline ReadOutcome ReadPath(const std::string& format_name, const std::filesystem::path& path,
                            const formats::ReadContext& context = TestContext()) {
  auto input = formats::Input::Open(path.string());
  if (!input.ok()) {
    ReadOutcome out;
    out.status = input.error();
    return out;
  }
  return ReadWith(format_name, *input, context);
}

// Every object of every record, parsed (for assertions in unit tests).
inline std::vector<core::Json> Objects(const ReadOutcome& outcome) {
  std::vector<core::Json> out;
  for (const formats::Record& r : outcome.sink.records) {
    for (const stix::StixObject& o : r.objects) {
      auto tree = core::ParseJson(o.json);
      if (tree.ok()) out.push_back(std::move(*tree));
    }
  }
  return out;
}

// The objects of a given STIX type.
inline std::vector<core::Json> ObjectsOfType(const ReadOutcome& outcome, std::string_view type) {
  std::vector<core::Json> out;
  for (core::Json& o : Objects(outcome)) {
    const core::Json* t = o.Find("type");
    if (t != nullptr && t->is_string() && t->as_string() == type) out.push_back(std::move(o));
  }
  return out;
}

// Validation errors of the emitted objects ("record 3, object indicator--...: reason"),
// empty when every object is valid STIX 2.1. Warnings are not counted.
inline std::vector<std::string> InvalidObjects(const ReadOutcome& outcome) {
  std::vector<std::string> problems;
  for (const formats::Record& r : outcome.sink.records) {
    for (const stix::StixObject& o : r.objects) {
      auto doc = stix::ReadStix(o.json);
      if (!doc.ok()) {
        problems.push_back(r.position.ToString() + " " + o.id + ": " + doc.error().ToString());
        continue;
      }
      for (const stix::Problem& p : doc->problems) {
        if (p.severity == stix::Severity::kError) {
          problems.push_back(r.position.ToString() + " " + o.id + ": " + p.path + ": " +
                             p.message);
        }
      }
    }
  }
  return problems;
}

// A stable rendering: {"status", "records": [{"position", "sharing", "notes",
// "objects"}], "rejected": [{"position", "reason"}]}, pretty-printed. File names
// in positions are replaced by `display_name` so goldens do not depend on paths.
inline std::string Render(const ReadOutcome& outcome, const std::string& display_name) {
  using core::Json;
  auto position = [&](const formats::SourcePosition& p) {
    formats::SourcePosition copy = p;
    if (copy.file.rfind(display_name, 0) != 0) {
      // Keep a folder layout's inner file name, drop the directory prefix.
      copy.file = std::filesystem::path(copy.file).filename().string();
    }
    return copy.ToString() + " #" + std::to_string(p.record);
  };
  Json root = Json::MakeObject();
  root.Set("status", Json::String(outcome.status.ok() ? "ok" : outcome.status.error().ToString()));
  Json records = Json::MakeArray();
  for (const formats::Record& r : outcome.sink.records) {
    Json rec = Json::MakeObject();
    rec.Set("position", Json::String(position(r.position)));
    if (!r.sharing.empty()) {
      Json sharing = Json::MakeObject();
      sharing.Set("distribution", Json::String(r.sharing.distribution));
      sharing.Set("sharing_group", Json::String(r.sharing.sharing_group));
      rec.Set("sharing", std::move(sharing));
    }
    if (!r.notes.empty()) {
      Json notes = Json::MakeArray();
      for (const std::string& n : r.notes) notes.as_array().push_back(Json::String(n));
      rec.Set("notes", std::move(notes));
    }
    Json objects = Json::MakeArray();
    for (const stix::StixObject& o : r.objects) {
      auto tree = core::ParseJson(o.json);
      objects.as_array().push_back(tree.ok() ? std::move(*tree) : Json::String(o.json));
    }
    rec.Set("objects", std::move(objects));
    records.as_array().push_back(std::move(rec));
  }
  root.Set("records", std::move(records));
  Json rejected = Json::MakeArray();
  for (const formats::Rejected& r : outcome.sink.rejects) {
    Json rej = Json::MakeObject();
    rej.Set("position", Json::String(position(r.position)));
    rej.Set("reason", Json::String(r.reason));
    rejected.as_array().push_back(std::move(rej));
  }
  root.Set("rejected", std::move(rejected));
  std::string text = core::WriteJson(root, core::JsonStyle::kPretty);
  text += '\n';
  return text;
}

// Compares `actual` with the golden file (path relative to tests/golden/formats/);
// with TESSERA_UPDATE_GOLDEN=1 writes it instead. A missing golden fails.
inline void ExpectGolden(const std::string& actual, const std::filesystem::path& relative) {
  std::filesystem::path path = SourceDir() / "tests" / "golden" / "formats" / relative;
  const char* update = std::getenv("TESSERA_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path))
      << "no golden " << path << " (run with TESSERA_UPDATE_GOLDEN=1, then review it)";
  EXPECT_EQ(ReadFileOrEmpty(path), actual) << "golden " << path << " differs";
}

}  // namespace tessera::testing
