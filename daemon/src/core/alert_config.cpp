// SPDX-License-Identifier: GPL-3.0-or-later
#include "zzping/daemon/alert_config.hpp"

#include <array>
#include <set>
#include <sstream>
#include <utility>

#include "alert_config_toml.hpp"
#include "zzping/daemon/config.hpp"

namespace zzping::daemon {
namespace {

constexpr std::array kCauses = {attribution::Cause::local, attribution::Cause::upstream,
                                attribution::Cause::destination, attribution::Cause::gateway_only,
                                attribution::Cause::unknown};
constexpr std::array kWhens = {AlertWhen::incident, AlertWhen::loss_burst, AlertWhen::loss_pct, AlertWhen::rtt_p95,
                               AlertWhen::jitter};

// A value as TOML would write it (for error messages).
std::string as_written(const toml::node& node) {
  std::ostringstream out;
  node.visit([&out](const auto& value) { out << toml::toml_formatter(value); });
  return out.str();
}

// Reads the keys of one [[alert]] table; every error names where, which alert, the key and
// the value as written.
class AlertReader {
 public:
  AlertReader(const toml::table& table, std::string_view origin, std::size_t index)
      : table_(table), origin_(origin), label_("alert[" + std::to_string(index) + "]") {}

  AlertConfig read() {
    if (const toml::node* name = table_.get("name")) {
      alert_.name = string_of(*name, "name");
      label_ = "[[alert]] '" + alert_.name + "'";
      check_name(*name);
    } else {
      fail(table_, "[[alert]] needs a name");
    }
    const toml::node* when = table_.get("when");
    if (when == nullptr) fail(table_, label_ + " needs when = \"incident\" | \"loss_burst\" | \"loss_pct\" | \"rtt_p95\" | \"jitter\"");
    alert_.when = when_of(*when);
    for (const auto& [key, value] : table_) read_key(key.str(), value);
    check_form();
    return alert_;
  }

 private:
  void read_key(std::string_view key, const toml::node& value) {
    if (key == "name" || key == "when") return;
    if (key == "cause") {
      need_event_form(key, value);
      for (const std::string& text : strings_of(value, key)) alert_.causes.push_back(cause_of(value, text));
    } else if (key == "targets") {
      alert_.targets = strings_of(value, key);
    } else if (key == "min_duration_ms") {
      alert_.min_duration_ms = uint_of(value, key, 0, 86'400'000);
    } else if (key == "threshold") {
      need_window_form(key, value);
      alert_.threshold = threshold_of(value);
    } else if (key == "window_s") {
      need_window_form(key, value);
      alert_.window_s = uint_of(value, key, 1, 3600);
    } else if (key == "exec") {
      alert_.exec = strings_of(value, key);
      if (alert_.exec.empty() || alert_.exec.front().empty()) fail_value(value, key, "needs the program first");
    } else if (key == "timeout_s") {
      alert_.timeout_s = uint_of(value, key, 1, 3600);
    } else if (key == "hold_down_s") {
      alert_.hold_down_s = uint_of(value, key, 0, 86'400);
    } else {
      fail(value, label_ + ": unknown key '" + std::string(key) + "'");
    }
  }

  void check_form() {
    if (is_window_form(alert_.when) && table_.get("threshold") == nullptr) {
      fail(table_, label_ + ": when = \"" + std::string(to_string(alert_.when)) + "\" needs a threshold");
    }
  }

  void check_name(const toml::node& node) {
    const bool valid = !alert_.name.empty() && alert_.name.find_first_not_of(
                                                   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
                                                   std::string::npos;
    if (!valid) fail_value(node, "name", "must be letters, digits, '_', '.' or '-'");
  }

  AlertWhen when_of(const toml::node& node) {
    const std::string text = string_of(node, "when");
    for (const AlertWhen when : kWhens) {
      if (to_string(when) == text) return when;
    }
    fail_value(node, "when", "is not one of incident, loss_burst, loss_pct, rtt_p95, jitter");
  }

  attribution::Cause cause_of(const toml::node& node, const std::string& text) {
    for (const attribution::Cause cause : kCauses) {
      if (attribution::to_string(cause) == text) return cause;
    }
    fail(node, label_ + ": cause '" + text + "' is not one of local, upstream, destination, gateway_only, unknown");
  }

  double threshold_of(const toml::node& node) {
    if (!node.is_number()) fail_value(node, "threshold", "must be a number");
    const double value = *node.value<double>();
    const double high = alert_.when == AlertWhen::loss_pct ? 100.0 : 60'000.0;
    if (!(value > 0.0 && value <= high)) {
      fail_value(node, "threshold", alert_.when == AlertWhen::loss_pct ? "must be in (0, 100] (percent)"
                                                                       : "must be in (0, 60000] (ms)");
    }
    return value;
  }

  void need_window_form(std::string_view key, const toml::node& node) {
    if (!is_window_form(alert_.when)) {
      fail(node, label_ + ": " + std::string(key) + " is for when = loss_pct, rtt_p95 or jitter, not " +
                     std::string(to_string(alert_.when)));
    }
  }

  void need_event_form(std::string_view key, const toml::node& node) {
    if (is_window_form(alert_.when)) {
      fail(node, label_ + ": " + std::string(key) + " is for when = incident or loss_burst, not " +
                     std::string(to_string(alert_.when)));
    }
  }

  std::uint32_t uint_of(const toml::node& node, std::string_view key, std::int64_t low, std::int64_t high) {
    if (!node.is_integer()) fail_value(node, key, "must be a whole number");
    const std::int64_t value = *node.value<std::int64_t>();
    if (value < low || value > high) {
      fail_value(node, key, "is out of range [" + std::to_string(low) + ", " + std::to_string(high) + "]");
    }
    return static_cast<std::uint32_t>(value);
  }

  std::string string_of(const toml::node& node, std::string_view key) {
    if (!node.is_string()) fail_value(node, key, "must be a string");
    return *node.value<std::string>();
  }

  std::vector<std::string> strings_of(const toml::node& node, std::string_view key) {
    const toml::array* array = node.as_array();
    if (array == nullptr) fail_value(node, key, "must be an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *array) out.push_back(string_of(item, key));
    return out;
  }

  [[noreturn]] void fail_value(const toml::node& node, std::string_view key, const std::string& what) {
    fail(node, label_ + ": " + std::string(key) + " = " + as_written(node) + " " + what);
  }

  [[noreturn]] void fail(const toml::node& node, const std::string& what) {
    std::ostringstream out;
    out << origin_ << ":" << node.source().begin.line << ":" << node.source().begin.column << ": " << what;
    throw ConfigError(out.str());
  }

  const toml::table& table_;
  std::string_view origin_;
  std::string label_;
  AlertConfig alert_;
};

}  // namespace

std::string_view to_string(AlertWhen when) {
  switch (when) {
    case AlertWhen::incident: return "incident";
    case AlertWhen::loss_burst: return "loss_burst";
    case AlertWhen::loss_pct: return "loss_pct";
    case AlertWhen::rtt_p95: return "rtt_p95";
    case AlertWhen::jitter: return "jitter";
  }
  return "incident";
}

bool is_window_form(AlertWhen when) {
  return when == AlertWhen::loss_pct || when == AlertWhen::rtt_p95 || when == AlertWhen::jitter;
}

AlertConfig read_alert(const toml::node& node, std::string_view origin, std::size_t index) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    std::ostringstream out;
    out << origin << ":" << node.source().begin.line << ":" << node.source().begin.column
        << ": alerts are written as [[alert]] tables";
    throw ConfigError(out.str());
  }
  return AlertReader(*table, origin, index).read();
}

void check_alerts(const std::vector<AlertConfig>& alerts, const std::vector<TargetConfig>& targets) {
  std::set<std::string> names;
  std::set<std::string> hosts;
  for (const auto& target : targets) hosts.insert(target.host);
  for (const auto& alert : alerts) {
    if (!names.insert(alert.name).second) throw ConfigError("[[alert]] '" + alert.name + "' is defined twice");
    for (const auto& host : alert.targets) {
      if (hosts.count(host) == 0) {
        throw ConfigError("[[alert]] '" + alert.name + "': targets names '" + host +
                          "', which is not a configured target (a [[target]] host or --target)");
      }
    }
  }
}

}  // namespace zzping::daemon
