#include "store/sql/util.h"

#include "core/json.h"

namespace tessera::store::sql {

std::string JsonArray(const std::vector<std::string>& items) {
  core::Json array = core::Json::MakeArray();
  for (const std::string& item : items) array.as_array().push_back(core::Json::String(item));
  return core::WriteJson(array);
}

std::vector<std::string> ParseJsonArray(std::string_view text) {
  std::vector<std::string> out;
  auto parsed = core::ParseJson(text);
  if (!parsed.ok() || !parsed->is_array()) return out;
  for (const core::Json& item : parsed->as_array()) {
    if (item.is_string()) out.push_back(item.as_string());
  }
  return out;
}

}  // namespace tessera::store::sql
