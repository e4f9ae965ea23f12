#include "formats/misp/http_client.h"

#include <httplib.h>

#include <exception>

namespace tessera::formats::misp {

bool IsHttpUrl(const std::string& text) {
  auto starts = [&](std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

core::Result<std::string> HttpGet(const std::string& url, const HttpGetOptions& options) {
  if (!IsHttpUrl(url)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "not an http(s) URL", url);
  }
  // "scheme://host[:port]" and the rest (path and query).
  size_t host_start = url.find("://") + 3;
  size_t path_start = url.find('/', host_start);
  std::string origin = path_start == std::string::npos ? url : url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  try {
    httplib::Client client(origin);
    if (!client.is_valid()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, "cannot use this URL", url);
    }
    client.set_connection_timeout(options.timeout_seconds, 0);
    client.set_read_timeout(options.timeout_seconds, 0);
    client.set_follow_location(true);
    std::string body;
    int status = 0;
    bool too_large = false;
    auto result = client.Get(
        path,
        [&](const httplib::Response& response) {
          status = response.status;
          return status == 200;
        },
        [&](const char* data, size_t length) {
          if (body.size() + length > options.max_bytes) {
            too_large = true;
            return false;
          }
          body.append(data, length);
          return true;
        });
    if (too_large) {
      return core::MakeError(
          core::ErrorCode::kLimit,
          "response larger than " + std::to_string(options.max_bytes >> 20) + " MiB", url);
    }
    if (status == 404) return core::MakeError(core::ErrorCode::kNotFound, "HTTP 404", url);
    if (status != 0 && status != 200) {
      return core::MakeError(core::ErrorCode::kIo, "HTTP status " + std::to_string(status), url);
    }
    if (!result) {
      return core::MakeError(core::ErrorCode::kIo,
                             "request failed: " + httplib::to_string(result.error()), url);
    }
    return body;
  } catch (const std::exception& e) {
    // cpp-httplib reports failures as values; this only catches what the
    // standard library may throw (allocation).
    return core::MakeError(core::ErrorCode::kIo, std::string("request failed: ") + e.what(), url);
  }
}

}  // namespace tessera::formats::misp
