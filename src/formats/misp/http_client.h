// A minimal HTTP(S) GET for fetching MISP feeds (manifest.json, event files),
// wrapping cpp-httplib so its types stay in http_client.cc. Stateless; safe to
// call from several threads.
#pragma once

#include <cstddef>
#include <string>

#include "core/result.h"

namespace tessera::formats::misp {

struct HttpGetOptions {
  int timeout_seconds = 30;              // connect and read timeout
  size_t max_bytes = size_t{512} << 20;  // a larger body is an error (kLimit)
};

// The body of a 200 response to GET `url` (http:// or https://; redirects are
// followed). Errors: kInvalidArgument (not an http(s) URL), kNotFound (404),
// kIo (connection failure or another status), kLimit (body too large).
core::Result<std::string> HttpGet(const std::string& url, const HttpGetOptions& options = {});

// True when `text` starts with http:// or https:// (any case).
bool IsHttpUrl(const std::string& text);

}  // namespace tessera::formats::misp
