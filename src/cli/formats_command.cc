#include "cli/formats_command.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "core/json.h"
#include "formats/input.h"
#include "formats/registry.h"

namespace tessera::cli {
namespace {

struct FormatsOptions {
  bool json = false;
  bool verbose = false;
  std::vector<std::string> files;
};

int ListFormats(const FormatsOptions& opt) {
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const formats::Format& f : formats::AllFormats()) {
      w.BeginObject().Key("name").String(f.name).Key("description").String(f.description);
      w.Key("detected").Bool(static_cast<bool>(f.detect) || static_cast<bool>(f.detect_directory));
      w.Key("options").BeginArray();
      for (const auto& [key, help] : f.options) {
        w.BeginObject().Key("key").String(key).Key("help").String(help).EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray();
    out += '\n';
  } else {
    size_t width = 0;
    for (const formats::Format& f : formats::AllFormats()) width = std::max(width, f.name.size());
    for (const formats::Format& f : formats::AllFormats()) {
      out += f.name + std::string(width + 2 - f.name.size(), ' ') + f.description + '\n';
      if (opt.verbose) {
        for (const auto& [key, help] : f.options) out += "    -o " + key + "=...  " + help + '\n';
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int Detect(const FormatsOptions& opt) {
  int code = kExitOk;
  std::string out;
  core::JsonWriter w(&out);
  if (opt.json) w.BeginArray();
  for (const std::string& path : opt.files) {
    auto input = formats::Input::Open(path);
    if (!input.ok()) {
      std::cerr << "tessera: " << input.error().ToString() << '\n';
      code = ExitCodeFor(input.error().code);
      continue;
    }
    std::vector<formats::Candidate> ranked = formats::RankFormats(*input);
    std::string name = ranked.empty() ? "unknown" : ranked.front().format->name;
    std::string reason;
    if (ranked.empty()) {
      auto detected = formats::DetectFormat(*input);
      reason = detected.ok() ? "" : detected.error().message;
      if (code == kExitOk) code = kExitInvalidData;
    } else {
      reason = ranked.front().detection.reason;
    }
    if (opt.json) {
      w.BeginObject().Key("file").String(input->name()).Key("format").String(name);
      w.Key("reason").String(reason);
      w.Key("candidates").BeginArray();
      for (const formats::Candidate& c : ranked) {
        w.BeginObject().Key("format").String(c.format->name).Key("score").Int(c.detection.score);
        w.Key("reason").String(c.detection.reason).EndObject();
      }
      w.EndArray().EndObject();
    } else {
      out += input->name() + ": " + name;
      if (opt.verbose || ranked.empty()) out += " (" + reason + ")";
      out += '\n';
      if (opt.verbose) {
        for (size_t i = 1; i < ranked.size(); ++i) {
          out += "    also " + ranked[i].format->name + " (" +
                 std::to_string(ranked[i].detection.score) + "): " + ranked[i].detection.reason +
                 '\n';
        }
      }
    }
  }
  if (opt.json) {
    w.EndArray();
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return code;
}

}  // namespace

void RegisterFormatsCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<FormatsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "formats",
      "List the formats Tessera reads, one line each (the names --from takes). With -v, each "
      "format's reader options (-o KEY=VALUE).");
  cmd->add_flag("--json", opt->json, "Print a JSON array: name, description, detected, options");
  cmd->add_flag("-v,--verbose", opt->verbose, "Also list each format's options");
  cmd->callback([opt, exit_code, cmd] {
    if (cmd->get_subcommands().empty()) *exit_code = ListFormats(*opt);
  });

  auto detect_opt = std::make_shared<FormatsOptions>();
  CLI::App* detect = cmd->add_subcommand(
      "detect",
      "Print the format of each file as --from auto picks it: from the content, never the "
      "name. 'unknown' with the reason when no reader recognizes it. Exit 0 when every file "
      "was recognized, 1 when one was not, 3 when one could not be read.");
  detect->add_option("files", detect_opt->files, "Files or folders ('-' for standard input)")
      ->required();
  detect->add_flag("--json", detect_opt->json,
                   "Print a JSON array: file, format, reason and every candidate with its score");
  detect->add_flag("-v,--verbose", detect_opt->verbose,
                   "Say why, and list the other candidates with their scores");
  detect->callback([detect_opt, exit_code] { *exit_code = Detect(*detect_opt); });
}

}  // namespace tessera::cli
