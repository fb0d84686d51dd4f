// SPDX-License-Identifier: GPL-3.0-or-later
#include "command_line.hpp"

#include <QCommandLineParser>
#include <QtGlobal>

#include "zzping/common/view/live_link.hpp"

namespace zzping::gui {
namespace {

// Options QApplication takes out of argv itself (Qt's "generic" options, --help-all): they
// are left for it and not seen by our parser. Value-taking ones consume the next argument.
const QStringList kQtOptionsWithValue = {"platform", "platformpluginpath", "platformtheme", "plugin",
                                         "qwindowgeometry", "qwindowtitle", "qwindowicon", "display",
                                         "geometry", "style", "stylesheet", "session", "title"};
const QStringList kQtFlags = {"reverse", "widgetcount", "nograb", "dograb", "sync"};

const char* const kQtOptionsHelp =
    "\nQt options (taken by Qt before zzping-gui sees its arguments):\n"
    "  -platform NAME[:OPTIONS]  platform plugin (xcb, wayland, offscreen, ...)\n"
    "  -display DISPLAY          X display\n"
    "  -geometry WxH+X+Y         main window geometry (X11)\n"
    "  -style NAME               widget style\n"
    "  -stylesheet FILE          Qt style sheet\n"
    "  -reverse                  right-to-left layout\n";

QStringList without_qt_options(const QStringList& arguments) {
  QStringList ours;
  for (qsizetype i = 0; i < arguments.size(); ++i) {
    QString name = arguments[i];
    if (i > 0 && name.startsWith('-') && !name.startsWith("--") && name.size() > 2) {
      name = name.mid(1);
      if (kQtFlags.contains(name)) continue;
      if (kQtOptionsWithValue.contains(name)) {
        ++i;  // and its value
        continue;
      }
    }
    ours << arguments[i];
  }
  return ours;
}

CommandLine error(const QString& reason) { return CommandLine{std::nullopt, "zzping-gui: " + reason + "\n", 2}; }

struct Parser {
  QCommandLineParser parser;
  QCommandLineOption help = QCommandLineOption({"h", "help"}, "Displays help on commandline options.");
  QCommandLineOption help_all = QCommandLineOption("help-all", "Displays help including Qt specific options.");
  QCommandLineOption version = QCommandLineOption({"v", "version"}, "Displays version information.");
  QCommandLineOption connect{"connect", "Live frames from a zzpingd stream server (repeatable; [IPV6]:PORT for IPv6).",
                             "HOST:PORT"};
  QCommandLineOption token{"token",
                           "Token for daemons that require one (their stream_token); also read from "
                           "$ZZPING_STREAM_TOKEN.",
                           "TOKEN"};
  QCommandLineOption backfill{"backfill",
                              "Live mode: seconds of history to fetch on connecting (default 3600, at most what "
                              "the daemon holds).",
                              "SECONDS"};
  QCommandLineOption screenshot{"screenshot", "Render the window to a PNG once the view has settled (files loaded, detail read, backfills arrived; at most 60 s), then exit.",
                                "FILE"};
  QCommandLineOption size{"size", "Window size (default 1200x800).", "WxH"};
  QCommandLineOption select{"select",
                            "Once the files are loaded, select row N (from 1) of the Outages / incident list as "
                            "a click would: zoom to it and show its path snapshots (scripted screenshots).",
                            "N"};
  QCommandLineOption detail{"detail-mb", "Data directories: MiB of raw / 1 s detail kept per host (default 256).",
                            "MIB"};
  QCommandLineOption live_window{"live-detail-hours",
                                 "Live mode: hours of raw frames kept per host; older times show 1 min buckets "
                                 "(default 6).",
                                 "HOURS"};

  Parser() {
    parser.setApplicationDescription("Latency and loss plots from zzping files, data directories, or live daemons.");
    for (const auto* option : {&help, &help_all, &version, &connect, &detail, &live_window, &token, &backfill, &screenshot, &size, &select}) {
      parser.addOption(*option);
    }
    parser.addPositionalArgument("paths", "Native, FDQ v101 or FrameData files, or data directories.", "[FILE|DIR]...");
  }
};

// Each value bounded so a typo cannot ask for terabytes or a window no screen holds.
std::optional<QString> read_numbers(const Parser& p, GuiOptions& out) {
  const QCommandLineParser& parser = p.parser;
  if (parser.isSet(p.backfill)) {
    bool ok = false;
    out.backfill_s = parser.value(p.backfill).toULongLong(&ok);
    if (!ok || out.backfill_s > 366ULL * 86'400) {
      return "--backfill: expected seconds between 0 and 31622400, got '" + parser.value(p.backfill) + "'";
    }
  }
  if (parser.isSet(p.detail)) {
    bool ok = false;
    out.detail_mb = parser.value(p.detail).toULongLong(&ok);
    if (!ok || *out.detail_mb < 16 || *out.detail_mb > 65'536) {
      return "--detail-mb: expected MiB between 16 and 65536, got '" + parser.value(p.detail) + "'";
    }
  }
  if (parser.isSet(p.live_window)) {
    bool ok = false;
    out.live_detail_hours = parser.value(p.live_window).toDouble(&ok);
    if (!ok || !(*out.live_detail_hours >= 1.0 / 60 && *out.live_detail_hours <= 744.0)) {
      return "--live-detail-hours: expected hours between 0.0167 and 744, got '" + parser.value(p.live_window) + "'";
    }
  }
  if (parser.isSet(p.select)) {
    bool ok = false;
    out.select_row = parser.value(p.select).toInt(&ok);
    if (!ok || *out.select_row < 1) return "--select: expected a row number from 1, got '" + parser.value(p.select) + "'";
  }
  if (parser.isSet(p.size)) {
    const QStringList wh = parser.value(p.size).split('x');
    bool ok_w = false;
    bool ok_h = false;
    const int w = wh.size() == 2 ? wh[0].toInt(&ok_w) : 0;
    const int h = wh.size() == 2 ? wh[1].toInt(&ok_h) : 0;
    if (!ok_w || !ok_h || w < 200 || h < 150 || w > 10000 || h > 10000) {
      return "--size: expected WxH between 200x150 and 10000x10000, got '" + parser.value(p.size) + "'";
    }
    out.size = std::make_pair(w, h);
  }
  return std::nullopt;
}

}  // namespace

CommandLine parse_command_line(const QStringList& arguments) {
  Parser p;
  if (!p.parser.parse(without_qt_options(arguments))) return error(p.parser.errorText());
  if (p.parser.isSet(p.help)) return CommandLine{std::nullopt, p.parser.helpText(), 0};
  if (p.parser.isSet(p.help_all)) return CommandLine{std::nullopt, p.parser.helpText() + kQtOptionsHelp, 0};
  if (p.parser.isSet(p.version)) return CommandLine{std::nullopt, QString("zzping-gui ") + ZZPING_VERSION + "\n", 0};

  GuiOptions options;
  options.paths = p.parser.positionalArguments();
  for (const QString& address : p.parser.values(p.connect)) {
    const auto parsed = view::parse_daemon_address(address.toStdString());
    if (!parsed) return error("--connect: expected HOST:PORT or [IPV6]:PORT, got '" + address + "'");
    options.daemons.push_back(DaemonAddress{QString::fromStdString(parsed->host), parsed->port});
  }
  if (p.parser.isSet(p.token)) {
    options.token = p.parser.value(p.token).toStdString();
  } else if (qEnvironmentVariableIsSet("ZZPING_STREAM_TOKEN")) {
    options.token = qEnvironmentVariable("ZZPING_STREAM_TOKEN").toStdString();
  }
  if (const auto problem = read_numbers(p, options)) return error(*problem);
  if (p.parser.isSet(p.screenshot)) {
    if (options.paths.isEmpty() && options.daemons.empty()) {
      return error("--screenshot needs files or --connect to show");
    }
    options.screenshot = p.parser.value(p.screenshot);
  }
  return CommandLine{std::move(options), {}, 0};
}

}  // namespace zzping::gui
